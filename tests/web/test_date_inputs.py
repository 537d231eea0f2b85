"""Every date typed into the service is refused with the field's own message when it is not
a real date, whatever the numbers: never a server error.

The three boxes of a date are free text; a year of eleven digits is more than datetime.date
takes (OverflowError, not ValueError), a day of 0 or a month of 13 is no date at all.
"""

import importlib
import pkgutil
from datetime import date, datetime, time

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

import earlyhelp
from earlyhelp.cases.assessment_forms import (
    AssessmentForm,
    CompleteAssessmentForm,
    StartAssessmentForm,
)
from earlyhelp.cases.closure_forms import RequestClosureForm
from earlyhelp.cases.correction_views import AddressFields, ContactFields
from earlyhelp.cases.forms import ContactForm, OpenCaseForm
from earlyhelp.cases.plan_forms import AgreePlanForm, GoalForm, ReviewForm
from earlyhelp.cases.services import record_contact
from earlyhelp.cases.session_forms import SessionForm
from earlyhelp.people.choices import ExclusionKind, Source
from earlyhelp.people.composition_forms import FIND_PREFIX, AddMemberForm, FindPersonForm, LeaveForm
from earlyhelp.people.facts import FACT_MODELS, FactForm, fact_form_class
from earlyhelp.people.forms import AddressForm, PersonForm, SearchForm
from earlyhelp.sharing.forms import FamilyToldForm
from earlyhelp.sharing.partner_forms import LogPartnerRequestForm, RelocationForm
from earlyhelp.web.forms import DateField
from tests.access.plan_records import plan_on
from tests.factories import AssessmentFactory, PersonAddressFactory
from tests.sharing.sharing_records import a_disclosure

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


def _pages(family, case, author):
    """(page, url, form class, how) for every page whose form has a date: `how` may give the
    form's prefix, its name in the page's context (if not "form") and what else is sent with
    the dates to reach it (the button pressed, the answers that let it be checked)."""
    yusuf = family["yusuf"].public_id
    household = family["household"].public_id
    on_case = case.public_id
    assessment = AssessmentFactory(case=case, started=case.started).public_id
    plan = plan_on(case).public_id
    # An address of Yusuf's that `author` recorded, so they may correct it.
    PersonAddressFactory(
        person=family["yusuf"], address=family["household"].address, recorded_by=author
    )
    correct = {"action": "correct", "reason": "Typed wrongly"}
    contact = record_contact(  # a contact of `author`'s, for its date's correction
        case=case,
        author=author,
        kind="home_visit",
        occurred_at=timezone.make_aware(datetime.combine(case.started, time(10))),
        note="Visited the family",
    )
    exclusion = FACT_MODELS["exclusion"]  # and an exclusion of his, for a fact's dates
    exclusion.objects.create(
        person=family["yusuf"],
        source=Source.choices[0][0],
        kind=ExclusionKind.choices[0][0],
        start=date(2026, 9, 10),
        recorded_by=author,
    )
    pages = [
        ("search", reverse("people:search"), SearchForm, {}),
        ("create person", reverse("people:create"), PersonForm, {}),
        ("edit person", reverse("people:edit", args=[yusuf]), PersonForm, {}),
        ("add address", reverse("people:add_address", args=[yusuf]), AddressForm, {}),
        ("open case", reverse("cases:open_case", args=[yusuf]), OpenCaseForm, {}),
        ("add contact", reverse("cases:add_contact", args=[on_case]), ContactForm, {}),
        (
            "start assessment",
            reverse("cases:start_assessment", args=[on_case]),
            StartAssessmentForm,
            {},
        ),
        (
            "edit assessment",
            reverse("cases:edit_assessment", args=[assessment]),
            AssessmentForm,
            {},
        ),
        (
            "complete assessment",
            reverse("cases:complete_assessment", args=[assessment]),
            CompleteAssessmentForm,
            {},
        ),
        ("agree plan", reverse("cases:agree_plan", args=[on_case]), AgreePlanForm, {}),
        ("add goal", reverse("cases:add_plan_goal", args=[on_case, plan]), GoalForm, {}),
        ("change goal", reverse("cases:edit_plan_goal", args=[on_case, plan, 1]), GoalForm, {}),
        ("review plan", reverse("cases:review_plan", args=[on_case, plan]), ReviewForm, {}),
        (
            "request closure",
            reverse("cases:request_closure", args=[on_case]),
            RequestClosureForm,
            {},
        ),
        ("new session", reverse("cases:new_session"), SessionForm, {}),
        (
            "correct address",
            reverse("cases:correct_person_record", args=[yusuf, "address", 1]),
            AddressFields,
            {"prefix": "record", "context": "fields", "data": correct},
        ),
        (
            "correct a contact's date",
            reverse("cases:correct_contact", args=[on_case, contact.public_id]),
            ContactFields,
            {"prefix": "record", "context": "fields", "data": correct},
        ),
        (
            "correct an exclusion",
            reverse("cases:correct_person_record", args=[yusuf, "exclusion", 1]),
            fact_form_class(exclusion),
            {"prefix": "record", "context": "fields", "data": correct},
        ),
        (
            "find someone to add to the household",
            reverse("people:add_household_member", args=[household]),
            FindPersonForm,
            {"prefix": FIND_PREFIX, "context": "find", "data": {"action": "find"}},
        ),
        (
            "add to the household",
            reverse("people:add_household_member", args=[household]),
            AddMemberForm,
            {"data": {"action": "save", "find-name": "Haddad"}},  # saved from a search
        ),
        (
            "left the household",
            reverse("people:leave_household", args=[household, yusuf]),
            LeaveForm,
            {},
        ),
    ]
    # Sharing: a request from a partner, a child's move abroad, the family told of a share.
    shared = a_disclosure(family["yusuf"], author).public_id
    pages += [
        (
            "log a request from a partner",
            reverse("sharing:log_partner_request", args=[yusuf]),
            LogPartnerRequestForm,
            {},
        ),
        ("record a move abroad", reverse("sharing:relocation", args=[yusuf]), RelocationForm, {}),
        (
            "record that the family was told",
            reverse("sharing:family_told", args=[shared]),
            FamilyToldForm,
            {},
        ),
    ]
    for kind, model in FACT_MODELS.items():
        form_class = fact_form_class(model)
        if date_fields(form_class):
            url = reverse("people:record_fact", args=[yusuf, kind])
            pages.append((f"record fact {kind}", url, form_class, {}))
    from tests.consent.consent_records import consent_date_pages
    from tests.retention.retention_records import retention_date_pages
    from tests.rights.staff_records import staff_date_pages

    return (
        pages
        + staff_date_pages()
        + retention_date_pages(family["yusuf"])
        + consent_date_pages(family, case.team, author)
    )


@pytest.mark.parametrize("typed, message", BAD_DATES.values(), ids=BAD_DATES)
def test_every_date_on_every_page_is_refused_with_its_own_message_never_a_500(
    client, practitioner, family, case, typed, message
):
    pages = _pages(family, case, practitioner)
    assert {"record fact exclusion", "record fact agency"} <= {name for name, *_ in pages}
    for page, url, form_class, how in pages:
        # The form's own dates as the page draws it: some are made for it (a goal's actions).
        browser = how.get("browser", client)  # a page of another role brings its own
        drawn = browser.get(url).context[how.get("context", "form")].fields
        fields = {n: f for n, f in drawn.items() if isinstance(f, (DateField, forms.DateField))}
        assert fields, page
        assert set(date_fields(form_class)) <= set(fields), page
        prefix = f"{how['prefix']}-" if "prefix" in how else ""
        data = dict(how.get("data", {}))
        for name in fields:
            boxes = (f"{prefix}{name}_day", f"{prefix}{name}_month", f"{prefix}{name}_year")
            data |= dict(zip(boxes, typed, strict=True))
        response = browser.post(url, data)  # a 500 raises here
        assert response.status_code == 200, page
        form = response.context[how.get("context", "form")]
        if issubclass(form_class, FactForm):  # made anew from its model for each page
            assert form._meta.model is form_class._meta.model, page
        else:
            assert isinstance(form, form_class), page
        errors = form.errors
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


# Filters of a GET page (nothing is posted), their dates checked by their own tests:
# tests/cases/test_chronology_keeps_a_leavers_new_home_out.py (years 1, 0, 10000, reversed)
# and tests/access/test_who_has_seen_crafted.py (31 12 9999, reversed, not real).
GET_FILTERS = {
    "earlyhelp.cases.chronology_views.ChronologyFilter",
    "earlyhelp.access.forms.WhoHasSeenFilters",
}


def test_every_form_in_the_app_with_a_date_is_walked_above(family, case, practitioner):
    # Fact forms are made from their models, and _pages takes every one with a date.
    walked = {form_class for _, _, form_class, _ in _pages(family, case, practitioner)}
    walked |= {
        cls
        for cls in _earlyhelp_form_classes()
        if f"{cls.__module__}.{cls.__qualname__}" in GET_FILTERS
    }
    with_dates = {cls for cls in _earlyhelp_form_classes() if date_fields(cls)}
    assert with_dates, "no form with a date found: the discovery is broken"
    assert with_dates <= walked, f"forms with a date not walked: {with_dates - walked}"
