"""Moving house with a household moves everyone living at its old address; a restricted
member stops the user moving the household; someone in two households chooses one; and a
move is never dated before the address or household it leaves."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.models import Address, HouseholdMember, Person
from earlyhelp.people.search import PersonQuery, search_people
from tests.factories import (
    AddressFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PersonAddressFactory,
    RestrictionFactory,
)

OLD_POSTCODE = "NW5 3HS"
MOVED_IN_2018 = date(2018, 5, 10)


def address_form(**overrides) -> dict:
    data = {
        "line_1": "Flat 3, Walker House",
        "line_2": "",
        "town": "London",
        "postcode": "NW1 1HA",
        "moved_in_day": "1",
        "moved_in_month": "10",
        "moved_in_year": "2026",
        "source": "family",
    }
    return {**data, **overrides}


def add_address(client, person: Person, **overrides):
    return client.post(
        reverse("people:add_address", args=[person.public_id]), address_form(**overrides)
    )


def form_page(client, person: Person) -> str:
    return client.get(reverse("people:add_address", args=[person.public_id])).content.decode()


@pytest.fixture
def at_home(family):
    """Everyone in the household lives at its address by their own records, since 2018."""
    for who in ("mum", "yusuf", "leila"):
        PersonAddressFactory(
            person=family[who],
            address=family["household"].address,
            moved_in=MOVED_IN_2018,
            source="family",
        )
    return family


def test_when_the_household_moves_everyone_living_there_moves_too(client, practitioner, at_home):
    family = at_home
    response = add_address(
        client, family["mum"], household_moves=str(family["household"].public_id)
    )
    assert response.status_code == 302
    for who in ("mum", "yusuf", "leila"):
        person = family[who]
        old = person.addresses.get(address__postcode=OLD_POSTCODE)
        assert old.moved_out == date(2026, 10, 1)
        now = person.addresses.get(moved_out__isnull=True)
        assert now.address.postcode == "NW1 1HA"
        assert now.moved_in == date(2026, 10, 1)
        # Each member's new address is audited against them.
        assert AuditEvent.objects.filter(
            action="create", record_type="person", record_id=str(person.public_id)
        ).exists()
    # Search by the old postcode no longer finds them; by the new one it does.
    assert not [m for m in search_people(PersonQuery(postcode=OLD_POSTCODE))]
    found = {m.person for m in search_people(PersonQuery(postcode="NW1 1HA"))}
    assert found == {family["mum"], family["yusuf"], family["leila"]}
    page = client.get(reverse("people:person", args=[family["yusuf"].public_id])).content.decode()
    assert "own current address is not the household's" not in page


def test_a_member_living_elsewhere_by_their_own_record_does_not_move(client, practitioner, at_home):
    family = at_home
    gran = AddressFactory(line_1="4 Oak Road", town="London", postcode="N7 6AB")
    family["leila"].addresses.update(moved_out=date(2026, 9, 1))
    PersonAddressFactory(
        person=family["leila"], address=gran, moved_in=date(2026, 9, 1), source="family"
    )
    add_address(client, family["mum"], household_moves=str(family["household"].public_id))
    assert family["leila"].addresses.get(moved_out__isnull=True).address == gran


def test_someone_who_moves_alone_moves_nobody_else(client, practitioner, at_home):
    family = at_home
    add_address(client, family["mum"], household_moves="alone")
    assert family["yusuf"].addresses.get(moved_out__isnull=True).address.postcode == OLD_POSTCODE


@pytest.fixture
def keeper(make_user):
    user = make_user("keeper", Role.TEAM_MANAGER)
    user.first_name, user.last_name = "Maria", "Keeper"
    user.save()
    return user


def test_a_restricted_member_stops_the_user_moving_the_household(
    client, practitioner, at_home, keeper
):
    family = at_home
    RestrictionFactory(person=family["leila"], reason="Her aunt works here", created_by=keeper)
    page = form_page(client, family["mum"])
    assert "The household includes a restricted record: ask Maria Keeper to record the move" in page
    assert "Yes, with the household at" not in page
    assert "No, Amira leaves" in page
    # Posted anyway, it is refused, and nothing is saved.
    response = add_address(
        client, family["mum"], household_moves=str(family["household"].public_id)
    )
    assert response.status_code == 200
    assert "ask Maria Keeper to record the move" in response.content.decode()
    assert not Address.objects.filter(postcode="NW1 1HA").exists()
    family["household"].refresh_from_db()
    assert family["household"].address.postcode == OLD_POSTCODE
    assert family["leila"].addresses.get(moved_out__isnull=True).address.postcode == OLD_POSTCODE


def test_a_restricted_member_still_lets_the_person_leave_alone(
    client, practitioner, at_home, keeper
):
    family = at_home
    RestrictionFactory(person=family["leila"], reason="Her aunt works here", created_by=keeper)
    assert add_address(client, family["mum"], household_moves="alone").status_code == 302
    left = HouseholdMember.objects.get(household=family["household"], person=family["mum"])
    assert left.left_on == date(2026, 10, 1)


def test_a_member_named_on_the_restriction_may_move_the_household(
    client, practitioner, at_home, keeper
):
    family = at_home
    restriction = RestrictionFactory(
        person=family["leila"], reason="Her aunt works here", created_by=keeper
    )
    restriction.named_users.add(practitioner)
    response = add_address(
        client, family["mum"], household_moves=str(family["household"].public_id)
    )
    assert response.status_code == 302


@pytest.fixture
def second_household(family):
    """Yusuf also lives at his father's, a second current household."""
    dads = HouseholdFactory(address__line_1="7 Prince of Wales Road", address__postcode="NW5 3LG")
    HouseholdMemberFactory(household=dads, person=family["yusuf"])
    HouseholdMemberFactory(household=dads, person=family["dad"])
    return dads


def test_someone_in_two_households_is_offered_each_of_them(
    client, practitioner, family, second_household
):
    page = form_page(client, family["yusuf"])
    assert "Yes, with the household at 12 Malden Road, London, NW5 3HS" in page
    assert "Yes, with the household at 7 Prince of Wales Road, London, NW5 3LG" in page
    assert "No, Yusuf leaves" in page


def test_moving_with_one_household_leaves_the_other(client, practitioner, family, second_household):
    response = add_address(client, family["yusuf"], household_moves=str(second_household.public_id))
    assert response.status_code == 302
    second_household.refresh_from_db()
    assert second_household.address.postcode == "NW1 1HA"
    family["household"].refresh_from_db()
    assert family["household"].address.postcode == OLD_POSTCODE
    mums = HouseholdMember.objects.get(household=family["household"], person=family["yusuf"])
    assert mums.left_on == date(2026, 10, 1)
    dads = HouseholdMember.objects.get(household=second_household, person=family["yusuf"])
    assert dads.left_on is None


def test_leaving_alone_leaves_every_household(client, practitioner, family, second_household):
    add_address(client, family["yusuf"], household_moves="alone")
    assert not HouseholdMember.objects.current().filter(person=family["yusuf"]).exists()


def test_a_move_before_the_current_address_began_is_refused_naming_the_date(
    client, practitioner, at_home
):
    family = at_home
    response = add_address(
        client,
        family["mum"],
        household_moves="alone",
        moved_in_day="1",
        moved_in_month="1",
        moved_in_year="2010",
    )
    assert response.status_code == 200
    assert (
        "Date they moved in must be the same as or after the date they moved in to their "
        "current address (10 May 2018)"
    ) in response.content.decode()
    assert not Address.objects.filter(postcode="NW1 1HA").exists()
    assert HouseholdMember.objects.current().filter(person=family["mum"]).exists()


def test_a_move_before_joining_the_household_is_refused(client, practitioner, family):
    HouseholdMember.objects.filter(person=family["mum"]).update(joined_on=MOVED_IN_2018)
    response = add_address(
        client,
        family["mum"],
        household_moves="alone",
        moved_in_day="1",
        moved_in_month="1",
        moved_in_year="2010",
    )
    assert (
        "Date they moved in must be the same as or after the date they joined their "
        "household (10 May 2018)"
    ) in response.content.decode()
    assert not Address.objects.filter(postcode="NW1 1HA").exists()


def test_a_household_move_before_a_member_moved_in_there_is_refused(client, practitioner, at_home):
    family = at_home
    family["mum"].addresses.update(moved_in=date(2015, 1, 1))
    response = add_address(
        client,
        family["mum"],
        household_moves=str(family["household"].public_id),
        moved_in_day="1",
        moved_in_month="1",
        moved_in_year="2017",
    )
    assert "the date Yusuf moved in to the household's address (10 May 2018)" in unescape(
        response.content.decode()
    )
    assert not Address.objects.filter(postcode="NW1 1HA").exists()


def test_a_move_on_the_day_the_current_address_began_is_accepted(client, practitioner, at_home):
    response = add_address(
        client,
        at_home["mum"],
        household_moves="alone",
        moved_in_day="10",
        moved_in_month="5",
        moved_in_year="2018",
    )
    assert response.status_code == 302
