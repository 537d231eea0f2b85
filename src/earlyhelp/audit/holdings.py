"""The audit trail in the data map: it names a person by their record's public id.

It is kept, never deleted (UK GDPR Article 5(2): the controller must be able to show what
was done with the data); when a person's records are destroyed it keeps only that id.
"""

from django.db.models import Q

from earlyhelp.audit.models import AuditEvent
from earlyhelp.datamap.registry import Reach, keep, register


def _about(people) -> Q:
    return Q(record_type="person", record_id__in=[str(p.public_id) for p in people])


def _says(event: AuditEvent) -> list[tuple[str, str, str]]:
    # What was done, not the details: those name other records and staff bookkeeping.
    return [
        ("What was done", event.get_action_display(), ""),
        ("Kind of record", event.record_type, ""),
    ]


register(
    AuditEvent,
    Reach("", query=_about, describe="audit events whose record is the person"),
    erasure=keep(
        reason="UK GDPR Article 5(2) accountability: the trail of every look is kept; it "
        "names the person only by their record's id"
    ),
    label="Audit event",
    date_field="at",
    says=_says,
)
