"""A parent asks for their 13-year-old's records through the public form; the information
governance officer finds the request, records the parent's identity evidence, asks for
clarification (the due date moves on while the clock is stopped), matches the child and the
parent to their records, and records the child's consent. The list and the request page show
the right due date throughout."""

import re
from datetime import date, timedelta

import holidays
import pytest
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.lib.dates import add_months
from earlyhelp.rights.models import RightsRequest
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.factories import (
    AddressFactory,
    PersonAddressFactory,
    PersonFactory,
    RelationshipFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW = 15000  # ms: the machine may be busy
ENGLAND = holidays.country_holidays("GB", subdiv="ENG")


def first_working_day_from(day: date) -> date:
    """The oracle: the day itself, or the next day that is no weekend or bank holiday."""
    while day.weekday() >= 5 or day in ENGLAND:
        day += timedelta(days=1)
    return day


def words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def aged(years: int) -> date:
    """A birthday that makes someone `years` old today, well away from their next birthday."""
    return date.today() - timedelta(days=round(years * 365.25) + 120)


def fill_date(scope, day: date) -> None:
    scope.get_by_label("Day").fill(str(day.day))
    scope.get_by_label("Month").fill(str(day.month))
    scope.get_by_label("Year").fill(str(day.year))


@pytest.fixture
def family(db):
    """Keira Walsh, 13, and her mother Dana, who holds parental responsibility."""
    keira = PersonFactory(
        given_name="Keira", family_name="Walsh", date_of_birth=aged(13), unidentified=True
    )
    dana = PersonFactory(
        given_name="Dana", family_name="Walsh", date_of_birth=aged(41), unidentified=True
    )
    home = AddressFactory(line_1="4 Prince of Wales Road", town="London", postcode="NW5 3LG")
    for someone in (keira, dana):
        PersonAddressFactory(
            person=someone, address=home, source="family", moved_in=date(2019, 5, 1)
        )
    RelationshipFactory(person=dana, relative=keira, has_parental_responsibility=True)
    return keira, dana


def answer(page, assert_accessible, label: str | None = None, *, choose: str = "") -> None:
    """Check the page, pick `choose` (a radio or checkbox label) if given, and continue."""
    assert_accessible(page)
    if choose:
        page.get_by_label(choose, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def test_a_parent_asks_for_a_childs_records_and_the_officer_keeps_the_clock_right(
    page, family, make_user, assert_accessible
):
    keira, _dana = family
    today = date.today()

    # The parent, signed out, starts from the privacy notice's link.
    page.goto("/privacy-notice")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("web form")).first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    answer(
        page,
        assert_accessible,
        choose="Ask for a copy of information, or to correct, delete or stop using it",
    )
    answer(page, assert_accessible, choose="I am a parent or carer, asking about a child")
    assert_accessible(page)
    page.get_by_label("Your full name").fill("Dana Walsh")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Give me a copy of the information you hold").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Full name", exact=True).fill("Keira Walsh")
    fill_date(page, keira.date_of_birth)
    page.get_by_label("Address (optional)").fill("4 Prince of Wales Road, London NW5 3LG")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()  # nothing more to help find them
    assert_accessible(page)
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address").fill("dana.walsh@example.org")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    expect(page.get_by_text("Keira Walsh")).to_be_visible()
    page.get_by_role("button", name="Send request").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name=re.compile("sent", re.I))).to_be_visible()
    reference = RightsRequest.objects.get().reference
    expect(page.get_by_text(reference)).to_be_visible()

    # Received today; the clock waits for identity evidence.
    due = first_working_day_from(add_months(today, 1))

    officer = make_user("grace", Role.INFORMATION_GOVERNANCE)
    sign_in_through_the_browser(page, officer, STRONG_PASSWORD)
    page.goto("/rights/requests/")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text(words(due))
    expect(row).to_contain_text("Awaiting identity evidence")
    row.get_by_role("link", name=reference).click()
    assert_accessible(page)
    expect(page.locator("#due")).to_contain_text(words(due))

    # Identity evidence today: the month runs from today.
    page.get_by_role("link", name="Record identity evidence received").click()
    assert_accessible(page)
    fill_date(page, today)
    page.get_by_label("What evidence of identity was seen").fill(
        "Passport and a council tax bill, seen at the Crowndale Centre"
    )
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.locator("#due")).to_contain_text(words(due))

    # Clarification asked today: Article 12A stops the clock from the day it is asked,
    # both ends counted, so the due date moves on by a day at once.
    page.get_by_role("link", name="Ask for clarification").click()
    assert_accessible(page)
    fill_date(page, today)
    page.get_by_label("What was asked").fill("Which years of Keira's records do you want?")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    paused_due = first_working_day_from(add_months(today, 1) + timedelta(days=1))
    expect(page.locator("#due")).to_contain_text(words(paused_due))
    expect(page.locator("#clock")).to_contain_text("paused")
    page.goto("/rights/requests/?show=paused")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text(words(paused_due))
    expect(row).to_contain_text("Paused")
    row.get_by_role("link", name=reference).click()

    page.get_by_role("link", name="Record the clarification received").click()
    assert_accessible(page)
    fill_date(page, today)
    page.get_by_label("What they said (optional)").fill("Everything since 2020")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.locator("#due")).to_contain_text(words(paused_due))

    # Match the child and the parent to their records.
    page.get_by_role("link", name="Find and add records").click()
    assert_accessible(page)
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Check and add Keira Walsh")).click()
    assert_accessible(page)
    page.get_by_label("The person the request is about").check()
    page.get_by_role("button", name="Add to the request").click()
    assert_accessible(page)
    # Back on the search page (it has no link to itself): search again for the parent.
    page.get_by_label("Name", exact=True).fill("Dana Walsh")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Check and add Dana Walsh")).click()
    page.get_by_label("The person asking").check()
    page.get_by_role("button", name="Add to the request").click()
    assert_accessible(page)

    # Keira is 13, the policy's age: her consent is needed, and recorded with how.
    page.goto(f"/rights/requests/{RightsRequest.objects.get().public_id}/")
    page.get_by_role("link", name=re.compile("Decide parental access")).click()
    assert_accessible(page)
    expect(page.get_by_text(re.compile("parental responsibility", re.I)).first).to_be_visible()
    page.get_by_role("group", name="Who is asking").get_by_label("Dana Walsh").check()
    page.get_by_label("Yes, the child consented").check()
    page.get_by_role("group", name="How the child gave their answer").get_by_role(
        "radio"
    ).first.check()
    page.get_by_label("Who took the child's answer").select_option(index=1)
    page.get_by_label("Allow the parent or carer to have the child's records").check()
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    expect(page.get_by_text("The decision on parental access is recorded")).to_be_visible()
    page.goto(f"/rights/requests/{RightsRequest.objects.get().public_id}/")
    assert_accessible(page)
    expect(page.get_by_text(re.compile("Keira.*consented", re.I)).first).to_be_visible()
    expect(page.locator("#due")).to_contain_text(words(paused_due))

    page.goto("/rights/requests/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text(words(paused_due), timeout=SLOW)
    expect(row).to_contain_text("In progress")
