"""A request from the police and a safeguarding emergency (issue 17, items 5 and the
emergency route), in the browser, with an accessibility scan of every page visited.

A practitioner logs a police request for Yusuf's information from his page, claiming DPA
2018 Schedule 2 paragraph 2 with the police form's reference; the information governance
officer finds it on the open list and approves it; the practitioner answers it by sharing
the assessment. Then the practitioner shares in a safeguarding emergency; the team manager
finds it flagged on their home page and approves it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing.models import Disclosure, PartnerRequest
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.factories import AssessmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLICE = "criminal-justice"
PURPOSE = "best-interests-and-health"


def _choose(page, label: str) -> None:
    """Check the radio whose label starts with `label` (as the policy words it)."""
    page.get_by_label(re.compile("^" + re.escape(label[:40]), re.IGNORECASE)).check()


def test_a_police_request_approved_and_answered_and_an_emergency_share_approved_after(
    page, browser, live_server, family, case, team, make_user, assert_accessible
):
    worker = make_user("wren", Role.PRACTITIONER)
    manager = make_user("bea", Role.TEAM_MANAGER)
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE)
    team.members.add(worker, manager)
    case.allocated_worker = worker
    case.save(update_fields=["allocated_worker"])
    AssessmentFactory(case=case, started=case.started)
    yusuf = family["yusuf"]
    policy = active_policy()
    police, purpose = policy.recipient(POLICE).name, policy.purpose(PURPOSE).wording
    crime = policy.sharing.partner_requests.basis("crime-and-taxation")

    # 1. The practitioner logs the request from Yusuf's page.
    sign_in_through_the_browser(page, worker, STRONG_PASSWORD)
    page.goto(f"/people/{yusuf.public_id}")
    assert_accessible(page)
    page.get_by_role("link", name=f"Log a request from a partner about {yusuf.full_name}").click()
    assert_accessible(page)
    _choose(page, police)
    page.get_by_label("Organisation", exact=True).fill("Metropolitan Police")
    page.get_by_label("Who is asking?").fill("DC Rowe")
    page.get_by_label("Their contact for the answer").fill("rowe@police.example")
    _choose(page, crime.name)
    page.get_by_label("Their form's reference").fill("DP-2026-7")
    page.get_by_label("What are they asking for?").fill("Dates the family was seen")
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Log the request").click()
    assert_accessible(page)
    expect(page.get_by_text(crime.law)).to_be_visible()
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    logged = PartnerRequest.objects.get()

    # 2. The information governance officer approves it from the open list.
    other = browser.new_context(base_url=live_server.url)
    ig = other.new_page()
    sign_in_through_the_browser(ig, officer, STRONG_PASSWORD)
    ig.goto("/")
    ig.get_by_role("link", name="Open requests from partners").click()
    assert_accessible(ig)
    ig.get_by_role("link", name=yusuf.full_name).click()
    assert_accessible(ig)
    ig.get_by_role("link", name="Approve or refuse answering this request").click()
    assert_accessible(ig)
    ig.get_by_label(re.compile(r"^Approve")).check()
    ig.get_by_role("button", name="Save decision").click()
    assert_accessible(ig)
    logged.refresh_from_db()
    assert (logged.approval, logged.approved_by) == ("approved", officer)

    # 3. The practitioner answers it by sharing the assessment.
    page.reload()
    page.get_by_role("link", name="Answer by sharing").click()
    assert_accessible(page)
    _choose(page, purpose)
    page.get_by_label(re.compile(r"^Assessment, 1 September 2026")).check()
    page.get_by_label(re.compile(r"^Yes: the family is told")).check()
    page.get_by_label("Secure email").check()
    page.get_by_label("Reference").fill("EM-3001")
    page.get_by_role("button", name="Share and record the answer").click()
    assert_accessible(page)
    expect(page.get_by_text("Answered: information shared")).to_be_visible()
    logged.refresh_from_db()
    assert logged.disclosure.recipient == POLICE and logged.disclosure.reference == "EM-3001"

    # 4. An emergency: the practitioner shares first; the manager approves after.
    page.goto(f"/people/{yusuf.public_id}")
    page.get_by_role(
        "link", name=f"Share in a safeguarding emergency about {yusuf.full_name}"
    ).click()
    assert_accessible(page)
    page.get_by_label("What is the emergency?").fill("Yusuf says he is afraid to go home")
    _choose(page, police)
    _choose(page, purpose)
    page.get_by_label(re.compile(r"^Assessment, 1 September 2026")).check()
    page.get_by_label(re.compile(r"^Yes: the family is told")).check()
    page.get_by_label("Secure email").check()
    page.get_by_label("Reference").fill("EM-3002")
    page.get_by_role("button", name="Share now").click()
    assert_accessible(page)
    expect(page.get_by_text("Awaiting approval")).to_be_visible()
    urgent = Disclosure.objects.get(emergency=True)

    third = browser.new_context(base_url=live_server.url)
    boss = third.new_page()
    sign_in_through_the_browser(boss, manager, STRONG_PASSWORD)
    boss.goto("/")
    assert_accessible(boss)
    expect(
        boss.get_by_role("heading", name="Emergency shares awaiting your approval")
    ).to_be_visible()
    boss.get_by_role("link", name=f"{yusuf.full_name}: to {police}").last.click()
    assert_accessible(boss)
    boss.get_by_label(re.compile(r"^I approve this share")).check()
    boss.get_by_role("button", name="Approve").click()
    assert_accessible(boss)
    urgent.refresh_from_db()
    assert urgent.emergency_approved_by == manager
    other.close()
    third.close()
