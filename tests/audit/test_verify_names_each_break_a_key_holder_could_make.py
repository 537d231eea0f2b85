"""Breaks that even someone holding the audit key cannot hide: each row's hash is right (they
recompute it with the key), so what finds them is the walk's other checks, each named here
by its own message: a chain that starts after row 1, ids that jump, an unkeyed row after
keyed ones, an anchored row that is gone, an anchor out of order or signed with a key the
folder does not hold."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from django.conf import settings

from earlyhelp.audit import anchors
from earlyhelp.audit.anchors import Anchor
from earlyhelp.audit.chain import HASHED_FIELDS, event_hash, unkeyed_canonical
from earlyhelp.audit.keys import key_ring
from earlyhelp.audit.models import GENESIS, AuditEvent
from earlyhelp.audit.verify import anchor_chain, verify_chain
from tests.audit.conftest import disable_append_only_triggers, raw


def rehash(event_id: int, previous_hash: str) -> str:
    """Relink row `event_id` to `previous_hash` and give it a correct keyed hash; its hash."""
    event = AuditEvent.objects.get(id=event_id)
    event.previous_hash = previous_hash
    digest = event_hash([getattr(event, name) for name in HASHED_FIELDS], event.key_id)
    raw(
        "UPDATE audit_event SET previous_hash = %s, hash = %s WHERE id = %s",
        [previous_hash, digest, event_id],
    )
    return digest


def test_a_trail_renumbered_to_start_after_row_1_is_found(events):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id = 1")
    previous = GENESIS
    for event_id in (2, 3, 4, 5):
        previous = rehash(event_id, previous)
    raw("UPDATE audit_chainhead SET last_hash = %s", [previous])
    assert verify_chain().problem == ("row 2: the chain starts here, not at row 1 (rows deleted)")


def test_a_row_deleted_and_the_rest_relinked_with_the_key_is_found_by_the_ids(events):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id = 3")
    previous = events[1].hash
    for event_id in (4, 5):
        previous = rehash(event_id, previous)
    raw("UPDATE audit_chainhead SET last_hash = %s", [previous])
    assert verify_chain().problem == "row 4: ids jump from 2 to 4"


def test_an_unkeyed_row_after_an_anchored_keyed_one_is_refused_by_the_next_anchor(events):
    assert anchor_chain().written
    # Row 6 in the old, unkeyed form, linked and with its plain SHA-256 right.
    event = AuditEvent(
        id=6,
        at=events[-1].at,
        action="view",
        record_type="person",
        record_id=events[-1].record_id,
        categories=[],
        details={},
        previous_hash=events[-1].hash,
        key_id="",
    )
    digest = hashlib.sha256(
        unkeyed_canonical([getattr(event, name) for name in HASHED_FIELDS])
    ).hexdigest()
    raw(
        "INSERT INTO audit_event (id, at, actor_username, action, record_type, record_id, "
        "categories, reason, purpose, rule, flagged, details, previous_hash, hash, key_id) "
        "VALUES (%s, %s, '', 'view', 'person', %s, '[]', '', '', '', %s, '{}', %s, %s, '')",
        [6, event.at, event.record_id, False, event.previous_hash, digest],
    )
    raw("UPDATE audit_chainhead SET last_id = 6, last_hash = %s, unkeyed_until = 6", [digest])
    done = anchor_chain(vouch_unkeyed=True)
    assert not done.written
    assert done.problem == ("row 6: not keyed (plain SHA-256) although rows before it are (forged)")


def test_anchoring_when_the_anchored_row_is_gone_names_the_row_and_the_anchor(events):
    assert anchor_chain().written
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id = 5")
    raw("UPDATE audit_chainhead SET last_id = 4, last_hash = %s", [events[3].hash])
    done = anchor_chain()
    assert not done.written
    assert (done.anchor.last_id, done.anchor.line) == (5, 1)  # the latest anchor there was
    assert done.problem == (
        f"row 5: missing; {done.anchor.describe()} records it (rows were deleted)"
    )


def _line(anchor: Anchor) -> str:
    return anchor.to_line(key_ring())


def test_an_anchor_recording_an_earlier_event_than_the_line_before_is_out_of_order(events):
    keys = key_ring()
    at = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    later = Anchor(last_id=5, last_hash=events[4].hash, count=5, at=at, key_id=keys.current_id)
    earlier = Anchor(last_id=3, last_hash=events[2].hash, count=3, at=at, key_id=keys.current_id)
    folder = settings.AUDIT_ANCHOR_DIR
    path = anchors.append(folder, later, keys)
    with path.open("a") as handle:
        handle.write(_line(earlier))  # signed with the key, so only the order gives it away
    reading = anchors.read(folder, keys)
    assert reading.problems == [
        f"{path}, line 2: records event 3, before event 5 of line 1 (out of order)"
    ]
    assert (reading.latest.last_id, reading.latest.line) == (5, 1)
    result = verify_chain()
    assert not result.ok and result.anchor_problems == tuple(reading.problems)


def test_an_anchor_naming_a_key_not_in_the_folder_is_a_problem_not_a_warning(events):
    keys = key_ring()
    anchor_chain()
    path = next(settings.AUDIT_ANCHOR_DIR.glob("anchors-*.jsonl"))
    line = json.loads(path.read_text())
    line["key_id"] = "0123456789abcdef"
    with path.open("a") as handle:
        handle.write(json.dumps(line) + "\n")
    reading = anchors.read(settings.AUDIT_ANCHOR_DIR, keys)
    assert reading.problems == [
        f"{path}, line 2: signed with audit key '0123456789abcdef', which is not in the keys "
        "folder (restore it, or the anchor was forged)"
    ]
    assert reading.warnings == []
    done = anchor_chain()
    assert not done.written
    assert done.problem == f"the anchor store was tampered with: {reading.problems[0]}"


@pytest.mark.parametrize("line", [0, 3])
def test_an_anchor_describes_when_it_was_made_in_utc_and_where_it_was_read(line, tmp_path):
    # 1 July: London is an hour ahead of UTC (TIME_ZONE is Europe/London).
    at = datetime(2026, 7, 1, 12, 30, 5, tzinfo=UTC)
    anchor = Anchor(
        last_id=12345, last_hash="a" * 64, count=12345, at=at, key_id="0a0b0c0d",
        path=tmp_path / "anchors-2026-07.jsonl", line=line,
    )  # fmt: skip
    where = f" ({tmp_path / 'anchors-2026-07.jsonl'}, line 3)" if line else ""
    assert anchor.describe() == f"the anchor made 2026-07-01 12:30:05 UTC at event 12,345{where}"


def test_the_first_break_is_named_not_a_later_one_in_the_same_batch(events):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id = 3")  # row 4 no longer links to the row before
    raw("UPDATE audit_event SET reason = 'nothing to see' WHERE id = 5")  # and row 5 is altered
    result = verify_chain()
    assert result.problem == (
        "row 4: previous_hash does not match row 2 (a row before it was deleted or inserted)"
    )
    assert result.events == 2
