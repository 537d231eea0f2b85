"""Sharing first in a safeguarding emergency: the information leaves at once and a team
manager's approval is recorded afterwards, within the policy's hours
(sharing.emergency_approval_within_hours). Until approved the disclosure is flagged, on
the managers' queue, and marked overdue once the time has passed.

The share itself is sharing.services.share (the policy, access and restriction checks all
apply). Not telling the family still needs an exemption the agreement allows and a
reason; in an emergency the manager's approval of that comes after, not before.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import allocated_person_ids, is_restricted_from, restricted_from
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import emergency_approval_due
from earlyhelp.sharing import services
from earlyhelp.sharing.models import Disclosure
from earlyhelp.sharing.services import ShareRefused


def share_in_emergency(
    request: HttpRequest,
    person: Person,
    *,
    emergency_reason: str,
    recipient: str,
    purpose: str,
    item_keys: Iterable[str],
    tell_family: bool = True,
    exemption: str = "",
    exemption_reason: str = "",
    method: str = "",
    reference: str = "",
) -> Disclosure:
    """Share now, in a safeguarding emergency (`emergency_reason` says what it is), and
    flag the disclosure until a team manager approves it, due the policy's hours later.

    Raises ShareRefused("emergency: ...") where the policy has no emergency route or no
    reason is given, ("method: ...") without how it was sent, and the refusals of
    sharing.services.share."""
    policy = active_policy()
    try:
        emergency_approval_due(policy, timezone.now())
    except ValueError as problem:
        raise ShareRefused(str(problem)) from None
    emergency_reason = services._text(
        emergency_reason, "emergency_reason", "say what the emergency is"
    )
    method, reference = services._how(method, reference)
    refusal = None
    with transaction.atomic():
        try:
            disclosure = services.share(
                request,
                person,
                recipient=recipient,
                purpose=purpose,
                item_keys=item_keys,
                tell_family=tell_family,
                exemption=exemption,
                exemption_reason=exemption_reason,
                method=method,
                reference=reference,
            )
        except ShareRefused as refused:
            refusal = refused  # its audit event stands; nothing else was written
        else:
            disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
            now = timezone.now()
            # Not telling the family made it wait; an emergency sends it first.
            disclosure.status = Disclosure.Status.SHARED
            disclosure.method, disclosure.reference = method, reference
            disclosure.sent_by, disclosure.sent_at = request.user, now
            disclosure.emergency = True
            disclosure.emergency_reason = emergency_reason
            disclosure.approval_due_at = emergency_approval_due(policy, disclosure.created_at)
            disclosure.save(
                update_fields=[
                    "status",
                    "method",
                    "reference",
                    "sent_by",
                    "sent_at",
                    "emergency",
                    "emergency_reason",
                    "approval_due_at",
                ]
            )
            services._audit(
                request,
                disclosure,
                "share",
                "shared first in a safeguarding emergency; a team manager's approval is due",
                method=method,
                approval_due=disclosure.approval_due_at.isoformat(),
            )
    if refusal is not None:
        raise refusal
    return disclosure


def approval_problem(user: User, disclosure: Disclosure) -> str | None:
    """ "decision: why" when `user` may not approve the emergency share, or None: a team
    manager of a team holding the person's case, who did not make it, while it awaits."""
    if not user.has_role(Role.TEAM_MANAGER):
        return "decision: only a team manager approves an emergency share"
    if disclosure.created_by_id == user.pk:
        return "decision: you made this share; another team manager must approve it"
    if not disclosure.awaiting_emergency_approval:
        return "decision: this share is not awaiting an emergency approval"
    if not allocated_person_ids(user).filter(pk=disclosure.person_id).exists():
        return "decision: only a manager of a team holding the person's case approves it"
    if is_restricted_from(user, disclosure.person):
        return "decision: the person's record is restricted; a manager it names approves it"
    return None


def approve_emergency(
    request: HttpRequest, disclosure: Disclosure, *, note: str = ""
) -> Disclosure:
    """Record a team manager's approval of a share made first in an emergency (late or
    not: the time it was due stays recorded). Raises ShareRefused("decision: ...") when
    the user may not approve it."""
    with transaction.atomic():
        disclosure = (
            Disclosure.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=disclosure.pk)
        )
        problem = approval_problem(request.user, disclosure)
        if problem:
            raise ShareRefused(problem)
        note = services._text(note, "note", "")
        now = timezone.now()
        late = disclosure.emergency_overdue(now)
        disclosure.emergency_approved_by = request.user
        disclosure.emergency_approved_at = now
        disclosure.emergency_note = note
        disclosure.save(
            update_fields=["emergency_approved_by", "emergency_approved_at", "emergency_note"]
        )
        services._audit(
            request,
            disclosure,
            "change",
            "emergency share approved by a team manager" + (" after the time due" if late else ""),
            late=late,
        )
    return disclosure


def awaiting_approval_for(user: User) -> QuerySet[Disclosure]:
    """Emergency shares awaiting `user`'s approval: about people on their teams' cases,
    made by someone else, soonest due first. Empty for anyone but a team manager."""
    if not user.has_role(Role.TEAM_MANAGER):
        return Disclosure.objects.none()
    return (
        Disclosure.objects.filter(
            emergency=True,
            emergency_approved_at__isnull=True,
            person__in=allocated_person_ids(user),
        )
        .exclude(created_by=user)
        .exclude(person__in=restricted_from(user))
        .select_related("person", "created_by")
        .order_by("approval_due_at", "pk")
    )
