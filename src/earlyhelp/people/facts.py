"""The kinds of fact a practitioner records about a person, each with its form.

Every form checks its values as plausible (issue 11): dates between the person's birth and
today, an end never before its start, text no longer than a person would type, numbers in
the range their rule allows. Refusals name the field and the rule.
"""

import re
from decimal import Decimal

from django import forms
from django.db.models import DateField as ModelDateField
from django.db.models import Field, TextField

from earlyhelp.datamap.registry import fact_models
from earlyhelp.lib.plausible import EARLIEST_BIRTH, event_date_error, name_error, period_error
from earlyhelp.people import holdings as _holdings  # noqa: F401 (registers the facts)
from earlyhelp.people import models
from earlyhelp.people.forms import check, field_words, say_limits, today
from earlyhelp.web.forms import DateField

# What a person types into a fact's free text: a long page at most (about 1,500 words);
# more belongs in an uploaded document. Short answers have their own limits.
FACT_TEXT_MAX = 10_000
FACT_TEXT_LIMITS: dict[str, int] = {
    "agency": 200,
    "substances": 500,
    "offence": 500,
    "sentence": 500,
    "when": 200,
}
# A date field's name in words, where the model's ("started") reads badly in a sentence.
DATE_WORDS = {"started": "date it started", "ended": "date it ended", "start": "start date"}
# Pairs of (start, end) fields of one fact: the end is never before the start.
PERIODS = (("started", "ended"),)
# A suspension lasts at most 45 school days in an academic year (DfE, "Suspension and
# permanent exclusion from maintained schools, academies and pupil referral units in
# England", 2024, para. on the maximum length of suspensions).
SCHOOL_DAYS_MAX = 45
ACADEMIC_YEAR = re.compile(r"([0-9]{4})/([0-9]{2})")

# URL slug -> model of each kind of fact, in the order of section 3 of the notice: the data
# map's fact holdings (people/holdings.py declares them; importing it registers them even
# when this module is imported before the data map has gathered every app's holdings).
FACT_MODELS: dict[str, type[models.PersonFact]] = fact_models()


class FactForm(forms.ModelForm):
    """Required-field messages that name the field, no empty choice in the radios, and
    plausible values.

    ``person``, if given, is whom the fact is about: its dates are then not before their
    date of birth (else not before 1 January 1900).
    """

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        for name, field in self.fields.items():
            label = self._meta.model._meta.get_field(name).verbose_name
            field.error_messages["required"] = f"Enter {label}"
            if isinstance(field, forms.ChoiceField):
                field.error_messages["required"] = f"Select {label}"
                field.choices = [choice for choice in field.choices if choice[0] != ""]
        self.fields["source"].label = "Where did this information come from?"
        say_limits(self)

    def clean(self):
        data = super().clean()
        born = getattr(self.person, "date_of_birth", None)
        for name, field in self.fields.items():
            if isinstance(field, DateField) and data.get(name) is not None:
                message = event_date_error(
                    data[name], field=field_words(field), today=today(), born=born
                )
                if message:
                    self.add_error(name, message)
        for start, end in PERIODS:
            if start in self.fields and end in self.fields and not self.has_error(end):
                message = period_error(
                    data.get(start),
                    data.get(end),
                    start_field=field_words(self.fields[start]).lower(),
                    end_field=field_words(self.fields[end]),
                )
                if message:
                    self.add_error(end, message)
        return data

    def clean_school(self) -> str:
        school = self.cleaned_data["school"]
        check(name_error(school, field="School"))
        return school

    def clean_academic_year(self) -> str:
        """Two years in a row, like 2025/26, from 1900/01 to the one starting this year."""
        value = self.cleaned_data["academic_year"].strip()
        match = ACADEMIC_YEAR.fullmatch(value)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise forms.ValidationError("Academic year must be two years in a row, like 2025/26")
        first, last = EARLIEST_BIRTH.year, today().year
        if not first <= int(match[1]) <= last:
            raise forms.ValidationError(
                f"Academic year must be between {first}/{(first + 1) % 100:02d} "
                f"and {last}/{(last + 1) % 100:02d}"
            )
        return value

    def clean_attendance_percent(self) -> Decimal | None:
        value = self.cleaned_data["attendance_percent"]
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError("Attendance percent must be between 0 and 100")
        return value

    def clean_school_days(self) -> int | None:
        value = self.cleaned_data["school_days"]
        if value is not None and not 1 <= value <= SCHOOL_DAYS_MAX:
            raise forms.ValidationError(
                f"School days must be between 1 and {SCHOOL_DAYS_MAX}: "
                f"no suspension is longer than {SCHOOL_DAYS_MAX} school days in a year"
            )
        return value


def _formfield(field: Field, **kwargs) -> forms.Field | None:
    if isinstance(field, ModelDateField):
        words = DATE_WORDS.get(field.name, field.verbose_name)
        return DateField(
            label=words.capitalize(),
            label_lower=words,
            required=not field.blank,
            help_text=field.help_text,
        )
    if isinstance(field, TextField) and not field.choices:
        kwargs["max_length"] = FACT_TEXT_LIMITS.get(field.name, FACT_TEXT_MAX)
    return field.formfield(**kwargs)


def fact_form_class(model: type[models.PersonFact]) -> type[forms.ModelForm]:
    """A form for what the fact says and where it came from; who and when are set for you."""
    fields = [
        f.name
        for f in model._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and f.name not in {"person", "recorded_by", "recorded_at"}
    ]
    return forms.modelform_factory(
        model, form=FactForm, fields=fields, formfield_callback=_formfield
    )
