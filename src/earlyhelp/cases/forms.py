"""Forms for casework: contacts, documents and opening a case, with plausible dates."""

from datetime import date, datetime, time

from django import forms
from django.utils import timezone

from earlyhelp.cases.choices import ContactKind, DocumentKind
from earlyhelp.cases.documents import DocumentRejected, check_upload
from earlyhelp.lib.plausible import event_date_error
from earlyhelp.people.forms import say_limits, today
from earlyhelp.web.forms import DateField


def born_first_or_last(people, *, last: bool) -> tuple[str, date | None]:
    """(whose, date of birth) of the youngest (``last``) or eldest of ``people``.

    Only people with a known date of birth count; with none, it is ("their", None).
    ``whose`` is "<full name>'s", for the message.
    """
    known = [p for p in people if p.date_of_birth is not None]
    if not known:
        return "their", None
    pick = max if last else min
    person = pick(known, key=lambda p: p.date_of_birth)
    return f"{person.full_name}'s", person.date_of_birth


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of contact",
        choices=ContactKind.choices,
        error_messages={"required": "Select the type of contact"},
    )
    occurred_on = DateField(
        label="Date",
        label_lower="date of the contact",
        past_only=True,
        help_text="For example, 25 11 2026",
    )
    occurred_time = forms.TimeField(
        label="Time (optional)",
        required=False,
        help_text="24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"invalid": "Enter the time like 14:30"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    note = forms.CharField(
        label="Note",
        help_text="What happened, who was there, what was agreed",
        max_length=20000,
        error_messages={"required": "Enter a note of the contact"},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    people_present = forms.MultipleChoiceField(label="Who was there", required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.public_id): p for p in people}
        self.fields["people_present"].choices = [(k, p.full_name) for k, p in self.people.items()]
        say_limits(self)

    def clean(self):
        """A contact is not before the birth of anyone who was there, nor after today."""
        data = super().clean()
        day = data.get("occurred_on")
        if day is not None:
            present = [self.people[key] for key in data.get("people_present", [])]
            whose, born = born_first_or_last(present, last=True)
            message = event_date_error(
                day, field="Date of the contact", today=today(), born=born, whose=whose
            )
            if message:
                self.add_error("occurred_on", message)
        return data

    def occurred_at(self) -> datetime:
        day = self.cleaned_data["occurred_on"]
        at = self.cleaned_data["occurred_time"]
        if at is None:
            # No time given: today's contacts sort as now, earlier days at midday.
            if day == timezone.localdate():
                return timezone.now()
            at = time(12, 0)
        return timezone.make_aware(datetime.combine(day, at))

    def present(self) -> list:
        return [self.people[key] for key in self.cleaned_data["people_present"]]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of document",
        choices=DocumentKind.choices,
        error_messages={"required": "Select the type of document"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What the document is, for example: school attendance report, autumn term",
        error_messages={"required": "Enter a title for the document"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, PNG, JPG or Word (DOCX), without scripts, macros or embedded files",
        error_messages={"required": "Select a file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)

    def clean_file(self):
        """The upload, if its content is of an accepted type (else the rule it breaks)."""
        upload = self.cleaned_data["file"]
        try:
            self.content_type = check_upload(upload)
        except DocumentRejected as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return upload


class OpenCaseForm(forms.Form):
    service = forms.ChoiceField(
        label="Service", error_messages={"required": "Select the service the case is with"}
    )
    team = forms.ChoiceField(label="Team", error_messages={"required": "Select the team"})
    children = forms.MultipleChoiceField(
        label="Children or young people the case is about",
        error_messages={"required": "Select at least one child or young person"},
    )
    reason = forms.CharField(
        label="Reason for involvement",
        max_length=5000,
        error_messages={"required": "Enter the reason for involvement"},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    started = DateField(label="Start date", label_lower="start date", past_only=True)

    def __init__(self, *args, services, teams, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = services
        self.fields["team"].choices = [(str(team.pk), team.name) for team in teams]
        self.people = {str(person.public_id): person for person in people}
        self.fields["children"].choices = [
            (key, person.full_name) for key, person in self.people.items()
        ]
        say_limits(self)

    def clean(self):
        """A case starts between the birth of the eldest child it is about and today.

        Not the youngest: a case opened before a baby was born may be recorded with them.
        """
        data = super().clean()
        started = data.get("started")
        if started is not None:
            children = [self.people[key] for key in data.get("children", []) if key in self.people]
            whose, born = born_first_or_last(children, last=False)
            message = event_date_error(
                started, field="Start date", today=today(), born=born, whose=whose
            )
            if message:
                self.add_error("started", message)
        return data


class AllocationForm(forms.Form):
    """Allocate a case: to a worker of its team (or back to no one), with a reason."""

    NO_ONE = "none"

    worker = forms.ChoiceField(
        label="Allocate to",
        error_messages={
            "required": "Select who to allocate the case to",
            "invalid_choice": "Select a worker of the case's team",
        },
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Why this worker, for the case's history",
        max_length=2000,
        error_messages={
            "required": "Enter the reason for the allocation",
            "max_length": "Reason must be 2,000 characters or fewer",
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, workers=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {str(w.pk): w for w in workers}
        options = [(key, w.get_full_name() or w.get_username()) for key, w in self.workers.items()]
        if current is not None:
            options.append((self.NO_ONE, "No one: back to the team's unallocated cases"))
        self.fields["worker"].choices = options

    def chosen_worker(self):
        """The worker chosen, or None to make the case unallocated."""
        return self.workers.get(self.cleaned_data["worker"])
