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


def code_from_secret(secret: str) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    return f"{totp.token():06d}"


def test_administrator_creates_a_practitioner_who_then_signs_in_with_the_one_time_details(
    page, make_user, assert_accessible
):
    Team.objects.create(name="North family support", service="family-support")
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
    secret = page.locator("#set-up-secret").inner_text().strip()
    expect(page.locator("#set-up-link")).to_contain_text("otpauth://totp/")
    assert_accessible(page)
    assert User.objects.get(username="priya.shah").has_role(Role.PRACTITIONER)

    # The account page never shows the one-time details again.
    page.get_by_role("link", name="Go to Priya Shah’s account").click()
    expect(page.get_by_role("heading", name="Priya Shah", level=1)).to_be_visible()
    expect(page.get_by_text(password)).to_have_count(0)
    assert_accessible(page)

    # Priya signs in with what the administrator passed on.
    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("priya.shah")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(code_from_secret(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Priya")).to_be_visible()
    expect(page.get_by_text("Practitioner").first).to_be_visible()
