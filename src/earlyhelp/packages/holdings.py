"""Where the packages app holds data about a person: its entry in the data map.

A package is the council's record of what it sent, to whom and when (the protected file
itself is deleted when its link ends). It is kept for as long as the records it carried.
"""

from pathlib import Path

from earlyhelp.cases import documents
from earlyhelp.datamap.registry import RECORD_RULES, keep, register
from earlyhelp.packages.models import ProtectedPackage

WHAT_WAS_SENT = "the record of what was sent, and when (UK GDPR Article 5(2))"


def _file(row: ProtectedPackage) -> list[Path]:
    # Only a file still kept: a removed package's file is gone.
    if row.file_sha256 and row.removed_at is None:
        return [documents.path_for(row.file_sha256)]
    return []


register(
    ProtectedPackage,
    "people",
    erasure=keep(retention_rules=RECORD_RULES, reason=WHAT_WAS_SENT),
    label="Protected package sent",
    date_field="made_at",
    involvement=False,
    files=_file,
)
