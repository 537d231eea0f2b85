"""Someone who can write to the database, but cannot read the audit key, cannot hide a change.

Each test tampers with raw SQL as such a person could, dropping the append-only triggers
where the attack needs that. They know the canonical form (the code is public), so they
recompute hashes the best way open to them: plain SHA-256, or HMAC under a key of their
own. The cuts from the end of the trail need no hash at all; the anchor finds those.
"""

import hashlib
import hmac

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from earlyhelp.audit import anchors
from earlyhelp.audit.chain import HASHED_FIELDS, canonical, unkeyed_canonical
from earlyhelp.audit.keys import key_ring
from earlyhelp.audit.models import GENESIS, AuditChainHead, AuditEvent
from earlyhelp.audit.verify import anchor_chain, verify_chain
from tests.audit.conftest import PERSON_ID, disable_append_only_triggers, raw

ATTACKER_KEY = b"the attacker's own key: they cannot read the keys folder"
ATTACKS = ["plain SHA-256", "another key"]
ALTERED = "row {}: hash does not match its contents (altered, or written without the audit key)"


def forged_hash(event: AuditEvent, attack: str) -> str:
    values = [getattr(event, name) for name in HASHED_FIELDS]
    # The attacker knows both forms: an event made to look unkeyed gets the older one.
    data = unkeyed_canonical(values) if event.key_id == "" else canonical(values)
    if attack == "plain SHA-256":
        return hashlib.sha256(data).hexdigest()
    return hmac.new(ATTACKER_KEY, data, hashlib.sha256).hexdigest()


def rehash_from(first_id: int, attack: str) -> None:
    """Recompute every hash from `first_id` on, each linked to the one before, and the head."""
    previous = AuditEvent.objects.get(id=first_id - 1).hash if first_id > 1 else GENESIS
    for event in AuditEvent.objects.filter(id__gte=first_id).order_by("id"):
        event.previous_hash = previous
        previous = forged_hash(event, attack)
        raw(
            "UPDATE audit_event SET previous_hash = %s, hash = %s WHERE id = %s",
            [event.previous_hash, previous, event.id],
        )
        last_id = event.id
    raw("UPDATE audit_chainhead SET last_id = %s, last_hash = %s", [last_id, previous])


def assert_reported(problem: str) -> None:
    """verify_chain() names the problem, and `earlyhelp audit verify` exits 1 with it."""
    assert verify_chain().problem == problem
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1
    assert str(failure.value).startswith(problem)


def latest_anchor() -> anchors.Anchor:
    return anchors.read(settings.AUDIT_ANCHOR_DIR, key_ring()).latest


@pytest.mark.parametrize(
    ("attack", "key_id", "problem"),
    [
        ("plain SHA-256", "unkeyed", "row 6: not keyed (plain SHA-256) although rows before "
         "it are (forged)"),
        ("plain SHA-256", "current", ALTERED.format(6)),
        ("another key", "current", ALTERED.format(6)),
    ],
)  # fmt: skip
def test_a_forged_event_appended_with_the_head_moved_is_found_with_the_triggers_in_place(
    events, attack, key_id, problem
):
    event = AuditEvent(
        id=6,
        at=AuditEvent.objects.get(id=5).at,
        action="view",
        record_type="person",
        record_id=PERSON_ID,
        categories=[],
        details={},
        previous_hash=events[-1].hash,
        key_id="" if key_id == "unkeyed" else key_ring().current_id,
    )
    event.hash = forged_hash(event, attack)
    raw(
        "INSERT INTO audit_event (id, at, actor_username, action, record_type, record_id, "
        "categories, reason, purpose, rule, flagged, details, previous_hash, hash, key_id) "
        "VALUES (%s, %s, '', 'view', 'person', %s, '[]', '', '', '', %s, '{}', %s, %s, %s)",
        [6, event.at, PERSON_ID, False, event.previous_hash, event.hash, event.key_id],
    )
    raw("UPDATE audit_chainhead SET last_id = 6, last_hash = %s", [event.hash])
    assert_reported(problem)


@pytest.mark.parametrize("attack", ATTACKS)
def test_changing_the_last_row_and_the_head_is_found(events, attack):
    disable_append_only_triggers()
    raw("UPDATE audit_event SET reason = 'nothing to see' WHERE id = 5")
    rehash_from(5, attack)
    assert_reported(ALTERED.format(5))


@pytest.mark.parametrize("attack", ATTACKS)
def test_changing_a_middle_row_and_recomputing_every_row_after_it_is_found(events, attack):
    disable_append_only_triggers()
    raw("UPDATE audit_event SET actor_username = 'someone-else' WHERE id = 3")
    rehash_from(3, attack)
    assert AuditChainHead.objects.get().last_hash != events[-1].hash
    assert_reported(ALTERED.format(3))


@pytest.mark.parametrize("attack", ATTACKS)
def test_deleting_a_row_and_renumbering_the_rest_is_found(events, attack):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id = 3")
    for event_id in (4, 5):  # one at a time, upwards: each new id is free by then
        raw("UPDATE audit_event SET id = %s WHERE id = %s", [event_id - 1, event_id])
    rehash_from(3, attack)
    assert list(AuditEvent.objects.values_list("id", flat=True).order_by("id")) == [1, 2, 3, 4]
    assert_reported(ALTERED.format(3))


def test_cutting_the_last_rows_and_resetting_the_head_is_found_by_the_anchor(events):
    assert anchor_chain().written
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id >= 4")
    raw("UPDATE audit_chainhead SET last_id = 3, last_hash = %s", [events[2].hash])
    assert_reported(
        f"row 5: missing; {latest_anchor().describe()} records 5 events, but the table ends "
        "at row 3 (the last rows were deleted)"
    )


def test_deleting_every_event_and_the_head_is_found_by_the_anchor(events):
    assert anchor_chain().written
    disable_append_only_triggers()
    raw("DELETE FROM audit_event")
    raw("DELETE FROM audit_chainhead")
    assert_reported(
        f"row 5: missing; {latest_anchor().describe()} records 5 events, but the table ends "
        "at row 0 (the last rows were deleted)"
    )


def test_deleting_every_event_but_not_the_head_is_found_by_the_head(events):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event")
    assert_reported(
        "row 5: missing; the chain head records it as the last event but the table ends "
        "at row 0 (the last rows were deleted)"
    )


def test_a_row_made_to_name_another_key_is_found(events):
    disable_append_only_triggers()
    raw("UPDATE audit_event SET key_id = '00000000' WHERE id = 4")
    assert_reported(
        "row 4: made with audit key '00000000', which is not in the keys folder (restore it "
        "from the keys backup, or the row was forged)"
    )


def test_a_row_made_to_look_unkeyed_is_found(events):
    disable_append_only_triggers()
    event = AuditEvent.objects.get(id=4)
    event.key_id = ""
    raw(
        "UPDATE audit_event SET key_id = '', hash = %s WHERE id = 4",
        [forged_hash(event, "plain SHA-256")],
    )
    raw("UPDATE audit_chainhead SET unkeyed_until = 5")  # the head is writable too
    assert_reported("row 4: not keyed (plain SHA-256) although rows before it are (forged)")


@pytest.mark.parametrize("anchored", [False, True], ids=["no anchor", "anchored before"])
def test_rewriting_the_whole_trail_as_unkeyed_events_is_found(events, anchored):
    # As if every event predated the key: the head says so, but no anchor vouches for it.
    if anchored:
        anchor_chain()
    disable_append_only_triggers()
    raw("UPDATE audit_event SET key_id = '', reason = 'rewritten' WHERE id >= 1")
    rehash_from(1, "plain SHA-256")
    raw("UPDATE audit_chainhead SET unkeyed_until = 5")
    if anchored:
        assert_reported(
            f"row 5: hash differs from {latest_anchor().describe()} (the chain was rewritten)"
        )
    else:
        assert_reported(
            "row 1: not keyed (plain SHA-256), and no anchor vouches for it (forged; or "
            "written before the chain was keyed, and never anchored with `earlyhelp audit "
            "anchor --vouch-unkeyed`)"
        )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's rows-from-the-front rule")
def test_the_anchor_also_finds_the_oldest_rows_gone_when_every_row_was_deleted(events):
    # SQLite's trigger lets rows go oldest first (for flush), so this needs no DDL at all.
    anchor_chain()
    raw("DELETE FROM audit_event")
    raw("DELETE FROM audit_chainhead")
    assert verify_chain().problem.startswith("row 5: missing; the anchor made ")
