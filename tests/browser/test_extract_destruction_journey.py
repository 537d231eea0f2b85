"""The IG officer is reminded of an extract past its recipient's destruction date, and
records the recipient's confirmation (issue 18 item 6), every page scanned for access."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.factories import ExtractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_follows_the_reminder_and_records_the_recipients_confirmation(
    page, make_user, assert_accessible
):
    today = timezone.localdate()
    extract_date = today - timedelta(days=6 * 366)
    ExtractFactory(
        project="liia",
        extract_date=extract_date,
        destruction_due=today - timedelta(days=5),
        rows=40,
    )
    officer = make_user("iona", Role.INFORMATION_GOVERNANCE)

    sign_in_through_the_browser(page, officer, STRONG_PASSWORD)
    reminder = page.locator("#extracts-awaiting-confirmation")
    expect(reminder).to_contain_text("1 extract has passed the date")
    assert_accessible(page)

    reminder.get_by_role("link", name="obtain the recipient's confirmation and record it").click()
    expect(
        page.get_by_role("heading", name="Extracts the recipients must have destroyed", level=1)
    ).to_be_visible()
    overdue = page.get_by_role("table", name="Past their date, with no confirmation recorded")
    expect(overdue).to_contain_text("London Innovation and Improvement Alliance")
    assert_accessible(page)

    overdue.get_by_role("link", name="Record the confirmation").click()
    expect(
        page.get_by_role("heading", name="Record the recipient's confirmation", level=1)
    ).to_be_visible()
    assert_accessible(page)

    # A date before the extract: refused, naming the date, the summary linking to the boxes.
    before = extract_date - timedelta(days=1)
    page.get_by_label("Day").fill(str(before.day))
    page.get_by_label("Month").fill(str(before.month))
    page.get_by_label("Year").fill(str(before.year))
    page.get_by_label("The recipient's confirmation").fill(
        "Email from the LIIA data manager, reference DST-014"
    )
    page.get_by_role("button", name="Record the confirmation").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The date the recipient destroyed it must be the same as or after the date of the extract"
    )
    assert_accessible(page)

    destroyed = today - timedelta(days=2)
    page.get_by_label("Day").fill(str(destroyed.day))
    page.get_by_label("Month").fill(str(destroyed.month))
    page.get_by_label("Year").fill(str(destroyed.year))
    page.get_by_role("button", name="Record the confirmation").click()

    expect(page.get_by_text("The recipient's confirmation is recorded")).to_be_visible()
    expect(page.get_by_role("table", name="Confirmed by the recipient")).to_contain_text(
        "reference DST-014"
    )
    assert_accessible(page)
    page.goto("/")
    expect(page.locator("#extracts-awaiting-confirmation")).to_have_count(0)
