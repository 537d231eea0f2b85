"""The clock's events on a request's page: the worked examples of issue 15, the frozen
rule, clarification pausing the clock, and extension only within the first month."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.rights.models import RightsRequest
from tests.rights.staff_records import freeze_today, logged_request


@pytest.fixture
def today(monkeypatch):
    return freeze_today(monkeypatch)


@pytest.fixture
def officer(make_user, sign_in):
    user = make_user("ig-officer", Role.INFORMATION_GOVERNANCE)
    sign_in(user)
    return user


def page(client, rights_request) -> str:
    response = client.get(reverse("rights:request", args=[rights_request.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def act(client, rights_request, action: str, **data):
    """POST an action's form; dates as date objects become the three boxes."""
    fields = {}
    for name, value in data.items():
        if isinstance(value, date):
            fields |= {
                f"{name}_day": value.day,
                f"{name}_month": value.month,
                f"{name}_year": value.year,
            }
        else:
            fields[name] = value
    return client.post(reverse("rights:action", args=[rights_request.public_id, action]), fields)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 31), "Response due 2 March 2026"),
        (date(2026, 3, 3), "Response due 7 April 2026"),  # Good Friday, Easter Monday
        (date(2026, 11, 28), "Response due 29 December 2026"),  # 28 December is a holiday
    ],
)
def test_the_worked_examples_are_due_on_the_days_the_issue_gives(
    client, officer, today, received, due
):
    today(received)
    rights_request = logged_request(received)
    assert due in page(client, rights_request)
    assert due in client.get(reverse("rights:requests")).content.decode()


def test_a_request_received_31_january_2026_and_extended_is_due_30_april_2026(
    client, officer, today
):
    today(date(2026, 1, 31))
    rights_request = logged_request(date(2026, 1, 31))
    today(date(2026, 2, 20))
    response = act(
        client, rights_request, "extend", extended_on=date(2026, 2, 20), reasons="Many records"
    )
    assert response.status_code == 302
    html = page(client, rights_request)
    assert "Response due 30 April 2026" in html
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.EXTENDED
    # The letter tells the requester the new date and the reasons.
    assert "30 April 2026" in rights_request.extension_letter
    assert "Many records" in rights_request.extension_letter
    assert "Leila Okafor" in rights_request.extension_letter


def test_a_later_policy_change_never_moves_an_open_requests_deadline(
    client, officer, today, settings, tmp_path
):
    today(date(2026, 3, 3))
    rights_request = logged_request(date(2026, 3, 3))
    # The policy now gives three months under the same rule.
    text = Path(settings.POLICY_PATH).read_text()
    marker = 'id = "uk-gdpr-article-12a"'
    head, tail = text.split(marker)
    changed = head + marker + tail.replace("months = 1", "months = 3", 1)
    changed = changed.replace('version = "', 'version = "changed-', 1)
    (tmp_path / "changed.toml").write_text(changed)
    settings.POLICY_PATH = tmp_path / "changed.toml"
    # The change is in force: a request received under it now is due three months on...
    later = logged_request(date(2026, 3, 3))
    assert "Response due 3 June 2026" in page(client, later)
    # ...but the open request keeps the rule it was received under.
    assert "Response due 7 April 2026" in page(client, rights_request)


def test_identity_evidence_leaves_awaiting_identity_and_starts_the_clock_under_the_old_rule(
    client, officer, today
):
    today(date(2026, 2, 2))
    rights_request = logged_request(date(2026, 1, 20))  # Article 12(3): clock from identity
    response = act(
        client, rights_request, "identity", received_on=date(2026, 2, 2), evidence="Passport"
    )
    assert response.status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.IN_PROGRESS
    assert "Response due 2 March 2026" in page(client, rights_request)
    assert AuditEvent.objects.filter(
        record_id=str(rights_request.public_id), details__what="identity evidence recorded"
    ).exists()


def test_asking_for_clarification_moves_the_due_date_each_day_and_the_answer_fixes_it(
    client, officer, today
):
    today(date(2026, 6, 1))
    rights_request = logged_request(date(2026, 6, 1))
    assert "Response due 1 July 2026" in page(client, rights_request)
    today(date(2026, 6, 10))
    act(client, rights_request, "clarify", asked_on=date(2026, 6, 10), question="Which years?")
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.AWAITING_CLARIFICATION
    assert "Response due 2 July 2026" in page(client, rights_request)
    today(date(2026, 6, 15))
    assert "Response due 7 July 2026" in page(client, rights_request)
    assert "Paused" in client.get(reverse("rights:requests") + "?show=paused").content.decode()
    act(client, rights_request, "clarification-answer", answered_on=date(2026, 6, 15))
    today(date(2026, 6, 30))
    html = page(client, rights_request)
    assert "Response due 7 July 2026" in html
    assert "plus 6 days the clock was stopped" in html
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.AWAITING_IDENTITY


def test_the_answer_to_a_clarification_cannot_come_before_it_was_asked(client, officer, today):
    today(date(2026, 6, 10))
    rights_request = logged_request(date(2026, 6, 1))
    act(client, rights_request, "clarify", asked_on=date(2026, 6, 10), question="Which years?")
    response = act(client, rights_request, "clarification-answer", answered_on=date(2026, 6, 9))
    assert response.status_code == 200
    assert "The answer cannot arrive before it was asked for (10 June 2026)" in (
        response.content.decode()
    )
    assert rights_request.clarifications.get().answered_on is None


def test_an_event_before_receipt_or_in_the_future_is_refused(client, officer, today):
    today(date(2026, 6, 10))
    rights_request = logged_request(date(2026, 6, 1))
    before = act(
        client, rights_request, "identity", received_on=date(2026, 5, 31), evidence="Passport"
    )
    assert "cannot be before the rights request was received (1 June 2026)" in (
        before.content.decode()
    )
    future = act(
        client, rights_request, "identity", received_on=date(2026, 6, 11), evidence="Passport"
    )
    assert "cannot be in the future" in future.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.identity_evidence_received is None


def test_an_extension_is_refused_after_the_first_month(client, officer, today):
    today(date(2026, 7, 3))
    rights_request = logged_request(date(2026, 6, 1))
    response = act(
        client, rights_request, "extend", extended_on=date(2026, 7, 3), reasons="Complex"
    )
    assert response.status_code == 200
    assert "within the first month, by 1 July 2026" in response.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.extended_on is None
    assert rights_request.extension_letter == ""
    # Recorded after the first month with a date within it, it is refused all the same.
    backdated = act(
        client, rights_request, "extend", extended_on=date(2026, 6, 30), reasons="Complex"
    )
    assert "within the first month, by 1 July 2026" in backdated.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.extended_on is None
    # Within the first month it is allowed, and the letter gives the new date.
    today(date(2026, 7, 1))
    allowed = act(client, rights_request, "extend", extended_on=date(2026, 7, 1), reasons="Complex")
    assert allowed.status_code == 302
    rights_request.refresh_from_db()
    assert "1 September 2026" in rights_request.extension_letter


def test_an_extension_needs_reasons(client, officer, today):
    today(date(2026, 6, 10))
    rights_request = logged_request(date(2026, 6, 1))
    response = act(client, rights_request, "extend", extended_on=date(2026, 6, 10), reasons="")
    assert "Enter the reasons for the extension" in response.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.extended_on is None


def test_a_refusal_names_the_exemption_and_closes_the_request(client, officer, today):
    today(date(2026, 6, 20))
    rights_request = logged_request(date(2026, 6, 1))
    missing = act(client, rights_request, "refuse", on=date(2026, 6, 20), exemption="")
    assert "Enter the exemption the refusal relies on" in missing.content.decode()
    act(
        client,
        rights_request,
        "refuse",
        on=date(2026, 6, 20),
        exemption="DPA 2018 Schedule 2 paragraph 5",
        explanation="Legal proceedings",
    )
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.REFUSED
    assert rights_request.closed_on == date(2026, 6, 20)
    html = page(client, rights_request)
    assert "Refused, relying on DPA 2018 Schedule 2 paragraph 5" in html
    assert "0303 123 1113" in rights_request.outcome_letter


def test_answering_closes_with_a_letter_shown_on_the_page(client, officer, today):
    today(date(2026, 6, 20))
    rights_request = logged_request(date(2026, 6, 1))
    act(client, rights_request, "answer", on=date(2026, 6, 20), summary="A copy is enclosed.")
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.ANSWERED
    html = page(client, rights_request)
    assert "A copy is enclosed." in html
    assert "Closed" in html


def test_taking_a_request_on_records_the_handler(client, officer, today):
    rights_request = logged_request()
    response = act(client, rights_request, "assign", handler=officer.pk)
    assert response.status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.handled_by == officer


def test_only_the_handler_hands_a_request_to_another_officer(client, officer, make_user, today):
    # The handler alone opens the records in scope: another officer cannot take it over.
    handler = make_user("gina", Role.INFORMATION_GOVERNANCE)
    rights_request = logged_request(handled_by=handler)
    response = act(client, rights_request, "assign", handler=officer.pk)
    assert response.status_code == 200
    assert "only they can hand it to someone else" in response.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.handled_by == handler
    # Once their account is closed, any officer may take it on.
    handler.is_active = False
    handler.save()
    assert act(client, rights_request, "assign", handler=officer.pk).status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.handled_by == officer


def test_every_action_that_applies_opens_as_a_page_with_its_form(client, officer, today):
    today(date(2026, 7, 10))
    request = logged_request(date(2026, 7, 1))
    complaint = logged_request(
        date(2026, 7, 1), kind=RightsRequest.Kind.COMPLAINT, rights_asked=[], status="received"
    )
    request.clarifications.create(asked_on=date(2026, 7, 2), question="Which?", asked_by=officer)
    for rights_request, actions in (
        (request, ["assign", "identity", "fee", "clarification-answer", "extend", "answer"]),
        (request, ["refuse", "withdraw"]),
        (complaint, ["assign", "acknowledge", "complaint-outcome", "withdraw"]),
    ):
        html = page(client, rights_request)
        for action in actions:
            url = reverse("rights:action", args=[rights_request.public_id, action])
            assert url in html, action
            response = client.get(url)
            assert response.status_code == 200, action
            assert "<form" in response.content.decode()
    # An action that does not apply goes back to the page with a message.
    response = client.get(reverse("rights:action", args=[complaint.public_id, "extend"]))
    assert response.status_code == 302
    response = client.get(reverse("rights:action", args=[complaint.public_id, "no-such"]))
    assert response.status_code == 404


def test_a_complaint_received_before_section_164a_has_no_acknowledgement_date(
    client, officer, today
):
    today(date(2026, 6, 1))
    complaint = logged_request(
        date(2026, 5, 1), kind=RightsRequest.Kind.COMPLAINT, rights_asked=[], status="received"
    )
    assert "no statutory date applied when it was received" in page(client, complaint)


def test_each_action_leaves_an_audit_event_naming_the_request_and_no_one_in_the_family(
    client, officer, today
):
    today(date(2026, 6, 20))
    rights_request = logged_request(date(2026, 6, 1))
    act(client, rights_request, "identity", received_on=date(2026, 6, 2), evidence="Passport")
    act(client, rights_request, "clarify", asked_on=date(2026, 6, 3), question="Which years?")
    act(client, rights_request, "clarification-answer", answered_on=date(2026, 6, 5))
    act(client, rights_request, "answer", on=date(2026, 6, 20), summary="A copy is enclosed.")
    events = AuditEvent.objects.filter(record_id=str(rights_request.public_id))
    said = [e.details["what"] for e in events.exclude(action="view").order_by("id")]
    assert said[1:] == [
        # No one had taken it on: the officer acting on it is recorded as its handler.
        "handler recorded: the officer who acted on it",
        "identity evidence recorded",
        "clarification asked for",
        "clarification received",
        "answered",
    ]
    for event in events:
        assert "Okafor" not in str(event.details) and "Okafor" not in event.reason


def test_the_officer_changes_what_is_asked_for_with_an_audit_event(client, officer, today):
    today(date(2026, 6, 10))
    rights_request = logged_request(date(2026, 6, 1))
    response = act(client, rights_request, "asked", rights_asked=["access", "object"])
    assert response.status_code == 200
    assert "Select which use of information they object to" in response.content.decode()
    response = act(
        client,
        rights_request,
        "asked",
        rights_asked=["access", "restriction", "object"],
        objection_projects=["liia"],
    )
    assert response.status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.rights_asked == ["access", "restriction", "object"]
    assert rights_request.objection_projects == ["liia"]
    event = AuditEvent.objects.get(
        record_id=str(rights_request.public_id), details__what="what is asked for changed"
    )
    assert event.details["before"]["rights_asked"] == ["access"]
    html = page(client, rights_request)
    assert "Stop using information for a while" in html
    assert "Object to a use of information: London Innovation and Improvement Alliance" in html


def test_what_is_asked_for_cannot_change_once_closed(client, officer, today):
    from earlyhelp.rights.asked import change_asked

    today(date(2026, 6, 20))
    rights_request = logged_request(date(2026, 6, 1))
    act(client, rights_request, "withdraw", on=date(2026, 6, 20))
    rights_request.refresh_from_db()
    assert "Change what is asked for" not in page(client, rights_request)
    response = act(client, rights_request, "asked", rights_asked=["erasure"])
    assert response.status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.rights_asked == ["access"]
    request = type("Request", (), {"user": officer, "META": {}})()
    with pytest.raises(ValueError, match="closed"):
        change_asked(request, rights_request, ["erasure"], [])


def test_the_officer_who_closes_an_unhandled_request_is_recorded_as_its_handler(
    client, officer, today
):
    today(date(2026, 6, 20))
    rights_request = logged_request(date(2026, 6, 1))
    act(client, rights_request, "answer", on=date(2026, 6, 20), summary="A copy is enclosed.")
    rights_request.refresh_from_db()
    assert rights_request.handled_by == officer
    assert "Not yet taken on" not in page(client, rights_request)


def test_a_refused_closing_records_no_handler(client, officer, today):
    today(date(2026, 6, 20))
    rights_request = logged_request(date(2026, 6, 10))
    response = act(client, rights_request, "answer", on=date(2026, 6, 5), summary="Done.")
    assert response.status_code == 200
    rights_request.refresh_from_db()
    assert rights_request.handled_by is None and rights_request.is_open


def test_the_clock_is_told_in_plain_words_without_policy_ids(client, officer, today):
    today(date(2026, 6, 10))
    rights_request = logged_request(date(2026, 6, 1))
    html = page(client, rights_request)
    assert rights_request.policy_version not in html
    assert "the rule in force when it was received" in html
    assert "(UK GDPR) (UK GDPR)" not in html and ") (UK GDPR)" not in html
    assert "one calendar month later" in html and "month(s)" not in html
    assert "Any extension must be decided and the requester told by" in html
    assert "It can be extended only by" not in html


def test_a_closed_complaint_names_its_handler_and_when_the_outcome_was_sent(client, officer, today):
    today(date(2026, 7, 10))
    complaint = logged_request(
        date(2026, 7, 1),
        kind=RightsRequest.Kind.COMPLAINT,
        rights_asked=[],
        status=RightsRequest.Status.RECEIVED,
    )
    act(client, complaint, "complaint-outcome", on=date(2026, 7, 10), outcome="Upheld.")
    html = page(client, complaint)
    assert "Not yet taken on" not in html
    assert "The outcome was sent on 10 July 2026" in html
    assert "The outcome is due" not in html


@pytest.mark.parametrize("action", ["withdraw", "identity", "asked"])
def test_only_the_handler_records_what_happens_on_a_request(
    client, officer, make_user, today, action
):
    # Closing a request ends its records' access and frees a restriction it made to be
    # lifted elsewhere: another officer must not do it, nor anything else on it.
    handler = make_user("gina", Role.INFORMATION_GOVERNANCE)
    rights_request = logged_request(handled_by=handler, rights_asked=["access", "restriction"])
    data = {
        "withdraw": {"on": rights_request.received, "reason": "They withdrew it"},
        "identity": {"received_on": rights_request.received, "evidence": "Passport"},
        "asked": {"rights_asked": ["access"]},
    }[action]
    response = act(client, rights_request, action, **data)
    assert response.status_code == 200
    assert "handles it; only they can record what happens on it" in response.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.is_open and rights_request.identity_evidence_received is None
    assert rights_request.rights_asked == ["access", "restriction"]


def test_acting_on_a_request_no_one_handles_takes_it_on(client, officer, today):
    rights_request = logged_request()
    response = act(
        client,
        rights_request,
        "identity",
        received_on=rights_request.received,
        evidence="Passport",
    )
    assert response.status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.handled_by == officer


def test_a_clarification_recorded_after_the_first_month_does_not_reopen_the_extension(
    client, officer, today
):
    # Received 1 June: the first month ends 1 July. On 20 July a clarification "asked on
    # 2 June, answered today" is recorded; it must not make an extension possible again.
    today(date(2026, 7, 20))
    rights_request = logged_request(date(2026, 6, 1), handled_by=officer)
    rights_request.clarifications.create(
        asked_on=date(2026, 6, 2),
        answered_on=date(2026, 7, 20),
        question="Which?",
        asked_by=officer,
    )
    response = act(client, rights_request, "extend", extended_on=date(2026, 6, 20), reasons="Big")
    assert "within the first month, by 1 July 2026" in response.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.extended_on is None


def test_a_request_cannot_close_before_something_recorded_on_it(client, officer, today):
    today(date(2026, 6, 20))
    rights_request = logged_request(date(2026, 6, 1), handled_by=officer)
    act(client, rights_request, "identity", received_on=date(2026, 6, 10), evidence="Passport")
    response = act(client, rights_request, "answer", on=date(2026, 6, 5), summary="Enclosed")
    assert "cannot be before the identity evidence received on 10 June 2026" in (
        response.content.decode()
    )
    rights_request.refresh_from_db()
    assert rights_request.is_open
