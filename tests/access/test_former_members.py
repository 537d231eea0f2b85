"""Someone who left a household is no longer reached through it, nor reaches it: a case
held for them does not open the household they left (and with it where the family lives
now), and the household's case does not open their record."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.access.rules import allocated_person_ids, holders, holds_any, is_held
from earlyhelp.cases.services import open_case
from earlyhelp.people.models import HouseholdMember
from tests.factories import (
    AddressFactory,
    HouseholdMemberFactory,
    PersonFactory,
    RestrictionFactory,
    TeamFactory,
)

NEW_HOME = "Flat 9, Canal Court"


def leave_and_move_on(family) -> None:
    """Amira leaves on 1 October 2026; the household then moves to a new address."""
    HouseholdMember.objects.filter(household=family["household"], person=family["mum"]).update(
        left_on=date(2026, 10, 1)
    )
    household = family["household"]
    household.address = AddressFactory(line_1=NEW_HOME, town="London", postcode="N1 7AA")
    household.save()


@pytest.fixture
def other_team_worker(client, make_user, sign_in, family):
    """A practitioner of another team, holding a case for Amira only, signed in."""
    worker = make_user("olga", Role.PRACTITIONER)
    team = TeamFactory(name="South family support", service="family-support-and-complex-families")
    team.members.add(worker)
    open_case(
        service="family-support-and-complex-families",
        household=None,
        children=[],
        family=[family["mum"]],
        reason="Support after moving out",
        team=team,
        started=date(2026, 10, 2),
        created_by=None,
        allocated_worker=worker,
    )
    sign_in(worker)
    return worker


def test_a_case_for_someone_who_left_does_not_open_the_household_they_left(
    client, case, other_team_worker, family
):
    household_page = reverse("people:household", args=[family["household"].public_id])
    # While she lives there, her case opens the household.
    assert client.get(household_page).status_code == 200
    leave_and_move_on(family)
    response = client.get(household_page)
    assert response.status_code == 403
    assert NEW_HOME not in response.content.decode()
    chronology = reverse("people:household_chronology", args=[family["household"].public_id])
    assert client.get(chronology).status_code == 403


def test_the_record_of_someone_who_left_does_not_show_the_households_later_address(
    client, case, other_team_worker, family
):
    leave_and_move_on(family)
    page = client.get(reverse("people:person", args=[family["mum"].public_id])).content.decode()
    assert "Left a household on 1 October 2026" in page
    assert NEW_HOME not in page
    assert str(family["household"].public_id) not in page


def test_the_households_case_does_not_reach_someone_who_left_it(case, family, practitioner):
    grandma = PersonFactory(given_name="Salma", family_name="Haddad", adult=True)
    member = HouseholdMemberFactory(household=family["household"], person=grandma)
    assert allocated_person_ids(practitioner).filter(pk=grandma.pk).exists()
    assert holds_any(practitioner, [grandma.pk])
    assert is_held(grandma)
    member.left_on = date(2026, 10, 1)
    member.save()
    assert not allocated_person_ids(practitioner).filter(pk=grandma.pk).exists()
    assert not holds_any(practitioner, [grandma.pk])
    # No case holds her now: the household's case no longer speaks for her.
    assert not is_held(grandma)
    assert holders(grandma) == []


def test_a_restriction_on_someone_who_left_no_longer_closes_the_household(
    client, practitioner, family, make_user
):

    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["mum"], reason="Works here", created_by=keeper)
    household_page = reverse("people:household", args=[family["household"].public_id])
    assert client.get(household_page).status_code == 403
    leave_and_move_on(family)
    page = client.get(household_page)
    assert page.status_code == 200
    assert "Amira" not in page.content.decode()
