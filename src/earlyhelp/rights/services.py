"""Writing rights requests and complaints, each write with its audit event in one
transaction. Views, the public form and commands call these; a refusal raises ValueError
("field: rule") and writes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record as audit_record
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import deadline_rule
from earlyhelp.rights import clock, letters
from earlyhelp.rights.models import Clarification, ReminderSent, RightsRequest

RECORD_TYPE = "rights-request"


def audit_request(
    request: HttpRequest | None,
    rights_request: RightsRequest,
    action: str,
    what: str,
    *,
    actor: User | None = None,
    details: dict | None = None,
) -> None:
    """One audit event about a request: its public id, what happened ("identity evidence
    recorded"), no personal data."""
    audit_record(
        request,
        action=action,
        record_type=RECORD_TYPE,
        record_id=rights_request.public_id,
        categories=categories_of(RightsRequest),
        reason=f"Rights request {rights_request.reference}",
        actor=actor,
        details={"what": what, "rights_request": str(rights_request.public_id), **(details or {})},
    )


@transaction.atomic
def create_request(
    request: HttpRequest | None,
    *,
    kind: str,
    channel: str,
    received: date,
    created_by: User | None = None,
    regime: str = "uk-gdpr",
    **fields,
) -> RightsRequest:
    """A new request or complaint, keeping the policy's version and the time limit (and,
    for a complaint, the s.164A rule) in force on ``received``.

    ``fields`` are RightsRequest fields (requester_*, reply_by, rights_asked, subject_*...).
    Raises ValueError "received: ..." for a date in the future or before any time limit of
    the policy was in force, and "kind: ..." / "channel: ..." for unknown values.
    """
    if kind not in RightsRequest.Kind.values:
        raise ValueError(f"kind: '{kind}' is not a request or a complaint")
    if channel not in RightsRequest.Channel.values:
        raise ValueError(f"channel: '{channel}' is not a way a request arrives")
    today = timezone.localdate()
    if received > today:
        raise ValueError(f"received: {format_day(received)} is in the future")
    policy = active_policy()
    rule = deadline_rule(policy, received, regime)  # ValueError "received: ..." if none
    handling = policy.complaints.handling
    # A request waits for identity evidence until it is recorded; a complaint for its
    # acknowledgement, however it arrived.
    fields.setdefault(
        "status",
        RightsRequest.Status.AWAITING_IDENTITY
        if kind == RightsRequest.Kind.REQUEST
        else RightsRequest.Status.RECEIVED,
    )
    rights_request = RightsRequest(
        kind=kind,
        channel=channel,
        received=received,
        regime=regime,
        policy_version=policy.version,
        clock_rule=rule.model_dump(mode="json"),
        complaint_rule=(
            handling.model_dump(mode="json")
            if kind == RightsRequest.Kind.COMPLAINT and handling is not None
            else None
        ),
        created_by=created_by,
        **fields,
    )
    try:
        rights_request.full_clean(exclude=["clock_rule", "complaint_rule"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ValueError(f"{field}: {' '.join(messages)}") from None
    rights_request.save()
    audit_request(
        request,
        rights_request,
        "create",
        f"{rights_request.get_kind_display().lower()} received by "
        f"{rights_request.get_channel_display().lower()}",
        actor=created_by,
        details={"policy_version": policy.version, "rule": rule.id},
    )
    return rights_request


# ---------------------------------------------------------------------------------------
# The clock's events and the answers, each with its audit event (the request page's forms).
# ---------------------------------------------------------------------------------------


def _actor(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _locked(rights_request: RightsRequest) -> RightsRequest:
    """The request read again under a row lock: two officers acting at once wait in turn."""
    return RightsRequest.objects.select_for_update().get(pk=rights_request.pk)


def _check_day(rights_request: RightsRequest, day: date, field: str, words: str) -> None:
    """Raise ValueError "field: ..." unless ``day`` is between receipt and today."""
    today = timezone.localdate()
    if day > today:
        raise ValueError(f"{field}: the {words} cannot be in the future")
    if day < rights_request.received:
        raise ValueError(
            f"{field}: the {words} cannot be before the "
            f"{rights_request.get_kind_display().lower()} was received "
            f"({format_day(rights_request.received)})"
        )


def _require_open(rights_request: RightsRequest) -> None:
    if not rights_request.is_open:
        raise ValueError(f"closed: this was closed on {format_day(rights_request.closed_on)}")


def _require_kind(rights_request: RightsRequest, kind: str, what: str) -> None:
    if rights_request.kind != kind:
        raise ValueError(f"kind: only a {kind} can be {what}")


def _working_status(rights_request: RightsRequest) -> str:
    """An open request's status from its events: awaiting clarification, extended, awaiting
    identity, or in progress."""
    status = RightsRequest.Status
    if rights_request.clarifications.filter(answered_on__isnull=True).exists():
        return status.AWAITING_CLARIFICATION
    if rights_request.extended_on is not None:
        return status.EXTENDED
    if rights_request.identity_evidence_received is None:
        return status.AWAITING_IDENTITY
    return status.IN_PROGRESS


@transaction.atomic
def log_request(request: HttpRequest, *, kind: str, **fields) -> RightsRequest:
    """A request or complaint staff received by letter, email, telephone or in person.

    A request waits for identity evidence until it is recorded; a complaint for its
    acknowledgement. Raises ValueError "field: rule" as ``create_request`` does.
    """
    if fields.get("channel") == RightsRequest.Channel.WEB_FORM:
        raise ValueError("channel: requests through the web form are logged by the form")
    return create_request(request, kind=kind, created_by=_actor(request), **fields)


@transaction.atomic
def assign_handler(request: HttpRequest, rights_request: RightsRequest, handler: User) -> None:
    """Who handles the request from now on."""
    rights_request = _locked(rights_request)
    _require_open(rights_request)
    if not handler.has_role(Role.INFORMATION_GOVERNANCE):
        raise ValueError("handler: choose an information governance officer")
    # The handler alone opens the records in scope, so only they hand it on; a request no
    # one (still active) handles may be taken on by any officer.
    current = rights_request.handled_by
    actor = _actor(request)
    if current is not None and current.is_active and (actor is None or actor.pk != current.pk):
        raise ValueError(
            f"handler: {current.get_full_name() or current.username} handles it; only they "
            "can hand it to someone else"
        )
    rights_request.handled_by = handler
    rights_request.save(update_fields=["handled_by"])
    audit_request(
        request,
        rights_request,
        "allocate",
        "handler assigned",
        actor=_actor(request),
        details={"handler": handler.username},
    )


@transaction.atomic
def record_identity_evidence(
    request: HttpRequest, rights_request: RightsRequest, received_on: date, evidence: str
) -> None:
    """Identity evidence received on ``received_on``: the clock starts from it where the
    request's frozen rule says so."""
    rights_request = _locked(rights_request)
    _require_open(rights_request)
    _require_kind(rights_request, RightsRequest.Kind.REQUEST, "given identity evidence")
    _check_day(rights_request, received_on, "received_on", "date the evidence was received")
    if not evidence.strip():
        raise ValueError("evidence: say what evidence of identity was seen")
    rights_request.identity_evidence_received = received_on
    rights_request.identity_evidence = evidence.strip()
    rights_request.status = _working_status(rights_request)
    rights_request.save(update_fields=["identity_evidence_received", "identity_evidence", "status"])
    audit_request(
        request, rights_request, "change", "identity evidence recorded", actor=_actor(request)
    )


@transaction.atomic
def record_fee_paid(request: HttpRequest, rights_request: RightsRequest, paid_on: date) -> None:
    """A fee paid (only where one was charged): the clock starts from it where the rule
    says so."""
    rights_request = _locked(rights_request)
    _require_open(rights_request)
    _require_kind(rights_request, RightsRequest.Kind.REQUEST, "paid for")
    _check_day(rights_request, paid_on, "paid_on", "date the fee was paid")
    rights_request.fee_paid = paid_on
    rights_request.save(update_fields=["fee_paid"])
    audit_request(request, rights_request, "change", "fee payment recorded", actor=_actor(request))


@transaction.atomic
def ask_clarification(
    request: HttpRequest, rights_request: RightsRequest, asked_on: date, question: str
) -> Clarification:
    """Clarification asked for: the clock stands still until the answer is recorded."""
    rights_request = _locked(rights_request)
    _require_open(rights_request)
    _require_kind(rights_request, RightsRequest.Kind.REQUEST, "clarified")
    _check_day(rights_request, asked_on, "asked_on", "date it was asked")
    if not question.strip():
        raise ValueError("question: say what was asked")
    if rights_request.clarifications.filter(answered_on__isnull=True).exists():
        raise ValueError("asked_on: an answer to the last question is still awaited")
    last = rights_request.clarifications.order_by("-answered_on").first()
    if last is not None and asked_on < last.answered_on:
        raise ValueError(
            f"asked_on: the date it was asked cannot be before the last answer "
            f"({format_day(last.answered_on)})"
        )
    clarification = rights_request.clarifications.create(
        asked_on=asked_on, question=question.strip(), asked_by=_actor(request)
    )
    rights_request.status = RightsRequest.Status.AWAITING_CLARIFICATION
    rights_request.save(update_fields=["status"])
    audit_request(
        request, rights_request, "change", "clarification asked for", actor=_actor(request)
    )
    return clarification


@transaction.atomic
def record_clarification_answer(
    request: HttpRequest, rights_request: RightsRequest, answered_on: date, answer: str = ""
) -> None:
    """The clarification awaited arrived on ``answered_on``: the clock runs again."""
    rights_request = _locked(rights_request)
    _require_open(rights_request)
    awaited = rights_request.clarifications.filter(answered_on__isnull=True).first()
    if awaited is None:
        raise ValueError("answered_on: no clarification is awaited")
    _check_day(rights_request, answered_on, "answered_on", "date the answer arrived")
    if answered_on < awaited.asked_on:
        raise ValueError(
            f"answered_on: the answer cannot arrive before it was asked for "
            f"({format_day(awaited.asked_on)})"
        )
    awaited.answered_on = answered_on
    awaited.answer = answer.strip()
    awaited.save(update_fields=["answered_on", "answer"])
    rights_request.status = _working_status(rights_request)
    rights_request.save(update_fields=["status"])
    audit_request(
        request, rights_request, "change", "clarification received", actor=_actor(request)
    )


@transaction.atomic
def extend_request(
    request: HttpRequest, rights_request: RightsRequest, extended_on: date, reasons: str
) -> None:
    """Extend the time to answer by the frozen rule's maximum, within the first month, with
    reasons, and keep the letter telling the requester the new date and why."""
    rights_request = _locked(rights_request)
    _require_open(rights_request)
    _require_kind(rights_request, RightsRequest.Kind.REQUEST, "extended")
    if rights_request.extended_on is not None:
        raise ValueError(
            f"extended_on: already extended on {format_day(rights_request.extended_on)}"
        )
    _check_day(rights_request, extended_on, "extended_on", "date of the extension")
    if not reasons.strip():
        raise ValueError("reasons: give the reasons for the extension: the requester is told them")
    latest = clock.tell_extension_by(rights_request, extended_on)
    if latest is None:
        raise ValueError("extended_on: the time limit this request is under allows no extension")
    # Recorded late with an earlier date, it would still beat the rule: the day it is
    # recorded counts too.
    if max(extended_on, timezone.localdate()) > latest:
        raise ValueError(
            f"extended_on: an extension must be made and the requester told within the first "
            f"month, by {format_day(latest)}"
        )
    rights_request.extended_on = extended_on
    rights_request.extension_reasons = reasons.strip()
    due = clock.deadline_of(rights_request, extended_on).due
    rights_request.extension_letter = letters.extension_letter(
        rights_request, active_policy(), extended_on, due, reasons
    )
    rights_request.status = _working_status(rights_request)
    rights_request.save(
        update_fields=["extended_on", "extension_reasons", "extension_letter", "status"]
    )
    audit_request(request, rights_request, "change", "time extended", actor=_actor(request))


def _close(
    request: HttpRequest,
    rights_request: RightsRequest,
    on: date,
    status: str,
    letter: str,
    what: str,
    **fields,
) -> None:
    rights_request.status = status
    rights_request.outcome_on = on
    rights_request.closed_on = on
    rights_request.outcome_letter = letter
    for name, value in fields.items():
        setattr(rights_request, name, value)
    rights_request.save(
        update_fields=["status", "outcome_on", "closed_on", "outcome_letter", *fields]
    )
    audit_request(request, rights_request, "change", what, actor=_actor(request))


def _recorded_events(rights_request: RightsRequest) -> list[tuple[date, str]]:
    """(day, what) of each dated event recorded on the request: identity evidence, a fee,
    an extension, each clarification asked for and received."""
    rr = rights_request
    found = [
        (rr.identity_evidence_received, "identity evidence received"),
        (rr.fee_paid, "fee paid"),
        (rr.extended_on, "extension"),
    ]
    for clarification in rr.clarifications.all():
        found.append((clarification.asked_on, "clarification asked for"))
        found.append((clarification.answered_on, "clarification received"))
    return [(day, what) for day, what in found if day is not None]


def _check_closing(rights_request: RightsRequest, on: date, words: str) -> None:
    """A request closes on or after everything recorded on it."""
    _require_open(rights_request)
    _check_day(rights_request, on, "on", words)
    later = [(day, what) for day, what in _recorded_events(rights_request) if day > on]
    if later:
        day, what = max(later)
        raise ValueError(f"on: the {words} cannot be before the {what} on {format_day(day)}")


@transaction.atomic
def answer_request(
    request: HttpRequest, rights_request: RightsRequest, on: date, summary: str
) -> None:
    """Close a request answered on ``on``, keeping the letter that says what was done."""
    rights_request = _locked(rights_request)
    _require_kind(rights_request, RightsRequest.Kind.REQUEST, "answered")
    _check_closing(rights_request, on, "date of the answer")
    if not summary.strip():
        raise ValueError("summary: say what was done, for the letter")
    letter = letters.answer_letter(rights_request, active_policy(), on, summary)
    _close(request, rights_request, on, RightsRequest.Status.ANSWERED, letter, "answered")


@transaction.atomic
def refuse_request(
    request: HttpRequest,
    rights_request: RightsRequest,
    on: date,
    exemption: str,
    explanation: str = "",
) -> None:
    """Close a request refused on ``on`` under ``exemption``, keeping the letter."""
    rights_request = _locked(rights_request)
    _require_kind(rights_request, RightsRequest.Kind.REQUEST, "refused")
    _check_closing(rights_request, on, "date of the refusal")
    if not exemption.strip():
        raise ValueError("exemption: name the exemption the refusal relies on")
    letter = letters.refusal_letter(rights_request, active_policy(), on, exemption, explanation)
    _close(
        request,
        rights_request,
        on,
        RightsRequest.Status.REFUSED,
        letter,
        "refused",
        exemption=exemption.strip(),
    )


@transaction.atomic
def withdraw_request(request: HttpRequest, rights_request: RightsRequest, on: date) -> None:
    """Close a request or complaint the requester withdrew on ``on``."""
    rights_request = _locked(rights_request)
    _check_closing(rights_request, on, "date it was withdrawn")
    _close(request, rights_request, on, RightsRequest.Status.WITHDRAWN, "", "withdrawn")


@transaction.atomic
def acknowledge_complaint(request: HttpRequest, rights_request: RightsRequest, on: date) -> None:
    """A complaint acknowledged on ``on`` (DPA 2018 s.164A), keeping the letter."""
    rights_request = _locked(rights_request)
    _require_open(rights_request)
    _require_kind(rights_request, RightsRequest.Kind.COMPLAINT, "acknowledged")
    if rights_request.acknowledged_on is not None:
        raise ValueError(
            f"on: already acknowledged on {format_day(rights_request.acknowledged_on)}"
        )
    _check_day(rights_request, on, "on", "date of the acknowledgement")
    rights_request.acknowledged_on = on
    rights_request.acknowledgement_letter = letters.acknowledgement_letter(
        rights_request, active_policy(), on
    )
    rights_request.status = RightsRequest.Status.ACKNOWLEDGED
    rights_request.save(update_fields=["acknowledged_on", "acknowledgement_letter", "status"])
    audit_request(
        request, rights_request, "change", "complaint acknowledged", actor=_actor(request)
    )


@transaction.atomic
def record_complaint_outcome(
    request: HttpRequest, rights_request: RightsRequest, on: date, outcome: str
) -> None:
    """Close a complaint with its outcome, keeping the letter naming the ICO's routes."""
    rights_request = _locked(rights_request)
    _require_kind(rights_request, RightsRequest.Kind.COMPLAINT, "given an outcome")
    _check_closing(rights_request, on, "date of the outcome")
    if rights_request.acknowledged_on and on < rights_request.acknowledged_on:
        raise ValueError(
            f"on: the outcome cannot be before the acknowledgement "
            f"({format_day(rights_request.acknowledged_on)})"
        )
    if not outcome.strip():
        raise ValueError("outcome: say what the outcome is, for the letter")
    letter = letters.complaint_outcome_letter(rights_request, active_policy(), on, outcome)
    _close(request, rights_request, on, RightsRequest.Status.ANSWERED, letter, "complaint outcome")


# ---------------------------------------------------------------------------------------
# What is due: the list's counts, the home page and the reminders.
# ---------------------------------------------------------------------------------------

# Issue 15: reminders cover what is due within five working days, and what is overdue.
REMIND_WITHIN_WORKING_DAYS = 5


def due_soon_and_overdue(
    today: date, requests=None
) -> tuple[list[tuple[RightsRequest, clock.Due]], list[tuple[RightsRequest, clock.Due]]]:
    """(due within five working days, overdue): open requests by their response date and
    complaints by their acknowledgement date, soonest first."""
    soon, overdue = [], []
    if requests is None:
        requests = RightsRequest.objects.open().prefetch_related("clarifications")
    for rights_request in requests:
        due = clock.next_due(rights_request, today)
        if due.on is None:
            continue
        if due.on < today:
            overdue.append((rights_request, due))
        elif due.on <= clock.working_days_from(rights_request, today, REMIND_WITHIN_WORKING_DAYS):
            soon.append((rights_request, due))
    return (
        sorted(soon, key=lambda pair: pair[1].on),
        sorted(overdue, key=lambda pair: pair[1].on),
    )


def officers_to_remind() -> list[User]:
    """Active information governance officers with an email address."""
    return [
        user
        for user in User.objects.filter(
            is_active=True, groups__name=Role.INFORMATION_GOVERNANCE.value
        )
        .exclude(email="")
        .distinct()
        if user.has_role(Role.INFORMATION_GOVERNANCE)
    ]


def reminder_text(
    soon: list[tuple[RightsRequest, clock.Due]],
    overdue: list[tuple[RightsRequest, clock.Due]],
    today: date,
) -> str:
    """The reminder email's body: references, what is due and when. No names."""
    lines = [f"Rights requests and complaints needing action, as of {format_day(today)}.", ""]
    for heading, pairs in (
        ("Overdue", overdue),
        (f"Due within {REMIND_WITHIN_WORKING_DAYS} working days", soon),
    ):
        if pairs:
            lines.append(f"{heading}:")
            lines += [f"- {rr.reference}: {due.what} {format_day(due.on)}" for rr, due in pairs]
            lines.append("")
    lines.append("Sign in to the service and open Rights requests and complaints to act on them.")
    return "\n".join(lines)


def send_reminders(today: date | None = None) -> int:
    """Email every information governance officer the requests due within five working days
    and overdue that have not been reminded of today; return how many requests were.

    The ReminderSent rows and the emails are one transaction: a run killed part way leaves
    nothing recorded, so the next run sends again; a second run the same day sends nothing.
    """
    today = today or timezone.localdate()
    soon, overdue = due_soon_and_overdue(today)
    reminded = set(ReminderSent.objects.filter(sent_on=today).values_list("request_id", flat=True))
    soon = [pair for pair in soon if pair[0].pk not in reminded]
    overdue = [pair for pair in overdue if pair[0].pk not in reminded]
    if not soon and not overdue:
        return 0
    officers = officers_to_remind()
    if not officers:
        return 0
    body = reminder_text(soon, overdue, today)
    subject = (
        f"Rights requests: {len(overdue)} overdue, {len(soon)} due within "
        f"{REMIND_WITHIN_WORKING_DAYS} working days"
    )
    try:
        with transaction.atomic():
            # A run at the same moment waits here on the unique (request, day) rows.
            ReminderSent.objects.bulk_create(
                [ReminderSent(request=rr, sent_on=today, overdue=False) for rr, _ in soon]
                + [ReminderSent(request=rr, sent_on=today, overdue=True) for rr, _ in overdue]
            )
            for officer in officers:
                send_mail(subject, body, None, [officer.email])
    except IntegrityError:
        return 0  # another run sent these reminders today
    return len(soon) + len(overdue)
