"""A long trail's hashes are recomputed in shares side by side; the answer is the same.

verify_chain(shares=n) splits the hash checks into n ranges of ids and then follows the
links in one pass: whatever the tampering, it must name the same first row, with the same
words, as the one-pass walk (shares=1), which tests/audit/test_tamper.py and test_chain.py
check against hand-written expectations.
"""

import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from earlyhelp.audit import verify
from earlyhelp.audit.keys import key_ring
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditChainHead
from earlyhelp.audit.verify import PARALLEL_FROM_EVENTS, default_shares, share_bounds, verify_chain
from tests.audit.conftest import PERSON_ID, as_json, disable_append_only_triggers, raw
from tests.cli import earlyhelp
from tests.conftest import use_audit_keys

EVENTS = 40
SHARES = [2, 3, 7]


@pytest.fixture
def trail(db):
    for n in range(EVENTS):
        record(action="view", record_type="person", record_id=PERSON_ID, details={"n": n})


def same_answer_in_shares(expected_problem: str | None) -> None:
    one_pass = verify_chain(shares=1)
    assert one_pass.problem == expected_problem
    # Batches smaller than a share, and than the trail: the links are followed across them.
    for shares, batch_size in [(n, 10_000) for n in SHARES] + [(3, 7), (2, 1)]:
        result = verify_chain(shares=shares, batch_size=batch_size)
        assert (result.problem, result.events, result.unkeyed) == (
            one_pass.problem,
            one_pass.events,
            one_pass.unkeyed,
        ), (shares, batch_size)


@pytest.mark.parametrize(
    ("up_to", "shares", "bounds"),
    [
        (40, 3, [(0, 13), (13, 27), (27, 40)]),
        (40, 1, [(0, 40)]),
        (10, 4, [(0, 2), (2, 5), (5, 8), (8, 10)]),  # round half to even: 2.5 -> 2, 7.5 -> 8
        (2, 3, [(0, 1), (1, 1), (1, 2)]),
    ],
)
def test_shares_split_the_ids_into_adjacent_ranges_of_about_equal_size(up_to, shares, bounds):
    assert share_bounds(up_to, shares) == bounds


def test_an_untouched_trail_verifies_in_shares(trail):
    same_answer_in_shares(None)
    assert verify_chain(shares=3).events == EVENTS


@pytest.mark.parametrize("row", [1, 13, 14, 27, EVENTS])
def test_an_altered_row_is_named_in_shares(trail, row):
    disable_append_only_triggers()
    raw(f"UPDATE audit_event SET details = {as_json()} WHERE id = %s", ['{"n": -1}', row])  # noqa: S608
    same_answer_in_shares(
        f"row {row}: hash does not match its contents (altered, or written without the audit key)"
    )


@pytest.mark.parametrize("row", [2, 14, 20])
def test_a_deleted_row_is_named_in_shares(trail, row):
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id = %s", [row])
    same_answer_in_shares(
        f"row {row + 1}: previous_hash does not match row {row - 1} "
        "(a row before it was deleted or inserted)"
    )


def test_a_row_made_with_a_key_not_in_the_folder_is_named_in_shares(trail):
    disable_append_only_triggers()
    raw("UPDATE audit_event SET key_id = %s WHERE id = 21", ["f" * 16])
    same_answer_in_shares(
        "row 21: made with audit key 'ffffffffffffffff', which is not in the keys folder "
        "(restore it from the keys backup, or the row was forged)"
    )


def test_a_forged_key_id_is_quoted_only_as_far_as_its_first_16_characters(trail):
    if connection.vendor == "postgresql":
        pytest.skip("key_id is varchar(16) there: a longer id cannot be stored")
    disable_append_only_triggers()
    raw("UPDATE audit_event SET key_id = %s WHERE id = 5", ["0123456789abcdef" + "9" * 48])
    same_answer_in_shares(
        "row 5: made with audit key '0123456789abcdef', which is not in the keys folder "
        "(restore it from the keys backup, or the row was forged)"
    )


def test_the_first_of_two_problems_in_different_shares_is_named(trail):
    disable_append_only_triggers()
    raw(f"UPDATE audit_event SET details = {as_json()} WHERE id = 35", ['{"n": -1}'])  # noqa: S608
    raw("DELETE FROM audit_event WHERE id = 9")
    same_answer_in_shares(
        "row 10: previous_hash does not match row 8 (a row before it was deleted or inserted)"
    )


def test_the_chain_head_is_still_compared_after_shares(trail):
    AuditChainHead.objects.update(last_hash="e" * 64)
    same_answer_in_shares(
        f"row {EVENTS}: hash differs from the one the chain head records (the chain was rewritten)"
    )


WRITE = (
    "from earlyhelp.audit.log import record\n"
    "for n in range(300): record(action='view', details={'n': n})\n"
)


def test_verify_in_worker_processes_names_an_altered_row(tmp_path):
    # Worker processes need a database they can open: a file, as in production.
    database = tmp_path / "earlyhelp.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "EARLYHELP_KEYS_DIR": str(tmp_path / "keys"),
        "EARLYHELP_AUDIT_ANCHOR_DIR": str(tmp_path / "anchors"),
    }
    assert earlyhelp("keys", "init", **env).returncode == 0
    assert earlyhelp("migrate", "--no-input", "-v0", **env).returncode == 0
    assert earlyhelp("shell", "-c", WRITE, **env).returncode == 0
    intact = earlyhelp("audit", "verify", "--processes", "3", "--batch-size", "7", **env)
    assert intact.returncode == 0, intact.stderr
    assert "300 events verified" in intact.stdout
    with sqlite3.connect(database) as tamper:
        tamper.execute("DROP TRIGGER audit_event_no_update")
        tamper.execute("UPDATE audit_event SET details = '{\"n\": -1}' WHERE id = 250")
    broken = earlyhelp("audit", "verify", "--processes", "3", "--batch-size", "7", **env)
    assert broken.returncode == 1
    assert "row 250: hash does not match its contents" in broken.stderr


@pytest.mark.parametrize("processes", ["0", "65", "-2"])
def test_verify_refuses_a_number_of_processes_no_machine_has(trail, processes):
    with pytest.raises(CommandError, match="--processes must be between 1 and 64"):
        call_command("audit", "verify", "--processes", processes)


@pytest.mark.parametrize(
    ("cpus", "events", "shares"),
    [
        (4, PARALLEL_FROM_EVENTS - 1, 1),
        (4, PARALLEL_FROM_EVENTS, 4),
        (16, PARALLEL_FROM_EVENTS * 10, 8),
        (None, PARALLEL_FROM_EVENTS, 1),  # the CPU count unknown: one process
    ],
)
def test_a_long_trail_is_verified_in_one_share_a_cpu_up_to_eight(monkeypatch, cpus, events, shares):
    monkeypatch.setattr(verify.os, "cpu_count", lambda: cpus)
    assert default_shares(events) == shares


@pytest.mark.django_db(transaction=True)
def test_worker_processes_in_this_process_find_the_same_first_problem(own_audit_keys, monkeypatch):
    # Workers must open the database themselves: not SQLite in memory (make test's SQLite),
    # but a file (the mutation runs) or PostgreSQL (CI). No row is altered in place: the
    # append-only triggers stay, as later tests need them. Rows made with a key since
    # removed from the folder are the problem instead, in the first two shares of three.
    if verify._in_memory():
        pytest.skip("SQLite in memory: no other process can open it (see the command test)")
    for n in range(20):
        record(action="view", details={"n": n})
    old = key_ring().current_id
    call_command("audit", "rotate-key")
    for n in range(20):
        record(action="view", details={"n": n})
    (own_audit_keys / "audit-keys" / old).unlink()
    use_audit_keys(own_audit_keys)
    used = []
    real = verify.ProcessPoolExecutor

    def counted_pool(max_workers, mp_context):
        used.append((max_workers, mp_context.get_start_method()))
        return real(max_workers=max_workers, mp_context=mp_context)

    monkeypatch.setattr(verify, "ProcessPoolExecutor", counted_pool)
    result = verify_chain(shares=3, batch_size=7)
    assert used == [(3, "fork")]
    assert result.problem == (
        f"row 1: made with audit key '{old}', which is not in the keys folder (restore it "
        "from the keys backup, or the row was forged)"
    )
