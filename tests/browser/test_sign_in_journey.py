import pytest
from playwright.sync_api import expect

from earlyhelp.access.demo import current_code
from earlyhelp.access.roles import Role
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_practitioner_signs_in_with_password_and_code_and_reaches_home(
    page, make_user, assert_accessible
):
    user = make_user("priya", Role.PRACTITIONER)

    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Username").fill("priya")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Username").fill("priya")
    page.get_by_label("Password").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Security code").fill(current_code(user.totpdevice_set.get()))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Sam")).to_be_visible()
    expect(page.get_by_text("Practitioner", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    assert_accessible(page)


def test_pages_are_styled_with_gov_uk_frontend_in_the_councils_typeface(page):
    page.goto("/accounts/login/")
    button = page.get_by_role("button", name="Continue")
    # govuk-button's green, from the stylesheet built by `make assets`.
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(15, 122, 82)"
    heading = page.get_by_role("heading", name="Sign in")
    assert "arial" in heading.evaluate("el => getComputedStyle(el).fontFamily").lower()


def test_practitioner_changes_their_own_password(page, make_user, assert_accessible):
    user = make_user("priya", Role.PRACTITIONER)
    sign_in_through_the_browser(page, user, STRONG_PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, Sam")).to_be_visible()

    page.goto("/accounts/password/")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your current password")
    expect(summary).to_contain_text("Enter a new password")
    assert_accessible(page)

    page.get_by_label("Current password").fill(STRONG_PASSWORD)
    page.get_by_label("New password", exact=True).fill("plum-orchard-lantern-27")
    page.get_by_label("New password again").fill("plum-orchard-lantern-27")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()
    assert_accessible(page)
    user.refresh_from_db()
    assert user.check_password("plum-orchard-lantern-27")
