"""Forms for group sessions: create one, choose who is expected, take its register.

Each error names the field and the rule it breaks ("Enter the venue"). The date is checked
as the service checks it (cases.sessions.held_on_error), so a form that is valid is saved.
People are offered by their public ids, never by a database key.
"""

from django import forms

from earlyhelp.access.models import User
from earlyhelp.cases.choices import AttendanceStatus, SessionKind
from earlyhelp.cases.sessions import TITLE_LIMIT, RegisterRow, held_on_error
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.forms import say_limits, today
from earlyhelp.people.models import Person
from earlyhelp.web.forms import DateField


class SessionForm(forms.Form):
    """A new session: its service, kind, title, venue, date and who runs it."""

    service = forms.ChoiceField(
        label="Service", error_messages={"required": "Select the service the session is for"}
    )
    kind = forms.ChoiceField(
        label="Kind of session",
        choices=SessionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of session"},
    )
    title = forms.CharField(
        label="Title",
        max_length=TITLE_LIMIT,
        help_text="For example, Tuesday stay and play",
        error_messages={"required": "Enter the title"},
    )
    venue = forms.CharField(
        label="Venue",
        max_length=TITLE_LIMIT,
        error_messages={"required": "Enter the venue"},
    )
    held_on = DateField(
        label="Date of the session",
        label_lower="date of the session",
        help_text="For example, 27 3 2027",
    )
    run_by = forms.MultipleChoiceField(
        label="Who runs it",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one worker who runs the session"},
    )

    def __init__(self, *args, services, workers: list[User], creator: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "Choose a service"), *services]
        if len(services) == 1:
            self.fields["service"].initial = services[0][0]
        self.workers = {str(w.pk): w for w in workers}
        self.fields["run_by"].choices = [
            (key, w.get_full_name() or w.get_username()) for key, w in self.workers.items()
        ]
        self.fields["run_by"].initial = [str(creator.pk)]
        say_limits(self)

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        problem = held_on_error(held_on, today())
        if problem:
            raise forms.ValidationError(problem)
        return held_on

    def runners(self) -> list[User]:
        return [self.workers[key] for key in self.cleaned_data["run_by"]]


class ExpectedForm(forms.Form):
    """Who is expected, chosen from the people of the service's open cases offered."""

    people = forms.MultipleChoiceField(
        label="People expected",
        widget=forms.CheckboxSelectMultiple,
        help_text="Children and parents on your teams' open cases of this service",
        error_messages={"required": "Select at least one person who is expected"},
    )

    def __init__(self, *args, candidates: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.public_id): p for p in candidates}
        # Born on, so a child is told from a parent of the same name.
        self.fields["people"].choices = [
            (key, f"{person.full_name}, born {format_day(person.date_of_birth)}")
            if person.date_of_birth
            else (key, person.full_name)
            for key, person in self.candidates.items()
        ]
        say_limits(self)

    def chosen(self) -> list[Person]:
        return [self.candidates[key] for key in self.cleaned_data["people"]]


class RegisterForm(forms.Form):
    """One choice a person on the list the reader may open: attended, absent or cancelled."""

    def __init__(self, *args, rows: list[RegisterRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.people: dict[str, Person] = {}
        for row in rows:
            if not row.allowed or row.access.emergency:
                continue
            name = f"status_{row.person.public_id}"
            self.people[name] = row.person
            self.fields[name] = forms.ChoiceField(
                label=row.person.full_name,
                choices=[c for c in AttendanceStatus.choices if c[0] != AttendanceStatus.EXPECTED],
                widget=forms.RadioSelect,
                required=False,
                initial=row.attendance.status if row.recorded else None,
            )
        say_limits(self)

    def clean(self):
        data = super().clean()
        if self.people and not any(data.get(name) for name in self.people):
            first = next(iter(self.people))
            self.add_error(first, "Select attended, absent or cancelled for at least one person")
        return data

    def statuses(self) -> dict[Person, str]:
        return {
            person: self.cleaned_data[name]
            for name, person in self.people.items()
            if self.cleaned_data.get(name)
        }
