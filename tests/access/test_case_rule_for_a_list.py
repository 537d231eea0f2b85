"""A list of cases (a work list's page, a person's cases) passes each case through the case
rule in a fixed number of queries: case_accesses gives, for every case, what case_access
gives for it alone, whatever the mix of open, refused, restricted and break-glass cases."""

from datetime import date

import pytest

from earlyhelp.access.rules import (
    Access,
    allocated_person_ids,
    case_access,
    case_accesses,
    holds_any,
)
from earlyhelp.cases.services import open_case
from tests.access.test_access_table import ALLOWED, EMERGENCY, REFUSED, RESTRICTED, answer, asking
from tests.access.test_access_table import world as world  # the fixture, used by name
from tests.factories import PersonFactory, RestrictionFactory, TeamFactory


def a_case(team, child_name: str, worker=None):
    child = PersonFactory(
        given_name=child_name, family_name="Okafor", date_of_birth=date(2016, 1, 1)
    )
    case = open_case(
        service=team.service,
        household=None,
        children=[child],
        reason="Support",
        team=team,
        started=date(2025, 1, 6),
        created_by=None,
        allocated_worker=worker,
    )
    return case, child


@pytest.fixture
def cases(world, team):
    """Four cases: the family's (North, allocated outside the team), one of South's, one of
    North's with a child restricted to its manager, and one of South's a break-glass opens."""
    south = TeamFactory(name="South family support", service=team.service)
    southern, _ = a_case(south, "Ada")
    restricted, child = a_case(team, "Bola")
    RestrictionFactory(
        person=child,
        reason="A relative works in the team",
        created_by=world["users"]["manager of the team"],
        named_users=[world["users"]["manager of the team"]],
    )
    glass, glass_child = a_case(south, "Chidi")
    return {
        "family": world["case"],
        "south": southern,
        "restricted": restricted,
        "break-glass": glass,
        "break-glass child": glass_child,
    }


# Written out by hand from the case rule: (family, south, restricted, break-glass).
EXPECTED = {
    "team member": (ALLOWED, REFUSED, RESTRICTED, EMERGENCY),
    "allocated, outside the team": (ALLOWED, REFUSED, RESTRICTED, EMERGENCY),
    "manager of the team": (ALLOWED, REFUSED, ALLOWED, EMERGENCY),
    "practitioner of another team": (REFUSED, ALLOWED, RESTRICTED, ALLOWED),
    "information governance": (REFUSED, REFUSED, RESTRICTED, EMERGENCY),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_each_case_of_a_list_gets_the_answer_the_case_rule_gives_it_alone(world, cases, who):
    user = world["users"][who]
    if who == "practitioner of another team":  # works in the team holding the southern cases
        cases["south"].team.members.add(user)
    request = asking(user, break_glass_on=cases["break-glass child"])
    listed = [cases[name] for name in ("family", "south", "restricted", "break-glass")]
    together = case_accesses(request, listed)
    assert tuple(answer(together[case.pk]) for case in listed) == EXPECTED[who]
    assert together == {case.pk: case_access(request, case) for case in listed}


def test_a_restricted_case_names_whom_to_ask_in_a_list_too(world, cases):
    request = asking(world["users"]["team member"])
    got = case_accesses(request, [cases["family"], cases["restricted"]])
    maker = world["users"]["manager of the team"].get_full_name()
    assert got[cases["restricted"].pk] == Access(False, restricted=True, ask=maker)
    assert got[cases["family"].pk] == Access(True)


def test_a_list_of_cases_costs_two_queries_however_long(
    world, cases, team, django_assert_num_queries
):
    request = asking(world["users"]["team member"])
    many = [cases["family"], cases["south"]] + [a_case(team, f"Child {n}")[0] for n in range(10)]
    assert request.user.role  # known by then: the page's role guard asked for it
    with django_assert_num_queries(2):
        got = case_accesses(request, many)
    assert [answer(got[case.pk]) for case in many] == [ALLOWED, REFUSED] + [ALLOWED] * 10


def test_an_empty_list_asks_nothing(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert case_accesses(asking(world["users"]["team member"]), []) == {}


@pytest.mark.parametrize("who", [*EXPECTED, "manager of another team", "analyst"])
def test_holds_any_agrees_with_the_people_the_users_cases_reach(world, cases, who):
    """holds_any asks from the people's side what allocated_person_ids answers from the
    cases' side: the two agree for every person, one at a time and all together."""
    user = world["users"][who]
    people = [
        world["child on the case"],
        world["household member on no case"],
        world["person no case holds"],
        cases["break-glass child"],
        *[m.person for m in cases["restricted"].members.all()],
    ]
    reached = set(allocated_person_ids(user).values_list("pk", flat=True))
    for person in people:
        assert holds_any(user, [person.pk]) == (person.pk in reached), person
    assert holds_any(user, [p.pk for p in people]) == bool(reached & {p.pk for p in people})
    assert not holds_any(user, [])
