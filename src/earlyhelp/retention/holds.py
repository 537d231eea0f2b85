"""Legal holds: records kept past their date while an inquiry, a claim or the law needs them.

An IG officer places a hold with its issuer, scope, reason and review date (issue 18 item
2). Held people are never planned for destruction; an item planned before the hold was
placed leaves the open review as kept, and an approved one is kept when disposal reaches
it. Lifting a hold says which other holds still cover its people, so nobody assumes a
lifted hold frees them.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.audit.log import record_many
from earlyhelp.cases.models import Case, CaseMember
from earlyhelp.lib.plausible import control_character_error, format_day
from earlyhelp.people.models import Household, HouseholdMember, Person, Risk
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.common import add_period
from earlyhelp.policy.describe import describe_period
from earlyhelp.policy.schema import Period
from earlyhelp.retention.models import DestructionReview, LegalHold, PlannedDestruction
from earlyhelp.rights.models import ProcessingRestriction, RequestPerson

Scope = LegalHold.Scope
Criterion = LegalHold.Criterion
TEXT_LIMIT = 2000
SHORT_LIMIT = 200
# People a statement names by id (within every database's limit on parameters).
CHUNK = 500


class HoldRefused(ValueError):
    """A hold cannot be placed or lifted as asked: "field: what is wrong"."""


def _text(value: str, field: str, label: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise HoldRefused(f"{field}: enter {label}")
    if len(value) > limit:
        raise HoldRefused(f"{field}: {label} must be {limit:,} characters or fewer")
    problem = control_character_error(value, field=label.capitalize())
    if problem:
        raise HoldRefused(f"{field}: {problem}")
    return value


def _services() -> dict[str, str]:
    policy = active_policy()
    found = {s.id: s.name for s in policy.services}
    found |= {sub.id: sub.name for s in policy.services for sub in s.sub_services}
    return found


@transaction.atomic
def place_hold(
    request: HttpRequest,
    *,
    issuer: str,
    scope: str,
    reason: str,
    review_on: date | None,
    reference: str = "",
    person: Person | None = None,
    household: Household | None = None,
    case: Case | None = None,
    service: str = "",
    criterion: str = "",
    before: date | None = None,
) -> LegalHold:
    """Place a hold and audit it against every person it covers now.

    Raises HoldRefused("field: message") when a field is missing or implausible: the scope
    needs its matching field (a person, a household, a case, a service of the policy, or a
    criterion with its date); the review date must be after today and no later than the
    policy's retention.destruction.hold_review_within from today.
    """
    issuer = _text(issuer, "issuer", "who asked for the hold", limit=SHORT_LIMIT)
    reference = _text(reference, "reference", "their reference", limit=100, required=False)
    reason = _text(reason, "reason", "the reason for the hold", limit=TEXT_LIMIT)
    if scope not in Scope.values:
        raise HoldRefused("scope: choose what the hold covers")
    needed = {
        Scope.PERSON: ("person", person, "choose the person the hold covers"),
        Scope.FAMILY: ("household", household, "choose the household the hold covers"),
        Scope.CASE: ("case", case, "choose the case the hold covers"),
        Scope.SERVICE: ("service", service, "choose the service the hold covers"),
        Scope.RULE: ("criterion", criterion, "choose the rule the hold covers"),
    }[Scope(scope)]
    if not needed[1]:
        raise HoldRefused(f"{needed[0]}: {needed[2]}")
    if scope == Scope.SERVICE and service not in _services():
        raise HoldRefused("service: choose a service of the policy")
    today = timezone.localdate()
    if scope == Scope.RULE:
        if criterion not in Criterion.values:
            raise HoldRefused("criterion: choose one of the rules listed")
        if before is None:
            raise HoldRefused("before: enter the date the rule's records are before")
        if before > today:
            raise HoldRefused("before: the date the records are before must be today or earlier")
    destruction = active_policy().retention.destruction
    if review_on is None:
        raise HoldRefused("review_on: enter the date the hold is to be reviewed")
    if review_on <= today:
        raise HoldRefused("review_on: the review date must be after today")
    if destruction is not None:
        latest = add_period(today, destruction.hold_review_within)
        if review_on > latest:
            raise HoldRefused(
                f"review_on: a hold must be reviewed within "
                f"{_period_words(destruction.hold_review_within)} of today: choose a date no "
                f"later than {format_day(latest)}"
            )
    hold = LegalHold.objects.create(
        issuer=issuer,
        reference=reference,
        scope=scope,
        person=person if scope == Scope.PERSON else None,
        household=household if scope == Scope.FAMILY else None,
        case=case if scope == Scope.CASE else None,
        service=service if scope == Scope.SERVICE else "",
        criterion=criterion if scope == Scope.RULE else "",
        before=before if scope == Scope.RULE else None,
        reason=reason,
        review_on=review_on,
        placed_by=request.user,
    )
    _audit(request, hold, "create", "legal hold placed")
    _keep_planned(hold)
    return hold


def _keep_planned(hold: LegalHold) -> None:
    """Take the people a new hold covers out of any review still open: their items waiting
    or deferred become "Kept: a legal hold", so the reviewer is not asked to approve them.
    An approved item is left for the disposal, which checks holds again and keeps it."""
    covered = sorted(_with_kept_records(set(people_held_by(hold))))
    now = timezone.now()
    # The open review's lock, as approving takes it: approval counts what waits under it.
    reviews = list(
        DestructionReview.objects.select_for_update().filter(status=DestructionReview.Status.OPEN)
    )
    for start in range(0, len(covered), CHUNK):
        PlannedDestruction.objects.filter(
            person_id__in=covered[start : start + CHUNK],
            status__in=[PlannedDestruction.Status.PLANNED, PlannedDestruction.Status.DEFERRED],
            review__status=DestructionReview.Status.OPEN,
        ).update(status=PlannedDestruction.Status.HELD, decided_at=now)
    # The hold may have taken the last records waiting: the review is then signed off.
    from earlyhelp.retention.services import last_approver, sign_off_if_done  # imports holds

    for review in reviews:
        sign_off_if_done(review, last_approver(review))


def _period_words(period: Period) -> str:
    return describe_period(period, prose=True)


@transaction.atomic
def lift_hold(request: HttpRequest, hold: LegalHold, reason: str) -> list[LegalHold]:
    """Lift a hold, with the reason; return the other holds in force that still cover any
    of its people (their records stay kept). Raises HoldRefused when the hold was already
    lifted or the reason is missing."""
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise HoldRefused(
            f"hold: this hold was lifted on {format_day(timezone.localtime(hold.lifted_at).date())}"
        )
    reason = _text(reason, "lift_reason", "why the hold is lifted", limit=TEXT_LIMIT)
    covered = set(people_held_by(hold))
    hold.lifted_by = request.user
    hold.lifted_at = timezone.now()
    hold.lift_reason = reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    _audit(request, hold, "change", "legal hold lifted", people=covered)
    still = []
    for other in LegalHold.objects.filter(lifted_at__isnull=True).exclude(pk=hold.pk):
        if covered & set(people_held_by(other)):
            still.append(other)
    return still


def _audit(
    request: HttpRequest, hold: LegalHold, action: str, what: str, people: set[int] | None = None
) -> None:
    """One event a person the hold covers (a hold over a service covers thousands: the
    count is recorded on one event against the hold instead)."""
    ids = people if people is not None else set(people_held_by(hold))
    details = {"what": what, "hold": str(hold.public_id), "scope": hold.scope}
    if len(ids) > 500:
        events = [{"record_type": "legal-hold", "record_id": hold.public_id, "details": details}]
        details["people"] = len(ids)
    else:
        events = [
            {"record_type": "person", "record_id": public_id, "details": details}
            for public_id in Person.objects.filter(pk__in=ids).values_list("public_id", flat=True)
        ] or [{"record_type": "legal-hold", "record_id": hold.public_id, "details": details}]
    record_many(
        request,
        [
            {
                "action": action,
                "rule": "retention:legal-hold",
                "reason": f"Legal hold {hold.public_id}",
                **event,
            }
            for event in events
        ],
    )


def people_held_by(hold: LegalHold) -> QuerySet:
    """The ids of the people (kept records, not those merged away) a hold covers now."""
    if hold.scope == Scope.PERSON:
        ids = Q(pk=hold.person_id) if hold.person_id else Q(pk__in=[])
        people = Person.objects.filter(ids)
    elif hold.scope == Scope.FAMILY:
        people = Person.objects.filter(
            pk__in=HouseholdMember.objects.filter(household_id=hold.household_id).values(
                "person_id"
            )
        )
    elif hold.scope == Scope.CASE:
        people = Person.objects.filter(
            pk__in=CaseMember.objects.filter(case_id=hold.case_id).values("person_id")
        )
    elif hold.scope == Scope.SERVICE:
        people = Person.objects.filter(
            pk__in=CaseMember.objects.filter(case__service=hold.service).values("person_id")
        )
    elif hold.criterion == Criterion.REFERRED:
        people = Person.objects.filter(
            pk__in=CaseMember.objects.filter(
                case__referred_to_social_care_on__lt=hold.before
            ).values("person_id")
        )
    else:
        people = Person.objects.filter(
            pk__in=Risk.objects.filter(recorded_at__date__lt=hold.before).values("person_id")
        )
    return people.values_list("pk", flat=True)


def held_people() -> set[int]:
    """The ids of every person a hold in force covers, and of those merged into them
    (records merged away are destroyed with the kept one, so they are held with it)."""
    held: set[int] = set()
    for hold in LegalHold.objects.filter(lifted_at__isnull=True):
        held.update(people_held_by(hold))
    return _with_kept_records(held)


def _with_kept_records(held: set[int]) -> set[int]:
    """`held` (changed in place and returned) with the kept record of each merged away."""
    # A hold on a record since merged away covers the kept record it was merged into.
    merged = dict(
        Person.objects.filter(pk__in=held, merged_into__isnull=False).values_list(
            "pk", "merged_into"
        )
    )
    while merged:
        held.update(merged.values())
        merged = dict(
            Person.objects.filter(pk__in=merged.values(), merged_into__isnull=False).values_list(
                "pk", "merged_into"
            )
        )
    return held


# Why a person's records are kept past their date although no hold names them, in words.
KEPT_FOR_REQUEST = "a rights request about them is open"
KEPT_FOR_RESTRICTION = "processing of their data is restricted"


def kept_for_rights() -> dict[int, str]:
    """Person id -> why their records must not be destroyed now, though due: a rights
    request about them is open (destroying what a request asks for is an offence, DPA
    2018 section 173), or processing is restricted (UK GDPR Article 18(1)(c): the person
    may need the data for a legal claim). The kept record of a merge is kept for the
    records merged into it."""
    kept: dict[int, str] = {}
    for person_id, merged_into in RequestPerson.objects.filter(
        request__closed_on__isnull=True
    ).values_list("person_id", "person__merged_into"):
        kept[merged_into or person_id] = KEPT_FOR_REQUEST
    for person_id, merged_into in ProcessingRestriction.objects.in_force().values_list(
        "person_id", "person__merged_into"
    ):
        kept.setdefault(merged_into or person_id, KEPT_FOR_RESTRICTION)
    return kept


def holds_covering(person: Person) -> list[LegalHold]:
    """The holds in force that cover `person`."""
    return [
        hold
        for hold in LegalHold.objects.filter(lifted_at__isnull=True)
        if person.pk in set(people_held_by(hold))
    ]


def scope_words(hold: LegalHold) -> str:
    """What a hold covers, in words a reader understands (names, not ids)."""
    if hold.scope == Scope.PERSON:
        return hold.person.full_name if hold.person else "A person whose records were destroyed"
    if hold.scope == Scope.FAMILY:
        return hold.household.reads_as() if hold.household else "A household no longer recorded"
    if hold.scope == Scope.CASE:
        return hold.case.reads_as() if hold.case else "A case no longer recorded"
    if hold.scope == Scope.SERVICE:
        return f"Everyone with a case of {_services().get(hold.service, hold.service)}"
    return f"{Criterion(hold.criterion).label.replace('the date', format_day(hold.before))}"
