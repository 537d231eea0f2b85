"""A team manager finds an unallocated case on their home page and allocates it; the worker
sees it on theirs, opens it, and it is no longer new. Every page visited is scanned."""

import pytest
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_allocates_an_unallocated_case_and_the_worker_is_told(
    page, make_user, case, team, assert_accessible
):
    marcus = make_user("marcus", Role.TEAM_MANAGER)
    priya = make_user("priya", Role.PRACTITIONER)
    priya.first_name, priya.last_name = "Priya", "Shah"
    priya.save()
    team.members.add(marcus, priya)

    sign_in_through_the_browser(page, marcus, STRONG_PASSWORD)
    expect(page.get_by_role("link", name="Cases not allocated")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cases not allocated").click()
    expect(page.get_by_role("heading", name="Cases not allocated", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Leila Haddad, Yusuf Haddad").click()
    assert_accessible(page)
    page.get_by_role("link", name="Allocate the case").click()
    assert_accessible(page)
    # Refused without a reason, the error names the field.
    page.get_by_label("Priya Shah").check()
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Enter the reason for the allocation").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Priya Shah").check()
    page.get_by_label("Reason").fill("Priya knows the school and the family's health visitor")
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Case allocated to Priya Shah")).to_be_visible()
    expect(page.get_by_text("Priya knows the school")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in_through_the_browser(page, priya, STRONG_PASSWORD)
    banner = page.get_by_role("region", name="Allocated to you")
    expect(banner).to_contain_text("Priya knows the school")
    expect(page.get_by_text("Your open cases (1)")).to_be_visible()
    assert_accessible(page)
    banner.get_by_role("link", name="Leila Haddad, Yusuf Haddad").click()
    expect(page.get_by_role("heading", name="Case opened 1 September 2026")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("region", name="Allocated to you")).to_have_count(0)
    assert_accessible(page)
