"""Whose record the emergency route of a refused case or household goes through, who is
named as holding a record, and what the looks at relatives are recorded as.

The refusal page offers break-glass on one person's record (break-glass on anyone on a
case opens the case). That person must be someone the case or household holds now, by
their current record: never a record merged into another, a person of another case, or
someone who left. Each expected person below is picked by hand from the rows the test
makes, not by calling the code under test.
"""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.guards import audit_others_shown, refused, with_case, with_household
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import Access, holders, household_access
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.services import open_case
from earlyhelp.policy.active import active_policy
from tests.access.test_guards import Page, asking
from tests.factories import (
    CaseFactory,
    CaseMemberFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PersonFactory,
    RestrictionFactory,
    TeamFactory,
)


@pytest.fixture
def outsider(make_user):
    user = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(user)
    return user


def emergency_link(person) -> str:
    return reverse("people:break_glass", args=[person.public_id])


def refusal_text(guard, user, **url) -> str:
    response = guard(Page())(asking(user), **url)
    assert response.status_code == 403
    return response.content.decode()


def birthday_years_ago(years: int) -> date:
    """Someone whose `years`-th birthday is today (the rule's boundary)."""
    today = date.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # today is 29 February: born on the 28th, they turned it yesterday
        return today.replace(year=today.year - years, day=28)


@pytest.mark.django_db
def test_a_refused_case_goes_through_a_child_on_it_by_their_current_record(outsider):
    stranger = PersonFactory(given_name="Bea")  # on no case, first in the table
    kept = PersonFactory(given_name="Cal")
    merged = PersonFactory(given_name="Cal", merged_into=kept)
    child = PersonFactory(given_name="Dee")
    case = CaseFactory()
    # The merged record still carries its membership (as one merged before memberships
    # moved would); it comes first by id, and must still not be the route.
    CaseMemberFactory(case=case, person=merged, role="child")
    CaseMemberFactory(case=case, person=child, role="child")
    text = refusal_text(with_case, outsider, case_id=case.public_id)
    assert f"{emergency_link(child)}?case={case.public_id}" in text
    for other in (stranger, kept, merged):
        assert emergency_link(other) not in text


@pytest.mark.django_db
def test_a_case_about_no_child_goes_through_its_first_current_member(outsider):
    stranger = PersonFactory(given_name="Bea")
    kept = PersonFactory(given_name="Cal")
    merged = PersonFactory(given_name="Cal", merged_into=kept)
    mother = PersonFactory(given_name="Eve")
    father = PersonFactory(given_name="Fin")
    case = CaseFactory()
    for person in (merged, mother, father):
        CaseMemberFactory(case=case, person=person, role="family")
    text = refusal_text(with_case, outsider, case_id=case.public_id)
    assert f"{emergency_link(mother)}?case={case.public_id}" in text
    for other in (stranger, kept, merged, father):
        assert emergency_link(other) not in text


@pytest.mark.django_db
def test_a_household_goes_through_a_young_person_living_there_not_one_who_has_turned_the_age(
    outsider,
):
    until = active_policy().casework.young_person_until_age
    household = HouseholdFactory()
    adult = PersonFactory(given_name="Gil", date_of_birth=date(1980, 3, 4))
    turned = PersonFactory(given_name="Hal", date_of_birth=birthday_years_ago(until))
    for person in (adult, turned):
        HouseholdMemberFactory(household=household, person=person)
    CaseFactory(household=household)
    text = refusal_text(with_household, outsider, household_id=household.public_id)
    # Nobody living there is under the age, so the first member living there is the route.
    assert emergency_link(adult) in text
    assert emergency_link(turned) not in text

    younger = PersonFactory(given_name="Ivy", date_of_birth=birthday_years_ago(until - 1))
    HouseholdMemberFactory(household=household, person=younger)
    text = refusal_text(with_household, outsider, household_id=household.public_id)
    assert emergency_link(younger) in text
    assert emergency_link(adult) not in text


@pytest.mark.django_db
def test_a_refusal_naming_no_person_lists_no_holders(outsider):
    # A case with nobody on it exists; a refusal about no person must not list it.
    CaseFactory(team=TeamFactory(name="Hidden team"))
    document_id = uuid.uuid4()
    response = refused(asking(outsider), None, Access(False), "document", document_id)
    text = response.content.decode()
    assert response.status_code == 403
    assert "Who holds it" not in text and "Hidden team" not in text
    assert "Open in an emergency" not in text
    refusal = AuditEvent.objects.get(actor=outsider)
    assert (refusal.record_type, refusal.record_id, refusal.rule) == (
        "document",
        str(document_id),
        "access:refused",
    )


def test_a_restricted_record_gives_the_page_no_holders_at_all(
    client, sign_in, make_user, family, case
):
    insider = make_user("tm", Role.PRACTITIONER)
    case.team.members.add(insider)
    RestrictionFactory(person=family["yusuf"])
    sign_in(insider)
    response = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert response.status_code == 403
    assert response.context["restricted"] is True
    assert response.context["holders"] == []


def test_a_restriction_on_a_merged_record_of_a_member_closes_the_household(make_user, family, case):
    insider = make_user("tm", Role.PRACTITIONER)
    case.team.members.add(insider)
    old_record = PersonFactory(given_name="Amira", merged_into=family["mum"])
    HouseholdMemberFactory(household=family["household"], person=old_record)
    RestrictionFactory(person=old_record)
    access = household_access(asking(insider), family["household"])
    assert access == Access(False, restricted=True, ask=access.ask)
    assert access.ask


def test_holders_name_every_case_after_a_specialist_one(family, case):
    justice = open_case(
        service="youth-justice",
        household=None,
        children=[family["yusuf"]],
        reason="Referral order",
        team=TeamFactory(name="Youth Justice North", service="iyss"),
        started=date(2026, 10, 1),  # after the family support case: listed first
        created_by=None,
    )
    assert justice.started > case.started
    assert holders(family["yusuf"]) == [
        "A specialist team of Integrated Youth Support Services (ask your manager who), case open",
        "North family support (allocated worker: not allocated), case open",
    ]


def test_relatives_shown_are_each_recorded_once_under_their_own_access(outsider, family, case):
    request = asking(outsider)
    dad, yusuf = family["dad"], family["yusuf"]
    audit_others_shown(request, Access(True), [dad, dad, yusuf], ["identity-and-contact"], "p")
    looked = list(
        AuditEvent.objects.filter(actor=outsider).order_by("id").values_list("record_id", "rule")
    )
    # The father is on no case (open to casework); Yusuf is held by another team: listed.
    assert looked == [
        (str(dad.public_id), "access:no-case"),
        (str(yusuf.public_id), "access:listed"),
    ]


def test_relatives_shown_under_break_glass_are_the_emergencys_looks_with_the_page(
    outsider, family, case
):
    request = asking(outsider)
    dad = family["dad"]
    emergency = Access(True, emergency=True)
    audit_others_shown(request, emergency, [dad], ["identity-and-contact"], "person_page")
    event = AuditEvent.objects.get(actor=outsider)
    assert (event.record_id, event.flagged, event.rule, event.details) == (
        str(dad.public_id),
        True,
        "access:break-glass",
        {"page": "person_page"},
    )
