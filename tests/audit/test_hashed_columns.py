"""Every hashed column is covered: change any one of them and verify names the row.

The oracle is independent of the code under test: the canonical text of one known event is
written out here by hand, as the documentation gives it (a compact JSON array of the
columns in a fixed order, non-ASCII escaped, objects with sorted keys, `at` in UTC to the
microsecond), and its HMAC-SHA256 worked out with the key read from the key file.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from earlyhelp.audit.chain import HASHED_FIELDS
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.verify import verify_chain
from tests.audit.conftest import (
    PERSON_ID,
    as_json,
    disable_append_only_triggers,
    key_from_file,
    raw,
)

ALTERED = "row {}: hash does not match its contents (altered, or written without the audit key)"
LATER = timedelta(seconds=1)


def at_text(at: datetime) -> str:
    return '"' + at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + '+00:00"'


# The documented order of the columns in the canonical array.
ORDER = (
    "id", "at", "actor_id", "actor_username", "action", "record_type", "record_id",
    "categories", "ip_address", "reason", "purpose", "rule", "flagged", "details",
    "previous_hash",
)  # fmt: skip


def canonical_text(fragments: dict[str, str]) -> bytes:
    """The canonical text by hand: each column's JSON in the documented order, no spaces."""
    return ("[" + ",".join(fragments[name] for name in ORDER) + "]").encode("ascii")


@pytest.fixture
def known(rf, make_user):
    """One break-glass event with every column filled in, and its canonical text by hand."""
    user = make_user("worker")
    request = rf.get("/", REMOTE_ADDR="192.0.2.10")
    request.user = user
    event = record(
        request,
        action="break_glass",
        record_type="person",
        record_id=PERSON_ID,
        categories=["identity-and-contact", "health"],
        reason="Child missing overnight — police asked",
        purpose="best-interests-and-health",
        rule="access:break-glass",
        flagged=True,
        details={"note": "ünïcode ✓", "minutes": 60, "ids": [1, 2]},
    )
    event.refresh_from_db()
    fragments = {
        "action": '"break_glass"',
        "actor_id": str(user.pk),
        "actor_username": '"worker"',
        "at": at_text(event.at),
        "categories": '["health","identity-and-contact"]',
        "details": r'{"ids":[1,2],"minutes":60,"note":"\u00fcn\u00efcode \u2713"}',
        "flagged": "true",
        "id": "1",
        "ip_address": '"192.0.2.10"',
        "previous_hash": '"' + "0" * 64 + '"',
        "purpose": '"best-interests-and-health"',
        "reason": r'"Child missing overnight \u2014 police asked"',
        "record_id": f'"{PERSON_ID}"',
        "record_type": '"person"',
        "rule": '"access:break-glass"',
    }
    assert ORDER == HASHED_FIELDS
    assert sorted(fragments) == sorted(ORDER)
    return event, fragments


def oracle(audit_key, fragments: dict[str, str]) -> str:
    return hmac.new(key_from_file(audit_key), canonical_text(fragments), hashlib.sha256).hexdigest()


def test_the_stored_hash_is_hmac_sha256_of_the_canonical_text_under_the_audit_key(known, audit_key):
    event, fragments = known
    assert event.hash == oracle(audit_key, fragments)
    assert verify_chain().ok


# (column, new value in SQL, its JSON in the canonical text); `at` is worked out below.
CHANGES = [
    ("id", 7, "7"),
    ("at", None, None),
    ("actor_id", None, "null"),
    ("actor_username", "someone-else", '"someone-else"'),
    ("action", "export", '"export"'),
    ("record_type", "case", '"case"'),
    ("record_id", "00000000-0000-4000-8000-000000000000", '"00000000-0000-4000-8000-000000000000"'),
    ("categories", '["health"]', '["health"]'),
    ("ip_address", "192.0.2.99", '"192.0.2.99"'),
    ("reason", "nothing to see", '"nothing to see"'),
    ("purpose", "", '""'),
    ("rule", "access:allocation", '"access:allocation"'),
    ("flagged", False, "false"),
    ("details", '{"minutes": 61}', '{"minutes":61}'),
    ("previous_hash", "1" * 64, '"' + "1" * 64 + '"'),
]


def test_every_hashed_column_has_a_change_below():
    assert [column for column, _, _ in CHANGES] == list(HASHED_FIELDS)


@pytest.mark.parametrize(("column", "value", "text"), CHANGES, ids=[c[0] for c in CHANGES])
def test_changing_only_one_hashed_column_is_found(known, audit_key, column, value, text):
    event, fragments = known
    if column == "at":
        value = connection.ops.adapt_datetimefield_value(event.at + LATER)
        text = at_text(event.at + LATER)
    # Per the specification the column is in the hashed text: the stored hash no longer fits.
    assert oracle(audit_key, {**fragments, column: text}) != event.hash
    disable_append_only_triggers()
    placeholder = as_json() if column in ("categories", "details") else "%s"
    raw(f"UPDATE audit_event SET {column} = {placeholder} WHERE id = 1", [value])  # noqa: S608
    if column == "id":
        # Moving the head along too, else verify would first see an event after the head.
        raw("UPDATE audit_chainhead SET last_id = 7")
    assert AuditEvent.objects.get().hash == event.hash  # the row's hash is as it was
    assert verify_chain().problem == ALTERED.format(1 if column != "id" else 7)
