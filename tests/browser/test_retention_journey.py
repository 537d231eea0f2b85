"""Retention and destruction (issue 18), in the browser, with an accessibility scan of every
page visited.

Three adults have had nothing to do with the service since 2012: six years after the last
involvement, their records are long past their date. The IG officer finds Helen Marsh and
places a legal hold on her records for an inquiry. The plan runs (`earlyhelp retention
plan`, as cron runs it). A team manager opens the review from their home page: Helen is not
listed; they defer Ivor Quinn's records with a reason, and approve the batch. Disposal runs
(`earlyhelp retention dispose`). The certificate of destruction is shown, on the page and as
a PDF, and names nobody whose records were destroyed."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.bundles.render import all_text
from earlyhelp.people.models import Person
from earlyhelp.retention.models import DestructionReview, LegalHold, PlannedDestruction
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_AGO = datetime(2012, 3, 1, 12, tzinfo=UTC)
INQUIRY = "Independent Inquiry into Child Sexual Abuse"
DEFER_REASON = "Her brother's case was referred to us again last week"


def _person_last_seen_long_ago(given: str, family: str, born: date) -> Person:
    made = PersonFactory(given_name=given, family_name=family, date_of_birth=born)
    Person.objects.filter(pk=made.pk).update(created_at=LONG_AGO)
    made.refresh_from_db()
    return made


def _fill_date(page, group: str, day: date) -> None:
    scope = page.get_by_role("group", name=group)
    scope.get_by_label("Day").fill(str(day.day))
    scope.get_by_label("Month").fill(str(day.month))
    scope.get_by_label("Year").fill(str(day.year))


def test_a_hold_a_review_an_approval_and_a_certificate_that_names_nobody(
    page, browser, live_server, make_user, assert_accessible
):
    gareth = _person_last_seen_long_ago("Gareth", "Pryce", date(1971, 2, 3))
    helen = _person_last_seen_long_ago("Helen", "Marsh", date(1975, 6, 7))
    ivor = _person_last_seen_long_ago("Ivor", "Quinn", date(1968, 10, 11))
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE)
    manager = make_user("mo", Role.TEAM_MANAGER)
    officer.first_name, officer.last_name = "Ines", "Okafor"
    manager.first_name, manager.last_name = "Mo", "Lindqvist"
    officer.save(update_fields=["first_name", "last_name"])
    manager.save(update_fields=["first_name", "last_name"])

    # 1. The IG officer finds Helen and places a legal hold on her records.
    sign_in_through_the_browser(page, officer, STRONG_PASSWORD)
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Legal holds").click()
    assert_accessible(page)
    expect(page.get_by_text("No legal hold is in force.")).to_be_visible()
    page.get_by_role("link", name="find the person").click()
    page.get_by_label("Name", exact=True).fill("Helen Marsh")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Place a legal hold on Helen Marsh's records").click()
    assert_accessible(page)
    expect(page.get_by_text("Helen Marsh", exact=True)).to_be_visible()
    page.get_by_label("Who asked for the records to be kept?").fill(INQUIRY)
    page.get_by_label("Their reference (optional)").fill("IICSA-2015-07")
    page.get_by_label("Helen Marsh only").check()
    page.get_by_label("Why are the records kept?").fill(
        "The inquiry asked councils to keep every record about child protection and care"
    )
    review_on = timezone.localdate() + timedelta(days=180)
    _fill_date(page, "When is the hold reviewed?", review_on)
    page.get_by_role("button", name="Place the hold").click()
    assert_accessible(page)
    expect(page.get_by_text("Legal hold placed")).to_be_visible()
    expect(page.get_by_role("heading", name=INQUIRY)).to_be_visible()
    hold = LegalHold.objects.get()
    assert (hold.person, hold.scope, hold.review_on) == (helen, "person", review_on)
    page.get_by_role("link", name="Back to legal holds").click()
    assert_accessible(page)
    expect(page.get_by_role("cell", name="Helen Marsh")).to_be_visible()

    # 2. The plan runs, as cron runs it.
    call_command("retention", "plan")
    review = DestructionReview.objects.get()
    planned = set(review.items.values_list("person", flat=True))
    assert planned == {gareth.pk, ivor.pk}

    # 3. A team manager reviews it: Helen is held, so not listed. Ivor is deferred.
    manager_context = browser.new_context(base_url=live_server.url)
    boss = manager_context.new_page()
    sign_in_through_the_browser(boss, manager, STRONG_PASSWORD)
    boss.goto("/")
    assert_accessible(boss)
    expect(boss.get_by_text("2 records waiting for review")).to_be_visible()
    boss.get_by_role("link", name="Destruction reviews").click()
    assert_accessible(boss)
    boss.get_by_role("link", name=re.compile(r"^Planned ")).click()
    assert_accessible(boss)
    table = boss.get_by_role("table")
    expect(table.get_by_role("cell", name="Gareth Pryce", exact=True)).to_be_visible()
    expect(table.get_by_role("cell", name="Ivor Quinn", exact=True)).to_be_visible()
    expect(boss.get_by_text("Helen Marsh")).to_have_count(0)
    boss.get_by_role("link", name="Defer Ivor Quinn").click()
    assert_accessible(boss)
    boss.get_by_role("button", name="Defer").click()  # no reason: refused, naming it
    assert_accessible(boss)
    expect(
        boss.get_by_role("link", name="Enter why these records are kept for now")
    ).to_be_visible()
    boss.get_by_label("Why are these records kept for now?").fill(DEFER_REASON)
    boss.get_by_role("button", name="Defer").click()
    assert_accessible(boss)
    expect(boss.get_by_text("Deferred: these records are kept out of this batch")).to_be_visible()
    expect(boss.get_by_role("cell", name=re.compile(r"^Deferred until "))).to_be_visible()
    deferred = review.items.get(person=ivor)
    assert (deferred.status, deferred.deferred_reason) == ("deferred", DEFER_REASON)
    boss.get_by_role("button", name="Approve destruction of 1 person’s records").click()
    assert_accessible(boss)  # refused: the confirmation is not ticked
    expect(
        boss.get_by_role(
            "link", name="Confirm that you have reviewed these records before approving"
        )
    ).to_be_visible()
    boss.get_by_label("I have reviewed these records").check()
    boss.get_by_role("button", name="Approve destruction of 1 person’s records").click()
    assert_accessible(boss)
    expect(boss.get_by_text("Destruction of 1 person’s records approved")).to_be_visible()
    review.refresh_from_db()
    assert (review.status, review.approved_by) == ("approved", manager)

    # 4. Disposal runs.
    call_command("retention", "dispose")
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.DESTROYED
    assert not Person.objects.filter(pk=gareth.pk).exists()
    assert Person.objects.filter(pk__in=[helen.pk, ivor.pk]).count() == 2
    assert PlannedDestruction.objects.get(review=review, status="destroyed").person is None

    # 5. The certificate, on the IG officer's pages and as a PDF: nobody named.
    page.goto("/")
    page.get_by_role("link", name="Certificates of destruction").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Records due by ")).click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Certificate of destruction")).to_be_visible()
    certificate = page.locator("#certificate")
    expect(certificate).to_contain_text(str(review.public_id))
    expect(certificate).to_contain_text("Mo Lindqvist")
    expect(certificate).to_contain_text("An adult's records: kept for 6 years after")
    text = page.locator("main").inner_text()
    pdf = page.request.get(
        page.get_by_role("link", name="Download the certificate (PDF)").get_attribute("href")
    )
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    printed = all_text(pdf.body())
    assert str(review.public_id) in printed
    for destroyed in ("Gareth", "Pryce", str(gareth.public_id), "3 February 1971"):
        assert destroyed not in text and destroyed not in printed, destroyed
    for kept in ("Ivor", "Quinn", "Helen", "Marsh"):
        assert kept not in text and kept not in printed, kept
    manager_context.close()
