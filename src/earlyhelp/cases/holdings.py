"""Where the cases app holds data about a person: its entries in the data map.

Case records (assessments, plans, contacts, documents) are about the family on the case, so
each member is their subject; erasing one member keeps the family's record under the
retention rules and takes that person out of what names them directly.
"""

from earlyhelp.cases import documents
from earlyhelp.cases import models as m
from earlyhelp.cases.services import service_name
from earlyhelp.datamap.registry import anonymise, delete, keep, register

RECORD_RULES = ("child-records", "adult-records")
FAMILY_RECORD = "the case file is the family's record, about every member of the case"

register(
    m.Case,
    "members__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    words={"service": service_name},
)
register(m.CaseMember, "person", erasure=delete(retention_rules=RECORD_RULES))
register(
    m.Assessment,
    "case__members__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="started",
)
register(
    m.Plan,
    "case__members__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="agreed",
)
register(
    m.PlanGoal,
    "plan__case__members__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="target_date",
)
register(
    m.Contact,
    "people_present",
    "case__members__person",
    erasure=anonymise("people_present", retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="occurred_at",
)
register(
    m.Document,
    "person",
    "case__members__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    files=lambda document: [documents.path_for(document.sha256)],
)
register(
    m.Attendance,
    "person",
    erasure=delete(retention_rules=RECORD_RULES),
    label="Group session attendance",
    date_field="session__held_on",
)
