"""Reading the audit trail back, and reviewing flagged (break-glass) events."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent, AuditReview, ReviewOutcome


def events_for_record(record_type: str, record_id: object) -> QuerySet[AuditEvent]:
    """Who has seen or touched a record, newest first."""
    return (
        AuditEvent.objects.filter(record_type=record_type, record_id=str(record_id))
        .select_related("actor")
        .order_by("-id")
    )


def flagged_events(*, unreviewed_only: bool = False) -> QuerySet[AuditEvent]:
    """Flagged events (break-glass) newest first, each with its latest review, if any.

    Annotated with reviewed_at, reviewed_by_id and review_outcome (None when unreviewed).
    """
    latest = AuditReview.objects.filter(event=OuterRef("pk")).order_by("-reviewed_at", "-id")
    events = (
        AuditEvent.objects.filter(flagged=True)
        .select_related("actor")
        .annotate(
            reviewed_at=Subquery(latest.values("reviewed_at")[:1]),
            reviewed_by_id=Subquery(latest.values("reviewed_by")[:1]),
            review_outcome=Subquery(latest.values("outcome")[:1]),
        )
        .order_by("-id")
    )
    return events.filter(reviewed_at__isnull=True) if unreviewed_only else events


def review(
    event: AuditEvent, *, reviewed_by: AbstractBaseUser, outcome: str, note: str = ""
) -> AuditReview:
    """Record a review of a flagged event (the event itself never changes)."""
    if not event.flagged:
        raise ValueError(f"audit event {event.pk} is not flagged for review")
    if outcome not in ReviewOutcome.values:
        raise ValueError(f"outcome: {outcome!r} is not one of {', '.join(ReviewOutcome.values)}")
    return AuditReview.objects.create(
        event=event, reviewed_by=reviewed_by, reviewed_at=timezone.now(), outcome=outcome, note=note
    )
