"""A worker preparing a case conference filters the family's chronology to a month and to
one colleague's work, opens the print view with that filter, and from the case page opens
the list of every contact. Every page visited is scanned."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.cases.services import record_contact
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_filters_the_chronology_prints_it_and_reads_every_contact(
    page, live_server, make_user, case, team, family, assert_accessible
):
    priya = make_user("priya", Role.PRACTITIONER)
    priya.first_name, priya.last_name = "Priya", "Shah"
    priya.save()
    ola = make_user("ola", Role.PRACTITIONER)
    ola.first_name, ola.last_name = "Ola", "Bello"
    ola.save()
    for worker in (priya, ola):
        team.members.add(worker)
    start = timezone.make_aware(datetime(2026, 10, 1, 10))
    for n in range(12):
        record_contact(
            case=case,
            author=ola if n % 2 else priya,
            kind="home_visit",
            occurred_at=start + timedelta(days=n),
            note=f"October visit {n}",
        )
    record_contact(
        case=case,
        author=ola,
        kind="phone_call",
        occurred_at=timezone.make_aware(datetime.combine(date(2026, 11, 20), datetime.min.time())),
        note="A November call",
    )

    sign_in_through_the_browser(page, priya, STRONG_PASSWORD)
    page.goto(
        live_server.url
        + reverse("people:household_chronology", args=[family["household"].public_id])
    )
    assert_accessible(page)
    since = page.get_by_role("group", name="From")
    since.get_by_label("Day").fill("1")
    since.get_by_label("Month").fill("10")
    since.get_by_label("Year").fill("2026")
    until = page.get_by_role("group", name="To")
    until.get_by_label("Day").fill("31")
    until.get_by_label("Month").fill("10")
    until.get_by_label("Year").fill("2026")
    page.get_by_label("Recorded by").select_option(label="Ola Bello")
    page.get_by_role("button", name="Filter").click()
    assert_accessible(page)
    expect(page.get_by_text("October visit 1", exact=True)).to_be_visible()
    expect(page.get_by_text("October visit 2", exact=True)).to_have_count(0)
    expect(page.get_by_text("A November call")).to_have_count(0)
    expect(page.get_by_text("6 events, newest first.")).to_be_visible()

    page.get_by_role("link", name="Print view of this chronology").click()
    assert_accessible(page)
    expect(page.get_by_text("Recorded by Ola Bello").first).to_be_visible()
    expect(page.get_by_text("October visit 11", exact=True)).to_be_visible()
    expect(page.get_by_text("October visit 2", exact=True)).to_have_count(0)
    expect(page.locator("header")).to_have_count(0)  # a clean page: no header, no navigation

    page.goto(live_server.url + reverse("cases:case", args=[case.public_id]))
    assert_accessible(page)
    expect(page.locator("#case-reference")).to_have_text(case.reference)
    page.get_by_role("link", name="All 13 contacts of this case").click()
    assert_accessible(page)
    expect(page.get_by_text("13 contacts, newest first.")).to_be_visible()
    expect(page.get_by_text("October visit 0", exact=True)).to_be_visible()
