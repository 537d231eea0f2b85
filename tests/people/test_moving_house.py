"""A new current address asks whether the household moves too, so the person page never
says someone lives in a household at an address they have left (issue 11)."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.models import Address, HouseholdMember, Person, PersonAddress
from tests.factories import AddressFactory, PersonAddressFactory


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


def person_page(client, person: Person) -> str:
    return client.get(reverse("people:person", args=[person.public_id])).content.decode()


def test_the_form_asks_whether_the_household_moves_too(client, practitioner, family):
    page = client.get(
        reverse("people:add_address", args=[family["mum"].public_id])
    ).content.decode()
    assert "Does the household move too?" in page
    assert "Amira lives in the household at 12 Malden Road, London, NW5 3HS" in page


def test_no_answer_about_the_household_names_the_question_and_saves_nothing(
    client, practitioner, family
):
    page = add_address(client, family["mum"]).content.decode()
    assert "Select whether the household moves too" in page
    assert not Address.objects.filter(postcode="NW1 1HA").exists()
    assert not PersonAddress.objects.exists()


def test_when_the_household_moves_its_address_becomes_the_new_one(client, practitioner, family):
    household_moves = str(family["household"].public_id)
    response = add_address(client, family["mum"], household_moves=household_moves)
    assert response.status_code == 302
    household = family["household"]
    household.refresh_from_db()
    assert household.address.postcode == "NW1 1HA"
    # Everyone in it now lives at the new address, as each of their pages says.
    for member in ("mum", "yusuf", "leila"):
        page = person_page(client, family[member])
        assert "household at Flat 3, Walker House, London, NW1 1HA" in page
        assert "12 Malden Road" not in page
    changed = AuditEvent.objects.get(action="change", record_type="household")
    assert changed.record_id == str(household.public_id)


def test_when_one_person_moves_alone_they_leave_the_household_that_day(
    client, practitioner, family
):
    add_address(client, family["mum"], household_moves="alone")
    left = HouseholdMember.objects.get(household=family["household"], person=family["mum"])
    assert left.left_on == date(2026, 10, 1)
    page = person_page(client, family["mum"])
    assert "Lives in the" not in page
    # When, never where: the household's address may change after they left.
    assert "Left a household on 1 October 2026" in page
    assert "12 Malden Road" not in page
    # The children still live there.
    assert "Lives in the" in person_page(client, family["yusuf"])


def test_someone_in_no_household_is_not_asked(client, practitioner, family):
    HouseholdMember.objects.filter(person=family["dad"]).delete()
    page = client.get(reverse("people:add_address", args=[family["dad"].public_id]))
    # Tomasz is on no case of the practitioner's team but no case holds him: open to casework.
    assert "Does the household move too?" not in page.content.decode()
    assert add_address(client, family["dad"]).status_code == 302


def test_the_page_says_when_a_persons_own_address_is_not_the_households(
    client, practitioner, family
):
    elsewhere = AddressFactory(line_1="4 Oak Road", town="London", postcode="N7 6AB")
    PersonAddressFactory(person=family["yusuf"], address=elsewhere, source="family")
    assert "Yusuf's own current address is not the household's" in person_page(
        client, family["yusuf"]
    )
    PersonAddressFactory(
        person=family["leila"], address=family["household"].address, source="family"
    )
    assert "own current address is not" not in person_page(client, family["leila"])


@pytest.mark.parametrize("choice", ["", "both", "household "])
def test_an_answer_that_is_not_a_choice_is_refused(client, practitioner, family, choice):
    page = add_address(client, family["mum"], household_moves=choice).content.decode()
    assert "Select whether the household moves too" in page
    assert not PersonAddress.objects.exists()
