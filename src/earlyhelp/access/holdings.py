"""Where the access app holds data about a person: its entry in the data map."""

from earlyhelp.access.models import Restriction
from earlyhelp.datamap.registry import RECORD_RULES, delete, register

register(
    Restriction,
    "person",
    erasure=delete(retention_rules=RECORD_RULES),
    label="Restriction on the record",
    involvement=False,
)
