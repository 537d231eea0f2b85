"""The audit trail in the data map: it names a person by their record's public id.

It is kept, never deleted or changed (UK GDPR Article 5(2): the controller must be able to
show what was done with the data). Only events whose record is the person are reached here;
events about their case or documents name those records instead.
"""

from django.db.models import Q

from earlyhelp.audit.models import AuditEvent
from earlyhelp.datamap.registry import Reach, keep, register


def _about(people) -> Q:
    return Q(record_type="person", record_id__in=[str(p.public_id) for p in people])


def _says(event: AuditEvent) -> list[tuple[str, str, str]]:
    # What was done and under which rule, not the details: those name other records.
    # The words of the "who has seen" page (a views module imports every app: load it late).
    from earlyhelp.access.governance_views import ACTION_WORDS, rule_words

    said = [("What was done", ACTION_WORDS.get(event.action, event.get_action_display()), "")]
    if event.rule:  # an event with no rule (a sign-in) says nothing of one
        said.append(("Rule", rule_words(event.rule), ""))
    if event.flagged:
        said.append(("Flagged for review", "Yes", ""))
    return said


register(
    AuditEvent,
    Reach("", query=_about, describe="audit events whose record is the person"),
    erasure=keep(
        reason="UK GDPR Article 5(2) accountability: the trail of every look is kept, never "
        "changed; it links to the person by their record's id, not their name",
        outlives_the_person=True,
    ),
    label="Audit event",
    date_field="at",
    says=_says,
)
