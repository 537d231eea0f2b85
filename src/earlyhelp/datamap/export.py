"""Everything held about one person, as one JSON file: the base of a subject access bundle.

`export_subject` walks the data map: every registered row reached from the person, with
its categories, source and who recorded it, marked as about them ("subject") or only naming
them ("mentioned"). Only an information governance officer may make one, and each export,
or refusal, is an audit event naming the rule relied on.
"""

from __future__ import annotations

import errno
import getpass
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.datamap.registry import entries_about, holdings
from earlyhelp.people.models import Person

# The rule an export relies on: the IG officer's oversight of every record.
RULE = "access:governance"
# Version of the file's layout, for whoever reads it by machine.
FORMAT = 1


class ExportRefused(PermissionError):
    """The user may not export a person's data; the message says why."""


@dataclass(frozen=True)
class Exported:
    path: Path
    rows: int
    rows_by_model: dict[str, int]


def export_subject(person: Person, out_dir: Path, by: User) -> Exported:
    """Write `subject-<public id>.json` into `out_dir` with every row held about `person`.

    Shape: {"format", "person", "exported_at", "exported_by", "holdings": [{"model",
    "title", "erasure", "rows": [Entry.as_json() + "files"]}]}. Values are decrypted: the file
    is for the IG officer answering a request, written with owner-only permissions and
    replaced whole (a failed export leaves no partial file).

    Records merged into `person` are theirs too: their rows (those that stayed with them at
    the merge) and the audit events naming them are included, and listed under "records".
    The audit event is recorded in the same transaction as the file is put in place: a file
    is never left without its event, nor an event without its file.

    Raises ExportRefused when `by` is not an information governance officer, ValueError when
    `person` is a record merged into another (export the kept record), OSError when `out_dir`
    cannot be written.
    """
    if not by.has_role(Role.INFORMATION_GOVERNANCE):
        record(
            actor=by,
            action="export",
            record_type="person",
            record_id=person.public_id,
            rule="access:refused",
            flagged=True,
            reason="subject export refused: not an information governance officer",
            details={"command_line_user": _os_user()},
        )
        raise ExportRefused(
            f"--by: only an information governance officer may export everything held about "
            f"a person (rule {RULE}); {by.get_username()} is not one"
        )
    if person.merged_into_id is not None:
        raise ValueError(
            f"person: record {person.public_id} was merged into record "
            f"{person.merged_into.public_id}; export that record, which holds its data"
        )
    # Owner-only, like the file: its name carries the person's record id.
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = out_dir / f"subject-{person.public_id}.json"
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder has the export's name", str(path))
    records = records_of(person)
    document, counts = _document(person, records, by)
    categories = sorted({c for h in document["holdings"] for c in h["categories"]})
    temporary = _write_temporary(out_dir, document)
    placed = False
    try:
        with transaction.atomic():
            record(
                actor=by,
                action="export",
                record_type="person",
                record_id=person.public_id,
                categories=categories,
                rule=RULE,
                details={
                    "rows": sum(counts.values()),
                    "models": counts,
                    "file": path.name,
                    "command_line_user": _os_user(),
                },
            )
            os.replace(temporary, path)
            placed = True
    except BaseException:
        # The event was not recorded (or is rolled back): the file must not stay either.
        if placed:
            path.unlink(missing_ok=True)
        raise
    finally:
        temporary.unlink(missing_ok=True)
    return Exported(path=path, rows=sum(counts.values()), rows_by_model=counts)


def records_of(person: Person) -> list[Person]:
    """`person` and every record merged into them, however many merges back."""
    found, frontier = [person], [person.pk]
    while frontier:
        merged = list(Person.objects.filter(merged_into__in=frontier).order_by("pk"))
        found += merged
        frontier = [p.pk for p in merged]
    return found


def _os_user() -> str:
    # The staff account is named by --by; who ran the command is worth keeping beside it.
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _document(
    person: Person, records: list[Person], by: User
) -> tuple[dict[str, Any], dict[str, int]]:
    by_model: dict[str, list[dict[str, Any]]] = {}
    for holding in holdings():
        rows = []
        for entry, row in entries_about(holding, records):
            item = entry.as_json()
            if holding.files:
                item["files"] = [p.name for p in holding.files(row)]
            rows.append(item)
        if rows:
            by_model[holding.name] = rows
    counts = {name: len(rows) for name, rows in by_model.items()}
    document = {
        "format": FORMAT,
        "person": str(person.public_id),
        "records": [str(r.public_id) for r in records],
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "exported_by": by.get_username(),
        "holdings": [
            {
                "model": h.name,
                "title": h.title,
                "categories": h.category_ids(),
                "erasure": h.erasure.words,
                "rows": by_model[h.name],
            }
            for h in holdings()
            if h.name in by_model
        ],
    }
    return document, counts


def _write_temporary(out_dir: Path, document: dict[str, Any]) -> Path:
    """The document written to a hidden owner-only file in `out_dir`, to be renamed."""
    handle, name = tempfile.mkstemp(dir=out_dir, prefix=".subject-", suffix=".part")
    temporary = Path(name)
    try:
        # One dumps call: the C encoder (an indent would make json use its Python one).
        text = json.dumps(document, ensure_ascii=False)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary
