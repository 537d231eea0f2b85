"""Where the extracts app holds data about a person: its entry in the data map."""

from earlyhelp.datamap.registry import delete, register
from earlyhelp.extracts.models import Objection

register(Objection, "person", erasure=delete(), date_field="received")
