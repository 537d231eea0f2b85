"""Forms of the bundle pages: a redaction added, a passage withheld, and how the link is
sent (a decision on a proposal is a button on the review's list, checked by the service).
Exemptions are the policy's (rights.access_bundle)."""

from __future__ import annotations

from django import forms

from earlyhelp.bundles.services import REASON_LIMIT
from earlyhelp.policy.active import active_policy

THIS_PASSAGE, WHOLE_RECORD = "passage", "record"


def exemption_choices() -> list[tuple[str, str]]:
    """(id, "code: name") of each exemption the policy lists; none without the section."""
    rules = active_policy().rights.access_bundle
    return [(e.id, f"{e.name} ({e.law})") for e in rules.exemptions] if rules else []


def _exemption() -> forms.ChoiceField:
    # The choices are read from the policy each time the form is drawn or checked.
    return forms.ChoiceField(
        label="Exemption",
        choices=exemption_choices,
        error_messages={
            "required": "Select the exemption you rely on",
            "invalid_choice": "Select one of the exemptions the policy lists",
        },
    )


def _reason(label: str, required: bool, missing: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_LIMIT,
        error_messages={"required": missing or "Enter the reason"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AddRedactionForm(forms.Form):
    words = forms.CharField(
        label="Words to redact",
        help_text="Copy them exactly as they appear in the passage. Every place they appear "
        "in this passage is redacted.",
        max_length=REASON_LIMIT,
        error_messages={"required": "Enter the words to redact"},
    )
    exemption = _exemption()
    reason = _reason("Reason", required=True, missing="Enter why, for the redaction schedule")

    field_order = ["words", "exemption", "reason"]


class WithholdForm(forms.Form):
    scope = forms.ChoiceField(
        label="What to withhold",
        choices=[(THIS_PASSAGE, "This passage only"), (WHOLE_RECORD, "The whole record")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to withhold"},
    )
    exemption = _exemption()
    reason = _reason("Reason", required=True, missing="Enter why, for the redaction schedule")

    field_order = ["scope", "exemption", "reason"]


class SendForm(forms.Form):
    how = forms.CharField(
        label="How will you send the link?",
        help_text="For example: by email to the address the requester gave. Send the "
        "password another way.",
        max_length=200,
        error_messages={"required": "Enter how you will send the link"},
    )
