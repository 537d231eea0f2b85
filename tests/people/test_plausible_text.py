"""Names with a letter and text of the length a person would type (issue 11, item 2)."""

import pytest
from django import forms

from earlyhelp.people.facts import FACT_MODELS, FACT_TEXT_MAX, fact_form_class
from earlyhelp.people.forms import AddressForm, ContactMethodForm, PersonForm, SearchForm


def person(**overrides) -> dict[str, str]:
    return {"given_name": "Yusuf", "family_name": "Haddad", "nhs_number": "", **overrides}


def test_a_first_name_of_300_characters_is_refused_naming_the_field_and_the_limit():
    form = PersonForm(person(given_name="A" * 300))
    assert form.errors["given_name"] == ["First name must be 100 characters or fewer"]


@pytest.mark.parametrize("name", ["123", "--", "?"])
def test_a_name_without_a_letter_is_refused(name):
    form = PersonForm(person(family_name=name))
    assert form.errors["family_name"] == ["Last name must include at least one letter"]


@pytest.mark.parametrize("name", ["Zoë", "Ó Briain", "O'Neil-Smith", "李"])
def test_names_with_letters_of_any_script_are_accepted(name):
    assert PersonForm(person(given_name=name)).is_valid()


def test_a_fact_of_120000_characters_is_refused_naming_the_field_and_the_limit():
    form = fact_form_class(FACT_MODELS["wellbeing"])({"source": "family", "summary": "x" * 120_000})
    assert form.errors["summary"] == [f"Summary must be {FACT_TEXT_MAX:,} characters or fewer"]


def text_fields():
    for kind, model in FACT_MODELS.items():
        for name, field in fact_form_class(model).base_fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field, forms.ChoiceField):
                yield pytest.param(field, id=f"fact {kind}: {name}")
    for form_class in (PersonForm, SearchForm, AddressForm, ContactMethodForm):
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.CharField):
                yield pytest.param(field, id=f"{form_class.__name__}: {name}")


@pytest.mark.parametrize("field", list(text_fields()))
def test_every_text_field_has_a_length_a_person_would_type(field):
    assert field.max_length is not None and field.max_length <= FACT_TEXT_MAX


@pytest.mark.parametrize(
    "data, error",
    [
        ({"attendance_percent": "250"}, "Attendance percent must be between 0 and 100"),
        ({"academic_year": "2025/27"}, "Academic year must be two years in a row, like 2025/26"),
        ({"school": "12"}, "School must include at least one letter"),
    ],
)
def test_education_values_are_plausible(data, error):
    full = {"source": "school", "school": "Gospel Oak Primary", "academic_year": "2025/26"}
    form = fact_form_class(FACT_MODELS["education"])({**full, **data})
    assert error in [message for messages in form.errors.values() for message in messages]


def test_a_suspension_longer_than_45_school_days_is_refused():
    form = fact_form_class(FACT_MODELS["exclusion"])(
        {
            "source": "school",
            "kind": "suspension",
            "start_day": "3",
            "start_month": "3",
            "start_year": "2025",
            "school_days": "300",
        }
    )
    assert form.errors["school_days"][0].startswith("School days must be between 1 and 45")
