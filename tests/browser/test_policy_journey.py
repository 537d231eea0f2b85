import pytest
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_family_reads_the_privacy_notice_from_any_page_without_signing_in(page, assert_accessible):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Privacy notice").click()
    expect(
        page.get_by_role("heading", name="Early Help Services Privacy Notice", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Last updated November 2023")).to_be_visible()
    page.get_by_role("link", name="Legal basis for processing information").click()
    expect(
        page.get_by_role("heading", name="12. Legal basis for processing information")
    ).to_be_in_viewport()
    assert_accessible(page)


def test_governance_officer_reads_the_record_of_processing(page, make_user, assert_accessible):
    sign_in_through_the_browser(
        page, make_user("grace", Role.INFORMATION_GOVERNANCE), STRONG_PASSWORD
    )
    page.get_by_role("link", name="Record of processing activities (Article 30)").click()
    expect(
        page.get_by_role("heading", name="Record of processing activities", level=1)
    ).to_be_visible()
    expect(page.get_by_role("rowheader", name="Article 6 basis").first).to_be_visible()
    assert_accessible(page)
