import re
from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_practitioner_finds_a_child_is_warned_of_a_duplicate_and_records_a_home_visit(
    page, make_user, family, case, team, assert_accessible
):
    priya = make_user("priya", Role.PRACTITIONER)
    team.members.add(priya)
    sign_in_through_the_browser(page, priya, STRONG_PASSWORD)
    page.get_by_role("link", name="Find a child or family").click()
    assert_accessible(page)

    # Search, tolerant of spelling.
    page.get_by_label("Name").fill("Yusef Hadad")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Yusuf Haddad")).to_be_visible()
    assert_accessible(page)

    # Try to add him again: the likely match is shown first.
    page.get_by_role("link", name="Add a new person").click()
    page.get_by_label("First name").fill("Yusuf")
    page.get_by_label("Last name").fill("Haddad")
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("This person may already be recorded")).to_be_visible()
    assert_accessible(page)

    # Open the existing record, then the family.
    page.get_by_role("link", name="Yusuf Haddad").first.click()
    expect(page.get_by_role("heading", name="Yusuf Haddad", level=1)).to_be_visible()
    assert_accessible(page)
    # Not "Record that Yusuf left the household at 12 Malden Road", on the same page.
    page.get_by_role("link", name=re.compile(r"^household at 12 Malden Road")).click()
    expect(page.get_by_role("heading", name="Household at 12 Malden Road")).to_be_visible()
    assert_accessible(page)

    # Record a home visit on the family's case.
    page.get_by_role("link", name="1 Sep 2026, open").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a contact").click()
    page.get_by_label("Home visit").check()
    today = date.today()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Note").fill("Home visit. Amira says Yusuf is sleeping better; Leila well.")
    page.get_by_label("Amira Haddad").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save contact").click()

    # The note is the newest event in the family's chronology.
    expect(page.get_by_text("Contact recorded")).to_be_visible()
    first_event = page.locator(".earlyhelp-chronology li").first
    expect(first_event).to_contain_text("Home visit")
    expect(first_event).to_contain_text("Amira says Yusuf is sleeping better")
    assert_accessible(page)
