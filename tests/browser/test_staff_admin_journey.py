import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.cases.models import Team
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "plum-orchard-lantern-27"


def code_from_secret(secret: str) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    return f"{totp.token():06d}"


def test_practitioner_sets_up_her_own_sign_in_then_an_approver_who_checked_with_her_approves(
    page, browser, live_server, make_user, assert_accessible
):
    Team.objects.create(name="North family support", service="family-support")
    grace = make_user("grace", Role.INFORMATION_GOVERNANCE)
    sign_in_through_the_browser(page, make_user("alex", Role.SYSTEM_ADMINISTRATOR), STRONG_PASSWORD)

    page.get_by_role("link", name="Manage staff accounts").click()
    expect(page.get_by_role("heading", name="Staff accounts", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a staff account").click()

    # A form sent empty names each field in the error summary.
    page.get_by_role("button", name="Create account").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a username")
    expect(summary).to_contain_text("Select at least one role")
    assert_accessible(page)

    page.get_by_label("Username").fill("priya.shah")
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Work email address").fill("priya.shah@council.example")
    page.get_by_label("Practitioner").check()
    page.get_by_label("North family support").check()
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Account created", level=1)).to_be_visible()
    password = page.locator("#set-up-password").inner_text().strip()
    # The administrator sees a temporary password once, and never an authenticator secret.
    expect(page.get_by_text("otpauth://")).to_have_count(0)
    assert_accessible(page)
    assert not User.objects.get(username="priya.shah").roles, "nothing before approval"

    # The account page never shows the password again, and says what waits for approval.
    page.get_by_role("link", name="Go to Priya Shah’s account").click()
    expect(page.get_by_role("heading", name="Priya Shah", level=1)).to_be_visible()
    expect(page.get_by_text(password)).to_have_count(0)
    expect(page.get_by_role("heading", name="Waiting for approval")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # Priya signs in with the temporary password, sets up her own authenticator from a
    # QR code only she sees, and chooses her own password.
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("priya.shah")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#enrol-secret").inner_text().strip()
    page.get_by_label("Security code").fill(code_from_secret(secret))
    page.get_by_role("button", name="Confirm and sign in").click()

    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Current password").fill(password)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()
    assert_accessible(page)
    # Nothing works yet: her access waits for a second person.
    expect(page.get_by_text("You do not have a role yet")).to_be_visible()
    expect(page.get_by_role("link", name="Continue")).to_have_count(0)

    # The information governance officer, on another computer, reads who set up the
    # sign-in, and must tick that she checked with Priya before approving.
    other = browser.new_context(base_url=live_server.url)
    officer = other.new_page()
    sign_in_through_the_browser(officer, grace, STRONG_PASSWORD)
    officer.goto("/staff/requests/")
    expect(officer.get_by_role("heading", name="Requests for access", level=1)).to_be_visible()
    assert_accessible(officer)
    officer.get_by_role("link", name=re.compile("Priya Shah")).click()
    expect(officer.get_by_text("Practitioner").first).to_be_visible()
    expect(officer.locator("#check-with-holder")).to_contain_text("Before you approve, check")
    assert_accessible(officer)
    officer.get_by_label("Approve").check()
    officer.get_by_role("button", name="Save decision").click()
    expect(officer.locator(".govuk-error-summary")).to_contain_text("Tick to confirm")
    assert_accessible(officer)
    assert not User.objects.get(username="priya.shah").roles
    officer.get_by_label("Approve").check()
    officer.get_by_label(re.compile("I have checked with Priya Shah themselves")).check()
    officer.get_by_role("button", name="Save decision").click()
    expect(officer.get_by_text("Access for Priya Shah approved")).to_be_visible()
    assert User.objects.get(username="priya.shah").has_role(Role.PRACTITIONER)
    other.close()

    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome, Priya")).to_be_visible()
    expect(page.get_by_text("Practitioner").first).to_be_visible()


def test_administrator_trying_to_give_themselves_a_role_is_told_why_not(
    page, make_user, assert_accessible
):
    alex = make_user("alex", Role.SYSTEM_ADMINISTRATOR)
    sign_in_through_the_browser(page, alex, STRONG_PASSWORD)
    page.goto(f"/staff/{alex.pk}/change/")
    page.get_by_label("First name").fill("Alex")
    page.get_by_label("Last name").fill("Admin")
    page.get_by_label("Work email address").fill("alex@council.example")
    page.get_by_label("Team manager").check()
    page.get_by_role("button", name="Save changes").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("You cannot change your own roles or teams")
    assert_accessible(page)
    assert not User.objects.get(pk=alex.pk).has_role(Role.TEAM_MANAGER)
