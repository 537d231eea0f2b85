"""Verifying the audit chain, and anchoring its end.

verify_chain() recomputes every event's hash (chain.py) and link in id order, a long trail
in shares in worker processes, and compares the end of the chain with the chain head and
with the latest anchor (anchors.py), which anchor_chain() writes once the events since the
previous anchor verify.
"""

import hashlib
import json
import multiprocessing
import os
import syslog
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from earlyhelp.audit import anchors
from earlyhelp.audit.anchors import Anchor
from earlyhelp.audit.chain import HASHED_FIELDS, HEAD_ID, canonical_in_place, unkeyed_canonical
from earlyhelp.audit.keys import AuditKeys, key_ring
from earlyhelp.audit.models import GENESIS, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class Verification:
    """What verify_chain() found."""

    events: int
    seconds: float
    problem: str | None = None  # the first thing wrong with the trail, naming the row
    anchor: Anchor | None = None  # the anchor the end of the trail was compared with
    anchor_problems: tuple[str, ...] = ()  # anchor lines forged or altered
    warnings: tuple[str, ...] = ()
    unkeyed: int = 0  # events from before the chain was keyed (plain SHA-256)

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.anchor_problems


class _Walk:
    """Checks rows handed to it in id order; stops at the first problem."""

    def __init__(self, keys: AuditKeys, unkeyed_until: int, anchor: Anchor | None) -> None:
        self.macs = keys.macs
        # Rows up to here may be unkeyed (plain SHA-256): written before the chain was keyed.
        self.unkeyed_until = unkeyed_until
        self.anchor_id = anchor.last_id if anchor is not None else None
        self.anchor = anchor
        self.count = 0
        self.unkeyed = 0
        self.keyed_seen = False
        self.last_id: int | None = None
        self.last_hash = GENESIS
        self.problem: str | None = None
        # The JSON columns hold few distinct values ("{}", a handful of category lists).
        self.parsed: dict[str, Any] = {}

    def resume(self, anchor: Anchor, keyed: bool) -> None:
        """Go on from an anchored event (already compared with the anchor), not from row 1."""
        self.last_id, self.last_hash, self.count = anchor.last_id, anchor.last_hash, anchor.count
        self.keyed_seen = keyed

    def json(self, text: str | None) -> Any:
        value = self.parsed.get(text)
        if value is None:
            if len(self.parsed) > 10_000:
                self.parsed.clear()
            value = self.parsed[text] = json.loads(text)
        return value

    def digest(self, row: Sequence[Any]) -> str | None:
        """The row's hash recomputed; None when its key is not in the keys folder."""
        values = list(row[:15])  # HASHED_FIELDS, in order, as they are stored
        values[7] = self.json(values[7])  # categories
        values[12] = bool(values[12])  # flagged; SQLite: 0 or 1
        values[13] = self.json(values[13])  # details
        key_id = row[16]
        mac = self.macs.get(key_id)
        if mac is not None:
            # A copy of the keyed HMAC: keying one per row would cost more than the hash.
            mac = mac.copy()
            mac.update(canonical_in_place(values))
            return mac.hexdigest()
        if key_id == "":
            return hashlib.sha256(unkeyed_canonical(values)).hexdigest()
        return None

    def check(self, rows: Iterable[Sequence[Any]]) -> None:
        """Rows as the database gives them: HASHED_FIELDS, then hash, then key_id."""
        digest, follow = self.digest, self.follow
        for row in rows:
            row_id, stored_hash, key_id = row[0], row[15], row[16]
            computed = digest(row)
            if computed is None:
                self.problem = _unknown_key(row_id, key_id)
            elif computed != stored_hash:
                self.problem = _altered(row_id)
            if self.problem or not follow(row_id, row[14], stored_hash, key_id):
                return

    def check_links(self, rows: Iterable[Sequence[Any]], hash_problems: dict[int, str]) -> None:
        """Rows of (id, previous_hash, hash, key_id) whose hashes were checked already:
        `hash_problems` holds what was wrong with any of them, by row id."""
        follow = self.follow
        for row_id, previous, stored_hash, key_id in rows:
            self.problem = hash_problems.get(row_id)
            if self.problem or not follow(row_id, previous, stored_hash, key_id):
                return

    def follow(self, row_id: int, previous: str, stored_hash: str, key_id: str) -> bool:
        """Check a row whose hash matches against the rows before it; False at a problem."""
        if key_id == "" and self.keyed_seen:
            self.problem = (
                f"row {row_id}: not keyed (plain SHA-256) although rows before it are (forged)"
            )
        elif key_id == "" and row_id > self.unkeyed_until:
            self.problem = (
                f"row {row_id}: not keyed (plain SHA-256), and no anchor vouches for it "
                "(forged; or written before the chain was keyed, and never anchored with "
                "`earlyhelp audit anchor --vouch-unkeyed`)"
            )
        elif self.last_id is None and previous != GENESIS:
            self.problem = (
                f"row {row_id}: previous_hash does not match the start of the chain "
                "(the rows before it were deleted)"
            )
        elif self.last_id is None and row_id != 1:
            self.problem = f"row {row_id}: the chain starts here, not at row 1 (rows deleted)"
        elif self.last_id is not None and previous != self.last_hash:
            self.problem = (
                f"row {row_id}: previous_hash does not match row {self.last_id} "
                "(a row before it was deleted or inserted)"
            )
        elif self.last_id is not None and row_id != self.last_id + 1:
            self.problem = f"row {row_id}: ids jump from {self.last_id} to {row_id}"
        elif row_id == self.anchor_id and stored_hash != self.anchor.last_hash:
            self.problem = (
                f"row {row_id}: hash differs from {self.anchor.describe()} "
                "(the chain was rewritten)"
            )
        if self.problem:
            return False
        self.count += 1
        if key_id:
            self.keyed_seen = True
        else:
            self.unkeyed += 1
        self.last_id, self.last_hash = row_id, stored_hash
        return True


def _unknown_key(row_id: int, key_id: str) -> str:
    return (
        f"row {row_id}: made with audit key {key_id[:16]!r}, which is not in the "
        "keys folder (restore it from the keys backup, or the row was forged)"
    )


def _altered(row_id: int) -> str:
    return (
        f"row {row_id}: hash does not match its contents "
        "(altered, or written without the audit key)"
    )


def _first_hash_problem(after: int, up_to: int, batch_size: int) -> dict[int, str]:
    """The first row with after < id <= up_to whose hash is wrong, as {id: problem}.

    One share of a parallel verify: run in a worker process with its own connection.
    """
    walk = _Walk(key_ring(), 0, None)
    for rows in _rows(after, up_to, batch_size):
        for row in rows:
            computed = walk.digest(row)
            if computed is None:
                return {row[0]: _unknown_key(row[0], row[16])}
            if computed != row[15]:
                return {row[0]: _altered(row[0])}
    return {}


def share_bounds(up_to: int, shares: int) -> list[tuple[int, int]]:
    """Ids 1 to `up_to` in `shares` adjacent ranges of about equal size, as (after, last):
    each share checks the rows with after < id <= last."""
    edges = [round(up_to * n / shares) for n in range(shares + 1)]
    return [(edges[n], edges[n + 1]) for n in range(shares)]


def _hash_problems(up_to: int, batch_size: int, shares: int) -> dict[int, str]:
    """Each share of the rows up to `up_to` hash-checked: in worker processes when the
    database is one they can open (not SQLite in memory, not inside a transaction),
    else one after the other here. The first problem of each share, by row id."""
    ranges = [(after, last, batch_size) for after, last in share_bounds(up_to, shares)]
    if connection.in_atomic_block or _in_memory():
        found: dict[int, str] = {}
        for share in ranges:
            found |= _first_hash_problem(*share)
        return found
    connection.close()  # each worker opens its own; a forked copy of this one is unsafe
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=shares, mp_context=context) as pool:
        results = list(pool.map(_first_hash_problem, *zip(*ranges, strict=True)))
    found = {}
    for result in results:
        found |= result
    return found


def _in_memory() -> bool:
    """Whether the database is SQLite in memory, which no other process can open."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


LINK_COLUMNS = ("id", "previous_hash", "hash", "key_id")


def _link_rows(after: int, up_to: int, batch_size: int) -> Iterator[list[tuple]]:
    """Like _rows(), but only (id, previous_hash, hash, key_id): the links, not the contents."""
    quote = connection.ops.quote_name
    return _batches([quote(name) for name in LINK_COLUMNS], after, up_to, batch_size)


def _rows(after: int, up_to: int, batch_size: int) -> Iterator[list[tuple]]:
    """Batches of rows with after < id <= up_to, in id order: never the whole table.

    Plain SQL rather than the ORM: a million model rows' worth of field conversion
    would be most of the time verify takes.
    """
    quote = connection.ops.quote_name
    columns = [
        _at_sql(quote(name)) if name == "at" else quote(name)
        for name in (*HASHED_FIELDS, "hash", "key_id")
    ]
    return _batches(columns, after, up_to, batch_size)


def _batches(columns: list[str], after: int, up_to: int, batch_size: int) -> Iterator[list[tuple]]:
    """`columns` (SQL expressions, the id first) of the events after < id <= up_to, in
    batches of `batch_size` in id order."""
    quote = connection.ops.quote_name
    table, key = quote(AuditEvent._meta.db_table), quote("id")
    sql = (
        f"SELECT {', '.join(columns)} FROM {table} "  # noqa: S608
        f"WHERE {key} > %s AND {key} <= %s ORDER BY {key} LIMIT %s"
    )
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [after, up_to, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            if len(rows) < batch_size:
                return
            after = rows[-1][0]


def _at_sql(column: str) -> str:
    """`at` as the database's own UTC text, "2026-11-25T10:00:00.000000+00:00".

    Turning a million values into datetimes and back into text was a third of the time
    verify took; the database formats them faster. _utc_text() passes this shape through.
    """
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
    if connection.vendor == "sqlite":
        # Django keeps naive UTC text there, "2026-11-25 10:00:00[.123456]".
        # Other text (written by hand, say) comes back as it is, for _utc_text() to parse.
        return (
            f"CASE length({column}) "
            f"WHEN 26 THEN replace({column}, ' ', 'T') || '+00:00' "
            f"WHEN 19 THEN replace({column}, ' ', 'T') || '.000000+00:00' "
            f"ELSE {column} END"
        )
    return column


# Below this many events, starting worker processes costs more than it saves.
PARALLEL_FROM_EVENTS = 100_000


def default_shares(events: int) -> int:
    """How many processes verify a trail of `events` by default: one a CPU, at most 8,
    from PARALLEL_FROM_EVENTS events (below that, starting them costs more than it saves)."""
    return min(os.cpu_count() or 1, 8) if events >= PARALLEL_FROM_EVENTS else 1


def _anchor_folder() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def verify_chain(
    batch_size: int = 10_000, *, require_anchor: bool = False, shares: int | None = None
) -> Verification:
    """Recompute every hash and link in id order; name the first row that is wrong.

    A long trail's hashes are recomputed in `shares` parts side by side, one process a
    CPU by default (`shares` 1: all here, in one pass); the first problem in id order is
    reported either way.

    The end of the trail is compared with the chain head and with the latest anchor: the
    anchored event must be there with the anchored hash. No anchor yet is a warning, or a
    problem with `require_anchor`. Raises MissingAuditKey without the audit key.
    """
    started = time.perf_counter()
    keys = key_ring()
    folder = _anchor_folder()
    reading = anchors.read(folder, keys)
    anchor, anchor_problems, warnings = reading.latest, list(reading.problems), reading.warnings
    if anchor is None and not anchor_problems:
        missing = (
            f"no anchor in {folder} yet: run `earlyhelp audit anchor` from cron, or rows cut "
            "from the end of the trail go unnoticed"
        )
        (anchor_problems if require_anchor else warnings).append(missing)
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    # Unkeyed rows are only as good as the anchor that vouches for them: without one,
    # anyone could rewrite the whole trail as plain SHA-256 and move unkeyed_until.
    unkeyed_until = min(head.unkeyed_until, anchor.last_id) if head and anchor else 0
    walk = _Walk(keys, unkeyed_until, anchor)

    def result() -> Verification:
        return Verification(
            events=walk.count,
            seconds=time.perf_counter() - started,
            problem=walk.problem,
            anchor=anchor,
            anchor_problems=tuple(anchor_problems),
            warnings=tuple(warnings),
            unkeyed=walk.unkeyed,
        )

    # Most of the table, without holding anything: events written meanwhile come after.
    if head is not None:
        shares = default_shares(head.last_id) if shares is None else shares
        if shares > 1:
            # The hashes (most of the work) in shares side by side, then the links in order.
            problems = _hash_problems(head.last_id, batch_size, shares)
            for rows in _link_rows(0, head.last_id, batch_size):
                walk.check_links(rows, problems)
                if walk.problem:
                    return result()
        else:
            for rows in _rows(0, head.last_id, batch_size):
                walk.check(rows)
                if walk.problem:
                    return result()
    # The rest with the head locked, so no writer moves the end while it is compared.
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
        last_id = head.last_id if head is not None else 0
        for rows in _rows(walk.last_id or 0, last_id, batch_size):
            walk.check(rows)
            if walk.problem:
                return result()
        after_last = AuditEvent.objects.filter(id__gt=walk.last_id or 0).order_by("id")
        extra = after_last.values_list("id", flat=True).first()
        if extra is not None:
            if head is None:
                walk.problem = f"row {extra}: the chain head is missing (it was deleted)"
            else:
                walk.problem = (
                    f"row {extra}: after row {head.last_id}, the last event the chain head "
                    "records (inserted)"
                )
        elif head is not None and (walk.last_id or 0) != head.last_id:
            walk.problem = (
                f"row {head.last_id}: missing; the chain head records it as the last event but "
                f"the table ends at row {walk.last_id or 0} (the last rows were deleted)"
            )
        elif head is not None and walk.last_hash != head.last_hash:
            walk.problem = (
                f"row {head.last_id}: hash differs from the one the chain head records "
                "(the chain was rewritten)"
            )
        elif anchor is not None and (walk.last_id or 0) < anchor.last_id:
            # The head agrees with the table, but the head is in the database too.
            walk.problem = (
                f"row {anchor.last_id}: missing; {anchor.describe()} records "
                f"{anchor.count:,} events, but the table ends at row {walk.last_id or 0} "
                "(the last rows were deleted)"
            )
    return result()


@dataclass(frozen=True)
class Anchoring:
    """What anchor_chain() did."""

    anchor: Anchor | None  # the anchor written, or else the latest one there was
    written: bool
    checked: int  # events checked since the previous anchor
    seconds: float
    problem: str | None = None  # why no anchor was written
    warnings: tuple[str, ...] = ()


def anchor_chain(
    batch_size: int = 10_000, *, to_syslog: bool = False, vouch_unkeyed: bool = False
) -> Anchoring:
    """Check the events since the latest anchor and, when they verify, anchor the new end.

    Nothing is written when no event was added since (idempotent), nor when the anchor
    store holds a forged or altered line or the events do not verify: an anchor never
    vouches for a trail that is wrong. Safe to kill: the file gets a whole line or nothing.

    Events written before the chain was keyed (migration 0003) are anchored only with
    `vouch_unkeyed`: a person's decision, once, after the upgrade, never cron's.
    `to_syslog` also sends the new anchor, or why none was written, to syslog.
    """
    keys = key_ring()
    with anchors.locked(_anchor_folder()):
        done = _anchor(keys, batch_size, vouch_unkeyed)
    if to_syslog and (done.written or done.problem):
        # A copy on another machine, when syslog forwards there: the lines hold no names.
        syslog.openlog("earlyhelp-audit", 0, syslog.LOG_USER)
        if done.written:
            syslog.syslog(syslog.LOG_NOTICE, f"anchor {done.anchor.to_line(keys).strip()}")
        else:
            syslog.syslog(syslog.LOG_ALERT, f"no anchor written: {done.problem}")
    return done


def _anchor(keys: AuditKeys, batch_size: int, vouch_unkeyed: bool) -> Anchoring:
    """anchor_chain(), with the anchor folder locked."""
    started = time.perf_counter()
    folder = _anchor_folder()
    reading = anchors.read(folder, keys)
    previous = reading.latest
    # The anchored row itself is compared below; the walk starts after it.
    walk = _Walk(keys, 0, None)
    base = 0  # walk.count before the events since the previous anchor

    def outcome(problem: str | None = None) -> Anchoring:
        return Anchoring(
            anchor=previous,
            written=False,
            checked=walk.count - base,
            seconds=time.perf_counter() - started,
            problem=problem,
            warnings=tuple(reading.warnings),
        )

    if reading.problems:
        return outcome(f"the anchor store was tampered with: {reading.problems[0]}")
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    if vouch_unkeyed and head is not None:
        walk.unkeyed_until = head.unkeyed_until
    if previous is not None:
        anchored = AuditEvent.objects.filter(pk=previous.last_id)
        found = anchored.values_list("hash", "key_id").first()
        if found is None:
            return outcome(
                f"row {previous.last_id}: missing; {previous.describe()} records it "
                "(rows were deleted)"
            )
        if found[0] != previous.last_hash:
            return outcome(
                f"row {previous.last_id}: hash differs from {previous.describe()} "
                "(the chain was rewritten)"
            )
        walk.resume(previous, keyed=found[1] != "")
        base = walk.count
    end = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for rows in _rows(walk.last_id or 0, end, batch_size):
        walk.check(rows)
        if walk.problem:
            return outcome(walk.problem)
    if walk.last_id is None or (previous is not None and walk.last_id == previous.last_id):
        return outcome()
    anchor = Anchor(
        last_id=walk.last_id,
        last_hash=walk.last_hash,
        count=walk.count,
        at=timezone.now(),
        key_id=keys.current_id,
    )
    path = anchors.append(folder, anchor, keys)
    return Anchoring(
        anchor=replace(anchor, path=path),
        written=True,
        checked=walk.count - base,
        seconds=time.perf_counter() - started,
        warnings=tuple(reading.warnings),
    )
