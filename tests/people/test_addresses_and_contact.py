from django.urls import reverse

from earlyhelp.people.models import Address, ContactMethod
from tests.factories import PersonAddressFactory


def address_form(**overrides):
    data = {
        "line_1": "Flat 3, Walker House",
        "line_2": "Ossulston Estate",
        "town": "London",
        "postcode": "nw1 1ha",
        "moved_in_day": "1",
        "moved_in_month": "10",
        "moved_in_year": "2026",
        "source": "family",
    }
    return {**data, **overrides}


def test_a_new_address_becomes_current_and_the_old_one_history(client, practitioner, family):
    mum = family["mum"]
    old = PersonAddressFactory(person=mum, address=family["household"].address, source="family")
    response = client.post(
        reverse("people:add_address", args=[mum.public_id]),
        address_form(household_moves=str(family["household"].public_id)),
    )
    assert response.url == reverse("people:person", args=[mum.public_id])
    old.refresh_from_db()
    assert str(old.moved_out) == "2026-10-01"
    new = mum.addresses.get(moved_out__isnull=True)
    assert new.address.postcode == "NW1 1HA"
    assert new.recorded_by == practitioner


def test_an_address_with_an_invalid_postcode_names_the_rule_and_saves_nothing(
    client, practitioner, family
):
    url = reverse("people:add_address", args=[family["mum"].public_id])
    response = client.post(url, address_form(postcode="NW1 1HAX"))
    assert "Enter a real UK postcode, like NW5 2AB" in response.content.decode()
    assert not Address.objects.filter(line_1="Flat 3, Walker House").exists()


def test_an_email_that_is_not_one_is_refused(client, practitioner, family):
    url = reverse("people:add_contact_method", args=[family["mum"].public_id])
    response = client.post(url, {"kind": "email", "value": "amira at example", "source": "family"})
    assert "Enter an email address like name@example.com" in response.content.decode()
    assert not ContactMethod.objects.exists()


def test_a_telephone_number_is_recorded_with_its_source(client, practitioner, family):
    url = reverse("people:add_contact_method", args=[family["mum"].public_id])
    client.post(
        url, {"kind": "telephone", "value": "07700 900123", "label": "mobile", "source": "family"}
    )
    method = ContactMethod.objects.get()
    assert (method.value, method.source, method.recorded_by) == (
        "07700 900123",
        "family",
        practitioner,
    )
