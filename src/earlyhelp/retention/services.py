"""A reviewer's decisions on a destruction review: defer an item, approve what waits.

Who reviews is the policy's (retention.destruction.reviewers). Each decision is audited
against the person it concerns; approving audits one event a person in the batch.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.access.rules import allocated_to, held_by_no_case, restricted_from
from earlyhelp.audit.log import record, record_many
from earlyhelp.lib.plausible import control_character_error, format_day
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.common import add_period
from earlyhelp.policy.schema import Policy
from earlyhelp.retention import holds
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


def open_to_review(user: User) -> Q:
    """A filter of PlannedDestruction: the items whose person `user` may see named on a
    review, and so defer or approve (need-to-know, access.rules).

    The IG officer answers for the council's records: every person. A reviewer who holds
    cases (a team manager): the people on their teams' cases, and those no case holds
    (open to all casework). Nobody a restriction does not name them on. Written with
    EXISTS, not NOT IN: PostgreSQL cannot turn a NOT IN over a large subquery into an
    anti-join."""
    person = OuterRef("person_id")
    unrestricted = ~Exists(restricted_from(user).filter(person_id=person))
    if user.has_role(Role.INFORMATION_GOVERNANCE):
        return Q(unrestricted)
    mine = allocated_to(user, person)
    if not user.has_role(*CASEWORK):
        return mine & Q(unrestricted)
    return (mine | held_by_no_case(person)) & Q(unrestricted)


def waiting_for(user: User, review: DestructionReview) -> list[int]:
    """The ids of the items waiting in `review` that `user` may approve, in id order."""
    return list(
        review.items.filter(status=Status.PLANNED)
        .filter(open_to_review(user))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def seen_digest(item_ids: list[int]) -> str:
    """What a reviewer saw waiting, as a short digest of the items' ids: approval is refused
    if the set changed since (a record swapped in for one deferred keeps the count)."""
    return hashlib.sha256(",".join(map(str, item_ids)).encode()).hexdigest()[:32]


def sign_off_if_done(review: DestructionReview, by: User | None = None) -> bool:
    """Sign the review off once nothing in it waits for a reviewer (every record approved,
    deferred or kept), whoever's decision was the last; the disposal then finishes it and
    its certificate. Call under the review's lock. Returns whether it was signed off."""
    if review.status != DestructionReview.Status.OPEN:
        return False
    if review.items.filter(status=Status.PLANNED).exists():
        return False
    review.status = DestructionReview.Status.APPROVED
    review.approved_by = by
    review.approved_at = timezone.now()
    review.save(update_fields=["status", "approved_by", "approved_at"])
    return True


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
    # The review's lock first, as approving takes it: a deferral and an approval of the
    # same review never interleave.
    review = DestructionReview.objects.select_for_update().get(pk=item.review_id)
    item = (
        PlannedDestruction.objects.select_for_update(of=("self",))
        .select_related("review", "person")
        .get(pk=item.pk)
    )
    if item.review.status != DestructionReview.Status.OPEN or item.status != Status.PLANNED:
        raise ValueError("item: only a record waiting in an open review can be deferred")
    if not (
        PlannedDestruction.objects.filter(pk=item.pk).filter(open_to_review(request.user)).exists()
    ):
        raise ValueError(
            "item: only a reviewer who may see this record can defer it: the manager of its "
            "team or the information governance officer"
        )
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
    sign_off_if_done(review, last_approver(review))
    return item


def last_approver(review: DestructionReview) -> User | None:
    """Who approved the review's most recent approval, if anyone did."""
    last = review.items.filter(approved_by__isnull=False).order_by("-decided_at", "-pk").first()
    return last.approved_by if last else None


@transaction.atomic
def approve(
    request: HttpRequest,
    review: DestructionReview,
    seen: int | None = None,
    digest: str | None = None,
) -> int:
    """Approve the destruction of the items waiting in an open review that the reviewer
    may see named (open_to_review); return how many. Those others may see wait for them
    (their team's manager, the IG officer); the review is approved once nothing waits.

    `seen`: the number of records the reviewer saw waiting for them; counted again under
    the review's lock (which deferring and placing a hold also take), so a plan, a
    deferral or a hold since cannot slip a record in or out. A person a hold covers now
    (they joined a held household since it was placed) is kept, not approved.

    Raises PermissionDenied for a user who may not review, ValueError("field: message")
    when the review is not open (naming who approved it and when), has nothing waiting for
    this reviewer, or now has another number waiting than `seen`."""
    _require_reviewer(request.user)
    review = (
        DestructionReview.objects.select_for_update(of=("self",))
        .select_related("approved_by")
        .get(pk=review.pk)
    )
    if review.status != DestructionReview.Status.OPEN:
        raise ValueError(f"review: {already_approved(review)}")
    now = timezone.now()
    waiting = review.items.filter(status=Status.PLANNED)
    held = holds.held_people() & set(waiting.values_list("person_id", flat=True))
    for start in range(0, len(held), holds.CHUNK):
        waiting.filter(person_id__in=sorted(held)[start : start + holds.CHUNK]).update(
            status=Status.HELD, decided_at=now
        )
    mine = waiting.filter(open_to_review(request.user))
    found = list(mine.values_list("pk", "person__public_id", "rule"))
    people = {pk: public_id for pk, public_id, _ in found}
    rules = {pk: rule for pk, _, rule in found}
    if not people:
        raise ValueError("review: nothing is waiting for you to approve in this review")
    if seen is not None and seen != len(people):
        raise ValueError(
            f"confirm: {len(people):,} {'record is' if len(people) == 1 else 'records are'} "
            f"now waiting, not {seen:,}: review them again before approving"
        )
    if digest is not None and digest != seen_digest(sorted(people)):
        raise ValueError(
            "confirm: the records waiting for you have changed since you opened the review "
            "(one deferred, kept or added): review them again before approving"
        )
    for start in range(0, len(people), holds.CHUNK):
        PlannedDestruction.objects.filter(
            pk__in=list(people)[start : start + holds.CHUNK], status=Status.PLANNED
        ).update(status=Status.APPROVED, decided_at=now, approved_by=request.user)
    sign_off_if_done(review, request.user)
    planned_on = format_day(timezone.localtime(review.planned_at).date())
    events = [
        {
            "action": "change",
            "record_type": "person",
            "record_id": public_id,
            "rule": f"retention:{rules[pk]}",
            "reason": f"Destruction approved in review {review.public_id}",
            "details": {
                "what": "destruction approved",
                "review": str(review.public_id),
                "review_planned": planned_on,
            },
        }
        for pk, public_id in people.items()
    ]
    for start in range(0, len(events), AUDIT_CHUNK):
        record_many(request, events[start : start + AUDIT_CHUNK])
    return len(people)
