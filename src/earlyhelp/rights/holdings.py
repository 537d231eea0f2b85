"""Where the rights app holds data about a person: its entries in the data map.

A request reaches a person once the information governance officer matches it to their
record. What was asked, and how it was answered, is kept after an erasure: the council must
be able to show how it handled each request (UK GDPR Article 5(2), accountability).
"""

from earlyhelp.datamap.registry import RECORD_RULES, Reach, Role, delete, keep, register
from earlyhelp.rights import models as m

ACCOUNTABILITY = "kept to show how the request was handled (UK GDPR Article 5(2), accountability)"

register(
    m.RightsRequest,
    "people__person",
    erasure=keep(reason=ACCOUNTABILITY),
    label="Rights request or complaint",
    date_field="received",
)
register(
    m.Clarification,
    "request__people__person",
    erasure=keep(reason=ACCOUNTABILITY),
    label="Clarification asked for on a request",
    date_field="asked_on",
)
register(
    m.RequestPerson,
    "person",
    erasure=keep(reason=ACCOUNTABILITY),
    label="Record matched to a request",
)
register(
    m.ChildAccessDecision,
    Reach("child", Role.SUBJECT, meaning="the child whose records were asked for"),
    Reach("parent", Role.MENTIONED, meaning="the parent or carer who asked"),
    erasure=keep(reason=ACCOUNTABILITY),
    label="Decision on a parent's access to a child's records",
)
register(
    m.RightOutcome,
    "person",
    erasure=keep(reason=ACCOUNTABILITY),
    label="What was done on a rights request",
    involvement=False,
)
register(
    m.Disagreement,
    "person",
    erasure=delete(retention_rules=RECORD_RULES),
    label="Disagreement with recorded data",
    date_field="recorded_at",
    involvement=False,
)
register(
    m.ProcessingRestriction,
    "person",
    erasure=delete(retention_rules=RECORD_RULES),
    label="Restriction of processing",
    date_field="started_on",
    involvement=False,
)
