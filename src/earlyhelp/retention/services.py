"""A reviewer's decisions on a destruction review: defer an item, approve the batch.

Who reviews is the policy's (retention.destruction.reviewers). Each decision is audited
against the person it concerns; approving audits one event a person in the batch.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record, record_many
from earlyhelp.lib.plausible import control_character_error, format_day
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.common import add_period
from earlyhelp.policy.schema import Policy
from earlyhelp.retention.models import DestructionReview, PlannedDestruction

Status = PlannedDestruction.Status
REASON_LIMIT = 2000
# Events a single append writes when a batch is approved (the trail takes them in chunks).
AUDIT_CHUNK = 2000


def already_approved(review: DestructionReview) -> str:
    """Why a review can no longer be approved, in words: "Already approved by Sam Okafor on
    3 March 2027"."""
    by = review.approved_by
    who = f" by {by.get_full_name() or by.get_username()}" if by else ""
    when = (
        f" on {format_day(timezone.localtime(review.approved_at).date())}"
        if review.approved_at
        else ""
    )
    return f"Already approved{who}{when}"


def withdraw_for_merge(person_ids: list[int]) -> int:
    """Withdraw every standing item (planned, deferred or approved, not yet destroyed) of
    the people of a merge or of its undoing; return how many.

    Merging changes a person's history (the kept record gains the other's involvement),
    so the dates planned for either record no longer hold: the next plan lists the person
    again, once, from the merged history. Called by people.merge inside its transaction,
    before rows move, so no review is left with one person twice."""
    return PlannedDestruction.objects.filter(
        person_id__in=person_ids, status__in=PlannedDestruction.STANDING
    ).update(status=Status.MERGED, decided_at=timezone.now())


def reviewer_roles(policy: Policy | None = None) -> list[Role]:
    """The roles that review and approve destruction (policy retention.destruction
    .reviewers); none when the policy does not say."""
    destruction = (policy or active_policy()).retention.destruction
    return [Role(r) for r in destruction.reviewers] if destruction else []


def may_review(user: User) -> bool:
    roles = reviewer_roles()
    return bool(roles) and user.has_role(*roles)


def _require_reviewer(user: User) -> None:
    if not may_review(user):
        raise PermissionDenied("Only the roles the policy names may review destruction.")


@transaction.atomic
def defer(
    request: HttpRequest, item: PlannedDestruction, reason: str, until: date | None = None
) -> PlannedDestruction:
    """Keep one person's records out of this batch, with the reason, until `until` (by
    default the policy's plan_ahead from today: the next plan lists them again).

    Raises PermissionDenied for a user who may not review, ValueError("field: message")
    when the reason is missing or the date is not after today, or the item is not waiting.
    """
    _require_reviewer(request.user)
    item = (
        PlannedDestruction.objects.select_for_update(of=("self",))
        .select_related("review", "person")
        .get(pk=item.pk)
    )
    if item.review.status != DestructionReview.Status.OPEN or item.status != Status.PLANNED:
        raise ValueError("item: only a record waiting in an open review can be deferred")
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("reason: say why these records are kept for now")
    if len(reason) > REASON_LIMIT:
        raise ValueError(f"reason: the reason must be {REASON_LIMIT:,} characters or fewer")
    if problem := control_character_error(reason, field="The reason"):
        raise ValueError(f"reason: {problem}")
    today = timezone.localdate()
    destruction = active_policy().retention.destruction
    if until is None:
        until = add_period(today, destruction.plan_ahead)
    elif until <= today:
        raise ValueError("until: the date they are kept until must be after today")
    elif until > add_period(today, destruction.hold_review_within):
        latest = add_period(today, destruction.hold_review_within)
        raise ValueError(
            f"until: defer no later than {format_day(latest)}; to keep records longer, "
            "ask the IG officer for a legal hold"
        )
    item.status = Status.DEFERRED
    item.deferred_until = until
    item.deferred_reason = reason
    item.deferred_by = request.user
    item.decided_at = timezone.now()
    item.save(
        update_fields=["status", "deferred_until", "deferred_reason", "deferred_by", "decided_at"]
    )
    record(
        request,
        action="change",
        record_type="person",
        record_id=item.person.public_id,
        rule=f"retention:{item.rule}",
        reason=f"Destruction deferred until {until.isoformat()}",
        details={"what": "destruction deferred", "review": str(item.review.public_id)},
    )
    return item


@transaction.atomic
def approve(request: HttpRequest, review: DestructionReview, seen: int | None = None) -> int:
    """Approve the destruction of every item still planned in an open review; return how
    many. `seen`: the number of records the reviewer saw waiting; counted again under the
    review's lock, so a plan, a deferral or a hold since cannot slip a record in or out.

    Raises PermissionDenied for a user who may not review, ValueError("field: message")
    when the review is not open (naming who approved it and when), has nothing planned,
    or now has another number waiting than `seen`."""
    _require_reviewer(request.user)
    review = (
        DestructionReview.objects.select_for_update(of=("self",))
        .select_related("approved_by")
        .get(pk=review.pk)
    )
    if review.status != DestructionReview.Status.OPEN:
        raise ValueError(f"review: {already_approved(review)}")
    planned = review.items.filter(status=Status.PLANNED)
    people = list(planned.values_list("person__public_id", "rule"))
    if not people:
        raise ValueError("review: nothing is waiting for destruction in this review")
    if seen is not None and seen != len(people):
        raise ValueError(
            f"confirm: {len(people):,} {'record is' if len(people) == 1 else 'records are'} "
            f"now waiting, not {seen:,}: review them again before approving"
        )
    now = timezone.now()
    planned.update(status=Status.APPROVED, decided_at=now)
    review.status = DestructionReview.Status.APPROVED
    review.approved_by = request.user
    review.approved_at = now
    review.save(update_fields=["status", "approved_by", "approved_at"])
    events = [
        {
            "action": "change",
            "record_type": "person",
            "record_id": public_id,
            "rule": f"retention:{rule}",
            "reason": f"Destruction approved in review {review.public_id}",
            "details": {"what": "destruction approved", "review": str(review.public_id)},
        }
        for public_id, rule in people
    ]
    for start in range(0, len(events), AUDIT_CHUNK):
        record_many(request, events[start : start + AUDIT_CHUNK])
    return len(people)
