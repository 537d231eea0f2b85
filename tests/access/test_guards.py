"""The guards themselves: what a wrapped page is given, refused, and leaves in the audit trail.

Each test wraps a plain page of its own in the guard under test (the guards are the same
decorators every family route wears) and calls it with a real request, session, database
and audit trail, so each promise in access/guards.py's docstring is checked directly: the
record named by the URL and no other, refusal with who holds it, break-glass as a look and
never a key, and one look recorded for a page that records none itself, against the record
and every current person it shows.
"""

import time
import uuid
from datetime import date

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import reverse

from earlyhelp.access.guards import (
    audit_look,
    audit_people_shown,
    listed_cases,
    with_case,
    with_case_to_change,
    with_household,
    with_person,
    with_person_to_change,
)
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import BREAK_GLASS_SESSION_KEY, Access
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Team
from earlyhelp.cases.services import open_case
from earlyhelp.people.models import Person
from tests.factories import (
    AddressFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PersonFactory,
    RestrictionFactory,
    TeamFactory,
)


@pytest.fixture
def staff(make_user, team, case):
    insider = make_user("tm", Role.PRACTITIONER)
    insider.last_name = "Achterberg"
    insider.save()
    team.members.add(insider)
    outsider = make_user("po", Role.PRACTITIONER)
    outsider.last_name = "Oyelaran"
    outsider.save()
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    return {"insider": insider, "outsider": outsider}


class Page:
    """A page that shows nothing and records nothing; remembers how it was called."""

    def __init__(self, response=None, audits: bool = False) -> None:
        self.calls: list[tuple] = []
        self.response = response
        self.audits = audits
        self.__name__ = "test_page"

    def __call__(self, request, found, *args, **kwargs):
        self.calls.append((found, args, kwargs, request.record_access))
        if self.audits:
            audit_look(request, request.record_access, "person", found.public_id, ["documents"])
        return self.response or HttpResponse("the page")


def asking(user, *, break_glass_on=None):
    request = RequestFactory().get("/")
    # Signed in with both factors, as the OTP middleware marks a request that went through it.
    user.is_verified = lambda: True
    request.user = user
    request.session = SessionStore()
    if break_glass_on is not None:
        request.session[BREAK_GLASS_SESSION_KEY] = {
            str(break_glass_on.public_id): time.time() + 600
        }
    return request


def looks(user) -> list[tuple]:
    return [
        (e.action, e.record_type, e.record_id, e.categories, e.flagged, e.reason, e.rule, e.details)
        for e in AuditEvent.objects.filter(actor=user).order_by("id")
    ]


def person_look(person, *, page="test_page", emergency=False):
    return (
        "view",
        "person",
        str(person.public_id),
        ["identity-and-contact"],
        emergency,
        "emergency access" if emergency else "",
        "access:break-glass" if emergency else "access:allocation",
        {"page": page},
    )


def test_a_case_page_that_records_nothing_is_recorded_against_the_case_and_each_person_on_it(
    staff, case, family
):
    page = Page()
    response = with_case(page)(asking(staff["insider"]), case_id=case.public_id)
    assert response.status_code == 200
    assert page.calls == [(case, (), {}, Access(True))]
    recorded = looks(staff["insider"])
    assert recorded[0] == (
        "view",
        "case",
        str(case.public_id),
        ["household-members", "reports-and-plans"],
        False,
        "",
        "access:allocation",
        {"page": "test_page"},
    )
    people = (family["yusuf"], family["leila"], family["mum"])
    assert sorted(recorded[1:]) == sorted(person_look(p) for p in people)


def test_a_household_page_that_records_nothing_is_recorded_against_each_current_member(
    staff, family
):
    merged_away = PersonFactory(
        given_name="Yusef", family_name="Haddad", merged_into=family["yusuf"], unidentified=True
    )
    HouseholdMemberFactory(household=family["household"], person=merged_away)
    household = family["household"]
    page = Page()
    response = with_household(page)(asking(staff["insider"]), household_id=household.public_id)
    assert response.status_code == 200
    assert page.calls == [(household, (), {}, Access(True))]
    recorded = looks(staff["insider"])
    assert recorded[0] == (
        "view",
        "household",
        str(household.public_id),
        ["household-members", "identity-and-contact"],
        False,
        "",
        "access:allocation",
        {"page": "test_page"},
    )
    people = (family["yusuf"], family["leila"], family["mum"])
    assert sorted(recorded[1:]) == sorted(person_look(p) for p in people)


def test_a_person_page_that_records_nothing_is_recorded_once_against_the_person(staff, family):
    page = Page()
    request = asking(staff["insider"])
    response = with_person(page)(request, person_id=family["yusuf"].public_id)
    assert response.status_code == 200
    assert page.calls == [(family["yusuf"], (), {}, Access(True))]
    assert looks(staff["insider"]) == [person_look(family["yusuf"])]


def test_a_page_that_records_its_own_look_gets_no_second_one(staff, family):
    page = Page(audits=True)
    with_person(page)(asking(staff["insider"]), person_id=family["yusuf"].public_id)
    assert looks(staff["insider"]) == [
        (
            "view",
            "person",
            str(family["yusuf"].public_id),
            ["documents"],
            False,
            "",
            "access:allocation",
            {},
        )
    ]


def test_a_page_that_answers_anything_but_200_shows_nothing_and_is_not_recorded_as_a_look(
    staff, family
):
    page = Page(response=redirect("/"))
    response = with_person(page)(asking(staff["insider"]), person_id=family["yusuf"].public_id)
    assert response.status_code == 302
    assert len(page.calls) == 1
    assert looks(staff["insider"]) == []


def test_the_url_arguments_other_than_the_record_id_reach_the_page(staff, family):
    page = Page()
    with_person_to_change(page)(
        asking(staff["insider"]), person_id=family["yusuf"].public_id, kind="health-condition"
    )
    assert page.calls == [(family["yusuf"], (), {"kind": "health-condition"}, Access(True))]


def test_a_look_opened_by_break_glass_is_flagged_for_the_record_and_each_person_it_shows(
    staff, case, family
):
    request = asking(staff["outsider"], break_glass_on=family["yusuf"])
    page = Page()
    with_case(page)(request, case_id=case.public_id)
    assert page.calls == [(case, (), {}, Access(True, emergency=True))]
    recorded = looks(staff["outsider"])
    assert recorded[0] == (
        "view",
        "case",
        str(case.public_id),
        ["household-members", "reports-and-plans"],
        True,
        "emergency access",
        "access:break-glass",
        {"page": "test_page"},
    )
    people = (family["yusuf"], family["leila"], family["mum"])
    assert sorted(recorded[1:]) == sorted(person_look(p, emergency=True) for p in people)


@pytest.mark.parametrize(
    ("guard", "kind"),
    [(with_person_to_change, "person"), (with_case_to_change, "case")],
)
def test_break_glass_is_a_look_not_a_key_pages_that_change_a_record_refuse(
    staff, case, family, guard, kind
):
    request = asking(staff["outsider"], break_glass_on=family["yusuf"])
    page = Page()
    found = family["yusuf"] if kind == "person" else case
    response = guard(page)(request, **{f"{kind}_id": found.public_id})
    assert response.status_code == 403
    assert "Emergency access is read-only" in response.content.decode()
    assert page.calls == []
    assert looks(staff["outsider"]) == []


@pytest.mark.parametrize(
    ("guard", "changes"),
    [
        (with_person, False),
        (with_person_to_change, True),
        (with_household, False),
        (with_case, False),
        (with_case_to_change, True),
    ],
)
def test_each_guard_says_whether_its_pages_change_records(guard, changes):
    assert guard(Page()).changes_records is changes


@pytest.mark.parametrize("kind", ["person", "case", "household"])
def test_a_refused_reader_gets_403_the_page_is_not_called_and_the_refusal_is_recorded(
    staff, case, family, kind
):
    found = {"person": family["yusuf"], "case": case, "household": family["household"]}[kind]
    guard = {"person": with_person, "case": with_case, "household": with_household}[kind]
    page = Page()
    response = guard(page)(asking(staff["outsider"]), **{f"{kind}_id": found.public_id})
    assert response.status_code == 403
    assert page.calls == []
    assert looks(staff["outsider"]) == [
        ("view", kind, str(found.public_id), [], False, "", "access:refused", {"page": "refused"})
    ]
    text = response.content.decode()
    assert "It is not allocated to you or to your team." in text
    # Every refusal says who holds the record and offers break-glass: for a case or a
    # household, on the record of a child it is about (Yusuf), back to the case after.
    holder = "North family support (allocated worker: not allocated), case open"
    break_glass = reverse("people:break_glass", args=[family["yusuf"].public_id])
    assert holder in text
    assert break_glass in text
    assert (f"?case={case.public_id}" in text) is (kind == "case")


def test_a_restricted_record_names_whom_to_ask_and_not_who_holds_it(staff, family, make_user):
    maker = make_user("mt", Role.TEAM_MANAGER)
    maker.last_name = "Mensah"
    maker.save()
    RestrictionFactory(person=family["yusuf"], reason="Works here", created_by=maker)
    page = Page()
    request = asking(staff["insider"])
    response = with_person(page)(request, person_id=family["yusuf"].public_id)
    text = response.content.decode()
    assert response.status_code == 403
    assert "ask Sam Mensah, who restricted it," in text
    assert "North family support" not in text
    assert page.calls == []


def test_each_guard_opens_the_record_named_in_the_url_and_no_other(staff, team, family):
    address = AddressFactory(line_1="3 Oak Lane", town="London", postcode="N1 1AA")
    other_household = HouseholdFactory(address=address)
    other_person = PersonFactory(given_name="Ada", family_name="Lovell")
    HouseholdMemberFactory(household=other_household, person=other_person)
    other_case = open_case(
        service="family-support-and-complex-families",
        household=other_household,
        children=[other_person],
        reason="Attendance",
        team=team,
        started=date(2026, 10, 1),
        created_by=None,
    )
    for guard, name, found in [
        (with_person, "person_id", other_person),
        (with_household, "household_id", other_household),
        (with_case, "case_id", other_case),
    ]:
        page = Page()
        guard(page)(asking(staff["insider"]), **{name: found.public_id})
        assert page.calls[0][0] == found
        with pytest.raises(Http404):
            guard(page)(asking(staff["insider"]), **{name: uuid.uuid4()})


def test_an_old_link_to_a_record_merged_twice_leads_to_the_record_it_became_part_of(
    client, sign_in, staff, family
):
    first = PersonFactory(given_name="Yusef", family_name="Haddad", unidentified=True)
    second = PersonFactory(given_name="Yousef", family_name="Haddad", unidentified=True)
    Person.objects.filter(pk=second.pk).update(merged_into=family["yusuf"])
    Person.objects.filter(pk=first.pk).update(merged_into=second)
    sign_in(staff["insider"])
    response = client.get(reverse("people:person", args=[first.public_id]))
    assert response.status_code == 302
    assert response.url == reverse("people:person", args=[family["yusuf"].public_id])
    page = client.get(response.url).content.decode()
    # The banner says exactly this (a containment check let "XX...XX" through mutation).
    assert (
        '<p class="govuk-notification-banner__heading">That record was merged into this one</p>'
        in page
    )


def test_the_read_only_page_leads_back_to_the_record_in_the_signed_in_readers_own_pages(
    client, sign_in, staff, family
):
    sign_in(staff["outsider"])
    session = client.session
    session[BREAK_GLASS_SESSION_KEY] = {str(family["yusuf"].public_id): time.time() + 600}
    session.save()
    response = client.get(reverse("people:edit", args=[family["yusuf"].public_id]))
    text = response.content.decode()
    assert response.status_code == 403
    assert "Emergency access is read-only" in text
    assert f'href="{reverse("people:person", args=[family["yusuf"].public_id])}"' in text
    # Rendered with the request: the page carries the reader's own header.
    assert "Sam Oyelaran" in text


def test_the_refused_page_is_rendered_in_the_signed_in_readers_own_pages(
    client, sign_in, staff, family
):
    sign_in(staff["outsider"])
    response = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert response.status_code == 403
    assert "Sam Oyelaran" in response.content.decode()


def test_a_list_of_cases_says_per_case_whether_it_opens_and_if_restricted_whom_to_ask(
    staff, case, family, make_user
):
    maker = make_user("mt", Role.TEAM_MANAGER)
    maker.last_name = "Mensah"
    maker.save()
    other = open_case(
        service="iyss",
        household=None,
        children=[family["dad"]],
        reason="Youth work",
        team=Team.objects.get(name="South youth"),
        started=date(2026, 2, 2),
        created_by=None,
    )
    RestrictionFactory(person=family["dad"], reason="Works here", created_by=maker)
    assert listed_cases(asking(staff["insider"]), [case, other]) == [
        {"case": case, "allowed": True, "restricted": False, "ask": ""},
        {"case": other, "allowed": False, "restricted": True, "ask": "Sam Mensah"},
    ]


def test_a_loaded_case_or_household_brings_what_its_pages_show_in_the_same_query(
    staff, case, family, django_assert_num_queries
):
    """The guard's one query for a case brings its team, worker and household's address; for
    a household, its address: a page reading them asks the database nothing more."""
    case.allocated_worker = staff["insider"]
    case.save()
    shown = []

    def case_page(request, found):
        with django_assert_num_queries(0):
            shown.append((found.team.name, found.allocated_worker.last_name))
            shown.append(found.household.address.postcode)
        return HttpResponse("the page")

    def household_page(request, found):
        with django_assert_num_queries(0):
            shown.append(found.address.postcode)
        return HttpResponse("the page")

    def person_page(request, found):
        with django_assert_num_queries(0):
            shown.append(getattr(found, "restriction", None))
        return HttpResponse("the page")

    with_case(case_page)(asking(staff["insider"]), case_id=case.public_id)
    with_household(household_page)(
        asking(staff["insider"]), household_id=family["household"].public_id
    )
    with_person(person_page)(asking(staff["insider"]), person_id=family["yusuf"].public_id)
    assert shown == [("North family support", "Achterberg"), "NW5 3HS", "NW5 3HS", None]


def test_a_restricted_record_opened_by_someone_named_brings_its_restriction_in_one_query(
    staff, family, django_assert_num_queries
):
    maker = staff["insider"]
    restriction = RestrictionFactory(person=family["yusuf"], reason="Works here", created_by=maker)
    restriction.named_users.add(maker)
    shown = []

    def person_page(request, found):
        with django_assert_num_queries(0):
            shown.append(found.restriction.created_by.last_name)
        return HttpResponse("the page")

    with_person(person_page)(asking(maker), person_id=family["yusuf"].public_id)
    assert shown == ["Achterberg"]


def test_each_person_a_page_shows_is_recorded_once_however_often_they_appear(staff, family):
    yusuf, leila, mum = family["yusuf"], family["leila"], family["mum"]
    request = asking(staff["insider"])
    audit_people_shown(
        request, Access(True), [yusuf, yusuf, leila, yusuf, mum], ["identity-and-contact"], "list"
    )
    assert [e[2] for e in looks(staff["insider"])] == [
        str(yusuf.public_id),
        str(leila.public_id),
        str(mum.public_id),
    ]
