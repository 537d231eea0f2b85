"""A request's clock: its deadline from its own dated events and the rule it was received
under, never the policy of today.

Every page, list, letter and reminder asks ``deadline_of`` (requests) or
``acknowledge_by`` (complaints); nothing else computes a due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from earlyhelp.policy.decisions import (
    Deadline,
    Pause,
    complaint_acknowledge_by,
    deadline_under,
    is_working_day,
)
from earlyhelp.policy.schema import ComplaintHandling, DeadlineRule
from earlyhelp.rights.models import RightsRequest


def frozen_rule(rights_request: RightsRequest) -> DeadlineRule:
    """The time limit the request keeps from the day it was received."""
    return DeadlineRule.model_validate(rights_request.clock_rule, strict=False)


def frozen_complaint_rule(rights_request: RightsRequest) -> ComplaintHandling | None:
    rule = rights_request.complaint_rule
    return ComplaintHandling.model_validate(rule, strict=False) if rule else None


def pauses_of(rights_request: RightsRequest) -> list[Pause]:
    """The request's clarifications as pauses of its clock, oldest first."""
    return [
        Pause(c.asked_on, c.answered_on)
        for c in sorted(rights_request.clarifications.all(), key=lambda c: c.asked_on)
    ]


def deadline_of(rights_request: RightsRequest, today: date | None = None) -> Deadline:
    """When the request must be answered, as of ``today`` (default: today in London).

    A clarification still awaited moves the date on by a day for each day it waits.
    """
    rule = frozen_rule(rights_request)
    return deadline_under(
        rule,
        rights_request.received,
        identity_confirmed=rights_request.identity_evidence_received,
        fee_paid=rights_request.fee_paid,
        pauses=pauses_of(rights_request) if rule.pauses_while_clarification_awaited else (),
        extended=rights_request.extended_on is not None,
        today=today or timezone.localdate(),
    )


def acknowledge_by(rights_request: RightsRequest) -> date | None:
    """The last day to acknowledge a complaint (DPA 2018 s.164A), or None where no
    statutory rule applied on the day it was received."""
    return complaint_acknowledge_by(frozen_complaint_rule(rights_request), rights_request.received)


@dataclass(frozen=True)
class Due:
    """What is due next on a request or complaint, for lists and reminders."""

    on: date | None  # None: nothing with a statutory date is due
    what: str  # "Response due", "Acknowledgement due", "Outcome due without undue delay"
    paused: bool = False
    # Proof of identity is awaited: `on` counts from receipt, and moves to a month from the
    # day the proof arrives where the rule starts the clock from it (Article 12A(3)).
    awaiting_identity: bool = False


def awaiting_identity(rights_request: RightsRequest) -> bool:
    """Whether the request's clock waits for proof of identity the council asked for: its
    rule starts the clock from it (Article 12A(2)) and none has been recorded yet."""
    return (
        not rights_request.is_complaint
        and rights_request.status == RightsRequest.Status.AWAITING_IDENTITY
        and rights_request.identity_evidence_received is None
        and "identity_confirmed" in frozen_rule(rights_request).clock_starts_at_latest_of
    )


def next_due(rights_request: RightsRequest, today: date | None = None) -> Due:
    """The date the next statutory step is due: a request's response, a complaint's
    acknowledgement (its outcome has no fixed date: "without undue delay")."""
    if not rights_request.is_open:
        return Due(None, "Closed")
    if rights_request.is_complaint:
        if rights_request.acknowledged_on is None:
            return Due(acknowledge_by(rights_request), "Acknowledgement due")
        rule = frozen_complaint_rule(rights_request)
        return Due(None, f"Outcome due {rule.outcome}" if rule else "Outcome due")
    deadline = deadline_of(rights_request, today)
    return Due(
        deadline.due,
        "Response due",
        paused=deadline.paused_since is not None,
        awaiting_identity=awaiting_identity(rights_request),
    )


def tell_extension_by(rights_request: RightsRequest, today: date | None = None) -> date | None:
    """The last day an extension may be made and the requester told of it (the end of the
    rule's first month, pauses counted), or None where the frozen rule allows none.

    A clarification recorded after the window had closed does not open it again, whatever
    day it says it was asked on: pauses count in the order they were recorded, each only if
    recorded by the end of the window the ones before it left.
    """
    rule = frozen_rule(rights_request)
    if not rule.extension_max_months:
        return None
    today = today or timezone.localdate()

    def window(pauses: list[Pause]) -> date:
        return deadline_under(
            rule,
            rights_request.received,
            identity_confirmed=rights_request.identity_evidence_received,
            fee_paid=rights_request.fee_paid,
            pauses=pauses,
            extended=True,
            today=today,
        ).tell_extension_by

    counted: list[Pause] = []
    ends = window(counted)
    if rule.pauses_while_clarification_awaited:
        for clarification in sorted(rights_request.clarifications.all(), key=lambda c: c.asked_at):
            if timezone.localdate(clarification.asked_at) > ends:
                continue
            counted.append(Pause(clarification.asked_on, clarification.answered_on))
            ends = window(counted)
    return ends


def working_days_from(rights_request: RightsRequest, today: date, count: int) -> date:
    """The day ``count`` working days after ``today`` in the calendar of the request's
    frozen rule (policy.decisions.is_working_day)."""
    rule = frozen_rule(rights_request)
    day = today
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(rule, day):
            count -= 1
    return day
