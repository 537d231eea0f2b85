"""Writing, reading and verifying the audit trail.

record() appends one event. The chain head (one row) is locked for the append: on
PostgreSQL with SELECT ... FOR UPDATE, on SQLite by the write lock its IMMEDIATE
transactions take at BEGIN (settings.py). Two writers therefore never read the same
head, so the chain cannot fork, and ids come out gapless.

The event is written in the caller's transaction: if that transaction rolls back, so
does the event, together with what it recorded. That is deliberate: an event never
describes a change that did not happen. It also means the head stays locked until the
caller's transaction ends, so record late in a long transaction.

Each event's hash is SHA-256 over a canonical serialisation (sorted-key compact JSON,
UTC timestamps to the microsecond) of every other column, id and previous_hash
included; verify_chain() recomputes them in id order.
"""

import hashlib
import ipaddress
import json
import re
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

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


def canonical(values: Sequence[Any]) -> bytes:
    """The bytes hashed for an event, from its values in HASHED_FIELDS order."""
    fields = dict(zip(HASHED_FIELDS, values, strict=True))
    fields["at"] = fields["at"].astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def event_hash(values: Sequence[Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


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
    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            id=head.last_id + 1, at=timezone.now(), previous_hash=head.last_hash, **fields
        )
        event.hash = event_hash([getattr(event, name) for name in HASHED_FIELDS])
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
    events: int
    seconds: float
    problem: str | None = None  # the first thing wrong, naming the row

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Walk:
    """Checks rows handed to it in id order; stops at the first problem."""

    def __init__(self) -> None:
        self.count = 0
        self.last_id: int | None = None
        self.last_hash = GENESIS
        self.problem: str | None = None
        # The JSON columns hold few distinct values ("{}", a handful of category lists).
        self.parsed: dict[str, Any] = {}

    def json(self, text: str | None) -> Any:
        value = self.parsed.get(text)
        if value is None:
            if len(self.parsed) > 10_000:
                self.parsed.clear()
            value = self.parsed[text] = json.loads(text)
        return value

    def check(self, rows: Iterable[Sequence[Any]]) -> None:
        """Rows as the database gives them: HASHED_FIELDS, then hash."""
        json_value = self.json
        for row in rows:
            row_id, at, previous, stored_hash = row[0], row[1], row[14], row[15]
            values = (
                *row[:1],
                at if at.tzinfo is not None else at.replace(tzinfo=UTC),  # SQLite: naive UTC
                *row[2:7],
                json_value(row[7]),  # categories
                *row[8:12],
                bool(row[12]),  # flagged
                json_value(row[13]),  # details
                previous,
            )
            if hashlib.sha256(canonical(values)).hexdigest() != stored_hash:
                self.problem = f"row {row_id}: hash does not match its contents (altered)"
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
            if self.problem:
                return
            self.count += 1
            self.last_id, self.last_hash = row_id, stored_hash


def _rows(after: int, up_to: int, batch_size: int) -> Iterator[list[tuple]]:
    """Batches of rows with after < id <= up_to, in id order: never the whole table.

    Plain SQL rather than the ORM: a million model rows' worth of field conversion
    would be most of the time verify takes.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in (*HASHED_FIELDS, "hash"))
    table, key = quote(AuditEvent._meta.db_table), quote("id")
    sql = (
        f"SELECT {columns} FROM {table} WHERE {key} > %s AND {key} <= %s "  # noqa: S608
        f"ORDER BY {key} LIMIT %s"
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


def verify_chain(batch_size: int = 10_000) -> Verification:
    """Recompute every hash and link in id order; name the first row that is wrong."""
    started = time.perf_counter()
    walk = _Walk()

    def result() -> Verification:
        return Verification(walk.count, time.perf_counter() - started, walk.problem)

    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    # Most of the table, without holding anything: events written meanwhile come after.
    if head is not None:
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
    return result()
