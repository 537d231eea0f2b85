"""The form recording a recipient's confirmation that it destroyed its copy of an extract.

The form reads the boxes; the rules (not in the future, not before the extract, a note that
says something, once only) are the service's (extracts.destruction), so a page and a
command refuse the same things in the same words.
"""

from __future__ import annotations

from django import forms

from earlyhelp.extracts.destruction import DATE_WORDS, NOTE_LIMIT, NOTE_WORDS
from earlyhelp.web.forms import DateField


class ConfirmDestructionForm(forms.Form):
    confirmed_on = DateField(
        label=DATE_WORDS,
        label_lower="date the recipient destroyed it",
        help_text="As the recipient's confirmation gives it. For example, 27 3 2033",
    )
    note = forms.CharField(
        label=NOTE_WORDS,
        help_text="Their reference, or who confirmed it and how. For example: email from the "
        "platform's data manager, reference DST-2033-014",
        max_length=NOTE_LIMIT,
        error_messages={
            "required": "Enter the recipient's confirmation: their reference, or who "
            "confirmed it and how",
            "max_length": f"The recipient's confirmation must be {NOTE_LIMIT:,} characters or "
            "fewer",
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RunExtractForm(forms.Form):
    """Running a project's extract from the screen: nothing to fill in; the form carries
    its one-time token, so a second click runs nothing twice."""
