"""Where the retention app holds data about a person: its entries in the data map.

A legal hold and a planned destruction name a person only while they are kept; once the
person is destroyed the link is gone (set to null) and only a pseudonym remains. Both are
the council's accountability records (UK GDPR Article 5(2)) and outlive the person.
"""

from earlyhelp.datamap.registry import keep, register
from earlyhelp.retention.models import LegalHold, PlannedDestruction

ACCOUNTABILITY = (
    "the council's record of what it kept and destroyed, and why (UK GDPR Article 5(2)); "
    "it names the person only until their records are destroyed"
)

register(
    LegalHold,
    "person",
    "household__members",
    "case__members__person",
    erasure=keep(reason=ACCOUNTABILITY, outlives_the_person=True),
    label="Legal hold",
    date_field="placed_at",
)
register(
    PlannedDestruction,
    "person",
    erasure=keep(reason=ACCOUNTABILITY, outlives_the_person=True),
    label="Records due for destruction",
    date_field="due_on",
)
