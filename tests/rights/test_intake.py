"""Staff intake: a request or complaint received by letter, email, phone or in person."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.rights.models import RightsRequest
from tests.rights.staff_records import freeze_today


@pytest.fixture
def officer(make_user, sign_in):
    user = make_user("ig-officer", Role.INFORMATION_GOVERNANCE)
    sign_in(user)
    return user


def answers(received: date, **changes) -> dict:
    data = {
        "kind": "request",
        "channel": "letter",
        "received_day": received.day,
        "received_month": received.month,
        "received_year": received.year,
        "regime": "uk-gdpr",
        "requester_is": "parent",
        "requester_name": "Leila Okafor",
        "requester_address": "3 Prince of Wales Road, London NW5 3LG",
        "reply_by": "post",
        "rights_asked": ["access", "rectification"],
        "details": "Everything you hold about my son since 2022.",
        "subject_name": "Tobi Okafor",
        "subject_date_of_birth_day": 4,
        "subject_date_of_birth_month": 5,
        "subject_date_of_birth_year": 2015,
        "services_used": ["integrated-early-years"],
    }
    data.update(changes)
    return data


def test_a_request_received_by_letter_is_logged_with_the_rule_in_force_on_receipt(
    client, officer, monkeypatch
):
    freeze_today(monkeypatch)(date(2026, 3, 10))
    response = client.post(reverse("rights:log"), answers(date(2026, 3, 3)))
    rights_request = RightsRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("rights:request", args=[rights_request.public_id])
    assert rights_request.channel == RightsRequest.Channel.LETTER
    assert rights_request.clock_rule["id"] == "uk-gdpr-article-12a"
    assert rights_request.status == RightsRequest.Status.AWAITING_IDENTITY
    assert rights_request.created_by == officer
    assert rights_request.subject_date_of_birth == date(2015, 5, 4)
    html = client.get(response.url).content.decode()
    assert "Response due 7 April 2026" in html
    assert "Tobi Okafor" in html and "Integrated Early Years" in html
    assert AuditEvent.objects.filter(record_id=str(rights_request.public_id)).count() == 2


def test_youth_justice_records_are_logged_under_the_law_enforcement_rule(client, officer):
    client.post(reverse("rights:log"), answers(date(2026, 3, 3), regime="law-enforcement"))
    rights_request = RightsRequest.objects.get()
    assert rights_request.regime == "law-enforcement"
    assert rights_request.clock_rule["id"] == "dpa-2018-section-54-duaa"


def test_the_regimes_offered_are_the_policys_names(client, officer):
    html = client.get(reverse("rights:log")).content.decode()
    assert "Data Protection Act 2018 Part 3 (law enforcement)" in html
    assert "UK GDPR" in html


def test_a_complaint_needs_no_right_and_is_logged_awaiting_acknowledgement(client, officer):
    client.post(
        reverse("rights:log"),
        answers(date(2026, 7, 1), kind="complaint", rights_asked=[], channel="phone"),
    )
    complaint = RightsRequest.objects.get()
    assert complaint.kind == RightsRequest.Kind.COMPLAINT
    assert complaint.complaint_rule["acknowledge_within_days"] == 30
    assert complaint.rights_asked == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_year": 2099}, "The date it was received must be today or in the past"),
        (
            {"received_year": 2010},
            "The date it was received must be on or after 25 May 2018, when the policy's first "
            "time limit for UK GDPR requests took effect",
        ),
        ({"rights_asked": []}, "Select what they are asking for"),
        ({"reply_by": "email"}, "Enter an email address to reply to, or choose another way"),
        ({"requester_name": ""}, "Enter the full name of the person asking"),
        ({"channel": "web-form"}, "How did it arrive?: select one of the options shown"),
    ],
)
def test_bad_answers_are_refused_naming_the_field_and_nothing_is_written(
    client, officer, changes, message
):
    response = client.post(reverse("rights:log"), answers(date(2026, 3, 3), **changes))
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert "There is a problem" in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_only_the_information_governance_officer_logs_requests(client, make_user, sign_in):
    sign_in(make_user("manager", Role.TEAM_MANAGER))
    response = client.post(reverse("rights:log"), answers(date(2026, 3, 3)))
    assert response.status_code == 403
    assert not RightsRequest.objects.exists()


def test_an_objection_logged_by_staff_names_the_use_objected_to(client, officer, monkeypatch):
    freeze_today(monkeypatch)(date(2026, 3, 10))
    response = client.post(
        reverse("rights:log"), answers(date(2026, 3, 3), rights_asked=["object"])
    )
    assert response.status_code == 200
    assert "Select which use of information they object to" in unescape(response.text)
    assert not RightsRequest.objects.exists()
    response = client.post(
        reverse("rights:log"),
        answers(date(2026, 3, 3), rights_asked=["object"], objection_projects=["liia"]),
    )
    assert response.status_code == 302
    rights_request = RightsRequest.objects.get()
    assert rights_request.objection_projects == ["liia"]
    html = client.get(response.url).text
    assert "Object to a use of information: London Innovation and Improvement Alliance" in html


def test_the_use_objected_to_is_kept_only_for_an_objection(client, officer, monkeypatch):
    freeze_today(monkeypatch)(date(2026, 3, 10))
    client.post(
        reverse("rights:log"),
        answers(date(2026, 3, 3), rights_asked=["access"], objection_projects=["liia"]),
    )
    assert RightsRequest.objects.get().objection_projects == []
