"""Where the access app holds data about a person: its entry in the data map."""

from earlyhelp.access.models import Restriction
from earlyhelp.datamap.registry import delete, register

# A restriction protects the person's record; with the record gone it protects nothing.
register(Restriction, "person", erasure=delete(), label="Restriction on the record")
