"""A safeguarding emergency shares first: the disclosure leaves at once, flagged until a team
manager approves it, due within the policy's hours and marked overdue after; it is on the
manager's queue. The sharing rules still apply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.sharing import emergency
from earlyhelp.sharing.models import Disclosure
from earlyhelp.sharing.services import ShareRefused
from tests.policy import camden_dict, write_policy

POLICE = "criminal-justice"
PURPOSE = "best-interests-and-health"
SENT = {"method": "secure_email", "reference": "EM-2026-0111"}


def _share(request, person, key, **changes) -> Disclosure:
    asked = {
        "emergency_reason": "Yusuf disclosed he is being hurt at home tonight",
        "recipient": POLICE,
        "purpose": PURPOSE,
        "item_keys": [key],
        "tell_family": False,
        "exemption": "safeguarding-alert",
        "exemption_reason": "Telling the family could put Yusuf at risk",
        **SENT,
        **changes,
    }
    return emergency.share_in_emergency(request, person, **asked)


def test_an_emergency_share_leaves_at_once_and_is_flagged_until_approved(
    request_as, worker, family, assessment_key
):
    before = timezone.now()
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    assert disclosure.status == Disclosure.Status.SHARED and disclosure.sent_at is not None
    assert disclosure.emergency and disclosure.awaiting_emergency_approval
    hours = camden_dict()["sharing"]["emergency_approval_within_hours"]
    assert before + timedelta(hours=hours) <= disclosure.approval_due_at
    assert disclosure.approval_due_at <= timezone.now() + timedelta(hours=hours)
    assert not disclosure.family_told and disclosure.exemption == "safeguarding-alert"
    events = AuditEvent.objects.filter(record_id=str(family["yusuf"].public_id), action="share")
    assert any("emergency" in e.details.get("what", "") for e in events)


def test_past_the_policys_time_an_unapproved_emergency_share_is_overdue(
    request_as, worker, family, assessment_key
):
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    due = disclosure.approval_due_at
    assert disclosure.emergency_overdue(due) is False
    assert disclosure.emergency_overdue(due + timedelta(seconds=1)) is True


def test_it_is_on_the_managers_queue_until_approved_and_then_leaves_it(
    request_as, worker, boss, family, assessment_key
):
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    assert list(emergency.awaiting_approval_for(boss)) == [disclosure]
    approved = emergency.approve_emergency(request_as(boss), disclosure, note="Right call")
    assert approved.emergency_approved_by == boss and not approved.awaiting_emergency_approval
    assert approved.emergency_overdue(approved.approval_due_at + timedelta(days=1)) is False
    assert list(emergency.awaiting_approval_for(boss)) == []


def test_the_manager_who_shared_cannot_approve_it(request_as, boss, family, assessment_key):
    disclosure = _share(request_as(boss), family["yusuf"], assessment_key)
    with pytest.raises(ShareRefused, match=r"^decision: you made this share"):
        emergency.approve_emergency(request_as(boss), disclosure)


def test_a_practitioner_cannot_approve_it(request_as, worker, family, assessment_key, make_user):
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    with pytest.raises(ShareRefused, match=r"^decision: only a team manager"):
        emergency.approve_emergency(request_as(worker), disclosure)


def test_a_late_approval_is_recorded_as_late(request_as, worker, boss, family, assessment_key):
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    Disclosure.objects.filter(pk=disclosure.pk).update(
        approval_due_at=timezone.now() - timedelta(hours=1)
    )
    emergency.approve_emergency(request_as(boss), disclosure)
    event = AuditEvent.objects.filter(
        record_id=str(family["yusuf"].public_id), details__late=True
    ).get()
    assert "after the time due" in event.details["what"]


def test_without_an_emergency_time_in_the_policy_there_is_no_emergency_route(
    settings, tmp_path, request_as, worker, family, assessment_key
):
    data = camden_dict()
    data["sharing"].pop("emergency_approval_within_hours")
    settings.POLICY_PATH = write_policy(tmp_path, data)
    with pytest.raises(ShareRefused, match=r"^emergency: the policy sets no time"):
        _share(request_as(worker), family["yusuf"], assessment_key)
    assert Disclosure.objects.count() == 0


def test_the_policy_still_decides_an_emergency_share(request_as, worker, family, assessment_key):
    with pytest.raises(ShareRefused, match=r"^exemption: "):
        _share(request_as(worker), family["yusuf"], assessment_key, exemption="")
    assert Disclosure.objects.count() == 0


def test_the_managers_home_page_lists_it_marked_overdue(
    client, sign_in, request_as, worker, boss, family, assessment_key
):
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    Disclosure.objects.filter(pk=disclosure.pk).update(
        approval_due_at=timezone.now() - timedelta(hours=1)
    )
    sign_in(boss)
    page = client.get(reverse("web:home")).content.decode()
    assert "Emergency shares awaiting your approval" in page
    assert reverse("sharing:approve_emergency", args=[disclosure.public_id]) in page
    assert "Overdue" in page


def test_a_manager_approves_on_the_approval_page(
    client, sign_in, request_as, worker, boss, family, assessment_key
):
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    sign_in(boss)
    url = reverse("sharing:approve_emergency", args=[disclosure.public_id])
    assert "Approve an emergency share" in client.get(url).content.decode()
    unticked = client.post(url, {"note": "Agreed"})
    assert "Tick the box to approve the share" in unticked.content.decode()
    response = client.post(url, {"approve": "on", "note": "Agreed"})
    assert response.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.emergency_approved_by == boss
