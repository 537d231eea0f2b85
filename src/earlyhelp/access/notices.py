"""An emergency access reviewed as not justified, told to the worker's team manager.

The information governance officer's review (audit.queries.review) and the notices it sends
are written in one transaction, each notice with its audit event: a review whose notices
could not be written is not recorded either. A notice is shown on the manager's home page
until they mark it read, which is audited too.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import EmergencyAccessNotice, User
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent, AuditReview, ReviewOutcome
from earlyhelp.audit.queries import review

# The kind of record a notice's audit events are about (its public id, never a name).
NOTICE_RECORD = "emergency-access-notice"


def managers_of(worker: User) -> QuerySet[User]:
    """The active team managers of the teams `worker` is in, the worker left out (a manager
    who broke glass is told of by the other managers of their team)."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name=Role.TEAM_MANAGER.value,
            teams__in=worker.teams.all(),
        )
        .exclude(pk=worker.pk)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


@transaction.atomic
def review_emergency_access(
    request: HttpRequest, event: AuditEvent, *, outcome: str, note: str = ""
) -> tuple[AuditReview, list[EmergencyAccessNotice]]:
    """Record the requesting officer's review of a break-glass `event`; when the outcome is
    "not justified", a notice to each manager of the worker's teams (managers_of), each
    with a "create" event against the notice, unless an earlier review of `event` told them
    already. Returns the review and the notices sent (none when the worker has no team
    manager, or all were told already: the caller tells the officer which)."""
    made = review(event, reviewed_by=request.user, outcome=outcome, note=note)
    worker = event.actor
    if outcome != ReviewOutcome.NOT_JUSTIFIED or worker is None:
        return made, []
    # A second review of the same access tells no manager twice: one notice an access.
    told = set(
        EmergencyAccessNotice.objects.filter(review__event=event).values_list(
            "manager_id", flat=True
        )
    )
    notices = [
        EmergencyAccessNotice.objects.create(review=made, manager=manager, worker=worker)
        for manager in managers_of(worker)
        if manager.pk not in told
    ]
    for notice in notices:
        record(
            request,
            action="create",
            record_type=NOTICE_RECORD,
            record_id=notice.public_id,
            rule="access:governance",
            details={"what": "emergency access referred", "manager": notice.manager_id},
        )
    return made, notices


def unread_notices(manager: User) -> QuerySet[EmergencyAccessNotice]:
    """The notices `manager` has not yet marked read, the oldest first."""
    return (
        EmergencyAccessNotice.objects.filter(manager=manager, read_at__isnull=True)
        .select_related("worker", "review__reviewed_by", "review__event")
        .order_by("created_at", "pk")
    )


@transaction.atomic
def mark_read(request: HttpRequest, notice: EmergencyAccessNotice) -> bool:
    """Mark the requesting manager's `notice` read, with a "change" event against it.
    Returns False, writing nothing, when it was read already (a second click)."""
    locked = EmergencyAccessNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.read_at is not None:
        return False
    locked.read_at = timezone.now()
    locked.save(update_fields=["read_at"])
    record(
        request,
        action="change",
        record_type=NOTICE_RECORD,
        record_id=locked.public_id,
        rule="access:governance",
        details={"what": "emergency access notice read"},
    )
    notice.read_at = locked.read_at
    return True
