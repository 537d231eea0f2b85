"""Finding a child or family as a practitioner does it: by half a double family name, by a
nickname, narrowed by a postcode district and an age, and with the mistakes a person makes
typing an age. Each result says, in words, why it matched."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.cases.services import open_case
from earlyhelp.people.models import Person
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.factories import AddressFactory, PersonAddressFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def aged(years: int) -> date:
    """A birthday that makes someone `years` old today, well away from their next birthday."""
    return date.today() - timedelta(days=round(years * 365.25) + 120)


def person(given: str, family: str, born: date, postcode: str) -> Person:
    someone = PersonFactory(
        given_name=given, family_name=family, date_of_birth=born, unidentified=True
    )
    address = AddressFactory(line_1="1 Leighton Road", town="London", postcode=postcode)
    PersonAddressFactory(
        person=someone, address=address, source="family", moved_in=date(2020, 1, 1)
    )
    return someone


@pytest.fixture
def searcher(make_user, team):
    """A practitioner of the team holding a case with everyone the journey looks for, and
    the people whose names are near theirs, so finding them is not luck."""
    people = [
        person("Amira", "Lloyd-Jones", aged(9), "N7 6AB"),
        person("Amira", "Lloyd", aged(9), "N7 6AB"),
        person("Catherine", "Okafor", aged(6), "NW5 2AB"),
        person("Catherine", "Okoro", aged(6), "NW5 2AB"),
        # A common name: three Amy Joneses, two in N7, of different ages.
        person("Amy", "Jones", aged(7), "N7 9QJ"),
        person("Amy", "Jones", aged(12), "N7 6AB"),
        person("Amy", "Jones", aged(7), "N19 5NF"),
    ]
    open_case(
        service="family-support-and-complex-families",
        household=None,
        children=people,
        reason="School attendance",
        team=team,
        started=date(2026, 9, 1),
        created_by=None,
    )
    priya = make_user("priya", Role.PRACTITIONER)
    team.members.add(priya)
    return priya


def search(page, name: str = "", born: str = "", postcode: str = "") -> None:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Age or year of birth").fill(born)
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_role("button", name="Search").click()


def result_for(page, name: str):
    """The listed result whose link is `name` (its reasons are the list inside it)."""
    return page.get_by_role("listitem").filter(has=page.get_by_role("link", name=name))


def test_practitioner_finds_people_by_half_a_family_name_a_nickname_and_narrows_a_common_name(
    page, searcher, assert_accessible
):
    sign_in_through_the_browser(page, searcher, STRONG_PASSWORD)
    page.get_by_role("link", name="Find a child or family").click()
    expect(page.get_by_role("heading", name="Find a child or family", level=1)).to_be_visible()
    assert_accessible(page)

    # One half of a double family name.
    search(page, name="Amira Jones")
    amira = result_for(page, "Amira Lloyd-Jones")
    expect(amira).to_be_visible()
    expect(amira.get_by_role("listitem")).to_contain_text(
        ["Name similar to Amira Jones: family name is part of Lloyd-Jones"]
    )
    assert_accessible(page)

    # A nickname.
    search(page, name="Kate Okafor")
    catherine = result_for(page, "Catherine Okafor")
    expect(catherine).to_be_visible()
    expect(catherine.get_by_role("listitem")).to_contain_text(
        ["Name similar to Kate Okafor: Kate is a short form of Catherine"]
    )
    assert_accessible(page)

    # A common name, then narrowed by district, then by age.
    search(page, name="Amy Jones")
    expect(page.get_by_role("heading", name="3 people found")).to_be_visible()
    expect(page.get_by_role("link", name="Amy Jones")).to_have_count(3)
    assert_accessible(page)

    search(page, name="Amy Jones", postcode="N7")
    expect(page.get_by_role("heading", name="2 people found")).to_be_visible()
    expect(page.get_by_role("link", name="Amy Jones")).to_have_count(2)
    expect(page.get_by_text("lives in N19")).to_have_count(0)
    for amy in result_for(page, "Amy Jones").all():
        expect(amy).to_contain_text("lives in N7")
        expect(amy.get_by_role("listitem")).to_contain_text(["Same name", "Lives in N7"])
    assert_accessible(page)

    search(page, name="Amy Jones", postcode="N7", born="7")
    expect(page.get_by_role("heading", name="1 person found")).to_be_visible()
    amy = result_for(page, "Amy Jones")
    expect(amy).to_have_count(1)
    expect(amy).to_contain_text("(age 7), lives in N7")
    expect(amy.get_by_role("listitem")).to_contain_text(
        ["Same name", "Date of birth fits the age or year asked for", "Lives in N7"]
    )
    assert_accessible(page)


def test_a_postcode_district_only_narrows_a_search_by_name(page, searcher, assert_accessible):
    sign_in_through_the_browser(page, searcher, STRONG_PASSWORD)
    page.get_by_role("link", name="Find a child or family").click()

    search(page, name="Amy Jones")
    expect(page.get_by_role("heading", name="3 people found")).to_be_visible()
    by_name_alone = set(page.get_by_role("link", name=re.compile("Jones")).all_inner_texts())
    assert by_name_alone == {"Amy Jones"}
    assert_accessible(page)

    search(page, name="Amy Jones", postcode="N7")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="2 people found")).to_be_visible()
    narrowed = page.get_by_role("link", name=re.compile("Jones"))
    assert set(narrowed.all_inner_texts()) <= by_name_alone


@pytest.mark.parametrize("born", ["abc", "250"])
def test_an_age_that_cannot_be_one_is_refused_naming_the_field(
    page, searcher, assert_accessible, born
):
    sign_in_through_the_browser(page, searcher, STRONG_PASSWORD)
    page.get_by_role("link", name="Find a child or family").click()

    search(page, name="Amy Jones", born=born)
    oldest = date.today().year - 1900
    message = (
        f"Age or year of birth must be an age from 0 to {oldest}, like 7, "
        f"or a year from 1900 to {date.today().year}, like 2019"
    )
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # The message by the field, read out with it.
    field = page.get_by_label("Age or year of birth")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    # No results are shown for a search that was not made.
    expect(page.get_by_role("heading", name=re.compile("found$"))).to_have_count(0)
    # What was typed is kept, to be corrected.
    expect(field).to_have_value(born)
    assert_accessible(page)

    # The summary's link takes the person to the box.
    summary.get_by_role("link", name=message).click()
    expect(field).to_be_focused()
    assert_accessible(page)

    # Corrected, the search runs.
    field.fill("7")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 people found")).to_be_visible()
    assert_accessible(page)


def test_an_age_alone_asks_for_a_name(page, searcher, assert_accessible):
    sign_in_through_the_browser(page, searcher, STRONG_PASSWORD)
    page.get_by_role("link", name="Find a child or family").click()

    search(page, born="7")
    message = "Age or year of birth narrows a search by name: enter a name too"
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    field = page.get_by_label("Age or year of birth")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.get_by_role("heading", name=re.compile("found$"))).to_have_count(0)
    assert_accessible(page)

    summary.get_by_role("link", name=message).click()
    expect(field).to_be_focused()
    assert_accessible(page)
