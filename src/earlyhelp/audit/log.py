"""Writing, reading and verifying the audit trail.

record() appends one event. The chain head (one row) is locked for the append: on
PostgreSQL with SELECT ... FOR UPDATE, on SQLite by the write lock its IMMEDIATE
transactions take at BEGIN (settings.py). Two writers therefore never read the same
head, so the chain cannot fork, and ids come out gapless.

The event is written in the caller's transaction: if that transaction rolls back, so
does the event, together with what it recorded. That is deliberate: an event never
describes a change that did not happen. It also means the head stays locked until the
caller's transaction ends, so record late in a long transaction.

Each event's hash is HMAC-SHA256, under the audit key (a file outside the database, see
keys.py) whose id the event stores, over a canonical serialisation (canonical(): a compact
JSON array, UTC timestamps to the microsecond) of the HASHED_FIELDS columns, id and
previous_hash included; verify_chain() recomputes them in id order and compares the end
of the chain with the latest anchor (anchors.py), which anchor_chain() writes.
"""

import hashlib
import ipaddress
import json
import multiprocessing
import os
import re
import syslog
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.ipv6 import clean_ipv6_address

from earlyhelp.audit import anchors
from earlyhelp.audit.anchors import Anchor
from earlyhelp.audit.keys import AuditKeys, key_ring
from earlyhelp.audit.models import (
    GENESIS,
    Action,
    AuditChainHead,
    AuditEvent,
    AuditReview,
    ReviewOutcome,
)
from earlyhelp.policy.active import active_policy

# The columns the hash covers, in the order verify reads them.
HASHED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "action",
    "record_type",
    "record_id",
    "categories",
    "ip_address",
    "reason",
    "purpose",
    "rule",
    "flagged",
    "details",
    "previous_hash",
)
HEAD_ID = 1
# details is for a few ids and counts, not documents.
MAX_DETAILS_BYTES = 8192
MAX_REASON_CHARS = 2000
ACTIONS = frozenset(Action.values)
# A kind of record ("person", "case", "search"): a word, so never a name or a value.
RECORD_TYPE = re.compile(r"^(?:[a-z]+(?:-[a-z]+)*)?$")


class ChainBroken(Exception):
    """The chain head is missing although events exist: appending would hide the damage."""


# -- the hash --------------------------------------------------------------------------------


# One encoder for every event: json.dumps would build a new one per call with these options.
# Its output is json.dumps(..., sort_keys=True, separators=(",", ":")); no circular check,
# as values come from the database or from _checked_details (which would have failed).
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), check_circular=False).encode


AT = HASHED_FIELDS.index("at")


def canonical(values: Sequence[Any]) -> bytes:
    """The bytes a keyed event's HMAC is made over, from its values in HASHED_FIELDS order.

    A compact JSON array (ASCII, non-ASCII escaped; objects in it with sorted keys) of the
    values in HASHED_FIELDS order, `at` as UTC ISO 8601 to the microsecond
    ("2026-11-25T10:00:00.000000+00:00"). An array rather than an object by column name:
    verify encodes a million of them, and an array needs no sorting of its keys.
    """
    if len(values) != len(HASHED_FIELDS):
        raise ValueError(f"{len(values)} values for {len(HASHED_FIELDS)} hashed columns")
    return _encode(list(values))


def _encode(values: list[Any]) -> bytes:
    """canonical() of a list it may change (verify builds one straight from each row)."""
    values[AT] = _utc_text(values[AT])
    return _ENCODE(values).encode()


def _utc_text(at: datetime | str) -> str:
    # verify reads `at` as the UTC text _at_sql() gives; anything else is parsed first.
    if isinstance(at, str):
        if len(at) == 32 and at.endswith("+00:00") and at[10] == "T":
            return at
        parsed = parse_datetime(at)
        if parsed is None:
            return at  # not a time at all: the hash will not match, and verify says so
        at = parsed
    # SQLite gives back naive UTC; PostgreSQL aware datetimes.
    if at.tzinfo is None:
        return at.isoformat(timespec="microseconds") + "+00:00"
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def unkeyed_canonical(values: Sequence[Any]) -> bytes:
    """What events from before the chain was keyed were hashed over, with plain SHA-256.

    The same values as a compact JSON object by column name, keys sorted; kept only to
    verify those events (migration 0003), never to write one.
    """
    fields = dict(zip(HASHED_FIELDS, values, strict=True))
    fields["at"] = _utc_text(fields["at"])
    return _ENCODE(fields).encode()


def event_hash(values: Sequence[Any], key_id: str) -> str:
    """The hash of an event with these values: HMAC-SHA256 under the audit key `key_id`.

    `key_id` "" gives the plain SHA-256 of events written before the chain was keyed.
    """
    if key_id == "":
        return hashlib.sha256(unkeyed_canonical(values)).hexdigest()
    return key_ring().sign(canonical(values), key_id)


# -- writing ---------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from.

    Behind the service's proxy (EARLYHELP_BEHIND_PROXY, which sets
    SECURE_PROXY_SSL_HEADER) that is the last X-Forwarded-For entry, the one the proxy
    added; earlier entries come from the client and could say anything.
    """
    candidates = []
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        candidates.append(forwarded.rsplit(",", 1)[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        address = normalise_ip(candidate)
        if address:
            return address
    return None


def normalise_ip(value: str | None) -> str | None:
    """The address as the database gives it back (so its hash survives the round trip)."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return clean_ipv6_address(str(address)) if address.version == 6 else str(address)


def _checked_record_id(record_id: object) -> str:
    if record_id in ("", None):
        return ""
    try:
        return str(uuid.UUID(str(record_id)))
    except ValueError:
        raise ValueError(
            "record_id must be the record's public UUID (or empty), never a name or other "
            f"identifying value; got a {type(record_id).__name__} that is not a UUID"
        ) from None


def _checked_categories(categories: Iterable[str]) -> list[str]:
    wanted = sorted(set(categories))
    known = {category.id for category in active_policy().categories}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise ValueError(f"categories: {', '.join(unknown)} not data categories of the policy")
    return wanted


def _checked_purpose(purpose: str) -> str:
    if purpose and purpose not in {p.id for p in active_policy().purposes}:
        raise ValueError(f"purpose: {purpose!r} is not a purpose of the policy")
    return purpose


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _checked_details(action: str, details: Mapping[str, Any] | None) -> dict[str, Any]:
    details = dict(details or {})
    try:
        text = json.dumps(details, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"details: must be plain JSON ({error})") from None
    if len(text) > MAX_DETAILS_BYTES:
        raise ValueError(f"details: {len(text)} bytes; at most {MAX_DETAILS_BYTES}")
    # A float may not come back from the database as the same text, breaking its hash.
    if any(isinstance(v, float) for v in _leaves(details)):
        raise ValueError("details: no decimal numbers (store whole numbers or text)")
    if action == Action.SEARCH:
        # A search event names the records listed and counts them, never what was asked.
        for key, value in details.items():
            leaves = value if isinstance(value, list) else [value]
            if not all(isinstance(v, int) or _is_uuid(v) for v in leaves):
                raise ValueError(
                    f"details[{key!r}]: a search event holds only counts and record ids, "
                    "never the search terms"
                )
    return json.loads(text)


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _locked_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends; made by the first append."""
    try:
        return AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)
    except AuditChainHead.DoesNotExist:
        pass
    try:
        # Waits for another writer making it at the same moment, then fails.
        with transaction.atomic():
            AuditChainHead.objects.create(pk=HEAD_ID)
        made = True
    except IntegrityError:
        made = False
    head = AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)
    if made and AuditEvent.objects.exists():
        # Events without a head: it was deleted. Starting again would hide that.
        raise ChainBroken(
            "the audit chain head is missing although audit events exist; "
            "run `earlyhelp audit verify` and restore it before recording more"
        )
    return head


def append(fields: Mapping[str, Any]) -> AuditEvent:
    """Add one event (already checked) to the end of the chain, inside the head lock."""
    # Before the lock: without the key nothing is written, and the reason is clear.
    key_id = key_ring().current_id
    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            id=head.last_id + 1,
            at=timezone.now(),
            previous_hash=head.last_hash,
            key_id=key_id,
            **fields,
        )
        event.hash = event_hash([getattr(event, name) for name in HASHED_FIELDS], key_id)
        event.save()
        head.last_id, head.last_hash = event.id, event.hash
        head.save(update_fields=["last_id", "last_hash"])
    return event


def record(
    request: HttpRequest | None = None,
    *,
    action: str,
    record_type: str = "",
    record_id: object = "",
    categories: Iterable[str] = (),
    reason: str = "",
    purpose: str = "",
    rule: str = "",
    flagged: bool = False,
    details: Mapping[str, Any] | None = None,
    actor: AbstractBaseUser | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Record one event; the actor and address come from `request` when given.

    `actor_username` names an actor without an account here (the username typed at a
    failed sign-in); otherwise it is copied from the actor.
    """
    if action not in ACTIONS:
        raise ValueError(f"action: {action!r} is not one of {', '.join(sorted(ACTIONS))}")
    if not RECORD_TYPE.match(record_type) or len(record_type) > 40:
        raise ValueError(f"record_type: {record_type!r} is not a lower-case kind of record")
    if len(reason) > MAX_REASON_CHARS:
        raise ValueError(f"reason: {len(reason)} characters; at most {MAX_REASON_CHARS}")
    if len(rule) > 100:
        raise ValueError(f"rule: {len(rule)} characters; at most 100")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if actor is not None:
        actor_username = actor.get_username()
    return append(
        {
            "actor": actor,
            "actor_username": actor_username[:150],
            "action": str(action),
            "record_type": record_type,
            "record_id": _checked_record_id(record_id),
            "categories": _checked_categories(categories),
            "ip_address": client_ip(request) if request is not None else None,
            "reason": reason,
            "purpose": _checked_purpose(purpose),
            "rule": rule,
            "flagged": bool(flagged),
            "details": _checked_details(action, details),
        }
    )


def record_search(
    request: HttpRequest | None,
    *,
    shown: Iterable[object],
    results: int | None = None,
    categories: Iterable[str] = (),
    purpose: str = "",
    rule: str = "",
) -> AuditEvent:
    """A search: how many records it found and the public ids of those shown. No query."""
    shown_ids = [_checked_record_id(record_id) for record_id in shown]
    return record(
        request,
        action=Action.SEARCH,
        record_type="search",
        categories=categories,
        purpose=purpose,
        rule=rule,
        details={"results": len(shown_ids) if results is None else results, "shown": shown_ids},
    )


# -- reading ---------------------------------------------------------------------------------


def events_for_record(record_type: str, record_id: object) -> QuerySet[AuditEvent]:
    """Who has seen or touched a record, newest first."""
    return (
        AuditEvent.objects.filter(record_type=record_type, record_id=str(record_id))
        .select_related("actor")
        .order_by("-id")
    )


def flagged_events(*, unreviewed_only: bool = False) -> QuerySet[AuditEvent]:
    """Flagged events (break-glass) newest first, each with its latest review, if any.

    Annotated with reviewed_at, reviewed_by_id and review_outcome (None when unreviewed).
    """
    latest = AuditReview.objects.filter(event=OuterRef("pk")).order_by("-reviewed_at", "-id")
    events = (
        AuditEvent.objects.filter(flagged=True)
        .select_related("actor")
        .annotate(
            reviewed_at=Subquery(latest.values("reviewed_at")[:1]),
            reviewed_by_id=Subquery(latest.values("reviewed_by")[:1]),
            review_outcome=Subquery(latest.values("outcome")[:1]),
        )
        .order_by("-id")
    )
    return events.filter(reviewed_at__isnull=True) if unreviewed_only else events


def review(
    event: AuditEvent, *, reviewed_by: AbstractBaseUser, outcome: str, note: str = ""
) -> AuditReview:
    """Record a review of a flagged event (the event itself never changes)."""
    if not event.flagged:
        raise ValueError(f"audit event {event.pk} is not flagged for review")
    if outcome not in ReviewOutcome.values:
        raise ValueError(f"outcome: {outcome!r} is not one of {', '.join(ReviewOutcome.values)}")
    return AuditReview.objects.create(
        event=event, reviewed_by=reviewed_by, reviewed_at=timezone.now(), outcome=outcome, note=note
    )


# -- verifying -------------------------------------------------------------------------------


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
            mac.update(_encode(values))
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


def _hash_problems(up_to: int, batch_size: int, shares: int) -> dict[int, str]:
    """Each share of the rows up to `up_to` hash-checked: in worker processes when the
    database is one they can open (not SQLite in memory, not inside a transaction),
    else one after the other here. The first problem of each share, by row id."""
    edges = [round(up_to * n / shares) for n in range(shares + 1)]
    ranges = [(edges[n], edges[n + 1], batch_size) for n in range(shares)]
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


def _shares(events: int) -> int:
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
        shares = _shares(head.last_id) if shares is None else shares
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


# -- anchoring -------------------------------------------------------------------------------


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
    walk = _Walk(keys, 0, previous)
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
