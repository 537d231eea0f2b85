"""Dates about people are plausible, not just real: births from 1900 to today, events
between the person's birth and today, an end never before its start (issue 11, item 2)."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from earlyhelp.cases.forms import ContactForm, OpenCaseForm
from earlyhelp.people.facts import FACT_MODELS, fact_form_class
from earlyhelp.people.forms import AddressForm, PersonForm, SearchForm
from earlyhelp.people.models import Person
from earlyhelp.web.forms import DateField

BIRTH_RANGE = "Date of birth must be between 1 January 1900 and today"


def typed(name: str, day: date | tuple[str, str, str]) -> dict[str, str]:
    """The three boxes of date field ``name`` as a browser posts them."""
    parts = (str(day.day), str(day.month), f"{day.year:04d}") if isinstance(day, date) else day
    return dict(zip((f"{name}_day", f"{name}_month", f"{name}_year"), parts, strict=True))


def person(**overrides) -> dict[str, str]:
    return {"given_name": "Yusuf", "family_name": "Haddad", "nhs_number": "", **overrides}


def test_a_birth_on_4_april_0014_is_refused_naming_the_field_and_the_range():
    form = PersonForm(person(**typed("date_of_birth", date(14, 4, 4))))
    assert form.errors["date_of_birth"] == [BIRTH_RANGE]


def test_a_birth_on_4_april_0014_creates_no_person_with_an_age_of_2012(client, practitioner):
    data = person(given_name="Ayaan", **typed("date_of_birth", date(14, 4, 4)))
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    assert escape(BIRTH_RANGE) in response.content.decode()
    assert not Person.objects.filter(given_name="Ayaan").exists()


def test_a_year_of_twenty_digits_is_a_field_error_not_a_server_error(client, practitioner):
    data = person(given_name="Ayaan", **typed("date_of_birth", ("1", "1", "9" * 20)))
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    assert "The year of the date of birth must be 4 digits" in response.content.decode()


def test_a_birth_tomorrow_is_refused():
    tomorrow = timezone.localdate().toordinal() + 1
    form = PersonForm(person(**typed("date_of_birth", date.fromordinal(tomorrow))))
    assert form.errors["date_of_birth"]


@pytest.mark.parametrize("born", [date(1900, 1, 1), date(2014, 4, 4)])
def test_a_birth_from_1900_on_is_accepted(born):
    assert PersonForm(person(**typed("date_of_birth", born))).is_valid()


def test_searching_for_a_birth_in_the_year_14_is_refused_with_the_range():
    form = SearchForm(typed("date_of_birth", date(14, 4, 4)))
    assert form.errors["date_of_birth"] == [BIRTH_RANGE]


def test_moving_in_before_the_person_was_born_is_refused(family):
    data = {"line_1": "1 High St", "town": "London", "postcode": "NW5 2AB", "source": "family"}
    form = AddressForm({**data, **typed("moved_in", date(2015, 1, 1))}, person=family["yusuf"])
    assert form.errors["moved_in"] == [
        "Date they moved in must be between their date of birth (9 February 2016) and today"
    ]


def test_moving_in_in_the_year_1_is_refused_when_the_birth_is_not_known():
    data = {"line_1": "1 High St", "town": "London", "postcode": "NW5 2AB", "source": "family"}
    form = AddressForm({**data, **typed("moved_in", date(1, 1, 1))})
    assert form.errors["moved_in"] == [
        "Date they moved in must be between 1 January 1900 and today"
    ]


def test_an_agency_involvement_ending_before_it_starts_is_refused():
    form = fact_form_class(FACT_MODELS["agency"])(
        {
            "source": "family",
            "agency": "Camden CAMHS",
            "support": "Weekly sessions",
            **typed("started", date(2024, 5, 1)),
            **typed("ended", date(2024, 4, 1)),
        }
    )
    assert form.errors["ended"] == [
        "Date it ended must be the same as or after the date it started (1 May 2024)"
    ]


def test_an_agency_involvement_may_end_on_the_day_it_starts():
    form = fact_form_class(FACT_MODELS["agency"])(
        {
            "source": "family",
            "agency": "Camden CAMHS",
            "support": "One assessment",
            **typed("started", date(2024, 5, 1)),
            **typed("ended", date(2024, 5, 1)),
        }
    )
    assert form.is_valid(), form.errors


def test_an_exclusion_before_the_child_was_born_is_refused(family):
    form = fact_form_class(FACT_MODELS["exclusion"])(
        {"source": "school", "kind": "suspension", **typed("start", date(2010, 3, 1))},
        person=family["yusuf"],
    )
    assert form.errors["start"] == [
        "Start date must be between their date of birth (9 February 2016) and today"
    ]


# --- every date field of every form ------------------------------------------------------


def every_date_field():
    """(form factory, field name) for every date input in the service's people/case forms."""
    people = []
    made = {
        "person": lambda data: PersonForm(data),
        "search": lambda data: SearchForm(data),
        "address": lambda data: AddressForm(data),
        "contact": lambda data: ContactForm(data, people=people),
        "open case": lambda data: OpenCaseForm(data, services=[], teams=[], people=people),
    }
    classes = {
        "person": PersonForm,
        "search": SearchForm,
        "address": AddressForm,
        "contact": ContactForm,
        "open case": OpenCaseForm,
    }
    for kind, model in FACT_MODELS.items():
        form_class = fact_form_class(model)
        classes[f"fact {kind}"] = form_class
        made[f"fact {kind}"] = form_class
    for key, form_class in classes.items():
        for name, field in form_class.base_fields.items():
            if isinstance(field, (DateField, forms.DateField)):
                yield pytest.param(made[key], name, id=f"{key}: {name}")


@pytest.mark.parametrize("make, name", list(every_date_field()))
def test_every_date_field_refuses_the_year_1_with_a_message_naming_it_and_the_range(make, name):
    form = make(typed(name, date(1, 1, 1)))
    form.is_valid()
    messages = form.errors.get(name, [])
    assert any("must be between 1 January 1900 and" in m for m in messages), messages
    field = form.fields[name]
    words = field.label_lower
    assert any(m.lower().startswith(words.lower()) for m in messages), (words, messages)
