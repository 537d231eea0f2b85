"""Where the access app holds data about a person: its entry in the data map."""

from earlyhelp.access.models import Restriction
from earlyhelp.datamap.registry import delete, register

# A restriction protects the person's record; with the record gone it protects nothing.
# Kept as long as the records it restricts (policy [[retention.rules]]).
RECORD_RULES = ("child-records", "adult-records")

register(
    Restriction,
    "person",
    erasure=delete(retention_rules=RECORD_RULES),
    label="Restriction on the record",
    involvement=False,
)
