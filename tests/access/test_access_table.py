"""Need-to-know as a table: every kind of user against every kind of record.

The expected answers are written out by hand from the rules in access/rules.py's
docstring (the unit of access is the case; a person is open through a case or
their household's case; a person no case holds is open to casework staff;
restrictions close a record to all but the people named; special category facts
go to the allocated worker or the team's manager), not computed by the rules.
"""

import time
from datetime import date

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from earlyhelp.access.roles import Role
from earlyhelp.access.rules import (
    BREAK_GLASS_SESSION_KEY,
    case_access,
    grant_break_glass,
    household_access,
    may_see_sensitive,
    person_access,
)
from tests.factories import HouseholdMemberFactory, PersonFactory, RestrictionFactory, TeamFactory

ALLOWED, EMERGENCY, REFUSED, RESTRICTED = "allowed", "emergency", "refused", "restricted"


@pytest.fixture
def world(family, team, case, make_user):
    """The family's case held by North; a grandmother in the household but on no case."""
    other_team = TeamFactory(name="South youth", service="iyss")
    grandma = PersonFactory(
        given_name="Samira", family_name="Haddad", date_of_birth=date(1960, 3, 3)
    )
    HouseholdMemberFactory(household=family["household"], person=grandma)
    users = {
        "team member": make_user("tm", Role.PRACTITIONER),
        "allocated, outside the team": make_user("aw", Role.PRACTITIONER),
        "manager of the team": make_user("mt", Role.TEAM_MANAGER),
        "manager of another team": make_user("mo", Role.TEAM_MANAGER),
        "practitioner of another team": make_user("po", Role.PRACTITIONER),
        "information governance": make_user("ig", Role.INFORMATION_GOVERNANCE),
        "analyst": make_user("an", Role.ANALYST),
        "system administrator": make_user("sa", Role.SYSTEM_ADMINISTRATOR),
    }
    team.members.add(users["team member"], users["manager of the team"])
    other_team.members.add(users["manager of another team"], users["practitioner of another team"])
    case.allocated_worker = users["allocated, outside the team"]
    case.save()
    return {
        "users": users,
        "child on the case": family["yusuf"],
        "household member on no case": grandma,
        "person no case holds": family["dad"],
        "case": case,
        "household": family["household"],
    }


def asking(user, *, break_glass_on=None, expired=False):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    if break_glass_on is not None:
        grant_break_glass(request, break_glass_on)
        if expired:
            granted = request.session[BREAK_GLASS_SESSION_KEY]
            request.session[BREAK_GLASS_SESSION_KEY] = {k: time.time() - 1 for k in granted}
    return request


def answer(access) -> str:
    if access.restricted:
        return RESTRICTED
    if not access.allowed:
        return REFUSED
    return EMERGENCY if access.emergency else ALLOWED


# user -> (child on the case, household member on no case, person no case holds, case, household)
TABLE = {
    "team member": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
    "allocated, outside the team": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
    "manager of the team": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
    "manager of another team": (REFUSED, REFUSED, ALLOWED, REFUSED, REFUSED),
    "practitioner of another team": (REFUSED, REFUSED, ALLOWED, REFUSED, REFUSED),
    "information governance": (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),
    "analyst": (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),
    "system administrator": (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),
}


@pytest.mark.parametrize("who", TABLE)
def test_who_may_open_which_record(world, who):
    request = asking(world["users"][who])
    got = (
        answer(person_access(request, world["child on the case"])),
        answer(person_access(request, world["household member on no case"])),
        answer(person_access(request, world["person no case holds"])),
        answer(case_access(request, world["case"])),
        answer(household_access(request, world["household"])),
    )
    assert got == TABLE[who]


@pytest.mark.parametrize("expired", [False, True])
def test_break_glass_opens_the_person_case_and_household_for_an_hour_only(world, expired):
    user = world["users"]["practitioner of another team"]
    request = asking(user, break_glass_on=world["child on the case"], expired=expired)
    want = REFUSED if expired else EMERGENCY
    assert answer(person_access(request, world["child on the case"])) == want
    assert answer(case_access(request, world["case"])) == want
    assert answer(household_access(request, world["household"])) == want
    # Break-glass on one person opens nobody else's record by itself.
    assert answer(person_access(request, world["household member on no case"])) == REFUSED


@pytest.mark.parametrize("who", TABLE)
def test_a_restriction_closes_the_person_their_cases_and_household_to_all_but_those_named(
    world, who
):
    named = world["users"]["manager of the team"]
    restriction = RestrictionFactory(
        person=world["child on the case"], reason="Aunt works here", created_by=named
    )
    restriction.named_users.add(named)
    request = asking(world["users"][who], break_glass_on=world["child on the case"])
    got = (
        answer(person_access(request, world["child on the case"])),
        answer(case_access(request, world["case"])),
        answer(household_access(request, world["household"])),
    )
    if who == "manager of the team":
        assert got == (ALLOWED, ALLOWED, ALLOWED)
    else:
        assert got == (RESTRICTED, RESTRICTED, RESTRICTED)
        assert person_access(request, world["child on the case"]).ask == named.get_full_name()


SENSITIVE = {
    "team member": False,
    "allocated, outside the team": True,
    "manager of the team": True,
    "manager of another team": False,
    "practitioner of another team": False,
    "information governance": False,
    "analyst": False,
    "system administrator": False,
}


@pytest.mark.parametrize("who", SENSITIVE)
def test_special_category_facts_go_to_the_allocated_worker_and_the_teams_manager(world, who):
    assert may_see_sensitive(world["users"][who], world["child on the case"]) is SENSITIVE[who]


def test_a_practitioner_of_the_team_does_not_see_special_category_facts_of_an_unheld_person(
    world,
):
    for who in ("team member", "manager of the team", "allocated, outside the team"):
        assert may_see_sensitive(world["users"][who], world["person no case holds"]) is False
