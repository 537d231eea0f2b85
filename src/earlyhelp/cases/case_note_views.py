"""The page for writing a note on a case: a worker's case note, or a manager's supervision
or management oversight note (cases.case_notes). The case page lists the notes.

Open to casework staff who may change the case (need-to-know, through the case guard);
refused under break-glass. The URL carries the case's public id only.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import with_case_to_change
from earlyhelp.access.roles import CASEWORK
from earlyhelp.cases import case_notes
from earlyhelp.cases.choices import service_name
from earlyhelp.cases.models import Case
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.forms import say_limits
from earlyhelp.web.forms import add_refusal
from earlyhelp.web.once import submitted_once

SPECIAL_CHOICES = [
    ("no", "No"),
    (
        "yes",
        "Yes: it says something about someone's health, ethnicity, sexuality, gender, "
        "disability or substance misuse",
    ),
]


class CaseNoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of note", error_messages={"required": "Select the type of note"}
    )
    note = forms.CharField(
        label="Note",
        max_length=case_notes.NOTE_LIMIT,
        error_messages={"required": "Enter the note"},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    special_category = forms.ChoiceField(
        label="Does the note hold special category information?",
        help_text="Only those who may see a person's special category information will see it",
        choices=SPECIAL_CHOICES,
        error_messages={"required": "Select whether the note holds special category information"},
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]
        say_limits(self)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def add_case_note(request: HttpRequest, case: Case) -> HttpResponse:
    """Write a note on the case; a manager of its team may write supervision or oversight."""
    if not case.is_open:
        messages.info(request, f"This case was closed on {format_day(case.ended)}")
        return redirect("cases:case", case_id=case.public_id)
    form = CaseNoteForm(request.POST or None, kinds=case_notes.kinds_for(request.user, case))
    if request.method == "POST" and form.is_valid():
        try:
            written = case_notes.record_case_note(
                request,
                case,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                special_category=form.cleaned_data["special_category"] == "yes",
            )
        except ValueError as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, f"{written.get_kind_display()} saved")
            return redirect("cases:case", case_id=case.public_id)
    context = {"case": case, "service": service_name(case.service), "form": form}
    return render(request, "cases/add_case_note.html", context)
