"""The sharing pages: share from a person's page, the refusal in words, the person's
"Shared with" section, the manager's approval queue on their home page, and the IG log."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.rights.models import ProcessingRestriction
from earlyhelp.sharing.models import Disclosure
from tests.policy import camden_dict, write_policy

SCHOOL = "education"
PURPOSE = "best-interests-and-health"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _share(client, person, key, **more):
    data = {
        "recipient": SCHOOL,
        "purpose": PURPOSE,
        "items": [key],
        "tell": "tell",
        "method": "secure_email",
        "reference": "EM-1",
        **more,
    }
    return client.post(reverse("sharing:share", args=[person.public_id]), data)


def test_a_practitioner_shares_an_assessment_with_a_school_and_the_family_is_told(
    client, sign_in, worker, family, assessment_key
):
    sign_in(worker)
    yusuf = family["yusuf"]
    form = client.get(reverse("sharing:share", args=[yusuf.public_id]))
    assert form.status_code == 200
    shown = _text(form)
    assert "Assessment, 1 September 2026" in shown
    assert "Reports relating to your situation" in shown  # the category, in the notice's words
    assert "reports-and-plans" not in shown
    looked = AuditEvent.objects.filter(
        action="view", record_id=str(yusuf.public_id), details__page="share"
    )
    assert looked.exists()

    response = _share(client, yusuf, assessment_key)
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("sharing:disclosure", args=[disclosure.public_id])
    page = _text(client.get(response.url))
    assert "What the family is told" in page
    assert "We are writing to tell you" in page

    person_page = _text(client.get(reverse("people:person", args=[yusuf.public_id])))
    assert "Shared with" in person_page
    assert "Education" in person_page and "Share information" in person_page


def test_a_refusal_is_shown_on_the_form_in_words_never_codes(
    client, sign_in, worker, family, assessment_key, settings, tmp_path
):
    data = camden_dict()
    next(a for a in data["agreements"] if a["id"] == "notice-education")["valid_to"] = date(
        2025, 3, 31
    )
    settings.POLICY_PATH = write_policy(tmp_path, data)
    sign_in(worker)
    response = _share(client, family["yusuf"], assessment_key)
    assert response.status_code == 200
    text = _text(response)
    assert "No agreement with" in text and "is in force on" in text
    assert "notice-education" not in text and "rule:" not in text
    assert Disclosure.objects.count() == 0


def test_not_telling_the_family_waits_on_the_managers_home_page_until_approved(
    client, sign_in, worker, boss, family, assessment_key
):
    sign_in(worker)
    response = _share(
        client,
        family["yusuf"],
        assessment_key,
        recipient="criminal-justice",
        tell="do_not_tell",
        exemption="asking-police-for-information",
        exemption_reason="Police enquiry under way",
        method="",
        reference="",
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.status == Disclosure.Status.WAITING

    sign_in(boss)
    home = client.get(reverse("web:home"))
    decide = reverse("sharing:decide", args=[disclosure.public_id])
    assert decide in home.content.decode()
    assert client.post(decide, {"decision": "approve", "note": ""}).status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.status == Disclosure.Status.APPROVED


def test_the_maker_sees_why_they_cannot_approve_their_own(
    client, sign_in, boss, family, assessment_key
):
    sign_in(boss)
    _share(
        client,
        family["yusuf"],
        assessment_key,
        recipient="criminal-justice",
        tell="do_not_tell",
        exemption="asking-police-for-information",
        exemption_reason="Police enquiry under way",
    )
    disclosure = Disclosure.objects.get()
    decide = reverse("sharing:decide", args=[disclosure.public_id])
    response = client.post(decide, {"decision": "approve"})
    assert response.status_code == 200
    assert "another team manager must approve it" in _text(response)
    disclosure.refresh_from_db()
    assert disclosure.status == Disclosure.Status.WAITING


def test_the_share_page_is_refused_for_a_person_restricted_from_processing(
    client, sign_in, worker, family, make_user
):
    ProcessingRestriction.objects.create(
        person=family["yusuf"],
        reason="Disputes the record",
        started_on=date(2026, 11, 1),
        created_by=make_user("ines", Role.INFORMATION_GOVERNANCE),
    )
    sign_in(worker)
    response = client.get(reverse("sharing:share", args=[family["yusuf"].public_id]))
    assert response.status_code == 403
    assert "restricted from processing" in _text(response)


@pytest.mark.parametrize("refusal", ["other team", "analyst"])
def test_the_share_page_is_refused_without_need_to_know(
    client, sign_in, make_user, family, case, refusal
):
    from tests.factories import TeamFactory

    if refusal == "analyst":
        user = make_user("ana", Role.ANALYST)
    else:
        user = make_user("olu", Role.PRACTITIONER)
        TeamFactory(name="South youth", service="iyss").members.add(user)
    sign_in(user)
    response = client.get(reverse("sharing:share", args=[family["yusuf"].public_id]))
    assert response.status_code == 403


def test_the_information_governance_officer_lists_every_disclosure(
    client, sign_in, worker, family, assessment_key, make_user
):
    sign_in(worker)
    _share(client, family["yusuf"], assessment_key)
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE)
    sign_in(officer)
    response = client.get(reverse("sharing:log"))
    assert response.status_code == 200
    text = _text(response)
    assert "Yusuf Haddad" in text and "Education" in text
    assert AuditEvent.objects.filter(
        actor=officer, record_id=str(family["yusuf"].public_id), rule="access:governance"
    ).exists()
    disclosure = Disclosure.objects.get()
    detail = client.get(reverse("sharing:disclosure", args=[disclosure.public_id]))
    assert detail.status_code == 200


def test_a_record_open_only_by_break_glass_cannot_be_shared(
    client, sign_in, make_user, family, case, assessment_key
):
    from tests.factories import TeamFactory

    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    sign_in(outsider)
    glass = reverse("people:break_glass", args=[family["yusuf"].public_id])
    assert (
        client.post(glass, {"reason": "Police at the door, child said to be missing"}).status_code
        == 302
    )
    assert client.get(reverse("people:person", args=[family["yusuf"].public_id])).status_code == 200
    response = _share(client, family["yusuf"], assessment_key)
    assert response.status_code == 403
    assert Disclosure.objects.count() == 0
