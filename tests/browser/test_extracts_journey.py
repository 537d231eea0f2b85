from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.keys import ensure_project_key
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_reads_the_projects_and_the_manifest_of_the_last_liia_extract(
    page, make_user, family, case, settings, tmp_path, assert_accessible
):
    analyst = make_user("ana", Role.ANALYST)
    settings.KEYS_DIR = tmp_path / "keys"
    ensure_project_key(settings.KEYS_DIR, "liia")
    extract_from_records("liia", tmp_path / "out", on_date=date(2026, 11, 25), user=analyst)

    sign_in_through_the_browser(page, analyst, STRONG_PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, Sam")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Pseudonymised projects and extracts").click()
    expect(
        page.get_by_role("heading", name="Pseudonymised projects and extracts", level=1)
    ).to_be_visible()
    projects = page.get_by_role("table", name="Projects")
    liia = projects.get_by_role("row", name="London Innovation and Improvement Alliance")
    expect(liia).to_contain_text("Open")
    expect(liia).to_contain_text("25 Nov 2032")
    expect(
        projects.get_by_role("row", name="Early Help and Supporting Families National Insights")
    ).to_contain_text("Ended 31 March 2025")
    assert_accessible(page)

    liia.get_by_role("link", name="25 Nov 2026 extract for London Innovation").click()
    expect(page.get_by_role("heading", name="Extract of 25 November 2026", level=1)).to_be_visible()
    expect(page.get_by_text("25 November 2032")).to_be_visible()
    expect(page.get_by_role("row", name="postcode")).to_contain_text("Cut to the postcode district")
    expect(page.get_by_role("row", name="date-of-birth")).to_contain_text("Cut to month and year")
    expect(page.get_by_role("row", name="liia-2026-11-25.csv")).to_be_visible()
    assert_accessible(page)
