"""The audit chain's hash: what each event's hash is made over, and how.

Each event's hash is HMAC-SHA256, under the audit key (a file outside the database, see
keys.py) whose id the event stores, over a canonical serialisation (canonical(): a compact
JSON array, UTC timestamps to the microsecond) of the HASHED_FIELDS columns, id and
previous_hash included. log.record() writes events with it; verify.verify_chain()
recomputes it.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from earlyhelp.audit.keys import key_ring

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
# The chain head is one row, with this primary key.
HEAD_ID = 1
# One encoder for every event: json.dumps would build a new one per call with these options.
# Its output is json.dumps(..., sort_keys=True, separators=(",", ":")); no circular check,
# as values come from the database or from log._checked_details (which would have failed).
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
    return canonical_in_place(list(values))


def canonical_in_place(values: list[Any]) -> bytes:
    """canonical() of a list it may change (verify builds one straight from each row)."""
    values[AT] = _utc_text(values[AT])
    return _ENCODE(values).encode()


def _utc_text(at: datetime | str) -> str:
    # verify reads `at` as the UTC text verify._at_sql() gives; anything else is parsed first.
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
