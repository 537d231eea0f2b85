"""Where the bundles app holds data about a person: its entries in the data map.

A bundle is a copy of what the council held about a person when it answered their request,
with what was withheld and why. It is kept as the request's file, for as long as the
records it copies (the retention rules), so the council can show what it sent.
"""

from pathlib import Path

from earlyhelp.bundles import models as m
from earlyhelp.cases import documents
from earlyhelp.datamap.registry import RECORD_RULES, keep, register

THE_FILE = "the copy of what was sent, kept as the request's file (UK GDPR Article 5(2))"


def _file(row: m.Bundle) -> list[Path]:
    return [documents.path_for(row.file_sha256)] if row.file_sha256 else []


register(
    m.Bundle,
    "request__people__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=THE_FILE),
    label="Subject access bundle",
    date_field="made_at",
    files=_file,
)
register(
    m.BundleItem,
    "person",
    erasure=keep(retention_rules=RECORD_RULES, reason=THE_FILE),
    label="A record copied into a subject access bundle",
    date_field="day",
    involvement=False,
)
register(
    m.Redaction,
    "item__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=THE_FILE),
    label="Redaction in a subject access bundle",
    date_field="decided_at",
)
