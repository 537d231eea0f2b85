"""Each event's keyed hash covers every column and the hash before it; verify finds any break.

These tamper as someone holding the audit key would (event_hash with the real key), so
what finds each change is the chain itself; tests/audit/test_tamper.py tampers as someone
without the key, and test_anchor.py as someone who also resets the chain head.
"""

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.chain import HASHED_FIELDS, event_hash
from earlyhelp.audit.keys import key_ring
from earlyhelp.audit.log import record
from earlyhelp.audit.models import GENESIS, AuditChainHead, AuditEvent
from earlyhelp.audit.verify import verify_chain
from tests.audit.conftest import PERSON_ID, disable_append_only_triggers, raw


def values(event: AuditEvent) -> list:
    return [getattr(event, name) for name in HASHED_FIELDS]


def test_events_are_numbered_from_one_and_each_links_to_the_one_before(events):
    assert [e.id for e in events] == [1, 2, 3, 4, 5]
    assert events[0].previous_hash == GENESIS
    for before, after in pairwise(events):
        assert after.previous_hash == before.hash


def test_each_event_names_the_current_audit_key_it_was_hashed_with(events):
    assert {event.key_id for event in AuditEvent.objects.all()} == {key_ring().current_id}


def test_the_hash_covers_every_column_read_back_from_the_database(events, make_user):
    user = make_user("worker")
    record(
        action="break_glass",
        record_type="person",
        record_id=PERSON_ID,
        categories=["health", "identity-and-contact"],
        reason="Child missing overnight — police asked for the family's address",
        rule="access:break-glass",
        flagged=True,
        details={"minutes": 60, "note": "ünïcode ✓", "ids": [1, 2]},
        actor=user,
    )
    for event in AuditEvent.objects.order_by("id"):
        assert event_hash(values(event), event.key_id) == event.hash


def test_the_chain_head_remembers_the_last_event(events):
    head = AuditChainHead.objects.get()
    assert (head.last_id, head.last_hash) == (5, events[-1].hash)


def test_verify_passes_an_untouched_trail(events):
    result = verify_chain()
    assert result.ok, result.problem
    assert result.events == 5


def test_verify_passes_an_empty_trail(db):
    assert verify_chain().ok
    assert verify_chain().events == 0


def test_verify_reads_the_table_in_batches_not_all_at_once(events):
    with CaptureQueriesContext(connection) as queries:
        result = verify_chain(batch_size=2)
    assert result.ok and result.events == 5
    chain_reads = [q["sql"] for q in queries if '"previous_hash"' in q["sql"]]
    assert len(chain_reads) >= 3  # 2 + 2 + 1 rows
    assert all("LIMIT 2" in sql for sql in chain_reads)


def test_verify_names_the_row_changed_by_raw_sql(events):
    disable_append_only_triggers()
    raw(
        "UPDATE audit_event SET record_id = %s WHERE id = 3",
        ["00000000-0000-4000-8000-000000000000"],
    )
    assert verify_chain().problem == (
        "row 3: hash does not match its contents (altered, or written without the audit key)"
    )


def test_verify_names_the_row_whose_hash_was_recomputed_after_a_change(events):
    disable_append_only_triggers()
    event = AuditEvent.objects.get(id=3)
    event.flagged = True
    raw(
        "UPDATE audit_event SET flagged = %s, hash = %s WHERE id = 3",
        [True, event_hash(values(event), event.key_id)],
    )
    assert verify_chain().problem == (
        "row 4: previous_hash does not match row 3 (a row before it was deleted or inserted)"
    )


def test_verify_names_the_row_after_one_deleted_by_raw_sql(events):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id = 3")
    assert verify_chain().problem == (
        "row 4: previous_hash does not match row 2 (a row before it was deleted or inserted)"
    )


def test_verify_names_the_first_row_left_when_the_oldest_were_deleted(events):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id <= 2")
    assert verify_chain().problem == (
        "row 3: previous_hash does not match the start of the chain "
        "(the rows before it were deleted)"
    )


def test_verify_notices_the_last_rows_deleted(events):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id >= 4")
    assert verify_chain().problem == (
        "row 5: missing; the chain head records it as the last event but the table ends "
        "at row 3 (the last rows were deleted)"
    )


def test_verify_notices_every_row_deleted(events):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event")
    assert verify_chain().problem.startswith("row 5: missing;")


def insert(event_id: int, previous_hash: str, forge: bool) -> None:
    """Add a row by raw SQL, with a correct keyed hash when `forge`, else a made-up one."""
    event = AuditEvent(
        id=event_id,
        at=AuditEvent.objects.get(id=event_id - 1).at,
        action="view",
        record_type="person",
        record_id=PERSON_ID,
        categories=[],
        details={},
        previous_hash=previous_hash,
    )
    key_id = key_ring().current_id
    digest = event_hash(values(event), key_id) if forge else "f" * 64
    raw(
        "INSERT INTO audit_event (id, at, actor_username, action, record_type, record_id, "
        "categories, reason, purpose, rule, flagged, details, previous_hash, hash, key_id) "
        "VALUES (%s, %s, '', 'view', 'person', %s, '[]', '', '', '', %s, '{}', %s, %s, %s)",
        [event_id, event.at, PERSON_ID, False, previous_hash, digest, key_id],
    )


@pytest.mark.parametrize("forge", [True, False], ids=["correct hash", "made-up hash"])
def test_verify_names_a_row_inserted_by_raw_sql(events, forge):
    insert(6, events[-1].hash, forge)
    assert verify_chain().problem == (
        "row 6: after row 5, the last event the chain head records (inserted)"
    )


def test_verify_names_the_row_after_a_forged_replacement(events):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id = 3")
    insert(3, events[1].hash, forge=True)
    assert verify_chain().problem == (
        "row 4: previous_hash does not match row 3 (a row before it was deleted or inserted)"
    )


def test_verify_notices_a_rewritten_chain_head(events):
    AuditChainHead.objects.update(last_hash="e" * 64)
    assert verify_chain().problem == (
        "row 5: hash differs from the one the chain head records (the chain was rewritten)"
    )


def test_verify_notices_a_deleted_chain_head(events):
    AuditChainHead.objects.all().delete()
    assert verify_chain().problem == "row 1: the chain head is missing (it was deleted)"


def test_no_event_is_recorded_while_the_chain_head_is_missing(events):
    from earlyhelp.audit.log import ChainBroken

    AuditChainHead.objects.all().delete()
    with pytest.raises(ChainBroken, match="chain head is missing"):
        record(action="view", record_type="person", record_id=PERSON_ID)


def test_verify_command_prints_the_count_when_intact(events, capsys):
    call_command("audit", "verify", "--batch-size", "2")
    assert "Audit trail intact: 5 events verified in" in capsys.readouterr().out


def test_verify_command_exits_1_naming_the_row(events):
    disable_append_only_triggers()
    raw("UPDATE audit_event SET reason = 'nothing to see' WHERE id = 2")
    with pytest.raises(CommandError, match=r"^row 2: hash does not match") as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1


def test_verify_reads_times_on_the_whole_second_as_written(events, monkeypatch):
    # The database keeps 10:00:00 without ".000000"; verify reads `at` as text and must
    # give the same bytes the hash was made over, on SQLite and PostgreSQL alike.
    from datetime import UTC, datetime

    from django.utils import timezone

    for moment in (
        datetime(2026, 11, 25, 10, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, 0, 1, tzinfo=UTC),
    ):
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        record(action="view", record_type="person", record_id=PERSON_ID)
    assert verify_chain().problem is None
    assert verify_chain().events == 7
