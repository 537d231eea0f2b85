"""The consent forms: a parent's decision on one use, and a withdrawal (one action).

Choices carry public ids and the policy's use ids; the labels are names and the policy's
words. The service (consent.services) checks everything again and names the field."""

from __future__ import annotations

from django import forms

from earlyhelp.consent.models import MediaConsent
from earlyhelp.consent.services import Standing
from earlyhelp.people.forms import say_limits
from earlyhelp.people.models import Person
from earlyhelp.policy.schema import ConsentUse
from earlyhelp.web.forms import DateField

GIVEN, REFUSED = MediaConsent.Decision.GIVEN, MediaConsent.Decision.REFUSED


def _parent_field(parents: list[Person], label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(str(p.public_id), p.full_name) for p in parents],
        # One parent: chosen already.
        initial=str(parents[0].public_id) if len(parents) == 1 else None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the parent",
            "invalid_choice": "Select one of the parents listed",
        },
    )


def _how_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="How did they tell you?",
        choices=MediaConsent.How.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the parent told you",
            "invalid_choice": "Select one of the ways listed",
        },
    )


class _ChosenParent:
    """The parent a form's `given_by` chose, from those it was offered (`parents`)."""

    parents: dict[str, Person]

    def parent(self) -> Person | None:
        return self.parents.get(self.cleaned_data.get("given_by", ""))  # type: ignore[attr-defined]


class DecisionForm(_ChosenParent, forms.Form):
    """A parent's decision on one use, against the words in force on the day."""

    decided_on = DateField(label="When did they decide?", label_lower="date they decided")

    def __init__(self, *args, parents: list[Person], uses: list[ConsentUse], **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = {str(p.public_id): p for p in parents}
        self.fields["given_by"] = _parent_field(parents, "Which parent decided?")
        self.fields["use"] = forms.ChoiceField(
            label="What did they decide about?",
            choices=[(u.id, u.name) for u in uses],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select the use the parent decided about",
                "invalid_choice": "Select one of the uses listed",
            },
        )
        self.fields["decision"] = forms.ChoiceField(
            label="What did they decide?",
            choices=[(GIVEN, "They agree"), (REFUSED, "They do not agree")],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select whether the parent agrees",
                "invalid_choice": "Select whether the parent agrees",
            },
        )
        self.fields["how"] = _how_field()
        self.order_fields(["given_by", "use", "decision", "how", "decided_on"])
        say_limits(self)


class WithdrawForm(_ChosenParent, forms.Form):
    """Withdrawing a consent: who told the nursery, which use, how and when."""

    decided_on = DateField(label="When did they tell you?", label_lower="date they told you")

    def __init__(self, *args, parents: list[Person], given: list[Standing], **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = {str(p.public_id): p for p in parents}
        self.fields["given_by"] = _parent_field(parents, "Which parent is withdrawing it?")
        self.fields["use"] = forms.ChoiceField(
            label="Which consent is withdrawn?",
            choices=[(s.use.id, s.use.name) for s in given],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select the consent that is withdrawn",
                "invalid_choice": "Select one of the consents listed",
            },
        )
        self.fields["how"] = _how_field()
        self.order_fields(["given_by", "use", "how", "decided_on"])
        say_limits(self)
