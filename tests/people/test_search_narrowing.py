"""Search says how many it found, lets a postcode or its district narrow, and tells two
people of one name apart by age and where they live (issue 11)."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.people.models import Address, Person, PersonAddress
from earlyhelp.people.search import PersonQuery, find_people
from tests.factories import (
    AddressFactory,
    PersonAddressFactory,
    PersonFactory,
    RestrictionFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def person(given: str, family: str, born: date | None = date(2015, 3, 9)) -> Person:
    # Name and birthday only: a number would sway the score.
    return PersonFactory(
        given_name=given, family_name=family, date_of_birth=born, unidentified=True
    )


def lives_at(someone: Person, postcode: str) -> None:
    address = AddressFactory(line_1="1 Leighton Road", town="London", postcode=postcode)
    PersonAddressFactory(
        person=someone, address=address, source="family", moved_in=date(2020, 1, 1)
    )


def names(found) -> list[str]:
    return [match.person.full_name for match in found.matches]


def test_a_postcode_added_to_a_name_keeps_only_people_living_there():
    here, elsewhere = person("Amy", "Jones"), person("Amy", "Jones")
    lives_at(here, "N7 6AB")
    lives_at(elsewhere, "SE1 7PB")
    assert len(find_people(PersonQuery(name="Amy Jones")).matches) == 2
    narrowed = find_people(PersonQuery(name="Amy Jones", postcode="n7 6ab"))
    assert [m.person for m in narrowed.matches] == [here]
    assert narrowed.total == 1
    assert "Lives at N7 6AB" in narrowed.matches[0].reasons


def test_a_postcode_district_narrows_a_name_to_people_living_in_it():
    n7, n19, n7_other_street = (
        person("Amy", "Jones"),
        person("Amy", "Jones"),
        person("Amy", "Jones"),
    )
    lives_at(n7, "N7 6AB")
    lives_at(n19, "N19 5NF")  # "N19" begins with "N1" and "N7" is not a prefix of it
    lives_at(n7_other_street, "N7 9QJ")
    narrowed = find_people(PersonQuery(name="Amy Jones", postcode=" n7 "))
    assert {m.person for m in narrowed.matches} == {n7, n7_other_street}
    assert all("Lives in N7" in m.reasons for m in narrowed.matches)


def test_a_district_alone_finds_the_people_living_in_it():
    n1, n19 = person("Ola", "Bello"), person("Kai", "Wong")
    lives_at(n1, "N1 9GU")
    lives_at(n19, "N19 5NF")
    assert [m.person for m in find_people(PersonQuery(postcode="N1")).matches] == [n1]


def test_an_nhs_number_match_is_kept_whatever_the_postcode():
    moved = PersonFactory(
        given_name="Amy", family_name="Jones", date_of_birth=date(2015, 3, 9),
        nhs_number="9434765919",
    )  # fmt: skip
    lives_at(moved, "SE1 7PB")
    found = find_people(PersonQuery(name="Amy Jones", postcode="N7", nhs_number="9434765919"))
    assert [m.person for m in found.matches] == [moved]


def test_the_count_says_how_many_matched_when_only_the_best_are_shown():
    for n in range(30):
        person("Amy", "Jones", born=date(2010, 1, 1 + n % 28))
    found = find_people(PersonQuery(name="Amy Jones"), limit=25)
    assert (len(found.matches), found.total) == (25, 30)


@pytest.mark.parametrize("postcode", ["N7 6A", "7N", "QQ1", "N7 6ABC", "ZZ"])
def test_something_neither_a_postcode_nor_a_district_is_refused_naming_the_field(postcode):
    with pytest.raises(ValueError, match="postcode"):
        find_people(PersonQuery(postcode=postcode))


def test_a_likely_duplicate_check_still_wants_a_whole_postcode():
    from earlyhelp.people.search import likely_duplicates

    with pytest.raises(ValueError, match="postcode"):
        likely_duplicates("Amy", "Jones", None, postcode="N7")


# --- the page ----------------------------------------------------------------------------


def test_the_page_says_how_many_were_found_and_how_many_are_shown(client, practitioner):
    for n in range(30):
        person("Amy", "Jones", born=date(2010, 1, 1 + n % 28))
    page = client.post(reverse("people:search"), {"name": "Amy Jones"}).content.decode()
    assert "30 people found" in page
    assert "Showing the 25 closest" in page


def test_each_row_shows_age_and_postcode_district(client, practitioner, family):
    page = client.post(reverse("people:search"), {"name": "Yusuf Haddad"}).content.decode()
    # Born 9 February 2016; lives in the family's household at NW5 3HS.
    age = date.today().year - 2016 - ((date.today().month, date.today().day) < (2, 9))
    assert f"born 9 February 2016 (age {age}), lives in NW5" in page


def test_a_district_is_accepted_by_the_search_form(client, practitioner, family):
    response = client.post(reverse("people:search"), {"name": "Yusuf Haddad", "postcode": "nw5"})
    page = response.content.decode()
    assert "1 person found" in page
    assert "Lives in NW5" in page


def test_a_bad_postcode_on_the_search_form_names_the_rule(client, practitioner):
    page = client.post(reverse("people:search"), {"postcode": "N7 6A"}).content.decode()
    assert "Enter a real UK postcode, like NW5 2AB, or its first part, like NW5" in page


def test_the_ig_officer_is_not_offered_to_add_a_person(client, make_user, sign_in, family):
    sign_in(make_user("ines", Role.INFORMATION_GOVERNANCE))
    page = client.post(reverse("people:search"), {"name": "Yusuf Haddad"}).content.decode()
    assert "Add a new person" not in page
    assert reverse("people:create") not in page


def test_a_practitioner_is_offered_to_add_a_person(client, practitioner, family):
    page = client.post(reverse("people:search"), {"name": "Yusuf Haddad"}).content.decode()
    assert reverse("people:create") in page


# --- what the audit trail says about a search ----------------------------------------------


def test_a_restricted_match_is_recorded_against_the_restricted_person(
    client, practitioner, make_user, family
):
    from earlyhelp.audit.models import AuditEvent

    manager = make_user("marcus", Role.TEAM_MANAGER)
    restriction = RestrictionFactory(
        person=family["yusuf"], reason="Relative works here", created_by=manager
    )
    restriction.named_users.add(manager)
    page = client.post(
        reverse("people:search"), {"name": "Yusuf Haddad", "postcode": "NW5"}
    ).content.decode()
    assert "A restricted record matches" in page and "Yusuf" not in page.split("found</h2>", 1)[1]
    # Probing by postcode or date of birth shows on the restricted child's own list.
    probe = AuditEvent.objects.get(record_id=str(family["yusuf"].public_id))
    assert (probe.actor, probe.rule, probe.categories) == (
        practitioner,
        "access:restricted-match",
        [],
    )


def test_a_person_listed_without_access_is_recorded_as_listed_not_as_allocated(
    client, make_user, sign_in, family, case
):
    from earlyhelp.audit.models import AuditEvent

    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss", members=[outsider])
    sign_in(outsider)
    client.post(reverse("people:search"), {"name": "Yusuf Haddad"})
    look = AuditEvent.objects.get(action="view", record_id=str(family["yusuf"].public_id))
    assert look.rule == "access:listed"


def test_the_search_event_counts_every_match_not_only_those_listed(client, practitioner):
    from earlyhelp.audit.models import AuditEvent

    for n in range(30):
        person("Amy", "Jones", born=date(2010, 1, 1 + n % 28))
    client.post(reverse("people:search"), {"name": "Amy Jones"})
    event = AuditEvent.objects.get(action="search")
    assert event.details["results"] == 30
    assert len(event.details["shown"]) == 25


def test_a_district_split_by_letters_takes_in_its_parts_and_nothing_else():
    wc1h, n1c, n10 = person("Ola", "Bello"), person("Kai", "Wong"), person("Ann", "Lee")
    lives_at(wc1h, "WC1H 9SE")
    lives_at(n1c, "N1C 4AB")
    lives_at(n10, "N10 3QS")
    assert [m.person for m in find_people(PersonQuery(postcode="WC1")).matches] == [wc1h]
    assert [m.person for m in find_people(PersonQuery(postcode="N1")).matches] == [n1c]


def test_a_district_with_more_residents_than_are_looked_at_says_more_may_match():
    from earlyhelp.people.search import LOOKUP_CAP

    people = Person.objects.bulk_create(
        Person(given_name="Ola", family_name=f"Bello{n}", date_of_birth=date(2012, 1, 1))
        for n in range(LOOKUP_CAP + 10)
    )
    addresses = Address.objects.bulk_create(
        Address(line_1=f"{n} Holloway Road", town="London", postcode="N7 6AB")
        for n in range(len(people))
    )
    PersonAddress.objects.bulk_create(
        PersonAddress(person=p, address=a, source="family")
        for p, a in zip(people, addresses, strict=True)
    )
    found = find_people(PersonQuery(postcode="N7"))
    assert found.more_may_match
    assert not find_people(PersonQuery(postcode="N19 5NF")).more_may_match


def test_the_page_says_a_count_is_at_least_when_a_lookup_stopped_at_its_cap(client, practitioner):
    from earlyhelp.people.search import LOOKUP_CAP

    people = Person.objects.bulk_create(
        Person(given_name="Ola", family_name=f"Bello{n}", date_of_birth=date(2012, 1, 1))
        for n in range(LOOKUP_CAP + 10)
    )
    addresses = Address.objects.bulk_create(
        Address(line_1=f"{n} Holloway Road", town="London", postcode="N7 6AB")
        for n in range(len(people))
    )
    PersonAddress.objects.bulk_create(
        PersonAddress(person=p, address=a, source="family")
        for p, a in zip(people, addresses, strict=True)
    )
    page = client.post(reverse("people:search"), {"postcode": "N7"}).content.decode()
    assert f"At least {LOOKUP_CAP} people found" in page
    assert "More people may match than were looked at" in page


@pytest.mark.parametrize("place", ["N7", "N7 6AB"])
def test_a_place_only_ever_narrows_a_name_search(place):
    """A person the name alone does not find is not brought in by where they live: a name
    counts the same however the person was fetched ("Amy" is not a slip of "Amira")."""
    amy = person("Amy", "Jones")
    amira = person("Amira", "Lloyd-Jones", born=None)
    for someone in (amy, amira):
        lives_at(someone, "N7 6AB")
    alone = {m.person for m in find_people(PersonQuery(name="Amy Jones")).matches}
    narrowed = find_people(PersonQuery(name="Amy Jones", postcode=place))
    assert {m.person for m in narrowed.matches} <= alone
    assert [m.person for m in narrowed.matches] == [amy]
    assert narrowed.total == 1


def test_with_the_date_of_birth_a_name_with_two_slips_still_counts():
    """The birthday lookup fetches everyone born that day, so a name merely similar counts
    there, though no name lookup would find "Jonhatan Smiht"."""
    jonathan = person("Jonathan", "Smith", born=date(2016, 5, 17))
    found = find_people(PersonQuery(name="Jonhatan Smiht", date_of_birth=date(2016, 5, 17)))
    assert [m.person for m in found.matches] == [jonathan]
    assert "Same date of birth" in found.matches[0].reasons


def test_a_person_only_the_place_lookup_reached_is_named_as_a_name_lookup_would(monkeypatch):
    """When the name's lookups stop at their cap before reaching a resident, the resident's
    name is still judged by the name index, not left out or scored loosely."""
    from earlyhelp.people import search

    monkeypatch.setattr(search, "LOOKUP_CAP", 1)
    elsewhere = person("Amy", "Jones")  # first in the index: the name lookups stop at her
    lives_at(elsewhere, "SE1 7PB")
    here = person("Amy", "Jones")
    lives_at(here, "N7 6AB")
    found = find_people(PersonQuery(name="Amy Jones", postcode="N7"))
    assert [m.person for m in found.matches] == [here]
    assert "Lives in N7" in found.matches[0].reasons


def test_the_residents_of_a_district_never_crowd_out_the_name_asked_for(monkeypatch):
    from earlyhelp.people import search

    monkeypatch.setattr(search, "LOOKUP_CAP", 3)
    monkeypatch.setattr(search, "CANDIDATE_CAP", 3)
    for given in ("Ben", "Carl", "Dee"):
        lives_at(person(given, "Okafor"), "N7 6AB")
    amy = person("Amy", "Jones")
    lives_at(amy, "N7 9QJ")
    assert [
        m.person for m in find_people(PersonQuery(name="Amy Jones", postcode="N7")).matches
    ] == [amy]
