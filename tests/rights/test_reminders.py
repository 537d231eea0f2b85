"""`earlyhelp requests remind`: one email per IG officer, references and dates only, and a
second run the same day sends nothing."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from earlyhelp.access.roles import Role
from earlyhelp.rights.models import ReminderSent, RightsRequest
from tests.rights.staff_records import freeze_today, logged_request

MONDAY = date(2026, 3, 30)


@pytest.fixture
def officers(make_user):
    first = make_user("ig-one", Role.INFORMATION_GOVERNANCE)
    first.email = "ig.one@camden.example"
    first.save()
    second = make_user("ig-two", Role.INFORMATION_GOVERNANCE)
    second.email = "ig.two@camden.example"
    second.save()
    make_user("ig-no-email", Role.INFORMATION_GOVERNANCE)
    worker = make_user("worker", Role.PRACTITIONER)
    worker.email = "worker@camden.example"
    worker.save()
    return [first, second]


@pytest.fixture
def due(monkeypatch):
    freeze_today(monkeypatch)(MONDAY)
    return {
        "soon": logged_request(date(2026, 3, 3)),  # due 7 April
        "overdue": logged_request(date(2026, 2, 20)),  # due 20 March
        "later": logged_request(date(2026, 3, 27)),  # due 27 April
    }


def remind(today: date = MONDAY) -> None:
    call_command("requests", "remind", "--today", today.isoformat())


def test_each_officer_with_an_email_gets_one_email_of_references_and_due_dates(officers, due):
    remind()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ig.one@camden.example",
        "ig.two@camden.example",
    ]
    body = mail.outbox[0].body
    assert f"{due['soon'].reference}: Response due 7 April 2026" in body
    assert f"{due['overdue'].reference}: Response due 20 March 2026" in body
    assert due["later"].reference not in body
    assert "Okafor" not in body and "Okafor" not in mail.outbox[0].subject


def test_a_second_run_the_same_day_sends_nothing(officers, due):
    remind()
    remind()
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(sent_on=MONDAY).count() == 2


def test_the_next_day_reminds_again(officers, due):
    remind()
    remind(date(2026, 3, 31))
    assert len(mail.outbox) == 4


def test_a_complaint_is_reminded_of_while_its_acknowledgement_is_due(officers, monkeypatch):
    freeze_today(monkeypatch)(date(2026, 7, 28))
    complaint = logged_request(
        date(2026, 7, 1),
        kind=RightsRequest.Kind.COMPLAINT,
        rights_asked=[],
        status=RightsRequest.Status.RECEIVED,
    )
    remind(date(2026, 7, 28))
    assert f"{complaint.reference}: Acknowledgement due 31 July 2026" in mail.outbox[0].body


def test_a_run_that_fails_while_sending_records_nothing_so_the_next_run_sends(
    officers, due, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("earlyhelp.rights.services.send_mail", broken)
    with pytest.raises(ConnectionError):
        remind()
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    freeze_today(monkeypatch)(MONDAY)
    remind()
    assert len(mail.outbox) == 2


def test_a_run_racing_another_that_already_recorded_today_sends_nothing(officers, due, monkeypatch):
    from django.db import IntegrityError

    def taken(*args, **kwargs):
        raise IntegrityError("one_reminder_a_day")

    monkeypatch.setattr(ReminderSent.objects, "bulk_create", taken)
    remind()
    assert mail.outbox == []


def test_the_command_says_when_there_is_nothing_new(officers, due, capsys):
    remind()
    remind()
    assert "Nothing new to remind of today." in capsys.readouterr().out
