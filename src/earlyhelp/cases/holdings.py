"""Where the cases app holds data about a person: its entries in the data map.

A case record (assessment, plan, contact, document) is about the children the case is
about, and about whoever it names directly (the people present at a contact, the person a
document is about); to the other members of the case, a parent say, it is the family's
record that names them: subject access marks it so, for the IG officer to review. Erasing
one member keeps the family's record under the retention rules.
"""

from earlyhelp.cases import documents
from earlyhelp.cases import models as m
from earlyhelp.cases.choices import CaseRole, service_name
from earlyhelp.datamap.registry import RECORD_RULES, Reach, Role, anonymise, delete, keep, register

FAMILY_RECORD = "the case file is the family's record, about every member of the case"
CHILD = "a child the case is about"
MEMBER = "another member of the case"


def _through_case(prefix: str, *, where: tuple = ()) -> tuple[Reach, Reach]:
    """A case record reached through its case: about the case's children, naming the rest."""
    lookup = f"{prefix}case__members__person"
    child = Reach(
        lookup,
        Role.SUBJECT,
        where=((f"{prefix}case__members__role", CaseRole.CHILD), *where),
        meaning=CHILD,
    )
    return child, Reach(lookup, Role.MENTIONED, meaning=MEMBER)


register(
    m.Case,
    "members__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    words={"service": service_name},
)


register(m.CaseMember, "person", erasure=delete(retention_rules=RECORD_RULES))
register(
    m.Assessment,
    *_through_case(""),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="started",
)
register(
    m.Plan,
    *_through_case(""),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="agreed",
)
register(
    m.PlanGoal,
    *_through_case("plan__"),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="target_date",
)
register(
    m.Allocation,
    *_through_case(""),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="allocated_at",
)
register(
    m.Need,
    *_through_case("assessment__"),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="assessment__started",
)
register(
    m.PlanAction,
    *_through_case("goal__plan__"),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="by_when",
)
register(
    m.PlanReview,
    *_through_case("plan__"),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="reviewed_on",
)
register(
    m.GoalProgress,
    *_through_case("review__plan__"),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="review__reviewed_on",
)
register(
    m.Contact,
    Reach("people_present", Role.SUBJECT, meaning="present"),
    *_through_case(""),
    erasure=anonymise("people_present", retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="occurred_at",
)
register(
    m.Document,
    Reach("person", Role.SUBJECT, meaning="the person the document is about"),
    # A document about no one in particular is the case's; one about a relative names them.
    *_through_case("", where=(("person__isnull", True),)),
    erasure=delete(
        retention_rules=RECORD_RULES,
        reason="a document about the person goes with them; the case's own stay with the case",
    ),
    files=lambda document: [documents.path_for(document.sha256)],
    derived_fields=("sha256",),
)
register(
    m.Attendance,
    "person",
    erasure=delete(retention_rules=RECORD_RULES),
    label="Group session attendance",
    date_field="session__held_on",
)
register(
    m.ClosureRequest,
    *_through_case(""),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="requested_at",
)
register(
    m.NeedOutcome,
    *_through_case("closure__"),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="closure__closing_on",
)
register(
    m.Reopening,
    *_through_case(""),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    date_field="reopened_at",
)
register(
    m.CaseNote,
    *_through_case(""),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    label="Case notes and management oversight",
    date_field="recorded_at",
)
register(
    m.Correction,
    Reach("person", Role.SUBJECT, meaning="the person whose record was corrected"),
    # A contact's correction is the case's, like the contact itself.
    *_through_case("", where=(("person__isnull", True),)),
    erasure=keep(retention_rules=RECORD_RULES, reason=FAMILY_RECORD),
    label="Corrections",
    date_field="corrected_at",
    involvement=False,
)
