"""Sharing a family's information (issue 17), in the browser, with an accessibility scan of
every page visited.

A practitioner shares Yusuf's assessment with his school from the case page, under the
agreement with schools: the family is told, and the letter they are sent is shown. Another
practitioner shares it with the police without telling the family (the exemption the
police agreement allows, and why): it waits; the team manager approves it from the queue on
their home page; then it leaves as a protected package (a link and a password shown once),
which the police download: the PDF opens only with the password. The link is then withdrawn
(it stops working, the page says by whom and why) and a new one made with a new password."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.bundles import render
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing.models import Disclosure
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.factories import AssessmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHOOL = "education"
POLICE = "criminal-justice"
PURPOSE = "best-interests-and-health"
NOT_TELLING = "police-investigation"
REASON = "Telling the family would alert the adult the police are investigating"


def _words():
    """The policy's words for what the pages offer (the pages show words, never ids)."""
    policy = active_policy()
    exemption = next(e for e in policy.sharing.exemptions if e.id == NOT_TELLING)
    return {
        "school": policy.recipient(SCHOOL).name,
        "police": policy.recipient(POLICE).name,
        "purpose": policy.purpose(PURPOSE).wording,
        "exemption": exemption.wording,
    }


def _staff(make_user, team, case):
    worker = make_user("wren", Role.PRACTITIONER)
    colleague = make_user("otto", Role.PRACTITIONER)
    manager = make_user("bea", Role.TEAM_MANAGER)
    team.members.add(worker, colleague, manager)
    case.allocated_worker = worker
    case.save(update_fields=["allocated_worker"])
    return worker, colleague, manager


def _choose(page, label: str) -> None:
    """Check the radio or checkbox whose label starts with `label` (as the policy words it)."""
    page.get_by_label(re.compile("^" + re.escape(label[:40]), re.IGNORECASE)).check()


def test_a_disclosure_the_family_is_told_of_and_one_approved_first_without_telling_them(
    page, browser, live_server, family, case, team, make_user, assert_accessible
):
    worker, colleague, manager = _staff(make_user, team, case)
    AssessmentFactory(case=case, started=case.started)
    yusuf = family["yusuf"]
    words = _words()

    # 1. From the case page, the allocated worker shares the assessment with the school.
    sign_in_through_the_browser(page, worker, STRONG_PASSWORD)
    page.goto(f"/cases/{case.public_id}")
    assert_accessible(page)
    page.get_by_role("link", name="Share information from this case").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Share information about {yusuf.full_name}").click()
    assert_accessible(page)
    _choose(page, words["school"])
    _choose(page, words["purpose"])
    page.get_by_label(re.compile(r"^Assessment, 1 September 2026")).check()
    page.get_by_label(re.compile(r"^Yes: the family is told")).check()
    page.get_by_label("Secure email").check()
    page.get_by_label("Reference").fill("EM-2041")
    page.get_by_role("button", name="Record the disclosure").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name=f"Disclosure to {words['school']}")).to_be_visible()
    expect(page.get_by_role("heading", name="What the family is told")).to_be_visible()
    expect(page.get_by_text("We are writing to tell you")).to_be_visible()
    told = Disclosure.objects.get(recipient=SCHOOL)
    assert (told.status, told.family_told, told.reference) == ("shared", True, "EM-2041")

    # 2. Another practitioner of the team shares it with the police, not telling the family.
    other = browser.new_context(base_url=live_server.url)
    second = other.new_page()
    sign_in_through_the_browser(second, colleague, STRONG_PASSWORD)
    second.goto(f"/people/{yusuf.public_id}")
    assert_accessible(second)
    second.get_by_role("link", name=f"Share information about {yusuf.full_name}").click()
    assert_accessible(second)
    _choose(second, words["police"])
    _choose(second, words["purpose"])
    second.get_by_label(re.compile(r"^Assessment, 1 September 2026")).check()
    second.get_by_label(re.compile(r"^No: an exemption applies")).check()
    _choose(second, words["exemption"])
    second.get_by_label("If not told, why not?").fill(REASON)
    second.get_by_role("button", name="Record the disclosure").click()
    assert_accessible(second)
    expect(second.get_by_text("Do not send this information until a team manager")).to_be_visible()
    waiting = Disclosure.objects.get(recipient=POLICE)
    assert (waiting.status, waiting.family_told, waiting.letter) == ("waiting", False, "")
    assert waiting.exemption == NOT_TELLING and waiting.method == ""

    # 3. The team manager approves it from the queue on their home page.
    third = browser.new_context(base_url=live_server.url)
    boss = third.new_page()
    sign_in_through_the_browser(boss, manager, STRONG_PASSWORD)
    boss.goto("/")
    assert_accessible(boss)
    expect(
        boss.get_by_role("heading", name="Disclosures waiting for your approval")
    ).to_be_visible()
    boss.get_by_role("link", name=f"{yusuf.full_name}: to {words['police']}").click()
    assert_accessible(boss)
    boss.get_by_label(re.compile(r"^Approve")).check()
    boss.get_by_role("button", name="Save decision").click()
    assert_accessible(boss)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == ("approved", manager)

    # 4. Then it leaves as a protected package: the link and the password are shown once.
    second.reload()
    assert_accessible(second)
    second.get_by_role("link", name="Send it as a protected package").click()
    assert_accessible(second)
    second.get_by_label("How will you send the link?").fill(
        "By secure email to the police public protection unit"
    )
    second.get_by_role("button", name="Make the link and password").click()
    assert_accessible(second)
    expect(second.get_by_role("heading", name="Protected package ready to send")).to_be_visible()
    link = second.locator("code").inner_text().strip()
    password = second.locator(".govuk-\\!-font-size-27 strong").inner_text().strip()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.method) == ("shared", "protected_package")
    assert waiting.reference and waiting.reference != password

    # The police open the link (no account), download the PDF: it opens only with the password.
    police = browser.new_context(base_url=live_server.url)
    recipient = police.new_page()
    recipient.goto(link)
    assert_accessible(recipient)
    with recipient.expect_download() as download:
        recipient.get_by_role("link", name=re.compile(r"^Download")).click()
    data = download.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert reader.decrypt("not the password") == 0
    assert yusuf.full_name in render.all_text(data, password)

    # 5. The link went to the wrong inbox: the practitioner withdraws it from the disclosure
    # page (it stops working at once, and the page says by whom and why), then makes a new
    # link with a new password, which works.
    second.get_by_role("link", name="Back to the disclosure").click()
    assert_accessible(second)
    second.get_by_role("link", name="Withdraw the link").click()
    assert_accessible(second)
    second.get_by_role("button", name="Withdraw the link").click()  # no reason yet
    assert_accessible(second)
    expect(second.get_by_role("link", name="Say why the link is withdrawn")).to_be_visible()
    second.get_by_label("Why are you withdrawing the link?").fill("Sent to the wrong inbox")
    second.get_by_role("button", name="Withdraw the link").click()
    assert_accessible(second)
    expect(
        second.get_by_text(f"by {colleague.get_full_name()}: Sent to the wrong inbox")
    ).to_be_visible()
    recipient.goto(link)
    expect(recipient.get_by_text("This link does not work", exact=False).first).to_be_visible()
    second.get_by_role("link", name="Make a new link").click()
    assert_accessible(second)
    second.get_by_label("Why is a new link needed?").fill("The first went to the wrong inbox")
    second.get_by_label("How will you send the link?").fill(
        "By secure email to the named detective"
    )
    second.get_by_role("button", name="Make the new link and password").click()
    assert_accessible(second)
    renewed = second.locator("code").inner_text().strip()
    new_password = second.locator(".govuk-\\!-font-size-27 strong").inner_text().strip()
    assert renewed != link and new_password != password
    recipient.goto(renewed)
    with recipient.expect_download() as download:
        recipient.get_by_role("link", name=re.compile(r"^Download")).click()
    assert yusuf.full_name in render.all_text(download.value.path().read_bytes(), new_password)
    police.close()

    # Every step is in the audit trail against Yusuf, citing the agreement relied on.
    shared = AuditEvent.objects.filter(action="share", record_id=str(yusuf.public_id))
    assert set(shared.values_list("rule", flat=True)) == {
        f"agreement:{told.agreement}",
        f"agreement:{waiting.agreement}",
    }
    other.close()
    third.close()
