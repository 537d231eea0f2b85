"""Anchors: where the audit chain ended, signed with the audit key, kept outside the database.

`earlyhelp audit anchor` (run from cron) appends one line to anchors-YYYY-MM.jsonl in
settings.AUDIT_ANCHOR_DIR (EARLYHELP_AUDIT_ANCHOR_DIR): the last event's id and hash,
how many events there were, when, and which audit key signed it:

    {"at":"2026-11-25T10:00:00+00:00","count":5000,"key_id":"1a2b3c4d",
     "last_hash":"…","last_id":5000,"signature":"…","v":1}

The signature is HMAC-SHA256, under that key, of DOMAIN followed by the other fields as
sorted-key compact JSON; DOMAIN keeps an anchor's signature from ever being taken for an
event's hash. Lines are only ever added: each in one write() to a file opened O_APPEND,
then fsync'd, so a killed run leaves the file as it was or with one whole line more.

`earlyhelp audit verify` compares the table with the latest anchor: someone who can
rewrite the database but not this folder cannot cut the chain short, empty it, or rewrite
it up to the anchored event without verify saying so.
"""

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from earlyhelp.audit.keys import AuditKeys

VERSION = 1
DOMAIN = b"earlyhelp audit anchor v1\n"
PATTERN = "anchors-*.jsonl"
LOCK = ".lock"
FIELDS = ("at", "count", "key_id", "last_hash", "last_id", "v")


@dataclass(frozen=True)
class Anchor:
    """One signed line: the chain ended at event `last_id`, with `last_hash`, at `at`."""

    last_id: int
    last_hash: str
    count: int
    at: datetime
    key_id: str
    path: Path | None = None  # where it was read from, and on which line
    line: int = 0

    def body(self) -> dict[str, Any]:
        return {
            "at": self.at.astimezone(UTC).isoformat(timespec="seconds"),
            "count": self.count,
            "key_id": self.key_id,
            "last_hash": self.last_hash,
            "last_id": self.last_id,
            "v": VERSION,
        }

    def signed_bytes(self) -> bytes:
        """What the signature is made over."""
        return DOMAIN + json.dumps(self.body(), sort_keys=True, separators=(",", ":")).encode()

    def to_line(self, keys: AuditKeys) -> str:
        signature = keys.sign(self.signed_bytes(), self.key_id)
        fields = {**self.body(), "signature": signature}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")) + "\n"

    def describe(self) -> str:
        """Which anchor, for a person reading verify's report."""
        made = self.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        where = f" ({self.path}, line {self.line})" if self.line else ""
        return f"the anchor made {made} at event {self.last_id:,}{where}"


@dataclass
class Reading:
    """The latest good anchor, and what was wrong with the store on the way to it."""

    folder: Path
    latest: Anchor | None = None
    problems: list[str] = field(default_factory=list)  # signatures that fail: tampering
    warnings: list[str] = field(default_factory=list)


def _parse(text: str, path: Path, number: int) -> tuple[Anchor, str] | None:
    """The anchor a line holds and its signature, or None when it is not an anchor line."""
    try:
        fields = json.loads(text)
        anchor = Anchor(
            last_id=int(fields["last_id"]),
            last_hash=str(fields["last_hash"]),
            count=int(fields["count"]),
            at=datetime.fromisoformat(fields["at"]),
            key_id=str(fields["key_id"]),
            path=path,
            line=number,
        )
        signature = str(fields["signature"])
        ok = fields["v"] == VERSION and set(fields) == {*FIELDS, "signature"}
    except (ValueError, TypeError, KeyError):
        return None
    if not ok or anchor.at.tzinfo is None:
        return None
    return anchor, signature


def read(folder: Path, keys: AuditKeys) -> Reading:
    """Check every line of the newest anchor file (an older one when it has none good).

    A line whose signature fails is a problem: the store was altered, or an anchor forged.
    A line that does not parse is a warning only (a write cut off by a crash).
    """
    reading = Reading(folder=folder)
    files = sorted(folder.glob(PATTERN), reverse=True) if folder.is_dir() else []
    for path in files:
        previous: Anchor | None = None
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                text = raw.decode("utf-8", "replace").strip()
                if not text:
                    continue
                parsed = _parse(text, path, number)
                if parsed is None:
                    reading.warnings.append(f"{path}, line {number}: not an anchor; ignored")
                    continue
                anchor, signature = parsed
                keyed = keys.keyed(anchor.key_id)
                if keyed is None:
                    reading.problems.append(
                        f"{path}, line {number}: signed with audit key {anchor.key_id[:16]!r}, "
                        "which is not in the keys folder (restore it, or the anchor was forged)"
                    )
                    continue
                keyed.update(anchor.signed_bytes())
                if keyed.hexdigest() != signature:
                    reading.problems.append(
                        f"{path}, line {number}: signature does not match "
                        "(the anchor was forged or altered)"
                    )
                    continue
                if previous is not None and anchor.last_id < previous.last_id:
                    reading.problems.append(
                        f"{path}, line {number}: records event {anchor.last_id:,}, before "
                        f"event {previous.last_id:,} of line {previous.line} (out of order)"
                    )
                    continue
                previous = anchor
        if previous is not None:
            reading.latest = previous
            break
    return reading


def append(folder: Path, anchor: Anchor, keys: AuditKeys) -> Path:
    """Add the anchor's line to this month's file (made 0600); return the file."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"anchors-{anchor.at.astimezone(UTC):%Y-%m}.jsonl"
    line = anchor.to_line(keys).encode()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        # A line cut off by a crash must not run into this one.
        if os.fstat(descriptor).st_size and not _ends_with_newline(path):
            line = b"\n" + line
        os.write(descriptor, line)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return path


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read() == b"\n"  # the last byte


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One `audit anchor` at a time (two cron runs overlapping wait for each other)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Read-only: flock needs no more, and a file made append-only (chattr +a) allows it.
    descriptor = os.open(folder / LOCK, os.O_RDONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
