"""A family whose records are partly past their date, for the plan and disposal tests."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from earlyhelp.access.roles import Role
from earlyhelp.cases.models import CaseMember
from earlyhelp.people.models import Person
from tests.factories import (
    CaseFactory,
    ContactFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PersonFactory,
    RelationshipFactory,
    RiskFactory,
)

LONG_AGO = datetime(2012, 3, 1, 12, tzinfo=UTC)


@dataclass
class OldFamily:
    mum: Person  # an adult: six years after 2012, long due
    older: Person  # born 2000: due on the 25th birthday, in 2025
    youngest: Person  # born 2010: kept until 2035
    case: object
    note: object  # a contact note about all three


def person(**fields) -> Person:
    made = PersonFactory(**fields)
    Person.objects.filter(pk=made.pk).update(created_at=LONG_AGO)
    made.refresh_from_db()
    return made


@pytest.fixture
def old_family(db) -> OldFamily:
    mum = person(given_name="Maryam", family_name="Oduya", date_of_birth=date(1980, 4, 4))
    older = person(given_name="Tobi", family_name="Oduya", date_of_birth=date(2000, 6, 6))
    youngest = person(given_name="Kemi", family_name="Oduya", date_of_birth=date(2010, 9, 9))
    household = HouseholdFactory(created_at=LONG_AGO)
    for member in (mum, older, youngest):
        HouseholdMemberFactory(household=household, person=member)
    case = CaseFactory(household=household, started=date(2011, 1, 1), ended=date(2012, 3, 1))
    CaseMember.objects.create(case=case, person=mum, role="family")
    CaseMember.objects.create(case=case, person=older, role="child")
    CaseMember.objects.create(case=case, person=youngest, role="child")
    note = ContactFactory(case=case, occurred_at=LONG_AGO)
    note.people_present.set([mum, older, youngest])
    RelationshipFactory(person=mum, relative=older, kind="parent", recorded_at=LONG_AGO)
    RiskFactory(person=mum, recorded_at=LONG_AGO)
    return OldFamily(mum, older, youngest, case, note)


@pytest.fixture
def reviewer(make_user, old_family):
    """The manager of the team holding the old family's case: they see the family's people
    named on a review, and so may approve them (retention.services.open_to_review)."""
    manager = make_user("manager", Role.TEAM_MANAGER)
    old_family.case.team.members.add(manager)
    return manager


@pytest.fixture
def ig_officer(make_user):
    return make_user("ig", Role.INFORMATION_GOVERNANCE)
