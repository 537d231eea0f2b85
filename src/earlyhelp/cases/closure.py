"""Closing a case: a worker asks, with the reason, a summary and the outcome of every need;
a team manager of the case's team signs it off (the case closes) or returns it with a
comment; a closed case can be reopened with a reason.

The reasons are the policy's (`casework.closure_reasons`), never a list here; a reason
that refers the family to children's social care (`refers_to_social_care`) needs the date
of the referral, and no other reason takes one. Every need the case's assessments found
gets an outcome at closure: achieved or not, sustained or not (only an achieved outcome can
be sustained), with the evidence. These are the figures the service's outcome reports
count.

Stepping up to children's social care is a disclosure of the family's information to
another organisation: when the closure is signed off, each member of the case gets a
disclosure in their log (sharing.step_up, through sharing.services, to the recipient and
for the purpose the policy's `sharing.step_up` names); the referral date is kept here, on
the request and, once signed off, on the case.

Separation of duties: the person who asked to close a case never signs their own request
off, even as a team manager; another manager of the team does. Every decision is a
person's, recorded with who and when (notice section 9): nothing here decides about a
family.

Each function here is one write and its audit events, in one transaction: a write that is
refused (ValueError, naming the field and the rule) or fails leaves neither. The events
name the case and the closure request (or the reopening) by their public ids, never any
text that was written.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import manages_team_of, works_in_team_of
from earlyhelp.audit.log import record
from earlyhelp.cases.caseload import with_last_contact
from earlyhelp.cases.choices import ClosureDecision
from earlyhelp.cases.models import Case, ClosureRequest, Need, NeedOutcome, Reopening
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import event_date_error, format_day
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing.services import TEXT_LIMIT as SHARE_TEXT_LIMIT
from earlyhelp.sharing.step_up import check_restriction_reason, record_step_up

# What each event is about, by model: the audit event records their categories.
REQUEST_WRITES = (ClosureRequest, NeedOutcome)
DECISION_WRITES = (ClosureRequest, Case)
REOPEN_WRITES = (Case, Reopening)
# Free text: long enough for anything written, short of a document.
TEXT_LIMIT = 20000


@dataclass(frozen=True)
class OutcomeAtClosure:
    """A need's outcome as the worker records it at closure."""

    need: Need
    achieved: bool
    sustained: bool
    evidence: str


def closure_reason_choices() -> list[tuple[str, str]]:
    """The policy's closure reasons as (id, name), in the policy's order."""
    return [(r.id, r.name) for r in active_policy().casework.closure_reasons]


def refers_to_social_care(reason_id: str) -> bool:
    """Whether closing for this reason steps the family up to children's social care."""
    reason = active_policy().casework.closure_reason(reason_id)
    return bool(reason and reason.refers_to_social_care)


def needs_at_closure(case: Case) -> QuerySet[Need]:
    """Every need the case's assessments found: each gets an outcome at closure."""
    return Need.objects.filter(assessment__case=case).order_by("assessment__started", "pk")


def awaiting_request(case: Case) -> ClosureRequest | None:
    """The case's closure request awaiting sign-off, if there is one (at most one is)."""
    return (
        case.closure_requests.filter(decision=ClosureDecision.AWAITING)
        .select_related("requested_by")
        .first()
    )


def returned_request(case: Case) -> ClosureRequest | None:
    """The case's latest closure request if a manager returned it (the worker asks again,
    starting from what they wrote), else None."""
    latest = (
        case.closure_requests.select_related("decided_by").order_by("-requested_at", "-pk").first()
    )
    return latest if latest is not None and latest.decision == ClosureDecision.RETURNED else None


def may_request(user: User, case: Case) -> bool:
    """A worker or manager of the case's team, or its allocated worker, asks to close it."""
    return user.has_role(Role.PRACTITIONER, Role.TEAM_MANAGER) and (
        case.allocated_worker_id == user.pk or works_in_team_of(user, case)
    )


def may_decide(user: User, closure: ClosureRequest) -> bool:
    """A team manager of the case's team who did not ask for the closure themself."""
    return manages_team_of(user, closure.case) and closure.requested_by_id != user.pk


def _today() -> date:
    return timezone.localdate()


def _user(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _locked_case(case: Case) -> Case:
    """The case as the database holds it now, locked for this transaction, so two
    requests (a form sent twice) are decided one after the other."""
    return Case.objects.select_for_update(of=("self",)).select_related("team").get(pk=case.pk)


def _text(name: str, value: object, words: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}: {words}")
    if len(value) > TEXT_LIMIT:
        raise ValueError(f"{name}: at most {TEXT_LIMIT:,} characters")
    return value


def _check_day(name: str, value: object, words: str, case: Case) -> None:
    if not isinstance(value, date):
        raise ValueError(f"{name}: give the {words}")
    message = event_date_error(value, field=f"The {words}", today=_today())
    if message:
        raise ValueError(f"{name}: {message}")
    if value < case.started:
        raise ValueError(
            f"{name}: the {words} cannot be before the case opened ({format_day(case.started)})"
        )


def _check_outcomes(case: Case, outcomes: Sequence[OutcomeAtClosure]) -> None:
    needs = {need.pk: need for need in needs_at_closure(case)}
    given = [entry.need.pk for entry in outcomes]
    if len(set(given)) != len(given):
        raise ValueError("outcomes: each need has one outcome")
    if set(given) - set(needs):
        raise ValueError("outcomes: a need that none of this case's assessments found")
    missing = [need for pk, need in needs.items() if pk not in given]
    if missing:
        raise ValueError(
            f"outcomes: every need the case's assessments found has an outcome at closure "
            f"({len(missing)} without one)"
        )
    for entry in outcomes:
        if not isinstance(entry.achieved, bool):
            raise ValueError("achieved: say whether the outcome was achieved")
        if not isinstance(entry.sustained, bool):
            raise ValueError("sustained: say whether the outcome was sustained")
        if entry.sustained and not entry.achieved:
            raise ValueError("sustained: an outcome is sustained only once it is achieved")
        _text("evidence", entry.evidence, "give the evidence for each need's outcome")


def _contact_after(case: Case, closing_on: date) -> str:
    """Words saying the case's last contact (struck-out ones left out) was after
    `closing_on`, or "" when it was not (or there is none)."""
    last = (
        with_last_contact(Case.objects.filter(pk=case.pk))
        .values_list("last_contact", flat=True)
        .get()
    )
    if last is None or timezone.localdate(last) <= closing_on:
        return ""
    return (
        f"a contact with the family was recorded on {format_day(timezone.localdate(last))}, "
        f"after the closing date"
    )


@transaction.atomic
def request_closure(
    request: HttpRequest,
    case: Case,
    *,
    reason: str,
    summary: str,
    closing_on: date,
    outcomes: Sequence[OutcomeAtClosure],
    referred_to_social_care_on: date | None = None,
) -> ClosureRequest:
    """Ask to close `case`, as the requesting user: the request (awaiting a manager's
    sign-off) and an outcome for every need of the case. One "create" event against the
    closure request, naming the case.

    Stepping up to children's social care is a disclosure of the family's information to
    it: the referral date is recorded here, on the request, and on the case when the
    closure is signed off, which records the disclosures (decide_closure).

    Raises ValueError, with nothing written, naming the field:
    - "requested_by:" not a worker or manager of the case's team, nor its allocated worker;
    - "case:" the case is closed, or a request to close it already awaits sign-off (so a
      form sent twice makes one request);
    - "reason:" not a closure reason of the policy, or one saying the needs were met when
      the case's needs have outcomes and none is recorded as achieved (a case with no
      assessed needs may close as needs met);
    - "summary:" empty or too long;
    - "closing_on:" after today, before the case opened, before its last contact, or not a
      plausible date;
    - "referred_to_social_care_on:" missing for a reason that refers the family to
      children's social care, given for any other reason, after today or before the case
      opened;
    - "outcomes:" a need of the case without an outcome, one given twice, or a need of
      another case; "achieved:"/"sustained:" not yes or no, or sustained without being
      achieved; "evidence:" empty or too long.
    """
    user = _user(request)
    current = _locked_case(case)
    if user is None or not may_request(user, current):
        raise ValueError(
            "requested_by: a worker or manager of the case's team asks to close the case"
        )
    if not current.is_open:
        raise ValueError(f"case: already closed on {format_day(current.ended)}")
    if current.closure_requests.filter(decision=ClosureDecision.AWAITING).exists():
        raise ValueError("case: a request to close this case already awaits sign-off")
    chosen = active_policy().casework.closure_reason(reason)
    if chosen is None:
        raise ValueError(f"reason: {reason!r} is not a closure reason of the policy")
    _text("summary", summary, "summarise the work with the family and why the case closes")
    _check_day("closing_on", closing_on, "closing date", current)
    problem = _contact_after(current, closing_on)
    if problem:
        raise ValueError(f"closing_on: {problem}; the case closes on or after its last contact")
    if refers_to_social_care(reason):
        _check_day(
            "referred_to_social_care_on",
            referred_to_social_care_on,
            "date of the referral to children's social care",
            current,
        )
    elif referred_to_social_care_on is not None:
        raise ValueError(
            "referred_to_social_care_on: only a closure stepping the family up to children's "
            "social care has a referral date"
        )
    _check_outcomes(current, outcomes)
    if chosen.says_needs_were_met and outcomes and not any(e.achieved for e in outcomes):
        raise ValueError(
            f"reason: “{chosen.name}” says the family's needs were met, but no need's outcome "
            f"is recorded as achieved; record the outcomes achieved or choose another reason"
        )
    closure = ClosureRequest.objects.create(
        case=current,
        reason=reason,
        summary=summary,
        closing_on=closing_on,
        referred_to_social_care_on=referred_to_social_care_on,
        requested_by=user,
    )
    NeedOutcome.objects.bulk_create(
        NeedOutcome(
            closure=closure,
            need=entry.need,
            achieved=entry.achieved,
            sustained=entry.sustained,
            evidence=entry.evidence,
        )
        for entry in outcomes
    )
    record(
        request,
        action="create",
        record_type="closure-request",
        record_id=str(closure.public_id),
        categories=categories_of(*REQUEST_WRITES),
        details={"case": str(current.public_id)},
    )
    return closure


@transaction.atomic
def decide_closure(
    request: HttpRequest,
    closure: ClosureRequest,
    *,
    approve: bool,
    comment: str = "",
    restriction_reason: str = "",
) -> ClosureRequest:
    """Sign off (`approve`) or return a closure request awaiting sign-off, as the
    requesting user, with a comment (required to return it: what needs doing first).

    Approval closes the case: `ended` is the request's closing date, `closure_reason` its
    reason, and a step-up's referral date is set on the case. Two "change" events, one
    against the request and one against the case; a return is one, against the request.
    Approving a step-up to children's social care also records it as a disclosure about
    each member of the case (sharing.step_up.record_step_up), with its events; a member
    whose processing a rights request restricts is shared on the policy's ground (UK GDPR
    Article 18(2)) with `restriction_reason`, the manager's words for why it cannot wait.

    Raises ValueError, with nothing written, naming the field:
    - "decided_by:" not a team manager of the case's team, or the person who asked to close
      the case (they never sign their own request off: another manager does);
    - "closure:" already signed off or returned;
    - "case:" the case was closed since;
    - "manager_comment:" missing when the request is returned, or too long;
    - "reason:" (on approval) a reason the policy no longer has;
    - "outcomes:" (on approval) a need recorded since the request, without an outcome;
    - "closing_on:" (on approval) a contact recorded or re-dated since the request, after
      its closing date;
    - "restriction_reason:" (on approving a step-up) a member's processing is restricted
      and no reason is given for sharing it all the same;
    - (on approving a step-up) the share's refusal, naming its field ("person:", "items:",
      "recipient:", "purpose:"): the policy does not allow the disclosure, or a member's
      processing is restricted by a rights request and the policy gives no ground for it.
    """
    user = _user(request)
    case = _locked_case(closure.case)
    current = ClosureRequest.objects.select_for_update().get(pk=closure.pk)
    current.case = case
    if user is None or not manages_team_of(user, case):
        raise ValueError("decided_by: a team manager of the case's team signs a closure off")
    if current.requested_by_id == user.pk:
        raise ValueError(
            "decided_by: you asked to close this case, so another manager of the team signs it off"
        )
    if current.decision != ClosureDecision.AWAITING:
        raise ValueError(f"closure: already {current.get_decision_display().lower()}")
    if not case.is_open:
        raise ValueError(f"case: already closed on {format_day(case.ended)}")
    if not approve:
        _text("manager_comment", comment, "say what needs doing before the case can close")
    elif len(comment) > TEXT_LIMIT:
        raise ValueError(f"manager_comment: at most {TEXT_LIMIT:,} characters")
    if len(restriction_reason) > SHARE_TEXT_LIMIT:
        # Kept on the disclosure, whose texts have the sharing limit.
        raise ValueError(f"restriction_reason: at most {SHARE_TEXT_LIMIT:,} characters")
    if approve:
        if active_policy().casework.closure_reason(current.reason) is None:
            raise ValueError(
                "reason: no longer a closure reason of the policy; return the request so the "
                "worker chooses another"
            )
        problem = _contact_after(case, current.closing_on)
        if problem:
            # Recorded or re-dated while the request waited: the closing date is now wrong.
            raise ValueError(
                f"closing_on: {problem}; return the request so the worker gives a later date"
            )
        covered = set(current.outcomes.values_list("need_id", flat=True))
        if needs_at_closure(case).exclude(pk__in=covered).exists():
            raise ValueError(
                "outcomes: a need was recorded after the request, without an outcome; return "
                "the request so the worker records it"
            )
        if refers_to_social_care(current.reason):
            check_restriction_reason(case, restriction_reason)
    current.decision = ClosureDecision.APPROVED if approve else ClosureDecision.RETURNED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.manager_comment = comment
    current.save(update_fields=["decision", "decided_by", "decided_at", "manager_comment"])
    record(
        request,
        action="change",
        record_type="closure-request",
        record_id=str(current.public_id),
        categories=categories_of(*DECISION_WRITES),
        details={"case": str(case.public_id), "decision": current.decision},
    )
    if approve:
        case.ended = current.closing_on
        case.closure_reason = current.reason
        changed = ["ended", "closure_reason"]
        if current.referred_to_social_care_on is not None:
            # The latest referral stays on the case, through any reopening.
            case.referred_to_social_care_on = current.referred_to_social_care_on
            changed.append("referred_to_social_care_on")
        case.save(update_fields=changed)
        record(
            request,
            action="change",
            record_type="case",
            record_id=str(case.public_id),
            categories=categories_of(*DECISION_WRITES),
            details={"closure_request": str(current.public_id)},
        )
        if refers_to_social_care(current.reason):
            record_step_up(request, case, current, restriction_reason)
    for name in ("decision", "decided_by", "decided_at", "manager_comment"):
        setattr(closure, name, getattr(current, name))  # the caller's copy, as saved
    return current


@transaction.atomic
def reopen_case(request: HttpRequest, case: Case, *, reason: str) -> Reopening:
    """Open a closed case again, with the reason, as the requesting user (a worker or
    manager of its team). The case's `ended` and `closure_reason` are cleared; the
    reopening keeps what they were, and the closure request stays as history. A referral
    to children's social care stays on the case: it happened. One "change" event against
    the case, naming the reopening.

    Raises ValueError, with nothing written, naming the field: "reopened_by:" not a worker
    or manager of the case's team; "case:" the case is open; "reason:" empty or too long.
    """
    user = _user(request)
    current = _locked_case(case)
    if (
        user is None
        or not user.has_role(Role.PRACTITIONER, Role.TEAM_MANAGER)
        or not works_in_team_of(user, current)
    ):
        raise ValueError("reopened_by: a worker or manager of the case's team reopens it")
    if current.is_open:
        raise ValueError("case: the case is open")
    _text("reason", reason, "say why the case is reopened")
    reopening = Reopening.objects.create(
        case=current,
        reason=reason,
        was_ended=current.ended,
        was_closure_reason=current.closure_reason,
        reopened_by=user,
    )
    current.ended = None
    current.closure_reason = ""
    current.save(update_fields=["ended", "closure_reason"])
    record(
        request,
        action="change",
        record_type="case",
        record_id=str(current.public_id),
        categories=categories_of(*REOPEN_WRITES),
        details={"reopening": str(reopening.public_id)},
    )
    case.ended, case.closure_reason = None, ""  # the caller's copy, as saved
    return reopening
