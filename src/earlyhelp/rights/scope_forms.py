"""Forms of the scope pages: adding a record to a request, and a parent's or carer's access
to a child's records."""

from __future__ import annotations

from django import forms

from earlyhelp.access.models import User
from earlyhelp.people.matching import normalise_name
from earlyhelp.people.models import Person
from earlyhelp.rights.models import ChildAccessDecision, RequestPerson, RightsRequest

REASONS_LIMIT = 2000


class AddToScopeForm(forms.Form):
    """A record found by the search (named by the page's address), as the subject of the
    request or the person asking."""

    role = forms.ChoiceField(
        label="Add as",
        choices=RequestPerson.Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they are the person the request is about or asking",
            "invalid_choice": "Select whether they are the person the request is about or asking",
        },
    )


def role_for(person: Person, rights_request: RightsRequest) -> str | None:
    """The "Add as" answer to start from: the person asking where the record's name is the
    requester's name (as typed, ignoring case and accents), else none: the officer chooses."""
    if normalise_name(person.full_name) == normalise_name(rights_request.requester_name):
        return RequestPerson.Role.REQUESTER
    return None


class ChildAccessForm(forms.Form):
    """The decision on a parent's or carer's access to a child's records.

    Which questions apply depends on the child's age against the policy's consent age
    (`at_consent_age`): at or over it, the child's consent and how it was given; under it,
    a named worker's judgement of the child's competence, and the child's consent when
    they were judged competent.
    """

    NO_PARENT = "none"

    HOW = {
        "in-person": "In person",
        "phone": "By telephone",
        "writing": "In writing",
    }

    parent = forms.ChoiceField(
        label="Who is asking",
        error_messages={
            "required": "Select who is asking",
            "invalid_choice": "Select who is asking",
        },
    )
    competent = forms.ChoiceField(
        label="Has the child been judged competent to decide?",
        required=False,
        choices=[("yes", "Yes, competent"), ("no", "No, not competent")],
        error_messages={"invalid_choice": "Select whether the child was judged competent"},
    )
    competence_by = forms.ChoiceField(
        label="Who judged the child's competence",
        required=False,
        widget=forms.Select,
        error_messages={"invalid_choice": "Select the worker who judged the child's competence"},
    )
    competence_reasons = forms.CharField(
        label="Reasons for the judgement",
        required=False,
        max_length=REASONS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Reasons for the judgement must be {REASONS_LIMIT:,} characters or fewer"
        },
    )
    consent = forms.ChoiceField(
        label="Did the child consent to the parent or carer seeing their records?",
        required=False,
        choices=[
            (ChildAccessDecision.Consent.CONSENTED, "Yes, the child consented"),
            (ChildAccessDecision.Consent.REFUSED, "No, the child did not consent"),
        ],
        error_messages={"invalid_choice": "Select whether the child consented"},
    )
    consent_how = forms.ChoiceField(
        label="How the child gave their answer",
        required=False,
        choices=list(HOW.items()),
        error_messages={"invalid_choice": "Select how the child gave their answer"},
    )
    consent_taken_by = forms.ChoiceField(
        label="Who took the child's answer",
        required=False,
        widget=forms.Select,
        error_messages={"invalid_choice": "Select who took the child's answer"},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("allow", "Allow the parent or carer to have the child's records"),
            ("refuse", "Refuse"),
        ],
        error_messages={
            "required": "Select whether access is allowed or refused",
            "invalid_choice": "Select whether access is allowed or refused",
        },
    )
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text="Needed to refuse. Shown with the rules' reasons",
        required=False,
        max_length=REASONS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Reasons for the decision must be {REASONS_LIMIT:,} characters or fewer"
        },
    )

    def __init__(
        self,
        *args,
        parents: list[Person] = (),
        staff: list[User] = (),
        at_consent_age: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.at_consent_age = at_consent_age
        self.parents = {str(p.public_id): p for p in parents}
        self.staff = {str(u.pk): u for u in staff}
        self.fields["parent"].choices = [(k, p.full_name) for k, p in self.parents.items()] + [
            (self.NO_PARENT, "The person asking has not been matched to a record yet")
        ]
        names = [("", "Choose a member of staff")] + [
            (k, u.get_full_name() or u.get_username()) for k, u in self.staff.items()
        ]
        self.fields["competence_by"].choices = names
        self.fields["consent_taken_by"].choices = names
        if at_consent_age:
            for name in ("competent", "competence_by", "competence_reasons"):
                del self.fields[name]

    def clean(self) -> dict:
        data = super().clean()
        consent_needed = self.at_consent_age
        if not self.at_consent_age:
            competent = data.get("competent")
            if not competent:
                self.add_error("competent", "Select whether the child was judged competent")
            if not data.get("competence_by"):
                self.add_error(
                    "competence_by", "Select the worker who judged the child's competence"
                )
            if not (data.get("competence_reasons") or "").strip():
                self.add_error("competence_reasons", "Enter the reasons for the judgement")
            consent_needed = competent == "yes"
        # An answer the child gave is recorded whole, even where it is not needed.
        given = any(data.get(k) for k in ("consent", "consent_how", "consent_taken_by"))
        if consent_needed or given:
            if not data.get("consent"):
                self.add_error("consent", "Select whether the child consented")
            if not data.get("consent_how"):
                self.add_error("consent_how", "Select how the child gave their answer")
            if not data.get("consent_taken_by"):
                self.add_error("consent_taken_by", "Select who took the child's answer")
        if data.get("decision") == "refuse" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Enter the reasons for refusing access")
        return data

    def chosen_parent(self) -> Person | None:
        return self.parents.get(self.cleaned_data["parent"])

    def competence_judgement(self) -> tuple[bool | None, User | None, str]:
        """(judged competent, by whom, reasons), or (None, None, "") at the consent age."""
        if self.at_consent_age:
            return None, None, ""
        data = self.cleaned_data
        return (
            data["competent"] == "yes",
            self.staff.get(data["competence_by"]),
            data["competence_reasons"].strip(),
        )

    def child_answer(self) -> tuple[str, str]:
        """(the consent value, how it was given and to whom, in words)."""
        data = self.cleaned_data
        if not data.get("consent"):
            return ChildAccessDecision.Consent.NOT_ASKED, ""
        taker = self.staff[data["consent_taken_by"]]
        return (
            data["consent"],
            f"{self.HOW[data['consent_how']]}, to {taker.get_full_name() or taker.get_username()}",
        )
