"""The analyst runs the LIIA extract from the screen, notes the password shown once,
downloads the protected file (the CSV, Parquet and manifest attached to it) and finds the
extract's manifest naming them as its maker, with the download counted. Every page visited
is scanned."""

import csv
import io

import pytest
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.extracts.models import Extract
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.extracts.screen_records import attachments, screen_keys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_analyst_runs_and_downloads_a_liia_extract_from_the_screen(
    page, make_user, family, case, settings, tmp_path, assert_accessible
):
    screen_keys(settings, tmp_path)
    analyst = make_user("anwen", Role.ANALYST)
    analyst.first_name, analyst.last_name = "Anwen", "Price"
    analyst.save()

    sign_in_through_the_browser(page, analyst, STRONG_PASSWORD)
    page.get_by_role("link", name="Pseudonymised projects and extracts").click()
    expect(
        page.get_by_role("heading", name="Pseudonymised projects and extracts", level=1)
    ).to_be_visible()
    ended = page.get_by_role("row", name="Early Help and Supporting Families National Insights")
    expect(ended).to_contain_text("Not open")
    assert_accessible(page)

    page.get_by_role("link", name="Run an extract for London Innovation").click()
    expect(page.get_by_role("heading", name="Run an extract", level=1)).to_be_visible()
    expect(page.get_by_text("For 7 days, encrypted, then deleted")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Run the extract").click()

    expect(page.get_by_role("heading", name="Extract made", level=1)).to_be_visible()
    expect(page.get_by_text("made by Anwen Price")).to_be_visible()
    assert_accessible(page)
    password = page.locator("#password").inner_text().strip()
    assert len(password) == 19  # four groups of four, as every protected export's
    extract = Extract.objects.get(project="liia")
    assert extract.made_by == analyst and extract.held_file_sha256

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the protected file").click()
    assert download.value.suggested_filename == (
        f"liia-{extract.extract_date.isoformat()}-extract.pdf"
    )
    files = attachments(download.value.path().read_bytes(), password)
    rows = list(csv.DictReader(io.StringIO(files[f"liia-{extract.extract_date}.csv"].decode())))
    assert len(rows) == 2
    assert all("Haddad" not in value for row in rows for value in row.values())

    page.get_by_role("link", name="The extract's manifest").click()
    expect(page.get_by_role("heading", name="Extract of", level=1)).to_be_visible()
    made = page.get_by_role("definition").filter(has_text="by Anwen Price")
    expect(made).to_be_visible()
    held = page.locator("#held-files")
    expect(held).to_contain_text("Held, encrypted, until")
    expect(held).to_contain_text("downloaded 1 time")
    assert_accessible(page)
