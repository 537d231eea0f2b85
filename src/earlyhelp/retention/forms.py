"""Forms for retention: placing and lifting a legal hold, deferring one person's records,
approving a destruction review.

The rules are the services' (retention.holds, retention.services): a valid form is given to
them and their refusal ("field: rule") goes on the field it names (web.forms.add_refusal).
The forms say only what a field needs before that: that it is there, and its length.
Choices are in words, never ids.
"""

from __future__ import annotations

from django import forms

from earlyhelp.cases.choices import service_choices
from earlyhelp.people.forms import say_limits
from earlyhelp.retention.holds import SHORT_LIMIT, TEXT_LIMIT
from earlyhelp.retention.models import LegalHold
from earlyhelp.retention.services import REASON_LIMIT
from earlyhelp.web.forms import DateField

Scope = LegalHold.Scope
# The scopes that need a person in hand: their record, their household, one of their cases.
SCOPES_OF_A_PERSON = (Scope.PERSON, Scope.FAMILY, Scope.CASE)


# How a message names each field whose label is a question ("Why is the hold lifted?"),
# which would read badly glued into a sentence (people.forms.field_words).
FIELD_WORDS = {
    "issuer": "who asked for the records to be kept",
    "reference": "their reference",
    "scope": "what the hold covers",
    "household": "the household",
    "case": "the case",
    "service": "the service",
    "criterion": "the rule",
    "reason": "the reason",
    "lift_reason": "the reason the hold is lifted",
}


def _say_limits(form: forms.Form) -> None:
    """people.forms.say_limits, with each field named as FIELD_WORDS says."""
    for name, field in form.fields.items():
        if name in FIELD_WORDS:
            field.label_lower = FIELD_WORDS[name]
    say_limits(form)


def _text(label: str, required: str, *, limit: int, help_text: str = "", rows: int = 0):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required),
        max_length=limit,
        error_messages={
            **({"required": required} if required else {}),
        },
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
    )


class PlaceHoldForm(forms.Form):
    """A legal hold: who asked, what it covers, why, and when it is reviewed.

    With a person in hand (from their search result), the hold may cover them, one of their
    households or one of their cases; any hold may cover a service or a rule."""

    issuer = _text(
        "Who asked for the records to be kept?",
        "Enter who asked for the records to be kept",
        limit=SHORT_LIMIT,
        help_text="For example, a public inquiry, a court or the council's legal service",
    )
    reference = _text("Their reference (optional)", "", limit=100)
    scope = forms.ChoiceField(
        label="What does the hold cover?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the hold covers"},
    )
    household = forms.ChoiceField(
        label="If a family: which household?", required=False, widget=forms.RadioSelect
    )
    case = forms.ChoiceField(
        label="If a case: which case?", required=False, widget=forms.RadioSelect
    )
    service = forms.ChoiceField(label="If a service: which service?", required=False)
    criterion = forms.ChoiceField(
        label="If a rule: which records?",
        required=False,
        widget=forms.RadioSelect,
        choices=LegalHold.Criterion.choices,
    )
    before = DateField(
        label="If a rule: the date the records are before",
        label_lower="date the records are before",
        required=False,
        help_text="For example, 31 12 2022",
    )
    reason = _text(
        "Why are the records kept?",
        "Enter why the records are kept",
        limit=TEXT_LIMIT,
        rows=4,
    )
    review_on = DateField(
        label="When is the hold reviewed?",
        label_lower="review date",
        help_text="A date after today",
    )

    def __init__(
        self,
        *args,
        person=None,
        households=(),
        cases=(),
        latest_review=None,
        household_words=None,
        **kw,
    ):
        """`households` and `cases`: the person's, to choose from (a scope with none to
        choose is not offered); `household_words`: household -> the words it is offered
        in, where its address must not be shown (a member is restricted from the reader).
        """
        super().__init__(*args, **kw)
        self.person = person
        offered = {
            Scope.PERSON: person is not None,
            Scope.FAMILY: bool(households),
            Scope.CASE: bool(cases),
        }
        scopes = [(value, label) for value, label in Scope.choices if offered.get(value, True)]
        if person is not None:
            scopes[0] = (Scope.PERSON, f"{person.full_name} only")
        self.fields["scope"].choices = scopes
        words = household_words or {}
        self.fields["household"].choices = [
            (str(h.public_id), words.get(h, None) or h.reads_as()) for h in households
        ]
        self.fields["case"].choices = [(str(c.public_id), c.reads_as()) for c in cases]
        self.fields["service"].choices = [("", "Choose a service"), *service_choices()]
        if latest_review is not None:
            self.fields[
                "review_on"
            ].help_text = f"A date after today and no later than {latest_review}"
        for name, choices in (("household", households), ("case", cases)):
            if not choices:
                del self.fields[name]
        _say_limits(self)


class _SaysLimits:
    """Mixed into a form: every error names its field (people.forms.say_limits)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_limits(self)


class LiftHoldForm(_SaysLimits, forms.Form):
    lift_reason = _text(
        "Why is the hold lifted?",
        "Enter why the hold is lifted",
        limit=TEXT_LIMIT,
        rows=3,
    )


class DeferForm(_SaysLimits, forms.Form):
    """Keep one person's records out of this batch, for now."""

    reason = _text(
        "Why are these records kept for now?",
        "Enter why these records are kept for now",
        limit=REASON_LIMIT,
        rows=3,
    )
    until = DateField(
        label="Kept until (optional)",
        label_lower="date they are kept until",
        required=False,
        help_text="A date after today. Leave it empty to see them again in the next review.",
    )


_REVIEW_AGAIN = (
    "The approval form is out of date or incomplete: open the review again, check the records "
    "and approve"
)
OUT_OF_DATE = dict.fromkeys(("required", "invalid", "min_value", "max_length"), _REVIEW_AGAIN)


class ApproveForm(_SaysLimits, forms.Form):
    """The reviewer's confirmation, and the number of records they saw waiting (a run of the
    plan may add more after the page was opened: then they are asked to look again)."""

    confirm = forms.BooleanField(
        label="I have reviewed these records",
        error_messages={
            "required": "Confirm that you have reviewed these records before approving"
        },
    )
    # What the reviewer saw waiting for them: how many, and which (services.seen_digest).
    # Both come from the page; a form sent without them is out of date, said so in words.
    count = forms.IntegerField(widget=forms.HiddenInput, min_value=0, error_messages=OUT_OF_DATE)
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64, error_messages=OUT_OF_DATE)
