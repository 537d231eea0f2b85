"""A case never closes before its last contact: the sign-off checks the closing date again,
since a contact can be recorded or re-dated while a request awaits it."""

from datetime import date, datetime

from django.utils import timezone

from earlyhelp.cases import closure, corrections
from earlyhelp.cases.closure import OutcomeAtClosure
from earlyhelp.cases.models import Contact
from earlyhelp.cases.services import record_contact_as
from tests.cases.test_closure import boss as boss  # the fixtures, used by name
from tests.cases.test_closure import worker as worker
from tests.cases.test_plans import need_on

CLOSING_ON = date(2026, 11, 20)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def _request(request_as, worker, case, needs, reason="needs-met"):
    return closure.request_closure(
        request_as(worker),
        case,
        reason=reason,
        summary="Work done",
        closing_on=CLOSING_ON,
        outcomes=[OutcomeAtClosure(n, True, True, "Attendance 97%") for n in needs],
    )


def _last_contact_day(case) -> date:
    last = Contact.objects.filter(case=case).order_by("-occurred_at").first()
    return timezone.localdate(last.occurred_at)


def test_a_contact_recorded_while_a_request_awaits_does_not_leave_the_case_closed_before_it(
    request_as, case, worker, boss
):
    needs = [need_on(case)]
    asked = _request(request_as, worker, case, needs)
    # The case is still open: a contact after the requested closing date is accepted.
    record_contact_as(
        request_as(worker),
        case,
        kind="home_visit",
        occurred_at=at(date(2026, 11, 25)),
        note="Visited",
        people_present=[],
    )
    try:
        closure.decide_closure(request_as(boss), asked, approve=True)
    except ValueError:
        return  # refused: holds
    case.refresh_from_db()
    assert case.ended >= _last_contact_day(case), (
        f"case closed on {case.ended} though a contact was recorded on {_last_contact_day(case)}"
    )


def test_a_contact_re_dated_while_a_request_awaits_does_not_leave_the_case_closed_before_it(
    request_as, case, worker, boss
):
    needs = [need_on(case)]
    contact = record_contact_as(
        request_as(worker),
        case,
        kind="home_visit",
        occurred_at=at(date(2026, 11, 10)),
        note="Visited",
        people_present=[],
    )
    asked = _request(request_as, worker, case, needs)
    corrections.correct(
        request_as(worker), contact, {"occurred_at": at(date(2026, 11, 27))}, "Wrong day typed"
    )
    try:
        closure.decide_closure(request_as(boss), asked, approve=True)
    except ValueError:
        return
    case.refresh_from_db()
    assert case.ended >= _last_contact_day(case), (
        f"case closed on {case.ended} though its contact is dated {_last_contact_day(case)}"
    )


def test_a_case_with_no_assessed_needs_may_close_as_needs_met(request_as, case, worker):
    """says_needs_were_met asks for an outcome achieved among the outcomes given: with no
    need assessed there is none to contradict the reason (a brief piece of work)."""
    asked = _request(request_as, worker, case, [], reason="needs-met")
    assert asked.reason == "needs-met"
