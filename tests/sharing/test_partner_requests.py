"""Requests for a person's information received from partners: logged with the requester
and the legal basis claimed (its law from the policy), due by the policy's time and shown
overdue after it, approved where the policy says before anything is shared in answer,
answered by a disclosure (linked) or a reason for not sharing (16LA once in force)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.sharing import partner_requests, services
from earlyhelp.sharing.models import Disclosure, PartnerRequest
from earlyhelp.sharing.services import ShareRefused
from tests.policy import camden_dict, write_policy

POLICE = "criminal-justice"
PURPOSE = "best-interests-and-health"
SENT = {"method": "secure_email", "reference": "EM-2026-0099"}


def _log(request, person, **changes) -> PartnerRequest:
    asked = {
        "recipient": POLICE,
        "organisation": "Metropolitan Police",
        "requester": "DC Rowe",
        "requester_contact": "rowe@police.example",
        "basis": "crime-and-taxation",
        "form_reference": "DP-2026-123",
        "asked": "Dates of contact with the family in November",
        "received_on": timezone.localdate(),
        **changes,
    }
    return partner_requests.log_request(request, person, **asked)


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def policy_with(settings, tmp_path):
    """Use the Camden policy as changed by `change(data)`."""

    def use(change) -> None:
        data = camden_dict()
        change(data)
        settings.POLICY_PATH = write_policy(tmp_path, data)

    return use


def _events(person, what: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(record_id=str(person.public_id), details__what=what))


# --- logging ----------------------------------------------------------------------------------


def test_a_logged_request_keeps_the_bases_law_and_is_due_by_the_policys_working_days(
    request_as, worker, family
):
    logged = _log(request_as(worker), family["yusuf"], received_on=date(2025, 12, 19))
    assert logged.basis_law.startswith("Data Protection Act 2018 Schedule 2 paragraph 2")
    assert logged.form_reference == "DP-2026-123"
    # Ten working days in England: 22-24 Dec, 29-31 Dec, 2 Jan, 5-7 Jan (Christmas, Boxing
    # Day and New Year's Day skipped).
    assert logged.due_on == date(2026, 1, 7)
    assert logged.approval == PartnerRequest.Approval.WAITING
    assert logged.status == PartnerRequest.Status.OPEN
    assert len(_events(family["yusuf"], "request from a partner logged")) == 1


def test_a_basis_needing_the_requesters_form_refuses_without_its_reference(
    request_as, worker, family
):
    with pytest.raises(ShareRefused, match=r"^form_reference: .*Schedule 2 paragraph 2"):
        _log(request_as(worker), family["yusuf"], form_reference="")
    assert PartnerRequest.objects.count() == 0


def test_a_basis_the_policy_does_not_list_is_refused(request_as, worker, family):
    with pytest.raises(ShareRefused, match=r"^basis: "):
        _log(request_as(worker), family["yusuf"], basis="we-asked-nicely")


def test_logging_needs_need_to_know_access_to_the_person(request_as, officer, family):
    with pytest.raises(ShareRefused, match=r"^person: "):
        _log(request_as(officer), family["yusuf"])


def test_a_request_past_its_due_day_shows_overdue(request_as, worker, family):
    logged = _log(request_as(worker), family["yusuf"], received_on=date(2026, 10, 1))
    assert logged.due_on == date(2026, 10, 15)
    assert logged.overdue(date(2026, 10, 15)) is False
    assert logged.overdue(date(2026, 10, 16)) is True
    assert logged.overdue() is True  # today, December 2026 or later


def test_the_open_list_marks_an_overdue_request(
    client, sign_in, request_as, worker, officer, family
):
    _log(request_as(worker), family["yusuf"], received_on=date(2026, 10, 1))
    sign_in(officer)
    page = client.get(reverse("sharing:partner_requests")).content.decode()
    assert "Yusuf Haddad" in page and "Overdue" in page


# --- approval where the policy requires it ----------------------------------------------------


def test_a_basis_needing_approval_cannot_be_answered_by_sharing_before_it(
    request_as, worker, family, assessment_key
):
    logged = _log(request_as(worker), family["yusuf"])
    with pytest.raises(ShareRefused, match=r"^approval: .*approval before anything is shared"):
        partner_requests.answer_by_sharing(
            request_as(worker), logged, purpose=PURPOSE, item_keys=[assessment_key], **SENT
        )
    assert Disclosure.objects.count() == 0


def test_once_approved_the_answer_is_a_disclosure_linked_to_the_request(
    request_as, worker, officer, family, assessment_key
):
    logged = _log(request_as(worker), family["yusuf"])
    partner_requests.decide_approval(request_as(officer), logged, approve=True)
    answered = partner_requests.answer_by_sharing(
        request_as(worker), logged, purpose=PURPOSE, item_keys=[assessment_key], **SENT
    )
    assert answered.status == PartnerRequest.Status.SHARED
    disclosure = answered.disclosure
    assert disclosure.recipient == POLICE and disclosure.status == Disclosure.Status.SHARED
    assert disclosure.partner_request == answered
    assert answered.decided_by == worker
    assert len(_events(family["yusuf"], "answered by a disclosure")) == 1


def test_a_basis_not_needing_approval_is_answered_at_once(
    request_as, worker, family, assessment_key
):
    logged = _log(request_as(worker), family["yusuf"], basis="child-safeguarding")
    assert logged.approval == PartnerRequest.Approval.NOT_NEEDED
    answered = partner_requests.answer_by_sharing(
        request_as(worker), logged, purpose=PURPOSE, item_keys=[assessment_key], **SENT
    )
    assert answered.status == PartnerRequest.Status.SHARED


def test_whoever_logged_it_cannot_approve_it(request_as, boss, family):
    logged = _log(request_as(boss), family["yusuf"])
    with pytest.raises(ShareRefused, match=r"^decision: you logged this request"):
        partner_requests.decide_approval(request_as(boss), logged, approve=True)


def test_a_team_manager_of_the_case_may_approve_where_the_policy_names_managers(
    request_as, worker, boss, family
):
    logged = _log(request_as(worker), family["yusuf"])
    approved = partner_requests.decide_approval(request_as(boss), logged, approve=True)
    assert approved.approval == PartnerRequest.Approval.APPROVED and approved.approved_by == boss


def test_approvers_are_the_policys(policy_with, request_as, worker, boss, family):
    policy_with(
        lambda d: d["sharing"]["partner_requests"].update(approvers=["information_governance"])
    )
    logged = _log(request_as(worker), family["yusuf"])
    with pytest.raises(ShareRefused, match=r"^decision: only an information governance officer"):
        partner_requests.decide_approval(request_as(boss), logged, approve=True)


def test_a_refused_approval_needs_a_reason_and_then_blocks_sharing(
    request_as, worker, officer, family, assessment_key
):
    logged = _log(request_as(worker), family["yusuf"])
    with pytest.raises(ShareRefused, match=r"^note: "):
        partner_requests.decide_approval(request_as(officer), logged, approve=False)
    partner_requests.decide_approval(
        request_as(officer), logged, approve=False, note="No offence is named"
    )
    logged.refresh_from_db()
    with pytest.raises(ShareRefused, match=r"^approval: "):
        partner_requests.answer_by_sharing(
            request_as(worker), logged, purpose=PURPOSE, item_keys=[assessment_key], **SENT
        )


# --- not sharing: s.16LA ----------------------------------------------------------------------


def test_after_16la_commences_not_sharing_a_childs_information_must_say_it_is_more_detrimental(
    request_as, worker, family
):
    logged = _log(request_as(worker), family["yusuf"], basis="child-safeguarding")
    with pytest.raises(ShareRefused, match=r"^more_detrimental: .*more detrimental to the child"):
        partner_requests.answer_by_refusing(request_as(worker), logged, reason="Not needed")
    answered = partner_requests.answer_by_refusing(
        request_as(worker),
        logged,
        reason="It would expose the child to harm",
        more_detrimental=True,
    )
    assert answered.status == PartnerRequest.Status.REFUSED
    assert answered.refusal_reason == (
        "Sharing would be more detrimental to the child than not sharing: "
        "It would expose the child to harm"
    )
    assert len(_events(family["yusuf"], "answered by not sharing")) == 1


def test_before_16la_commences_any_reason_not_to_share_will_do(
    policy_with, request_as, worker, family
):
    later = timezone.localdate() + timedelta(days=30)
    policy_with(lambda d: d["sharing"]["duty_to_share"].update(in_force_from=later))
    logged = _log(request_as(worker), family["yusuf"], basis="child-safeguarding")
    answered = partner_requests.answer_by_refusing(request_as(worker), logged, reason="Not needed")
    assert answered.refusal_reason == "Not needed"


def test_the_duty_to_share_is_about_children_so_an_adults_refusal_takes_any_reason(
    request_as, worker, family
):
    logged = _log(request_as(worker), family["mum"], basis="child-safeguarding")
    answered = partner_requests.answer_by_refusing(request_as(worker), logged, reason="Not needed")
    assert answered.status == PartnerRequest.Status.REFUSED


def test_an_answered_request_cannot_be_answered_again(request_as, worker, family, assessment_key):
    logged = _log(request_as(worker), family["mum"], basis="child-safeguarding")
    partner_requests.answer_by_refusing(request_as(worker), logged, reason="Not needed")
    logged.refresh_from_db()
    with pytest.raises(ShareRefused, match=r"^status: "):
        partner_requests.answer_by_sharing(
            request_as(worker), logged, purpose=PURPOSE, item_keys=[assessment_key], **SENT
        )


# --- the pages --------------------------------------------------------------------------------


def test_a_practitioner_logs_a_request_from_the_persons_page(client, sign_in, worker, family):
    sign_in(worker)
    url = reverse("sharing:log_partner_request", args=[family["yusuf"].public_id])
    page = client.get(url).content.decode()
    assert "Schedule 2 paragraph 2" in page
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "recipient": POLICE,
            "organisation": "Metropolitan Police",
            "requester": "DC Rowe",
            "requester_contact": "rowe@police.example",
            "basis": "crime-and-taxation",
            "form_reference": "",
            "asked": "Dates of contact",
            "received_on_0": today.day,
            "received_on_1": today.month,
            "received_on_2": today.year,
        },
    )
    assert response.status_code == 200
    assert "Schedule 2 paragraph 2" in response.content.decode()
    assert "needs one" in response.content.decode()  # the refusal, on the reference field
    assert PartnerRequest.objects.count() == 0


def test_a_decision_not_to_share_from_the_persons_page_follows_16la_too(request_as, worker, family):
    with pytest.raises(ShareRefused, match=r"^more_detrimental: "):
        services.record_not_sharing(
            request_as(worker), family["yusuf"], recipient=POLICE, purpose=PURPOSE, reason="No"
        )
    adult = services.record_not_sharing(
        request_as(worker), family["mum"], recipient=POLICE, purpose=PURPOSE, reason="No"
    )
    assert adult.not_shared_reason == "No"
