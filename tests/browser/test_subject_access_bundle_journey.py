"""The information governance officer answers a parent's request for their son's records:
opens the request, makes the bundle, accepts one proposed redaction, rejects one, adds one
with its exemption, redacts the rest, approves, sends it and downloads the protected PDF,
which opens only with the password shown and holds none of the redacted words."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from earlyhelp.access.roles import Role
from earlyhelp.bundles import render
from earlyhelp.bundles.models import Redaction
from earlyhelp.rights.models import RequestPerson
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.factories import ContactFactory
from tests.rights.scope_records import a_request, in_scope, ready_for_a_bundle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = (
    "Home visit. Yusuf showed me his drawings. Leila was unwell so stayed in bed. "
    "Tomasz rang during the visit from 07700 900461 about collecting the children."
)


def test_the_officer_reviews_approves_and_downloads_a_protected_bundle(
    page, family, case, make_user, assert_accessible, settings, tmp_path
):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    officer = make_user("grace", Role.INFORMATION_GOVERNANCE)
    ContactFactory(case=case, note=NOTE)
    rights_request = a_request(handled_by=officer)
    in_scope(rights_request, family["yusuf"], officer)
    in_scope(rights_request, family["mum"], officer, role=RequestPerson.Role.REQUESTER)
    rights_request = ready_for_a_bundle(rights_request, family["yusuf"], family["mum"], officer)

    sign_in_through_the_browser(page, officer, STRONG_PASSWORD)
    page.goto(f"/rights/requests/{rights_request.public_id}")
    assert_accessible(page)
    page.get_by_role("link", name="Make, review and send the bundle").click()
    assert_accessible(page)
    page.get_by_role("button", name="Make the bundle").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Review the proposed redactions")).to_be_visible()

    # Accept one proposal, reject another.
    page.get_by_role("button", name=re.compile(r"^Redact redaction 1 ")).first.click()
    assert_accessible(page)
    # The first proposal keeps its buttons (a decision can be changed): reject the second.
    page.get_by_role("button", name=re.compile(r"^Do not redact redaction")).nth(1).click()
    assert_accessible(page)
    decided = Redaction.objects.exclude(decision="pending").order_by("decided_at")
    assert [r.decision for r in decided] == ["accepted", "rejected"]
    rejected = decided[1]
    rejected_words = rejected.item.text[rejected.start : rejected.end]

    # Add one the product did not propose, under the serious harm exemption.
    note = page.locator("div[id^=item-]", has_text="unwell so stayed in bed")
    note.get_by_role("link", name=re.compile(r"^Add a redaction")).click()
    assert_accessible(page)
    page.get_by_label("Words to redact").fill("unwell so stayed in bed")
    page.get_by_label(re.compile(r"^Serious harm")).check()
    page.get_by_label("Reason").fill("Health information about her sister")
    page.get_by_role("button", name="Add the redaction").click()
    assert_accessible(page)
    added = Redaction.objects.get(origin="added")
    assert added.exemption == "serious-harm"

    # Redact what is left, approve, and send.
    page.get_by_role("button", name=re.compile(r"^Redact the \d+ not decided")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve the bundle").click()
    assert_accessible(page)
    expect(page.get_by_text("Approved", exact=True)).to_be_visible()
    page.get_by_role("link", name="Send to the requester").click()
    assert_accessible(page)
    page.get_by_label("How will you send the link?").fill("By email to the address given")
    page.get_by_role("button", name="Make the link and password").click()
    assert_accessible(page)
    password = page.locator(".govuk-\\!-font-size-27 strong").inner_text().strip()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the protected PDF").click()
    data = download.value.path().read_bytes()

    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert reader.decrypt("not the password") == 0
    text = render.all_text(data, password)
    accepted = Redaction.objects.filter(decision="accepted").select_related("item")
    for redaction in accepted:
        assert redaction.item.text[redaction.start : redaction.end] not in text
    assert "unwell so stayed in bed" not in text
    assert rejected_words in text
    assert "Yusuf" in text
