"""Forms of the outcome pages: what was corrected or why not, restriction and lifting,
an objection to a project, its withdrawal, and the purpose erased for."""

from django import forms
from django.utils import timezone

from earlyhelp.lib.plausible import event_date_error
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.forms import SaysLimits
from earlyhelp.rights.outcomes import TEXT_LIMIT
from earlyhelp.web.forms import DateField

CORRECTED, NOT_CORRECTED = "corrected", "not-corrected"


def _text(label: str, missing: str, help_text: str = "", required: bool = True) -> forms.Field:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_LIMIT,
        required=required,
        error_messages={"required": missing},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RectificationOutcomeForm(SaysLimits, forms.Form):
    result = forms.ChoiceField(
        label="Was the information corrected?",
        choices=[
            (CORRECTED, "Yes, it was corrected"),
            (NOT_CORRECTED, "No, it was not corrected"),
        ],
        error_messages={"required": "Select whether the information was corrected"},
    )
    what = _text(
        "What was corrected, or why it was not",
        "Enter what was corrected, or why it was not",
        "This goes in the letter to the requester.",
    )
    about = _text(
        "If not corrected: which information they say is wrong",
        "Enter which information they say is wrong",
        required=False,
    )
    statement = _text(
        "If not corrected: what they say, in their words",
        "Enter what they say, in their words",
        "It is kept beside the information and shown to anyone who reads it.",
        required=False,
    )

    def clean(self):
        """A disagreement needs what it is about and what they say."""
        data = super().clean()
        if data.get("result") == NOT_CORRECTED:
            for name in ("about", "statement"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data


class RestrictForm(SaysLimits, forms.Form):
    reason = _text(
        "Why processing is restricted",
        "Enter why processing is restricted",
        "For example: the person says the information is wrong, while we check it.",
    )


class LiftForm(SaysLimits, forms.Form):
    reason = _text("Why the restriction is lifted", "Enter why the restriction is lifted")


class ObjectionForm(forms.Form):
    project = forms.ChoiceField(
        label="Which project do they object to?",
        error_messages={"required": "Select the project they object to"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.id, p.name) for p in active_policy().projects]


class WithdrawForm(forms.Form):
    withdrawn = DateField(
        label="Date the objection was withdrawn",
        label_lower="date the objection was withdrawn",
        past_only=True,
        required=True,
    )

    def clean_withdrawn(self):
        """Not in the future."""
        day = self.cleaned_data["withdrawn"]
        message = event_date_error(
            day, field="Date the objection was withdrawn", today=timezone.localdate()
        )
        if message:
            raise forms.ValidationError(message)
        return day


class ErasureForm(forms.Form):
    # Each purpose's card carries its own button with the purpose as a hidden value.
    purpose = forms.ChoiceField(
        label="Purpose",
        widget=forms.HiddenInput,
        error_messages={"required": "Select the purpose to erase for"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(p.id, p.wording) for p in active_policy().purposes]
