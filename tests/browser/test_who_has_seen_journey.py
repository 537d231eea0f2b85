"""The IG officer finds a child's record, narrows "who has seen" to one worker's looks in a
range of days, and exports them as a CSV file; then reviews that worker's emergency access as
not justified, and the worker's team manager finds the notice on their home page and marks it
read. Every page visited is scanned."""

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _named(make_user, username, first, last, role):
    user = make_user(username, role)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def _look_on(monkeypatch, actor, person, day: date, page: str = "person") -> None:
    with monkeypatch.context() as patched:
        moment = datetime(day.year, day.month, day.day, 11, 30, tzinfo=UTC)
        patched.setattr(timezone, "now", lambda: moment)
        record(
            action="view",
            record_type="person",
            record_id=person.public_id,
            rule="access:allocation",
            details={"page": page},
            actor=actor,
        )


def test_the_officer_filters_who_has_seen_to_one_workers_looks_in_a_range_and_exports_them(
    page, live_server, make_user, case, team, family, assert_accessible, monkeypatch, tmp_path
):
    yusuf = family["yusuf"]
    priya = _named(make_user, "priya", "Priya", "Shah", Role.PRACTITIONER)
    marcus = _named(make_user, "marcus", "Marcus", "Bell", Role.TEAM_MANAGER)
    team.members.add(priya, marcus)
    gwen = _named(make_user, "gwen", "Gwen", "Ifans", Role.INFORMATION_GOVERNANCE)
    for day in (date(2026, 10, 30), date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 20)):
        _look_on(monkeypatch, priya, yusuf, day)
    _look_on(monkeypatch, priya, yusuf, date(2026, 11, 12), page="search")
    _look_on(monkeypatch, marcus, yusuf, date(2026, 11, 5))

    sign_in_through_the_browser(page, gwen, STRONG_PASSWORD)
    assert_accessible(page)
    page.get_by_role("link", name="Find a person to see who has looked at their record").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Yusuf Haddad")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Who has seen Yusuf Haddad's record").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Who has seen this record")).to_be_visible()

    page.get_by_label("Member of staff").select_option(label="Priya Shah")
    page.locator("#id_since_0").fill("1")
    page.locator("#id_since_1").fill("11")
    page.locator("#id_since_2").fill("2026")
    page.locator("#id_until_0").fill("15")
    page.locator("#id_until_1").fill("11")
    page.locator("#id_until_2").fill("2026")
    page.get_by_role("button", name="Show events").click()
    assert_accessible(page)
    table = page.locator("table.govuk-table")
    expect(table.locator("caption")).to_contain_text("3 events matching the filters")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table).not_to_contain_text("Marcus Bell")
    expect(table).to_contain_text("Listed in search results")
    expect(page.get_by_label("Member of staff")).to_have_value(str(priya.pk))

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download these 3 events as a spreadsheet (CSV)").click()
    download = waiting.value
    assert download.suggested_filename.startswith("who-has-seen-")
    assert "Haddad" not in download.suggested_filename
    saved = Path(tmp_path) / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert rows[0] == ["When", "Who", "What", "Where", "Information", "Why"]
    assert [(row[0], row[1], row[2]) for row in rows[1:]] == [
        ("12 Nov 2026 11:30", "Priya Shah", "Listed in search results"),
        ("10 Nov 2026 11:30", "Priya Shah", "Looked at"),
        ("3 Nov 2026 11:30", "Priya Shah", "Looked at"),
    ]
    export = AuditEvent.objects.get(action="export", record_id=str(yusuf.public_id))
    assert (export.actor, export.details["rows"]) == (gwen, 3)


def test_a_not_justified_emergency_access_reaches_the_workers_manager_who_marks_it_read(
    page, live_server, make_user, case, family, assert_accessible
):
    south = TeamFactory(name="South youth", service="iyss")
    olu = _named(make_user, "olu", "Olu", "Adeyemi", Role.PRACTITIONER)
    ngozi = _named(make_user, "ngozi", "Ngozi", "Eze", Role.TEAM_MANAGER)
    south.members.add(olu, ngozi)
    gwen = _named(make_user, "gwen", "Gwen", "Ifans", Role.INFORMATION_GOVERNANCE)
    glass = record(
        action="break_glass",
        record_type="person",
        record_id=family["yusuf"].public_id,
        reason="Police at the door",
        flagged=True,
        rule="access:break-glass",
        actor=olu,
    )

    sign_in_through_the_browser(page, gwen, STRONG_PASSWORD)
    page.goto(live_server.url + reverse("governance:review", args=[glass.pk]))
    assert_accessible(page)
    page.get_by_label("Not justified: referred to the manager").check()
    page.get_by_label("Note (optional)").fill("Not an emergency: ask the family's team")
    page.get_by_role("button", name="Record review").click()
    assert_accessible(page)
    expect(page.get_by_text("Ngozi Eze will see on their home page")).to_be_visible()
    page.context.clear_cookies()

    sign_in_through_the_browser(page, ngozi, STRONG_PASSWORD)
    assert_accessible(page)
    banner = page.locator(".govuk-notification-banner", has_text="Emergency access not justified")
    expect(banner).to_contain_text("found not justified by Gwen Ifans")
    banner.get_by_role("link", name="Olu Adeyemi's emergency access on").click()
    assert_accessible(page)
    expect(page.get_by_text("Not an emergency: ask the family's team")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Haddad")
    page.get_by_role("button", name="Mark as read").click()
    assert_accessible(page)
    expect(page.get_by_text("Notice marked as read")).to_be_visible()
    page.get_by_role("link", name="Back to your home page").click()
    assert_accessible(page)
    expect(page.get_by_text("Olu Adeyemi's emergency access on")).to_have_count(0)
