"""A notice to a team manager that an emergency access was not justified, for the route tests."""

from django.utils import timezone

from earlyhelp.access.models import EmergencyAccessNotice, User
from earlyhelp.audit.models import AuditEvent, AuditReview


def matrix_notice(records: dict):
    """The public id of a notice, about the records' flagged event, to a manager of its own
    (so that to every asker it is someone else's)."""
    event = AuditEvent.objects.get(pk=records["flagged_event"])
    officer = User.objects.create_user(username="notice-officer")
    manager = User.objects.create_user(username="notice-manager")
    worker = User.objects.create_user(username="notice-worker")
    review = AuditReview.objects.create(
        event=event, reviewed_by=officer, reviewed_at=timezone.now(), outcome="not_justified"
    )
    notice = EmergencyAccessNotice.objects.create(review=review, manager=manager, worker=worker)
    return notice.public_id
