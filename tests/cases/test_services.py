"""The case services write a case record and its audit event together, or neither."""

from datetime import date

import pytest
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import services
from earlyhelp.cases.models import Case, Contact


@pytest.fixture
def request_by(make_user, request_as):
    return request_as(make_user("priya", Role.PRACTITIONER))


def _opening(family, team) -> dict:
    return {
        "service": "family-support-and-complex-families",
        "household": family["household"],
        "children": [family["yusuf"]],
        "family": [family["mum"]],
        "reason": "School attendance",
        "team": team,
        "started": date(2026, 9, 1),
        "created_by": None,
    }


def test_opening_a_case_writes_the_case_and_one_create_event_by_the_user(family, team, request_by):
    case = services.open_case_as(request_by, **_opening(family, team))
    event = AuditEvent.objects.get(action="create")
    assert (event.record_type, event.record_id) == ("case", str(case.public_id))
    assert event.actor == request_by.user
    # Worked out by hand from the models' data_categories: the case and its members.
    assert event.categories == ["household-members", "reports-and-plans"]


def test_a_case_for_a_service_not_in_the_policy_writes_nothing(family, team, request_by):
    with pytest.raises(ValueError):
        services.open_case_as(request_by, **{**_opening(family, team), "service": "astrology"})
    assert not Case.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_contact_whose_audit_event_fails_is_not_written(case, request_by, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(services, "record", refuse)
    with pytest.raises(RuntimeError):
        services.record_contact_as(
            request_by, case, kind="home_visit", occurred_at=timezone.now(), note="Visit"
        )
    assert not Contact.objects.exists()


def test_a_contact_is_written_with_one_event_naming_its_case(case, request_by):
    contact = services.record_contact_as(
        request_by, case, kind="phone_call", occurred_at=timezone.now(), note="Call"
    )
    event = AuditEvent.objects.get(action="create", record_type="contact")
    assert event.record_id == str(contact.public_id)
    assert event.details == {"case": str(case.public_id)}
    assert event.categories == ["call-and-meeting-records"]
