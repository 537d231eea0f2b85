"""Need-to-know at its edges, answer by answer, with values worked out by hand.

The answers are whole `Access` values (allowed, emergency, restricted, whom to ask), so a
refusal that says nothing (`None`) or a flag set wrongly fails as surely as a wrong door.
The edges are the ones a mutation run found nothing pinning: a person held only as a
member of a case (not through the household), a person held only through the household,
the words a refused reader sees about who holds a record, and break-glass on a clock that
is moved past its hour rather than on a session rewritten by hand.
"""

from datetime import date

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from earlyhelp.access.roles import Role
from earlyhelp.access.rules import (
    BREAK_GLASS_SESSION_KEY,
    Access,
    case_access,
    grant_break_glass,
    holders,
    household_access,
    is_held,
    may_see_sensitive,
    person_access,
    who_to_ask,
)
from earlyhelp.cases.models import Team
from earlyhelp.cases.services import open_case
from tests.factories import (
    CaseMemberFactory,
    HouseholdMemberFactory,
    PersonFactory,
    RestrictionFactory,
    TeamFactory,
)

OPEN = Access(True)
NO_CASE = Access(True, no_case=True)  # open to casework: no case holds the record
EMERGENCY = Access(True, emergency=True)
CLOSED = Access(False)


@pytest.fixture
def world(family, team, case, make_user):
    """North's case on the Haddads, with the father (who lives elsewhere) on it as family.

    The grandmother lives in the household but is on no case; Olek is on no case and in
    no household of a case.
    """
    CaseMemberFactory(case=case, person=family["dad"], role="family")
    grandma = PersonFactory(
        given_name="Samira", family_name="Haddad", date_of_birth=date(1960, 3, 3)
    )
    HouseholdMemberFactory(household=family["household"], person=grandma)
    unheld = PersonFactory(
        given_name="Olek", family_name="Zielinski", date_of_birth=date(1995, 7, 7)
    )
    other_team = TeamFactory(name="South youth", service="iyss")
    users = {
        "team member": make_user("tm", Role.PRACTITIONER),
        "allocated, outside the team": make_user("aw", Role.PRACTITIONER),
        "manager of the team": make_user("mt", Role.TEAM_MANAGER),
        "manager of another team": make_user("mo", Role.TEAM_MANAGER),
        "practitioner of another team": make_user("po", Role.PRACTITIONER),
        "information governance": make_user("ig", Role.INFORMATION_GOVERNANCE),
        "analyst": make_user("an", Role.ANALYST),
    }
    users["allocated, outside the team"].last_name = "Okafor"
    users["allocated, outside the team"].save()
    users["manager of the team"].last_name = "Mensah"
    users["manager of the team"].save()
    team.members.add(users["team member"], users["manager of the team"])
    other_team.members.add(users["manager of another team"], users["practitioner of another team"])
    case.allocated_worker = users["allocated, outside the team"]
    case.save()
    return {
        "users": users,
        "child": family["yusuf"],
        "father, on the case only": family["dad"],
        "grandmother, in the household only": grandma,
        "unheld": unheld,
        "case": case,
        "household": family["household"],
    }


def asking(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    return request


def answers(request, world) -> tuple[Access, ...]:
    return (
        person_access(request, world["child"]),
        person_access(request, world["father, on the case only"]),
        person_access(request, world["grandmother, in the household only"]),
        person_access(request, world["unheld"]),
        case_access(request, world["case"]),
        household_access(request, world["household"]),
    )


# user -> (child, father on the case only, grandmother in the household only, unheld, case,
# household)
TABLE = {
    "team member": (OPEN, OPEN, OPEN, NO_CASE, OPEN, OPEN),
    "allocated, outside the team": (OPEN, OPEN, OPEN, NO_CASE, OPEN, OPEN),
    "manager of the team": (OPEN, OPEN, OPEN, NO_CASE, OPEN, OPEN),
    "manager of another team": (CLOSED, CLOSED, CLOSED, NO_CASE, CLOSED, CLOSED),
    "practitioner of another team": (CLOSED, CLOSED, CLOSED, NO_CASE, CLOSED, CLOSED),
    "information governance": (CLOSED, CLOSED, CLOSED, CLOSED, CLOSED, CLOSED),
    "analyst": (CLOSED, CLOSED, CLOSED, CLOSED, CLOSED, CLOSED),
}


@pytest.mark.parametrize("who", TABLE)
def test_each_answer_is_exactly_open_or_closed_with_no_flag_set_wrongly(world, who):
    assert answers(asking(world["users"][who]), world) == TABLE[who]


def test_a_person_on_a_case_but_outside_its_household_is_held(world):
    assert is_held(world["father, on the case only"]) is True
    assert is_held(world["grandmother, in the household only"]) is True
    assert is_held(world["unheld"]) is False


def test_a_restriction_on_a_case_member_outside_the_household_closes_the_case_not_the_household(
    world,
):
    named = world["users"]["manager of the team"]
    restriction = RestrictionFactory(
        person=world["father, on the case only"], reason="Works here", created_by=named
    )
    restriction.named_users.add(named)
    refused = Access(False, restricted=True, ask="Sam Mensah")

    team_member = asking(world["users"]["team member"])
    assert person_access(team_member, world["father, on the case only"]) == refused
    assert case_access(team_member, world["case"]) == refused
    assert household_access(team_member, world["household"]) == OPEN

    manager = asking(named)
    assert person_access(manager, world["father, on the case only"]) == OPEN
    assert case_access(manager, world["case"]) == OPEN


def test_break_glass_on_a_case_member_outside_the_household_opens_the_case_not_the_household(
    world,
):
    request = asking(world["users"]["practitioner of another team"])
    grant_break_glass(request, world["father, on the case only"])
    assert person_access(request, world["father, on the case only"]) == EMERGENCY
    assert case_access(request, world["case"]) == EMERGENCY
    assert household_access(request, world["household"]) == CLOSED
    assert person_access(request, world["child"]) == CLOSED


def test_break_glass_on_the_household_only_member_opens_the_household_for_emergency_reading(world):
    request = asking(world["users"]["practitioner of another team"])
    grant_break_glass(request, world["grandmother, in the household only"])
    assert household_access(request, world["household"]) == EMERGENCY
    # The grandmother is on no case, so the case stays closed.
    assert case_access(request, world["case"]) == CLOSED


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("team member", False),
        ("allocated, outside the team", True),
        ("manager of the team", True),
        ("manager of another team", False),
        ("practitioner of another team", False),
    ],
)
def test_special_category_facts_of_a_case_member_outside_the_household(world, who, sees):
    person = world["father, on the case only"]
    assert may_see_sensitive(world["users"][who], person) is sees


def test_holders_name_the_team_the_allocated_worker_and_whether_the_case_is_open(world):
    line = "North family support (allocated worker: Sam Okafor), case open"
    assert holders(world["child"]) == [line]
    # Held as a member only, and held through the household only: the same case.
    assert holders(world["father, on the case only"]) == [line]
    assert holders(world["grandmother, in the household only"]) == [line]
    assert holders(world["unheld"]) == []


def test_holders_list_newest_first_and_say_unallocated_and_closed_in_words(world, make_user):
    south = Team.objects.get(name="South youth")
    earlier = open_case(
        service="iyss",
        household=None,
        children=[world["child"]],
        reason="Youth work",
        team=south,
        started=date(2025, 1, 6),
        created_by=None,
    )
    earlier.ended = date(2026, 3, 3)
    earlier.save()
    assert holders(world["child"]) == [
        "North family support (allocated worker: Sam Okafor), case open",
        "South youth (allocated worker: not allocated), case closed 3 March 2026",
    ]


def test_whom_to_ask_is_the_maker_of_the_restriction_or_nobody(world, make_user):
    assert who_to_ask(world["child"]) == ""
    maker = make_user("nameless", Role.TEAM_MANAGER)
    maker.first_name = ""
    maker.save()
    RestrictionFactory(person=world["child"], reason="Works here", created_by=maker)
    world["child"].refresh_from_db()
    assert who_to_ask(world["child"]) == "nameless"


class Clock:
    """The wall clock the break-glass rules read, moved by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(1_800_000_000.0)
    monkeypatch.setattr("earlyhelp.access.rules.time.time", clock)
    return clock


def test_break_glass_lasts_exactly_an_hour_on_the_clock(world, clock):
    request = asking(world["users"]["practitioner of another team"])
    child = world["child"]
    grant_break_glass(request, child)
    assert person_access(request, child) == EMERGENCY
    clock.now += 59 * 60 + 59
    assert person_access(request, child) == EMERGENCY
    assert case_access(request, world["case"]) == EMERGENCY
    assert household_access(request, world["household"]) == EMERGENCY
    clock.now += 1  # the hour is up
    assert person_access(request, child) == CLOSED
    assert case_access(request, world["case"]) == CLOSED
    assert household_access(request, world["household"]) == CLOSED
    # Asking again (with a new reason) opens it for another hour.
    grant_break_glass(request, child)
    clock.now += 30 * 60
    assert person_access(request, child) == EMERGENCY


def test_an_expired_grant_is_dropped_from_the_session_when_another_is_made(world, clock):
    request = asking(world["users"]["practitioner of another team"])
    grant_break_glass(request, world["child"])
    clock.now += 60 * 60  # exactly the hour: expired
    grant_break_glass(request, world["father, on the case only"])
    assert set(request.session[BREAK_GLASS_SESSION_KEY]) == {
        str(world["father, on the case only"].public_id)
    }
    clock.now += 60 * 60 - 1
    grant_break_glass(request, world["unheld"])
    # The father's grant has a second left, so it is kept.
    assert set(request.session[BREAK_GLASS_SESSION_KEY]) == {
        str(world["father, on the case only"].public_id),
        str(world["unheld"].public_id),
    }


def test_holders_cost_one_query_however_many_cases_hold_the_person(
    world, django_assert_num_queries
):
    open_case(
        service="iyss",
        household=None,
        children=[world["child"]],
        reason="Youth work",
        team=Team.objects.get(name="South youth"),
        started=date(2025, 1, 6),
        created_by=None,
        allocated_worker=world["users"]["practitioner of another team"],
    )
    with django_assert_num_queries(1):
        assert len(holders(world["child"])) == 2


def test_a_household_closed_by_a_restriction_is_refused_in_two_queries(
    world, django_assert_num_queries
):
    """The members, their restrictions and the restrictions' makers come in one query; one
    more asks whether the reader is named."""
    maker = world["users"]["manager of the team"]
    RestrictionFactory(person=world["child"], reason="Works here", created_by=maker)
    request = asking(world["users"]["team member"])
    with django_assert_num_queries(2):
        access = household_access(request, world["household"])
    assert access == Access(False, restricted=True, ask="Sam Mensah")


def test_a_case_closed_by_a_restriction_is_refused_in_two_queries(world, django_assert_num_queries):
    """As for a household: the case's members with their restrictions and the makers in one
    query, one more asking whether the reader is named, however many members the case has."""
    maker = world["users"]["manager of the team"]
    RestrictionFactory(person=world["child"], reason="Works here", created_by=maker)
    request = asking(world["users"]["team member"])
    with django_assert_num_queries(2):
        access = case_access(request, world["case"])
    assert access == Access(False, restricted=True, ask="Sam Mensah")
