"""Events from before the chain was keyed: plain SHA-256, trusted once an anchor vouches for them.

Migration 0003 leaves them as they were (rehashing would launder any change made before)
and records the last of them in the chain head; the head is in the database, so verify
accepts them only up to an anchor that a person made with `--vouch-unkeyed`.
"""

import hashlib
import json
from datetime import UTC

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from earlyhelp.audit.chain import HASHED_FIELDS
from earlyhelp.audit.log import record
from earlyhelp.audit.models import GENESIS, AuditChainHead, AuditEvent
from earlyhelp.audit.verify import anchor_chain, verify_chain
from tests.audit.conftest import PERSON_ID, raw

NOT_VOUCHED = (
    "row {}: not keyed (plain SHA-256), and no anchor vouches for it (forged; or written "
    "before the chain was keyed, and never anchored with `earlyhelp audit anchor "
    "--vouch-unkeyed`)"
)
OLD_COLUMNS = (
    "id, at, actor_username, action, record_type, record_id, categories, reason, purpose, "
    "rule, flagged, details, previous_hash, hash"
)


def unkeyed_rows(count: int) -> list[tuple]:
    """Rows as the code before the key wrote them: SHA-256 of the columns as a JSON object."""
    rows, previous, at = [], GENESIS, timezone.now()
    for event_id in range(1, count + 1):
        fields = dict.fromkeys(HASHED_FIELDS, "")
        fields.update(
            id=event_id,
            at=at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id=None,
            action="view",
            record_type="person",
            record_id=PERSON_ID,
            categories=[],
            ip_address=None,
            flagged=False,
            details={},
            previous_hash=previous,
        )
        text = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        previous = hashlib.sha256(text.encode()).hexdigest()
        rows.append((event_id, at, previous))
    return rows


def insert_unkeyed(rows: list[tuple], *, key_column: bool = True) -> None:
    previous = GENESIS
    for event_id, at, digest in rows:
        raw(
            f"INSERT INTO audit_event ({OLD_COLUMNS}{', key_id' if key_column else ''}) "  # noqa: S608
            "VALUES (%s, %s, '', 'view', 'person', %s, '[]', '', '', '', %s, '{}', %s, %s"
            f"{', %s' if key_column else ''})",
            [event_id, at, PERSON_ID, False, previous, digest] + ([""] if key_column else []),
        )
        previous = digest


@pytest.fixture
def upgraded(db):
    """Three unkeyed events, as migration 0003 leaves a trail from before the key."""
    rows = unkeyed_rows(3)
    insert_unkeyed(rows)
    AuditChainHead.objects.create(last_id=3, last_hash=rows[-1][2], unkeyed_until=3)
    return rows


def test_unkeyed_events_are_reported_until_a_person_vouches_for_them(upgraded, capsys):
    assert verify_chain().problem == NOT_VOUCHED.format(1)
    refused = anchor_chain()  # as cron runs it
    assert not refused.written and refused.problem == NOT_VOUCHED.format(1)
    call_command("audit", "anchor", "--vouch-unkeyed")
    record(action="view")
    result = verify_chain()
    assert result.ok, result.problem
    assert (result.events, result.unkeyed) == (4, 3)
    call_command("audit", "verify")
    assert "3 of them were written before the chain was keyed" in capsys.readouterr().out


def test_vouching_covers_only_the_events_the_upgrade_found_unkeyed(upgraded):
    AuditChainHead.objects.update(unkeyed_until=2)
    with pytest.raises(CommandError, match="row 3: not keyed"):
        call_command("audit", "anchor", "--vouch-unkeyed")


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keeps_earlier_events_unkeyed_and_the_triggers_in_place():
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_append_only_triggers")])
    rows = unkeyed_rows(2)
    insert_unkeyed(rows, key_column=False)
    raw("INSERT INTO audit_chainhead (id, last_id, last_hash) VALUES (1, 2, %s)", [rows[-1][2]])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert AuditChainHead.objects.get().unkeyed_until == 2
    assert list(AuditEvent.objects.values_list("key_id", flat=True)) == ["", ""]
    # On SQLite the new column meant a new table: its triggers were made again.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("UPDATE audit_event SET reason = 'changed' WHERE id = 2")
    assert anchor_chain(vouch_unkeyed=True).written
    record(action="view")
    result = verify_chain()
    assert result.ok, result.problem
    assert (result.events, result.unkeyed) == (3, 2)
