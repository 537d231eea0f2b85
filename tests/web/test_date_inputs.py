"""Every date typed into the service is refused with the field's own message when it is not
a real date, whatever the numbers: never a server error.

The three boxes of a date are free text; a year of eleven digits is more than datetime.date
takes (OverflowError, not ValueError), a day of 0 or a month of 13 is no date at all.
"""

import importlib
import pkgutil
from datetime import date

import pytest
from django import forms
from django.urls import reverse
from django.utils.html import escape

import earlyhelp
from earlyhelp.cases.forms import ContactForm, OpenCaseForm
from earlyhelp.people.facts import FACT_MODELS, FactForm, fact_form_class
from earlyhelp.people.forms import AddressForm, PersonForm, SearchForm
from earlyhelp.web.forms import DateField

# (day, month, year) typed in, and the message it must get; {} is the field's label_lower.
REAL_DATE = "The {} must be a real date"
FOUR_DIGITS = "The year of the {} must be 4 digits"
BAD_DATES = {
    "year of eleven digits": (("1", "1", "99999999999"), FOUR_DIGITS),
    "year beyond any C integer": (("1", "1", "9" * 40), FOUR_DIGITS),
    "day 0": (("0", "6", "2020"), REAL_DATE),
    "month 13": (("1", "13", "2020"), REAL_DATE),
    "day of twenty digits": (("9" * 20, "1", "2020"), REAL_DATE),
    "month of twenty digits": (("1", "9" * 20, "2020"), REAL_DATE),
    "31 February": (("31", "2", "2020"), REAL_DATE),
    "negative day": (("-1", "1", "2020"), REAL_DATE),
    "signed month": (("1", "+1", "2020"), REAL_DATE),
    "digits of another script": (("١", "١", "٢٠٢٠"), REAL_DATE),
    "year with an underscore": (("1", "1", "2_20"), REAL_DATE),
    "year 0000": (("1", "1", "0000"), REAL_DATE),
}


def date_fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    return {
        name: field
        for name, field in form_class.base_fields.items()
        if isinstance(field, (DateField, forms.DateField))
    }


# --- the field ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, message", BAD_DATES.values(), ids=BAD_DATES)
def test_a_date_that_is_not_real_gets_the_fields_message_not_an_exception(typed, message):
    field = DateField(label_lower="date of birth")
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(list(typed))
    assert refused.value.messages == [message.format("date of birth")]


@pytest.mark.parametrize(
    "typed, expected",
    [
        (("27", "3", "2014"), date(2014, 3, 27)),
        (("01", "02", "2003"), date(2003, 2, 1)),
        ((" 29 ", "2", "2024"), date(2024, 2, 29)),
    ],
)
def test_a_real_date_is_still_accepted(typed, expected):
    assert DateField(label_lower="date").clean(list(typed)) == expected


def test_a_year_of_two_digits_is_asked_for_in_four():
    with pytest.raises(forms.ValidationError) as refused:
        DateField(label_lower="start date").clean(["1", "1", "24"])
    assert refused.value.messages == ["The year of the start date must be 4 digits"]


def test_a_future_date_is_still_refused_where_only_the_past_makes_sense():
    field = DateField(label_lower="date of the contact", past_only=True)
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(["31", "12", "9999"])
    assert refused.value.messages == ["The date of the contact must be today or in the past"]


# --- every form with a date, through its page -----------------------------------------------


def _pages(family, case):
    """(page, url, form class) for every page whose form has a date."""
    yusuf = family["yusuf"].public_id
    pages = [
        ("search", reverse("people:search"), SearchForm),
        ("create person", reverse("people:create"), PersonForm),
        ("edit person", reverse("people:edit", args=[yusuf]), PersonForm),
        ("add address", reverse("people:add_address", args=[yusuf]), AddressForm),
        ("open case", reverse("cases:open_case", args=[yusuf]), OpenCaseForm),
        ("add contact", reverse("cases:add_contact", args=[case.public_id]), ContactForm),
    ]
    for kind, model in FACT_MODELS.items():
        form_class = fact_form_class(model)
        if date_fields(form_class):
            url = reverse("people:record_fact", args=[yusuf, kind])
            pages.append((f"record fact {kind}", url, form_class))
    return pages


@pytest.mark.parametrize("typed, message", BAD_DATES.values(), ids=BAD_DATES)
def test_every_date_on_every_page_is_refused_with_its_own_message_never_a_500(
    client, practitioner, family, case, typed, message
):
    pages = _pages(family, case)
    assert {"record fact exclusion", "record fact agency"} <= {name for name, _, _ in pages}
    for page, url, form_class in pages:
        fields = date_fields(form_class)
        assert fields, page
        data = {}
        for name in fields:
            data |= dict(zip((f"{name}_day", f"{name}_month", f"{name}_year"), typed, strict=True))
        response = client.post(url, data)  # a 500 raises here
        assert response.status_code == 200, page
        errors = response.context["form"].errors
        html = response.content.decode()
        for name, field in fields.items():
            expected = message.format(field.label_lower)
            assert errors.get(name) == [expected], (page, name, errors.get(name))
            assert escape(expected) in html, (page, name)


def _earlyhelp_form_classes() -> set[type[forms.BaseForm]]:
    skipped = (".migrations", ".wsgi", ".manage")
    for module in pkgutil.walk_packages(earlyhelp.__path__, "earlyhelp."):
        if not any(part in module.name for part in skipped):
            importlib.import_module(module.name)
    found, pending = set(), [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("earlyhelp.") and not issubclass(cls, FactForm):
            found.add(cls)
    return found


def test_every_form_in_the_app_with_a_date_is_walked_above(family, case):
    # Fact forms are made from their models, and _pages takes every one with a date.
    walked = {form_class for _, _, form_class in _pages(family, case)}
    with_dates = {cls for cls in _earlyhelp_form_classes() if date_fields(cls)}
    assert with_dates, "no form with a date found: the discovery is broken"
    assert with_dates <= walked, f"forms with a date not walked: {with_dates - walked}"
