from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.people.models import Person


def new_person(**overrides):
    data = {
        "given_name": "Yusuf",
        "family_name": "Haddad",
        "date_of_birth_day": "9",
        "date_of_birth_month": "2",
        "date_of_birth_year": "2016",
        "nhs_number": "",
        "upn": "",
        "postcode": "",
    }
    return {**data, **overrides}


def test_search_by_name_lists_the_child_with_why_they_matched(client, practitioner, family):
    response = client.post(reverse("people:search"), {"name": "Yusef Hadad"})
    page = response.content.decode()
    assert response.status_code == 200
    assert str(family["yusuf"].public_id) in page


def test_empty_search_asks_for_something_to_search_by(client, practitioner):
    response = client.post(reverse("people:search"), {"name": ""})
    assert "Enter a name, date of birth, postcode, NHS number or unique pupil number" in (
        response.content.decode()
    )


def test_search_with_an_invalid_nhs_number_names_the_rule(client, practitioner):
    response = client.post(reverse("people:search"), {"nhs_number": "943 476 5918"})
    assert "Enter a valid NHS number: its last digit does not check" in response.content.decode()


def test_creating_a_person_who_may_exist_shows_the_likely_match_first(client, practitioner, family):
    response = client.post(reverse("people:create"), new_person())
    page = response.content.decode()
    assert "This person may already be recorded" in page
    assert str(family["yusuf"].public_id) in page
    assert Person.objects.filter(given_name="Yusuf").count() == 1


def test_confirming_a_likely_match_is_someone_else_creates_the_record(client, practitioner, family):
    client.post(reverse("people:create"), new_person())
    response = client.post(reverse("people:create"), new_person(not_a_duplicate="on"))
    assert Person.objects.filter(given_name="Yusuf").count() == 2
    created = Person.objects.filter(given_name="Yusuf").latest("id")
    assert response.url == reverse("people:person", args=[created.public_id])
    assert created.created_by == practitioner


def test_exact_nhs_number_match_blocks_creation_even_when_confirmed(client, practitioner, family):
    family["yusuf"].nhs_number = "9990000018"
    family["yusuf"].save()
    response = client.post(
        reverse("people:create"),
        new_person(
            given_name="Joseph",
            family_name="Smith",
            nhs_number="999 000 0018",
            not_a_duplicate="on",
        ),
    )
    assert "belongs to a person already recorded" in response.content.decode()
    assert not Person.objects.filter(given_name="Joseph").exists()


def test_new_person_with_a_bad_upn_names_the_rule(client, practitioner):
    response = client.post(reverse("people:create"), new_person(upn="A801200005001"))
    assert "its check letter is wrong" in response.content.decode()


def test_new_person_born_in_the_future_is_refused(client, practitioner):
    response = client.post(
        reverse("people:create"), new_person(date_of_birth_year=str(date.today().year + 1))
    )
    assert "The date of birth must be today or in the past" in response.content.decode()


def test_person_page_shows_relationships_in_and_outside_the_household(
    client, practitioner, family, case
):
    page = client.get(reverse("people:person", args=[family["yusuf"].public_id])).content.decode()
    assert "Tomasz Nowak" in page and "Elsewhere" in page
    assert "Amira Haddad" in page and "In the household" in page
    assert str(case.public_id) in page


def test_household_page_lists_members_and_family_living_elsewhere(client, practitioner, family):
    page = client.get(
        reverse("people:household", args=[family["household"].public_id])
    ).content.decode()
    for name in ("Amira Haddad", "Yusuf Haddad", "Leila Haddad"):
        assert name in page
    assert "Tomasz Nowak" in page


def test_a_merged_record_leads_to_the_record_it_was_merged_into(client, practitioner, family):
    family["leila"].merged_into = family["yusuf"]
    family["leila"].save()
    response = client.get(reverse("people:person", args=[family["leila"].public_id]))
    assert response.url == reverse("people:person", args=[family["yusuf"].public_id])


def test_an_age_narrows_a_name_search_on_the_page_and_says_why(client, practitioner, family):
    yusuf = family["yusuf"]
    age = yusuf.age_on(date.today())
    response = client.post(reverse("people:search"), {"name": "Yusef Hadad", "born": str(age)})
    page = response.content.decode()
    assert str(yusuf.public_id) in page
    assert "Date of birth fits the age or year asked for" in page
    older = client.post(reverse("people:search"), {"name": "Yusef Hadad", "born": str(age + 20)})
    assert str(yusuf.public_id) not in older.content.decode()


def test_a_search_page_says_why_a_nickname_matched(client, practitioner, family):
    response = client.post(reverse("people:search"), {"name": "Yousef Haddad"})
    assert "Yusuf is a spelling variant of Yousef" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ten", "Age or year of birth must be an age from 0 to"),
        ("²", "Age or year of birth must be an age from 0 to"),
        ("seven", "Age or year of birth must be 4 characters or fewer"),
        ("1850", "Age or year of birth must be an age from 0 to"),
        ("3000", "Age or year of birth must be an age from 0 to"),
        ("-4", "Age or year of birth must be an age from 0 to"),
    ],
)
def test_an_age_or_year_that_cannot_be_names_the_field_and_the_rule(
    client, practitioner, typed, message
):
    response = client.post(reverse("people:search"), {"name": "Amira Jones", "born": typed})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_age_alone_asks_for_a_name_too(client, practitioner):
    response = client.post(reverse("people:search"), {"born": "7"})
    assert "Age or year of birth narrows a search by name: enter a name too" in (
        response.content.decode()
    )
