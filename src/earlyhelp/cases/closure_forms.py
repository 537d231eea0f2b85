"""Forms for closing a case: the worker's request (reason, summary, closing date, the
referral date of a step-up, and every need's outcome), the manager's sign-off or return,
and reopening a closed case.

Each error names the field and the rule it breaks ("Enter the evidence for need 2"). The
rules are the services' (cases.closure), so a valid form is saved. The reasons and the
needs' outcomes are in the policy's words, never its ids.
"""

from datetime import date

from django import forms

from earlyhelp.cases.closure import (
    TEXT_LIMIT,
    OutcomeAtClosure,
    closure_reason_choices,
    refers_to_social_care,
)
from earlyhelp.cases.models import Case, ClosureRequest, Need
from earlyhelp.cases.plans import outcome_words
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.forms import say_limits
from earlyhelp.sharing.services import TEXT_LIMIT as SHARE_TEXT_LIMIT
from earlyhelp.web.forms import DateField

YES_NO = [("yes", "Yes"), ("no", "No")]
APPROVE, RETURN = "approve", "return"


def _text(label: str, required: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_LIMIT,
        error_messages={"required": required},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class RequestClosureForm(forms.Form):
    """A request to close the case, with an outcome for each of its needs."""

    reason = forms.ChoiceField(
        label="Why is the case closing?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is closing"},
    )
    referred_to_social_care_on = DateField(
        label="Date of the referral to children's social care",
        label_lower="date of the referral to children's social care",
        past_only=True,
        required=False,
        help_text="Only when the family are stepped up to children's social care. "
        "For example, 20 11 2026",
    )
    closing_on = DateField(
        label="Closing date",
        label_lower="closing date",
        past_only=True,
        help_text="The day the work with the family ended. For example, 27 11 2026",
    )
    summary = _text(
        "Summary",
        "Enter a summary of the work with the family",
        "What was done, what changed, and why the case is closing",
        rows=6,
    )

    def __init__(self, *args, case: Case, needs: list[Need], **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.needs = needs
        self.fields["reason"].choices = closure_reason_choices()
        for n in range(1, len(needs) + 1):
            self.fields[f"achieved_{n}"] = forms.ChoiceField(
                label=f"Was the outcome of need {n} achieved?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select whether the outcome of need {n} was achieved"},
            )
            self.fields[f"sustained_{n}"] = forms.ChoiceField(
                label=f"Has the outcome of need {n} been sustained?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                help_text="Sustained: the change has lasted, not just been reached",
                error_messages={
                    "required": f"Select whether the outcome of need {n} was sustained"
                },
            )
            self.fields[f"evidence_{n}"] = _text(
                f"Evidence for need {n}",
                f"Enter the evidence for need {n}",
                "What shows it: school attendance figures, what the family and others say",
                rows=3,
            )
        say_limits(self)

    @staticmethod
    def initial_from(returned: ClosureRequest, needs: list[Need]) -> dict:
        """The answers of a returned request, to start the next one from: its reason,
        dates, summary, and the outcome it gave each need still open (a need added since
        starts empty)."""
        initial = {
            "reason": returned.reason,
            "referred_to_social_care_on": returned.referred_to_social_care_on,
            "closing_on": returned.closing_on,
            "summary": returned.summary,
        }
        given = {outcome.need_id: outcome for outcome in returned.outcomes.all()}
        for n, need in enumerate(needs, start=1):
            outcome = given.get(need.pk)
            if outcome is not None:
                initial[f"achieved_{n}"] = "yes" if outcome.achieved else "no"
                initial[f"sustained_{n}"] = "yes" if outcome.sustained else "no"
                initial[f"evidence_{n}"] = outcome.evidence
        return initial

    def need_rows(self) -> list[dict]:
        """Each need with its outcome's wording and its three fields, for the template."""
        return [
            {
                "number": n,
                "need": need,
                "outcome": outcome_words(need),
                "achieved": self[f"achieved_{n}"],
                "sustained": self[f"sustained_{n}"],
                "evidence": self[f"evidence_{n}"],
            }
            for n, need in enumerate(self.needs, start=1)
        ]

    def _not_before_opening(self, name: str, value: date | None, words: str) -> None:
        if value is not None and value < self.case.started:
            self.add_error(
                name,
                f"The {words} must be the same as or after the date the case opened "
                f"({format_day(self.case.started)})",
            )

    def clean(self):
        """The dates are on or after the case opened; a step-up has its referral date and
        no other reason has one; an outcome is sustained only once achieved."""
        data = super().clean()
        self._not_before_opening("closing_on", data.get("closing_on"), "closing date")
        referred = data.get("referred_to_social_care_on")
        reason = data.get("reason")
        if reason and refers_to_social_care(reason):
            if referred is None and not self.errors.get("referred_to_social_care_on"):
                self.add_error(
                    "referred_to_social_care_on",
                    "Enter the date of the referral to children's social care",
                )
            self._not_before_opening(
                "referred_to_social_care_on",
                referred,
                "date of the referral to children's social care",
            )
        elif reason and referred is not None:
            self.add_error(
                "referred_to_social_care_on",
                "Leave the date of the referral empty: only a case stepped up to children's "
                "social care has one",
            )
        for n in range(1, len(self.needs) + 1):
            if data.get(f"sustained_{n}") == "yes" and data.get(f"achieved_{n}") == "no":
                self.add_error(
                    f"sustained_{n}",
                    f"The outcome of need {n} can be sustained only once it is achieved",
                )
        return data

    def outcomes(self) -> list[OutcomeAtClosure]:
        data = self.cleaned_data
        return [
            OutcomeAtClosure(
                need=need,
                achieved=data[f"achieved_{n}"] == "yes",
                sustained=data[f"sustained_{n}"] == "yes",
                evidence=data[f"evidence_{n}"],
            )
            for n, need in enumerate(self.needs, start=1)
        ]


class DecideClosureForm(forms.Form):
    """A manager's decision on a closure request: sign it off, or return it with a comment."""

    decision = forms.ChoiceField(
        label="Do you sign off the closure?",
        choices=[
            (APPROVE, "Yes, sign it off: the case closes"),
            (RETURN, "No, return it to the worker"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you sign off the closure or return it"},
    )
    manager_comment = forms.CharField(
        label="Comment",
        help_text="Needed to return the request: say what needs doing before the case can close",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    restriction_reason = forms.CharField(
        label="Why can the referral not wait for the restriction to be lifted?",
        help_text="Needed to sign off: what the child is at risk of if the referral waits",
        required=False,
        max_length=SHARE_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, restricted: bool = False, **kwargs):
        """`restricted`: signing off shares a member whose processing is restricted (a
        step-up the policy lets go ahead), so the reason for that is asked; else the field
        is left out."""
        super().__init__(*args, **kwargs)
        if not restricted:
            del self.fields["restriction_reason"]
        say_limits(self)

    def clean(self):
        data = super().clean()
        if (
            "restriction_reason" in self.fields
            and data.get("decision") == APPROVE
            and not data.get("restriction_reason", "").strip()
            and "restriction_reason" not in self.errors
        ):
            self.add_error(
                "restriction_reason",
                "Enter why the referral cannot wait for the restriction to be lifted",
            )
        returned = data.get("decision") == RETURN
        empty = not data.get("manager_comment", "").strip()
        if returned and empty and "manager_comment" not in self.errors:
            self.add_error(
                "manager_comment", "Enter a comment: say what needs doing before the case can close"
            )
        return data

    def approves(self) -> bool:
        return self.cleaned_data["decision"] == APPROVE

    def restriction_reason_given(self) -> str:
        """The reason for sharing restricted records, or "" where it was not asked."""
        return self.cleaned_data.get("restriction_reason", "")


class ReopenForm(forms.Form):
    reason = _text(
        "Why is the case reopened?",
        "Enter why the case is reopened",
        "What has happened since it closed, and who asked for help",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)
