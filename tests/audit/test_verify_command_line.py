"""`earlyhelp audit verify` as an operator runs it: exit 0 when intact, 1 naming the row."""

import sqlite3

from tests.cli import earlyhelp

WRITE_EVENTS = (
    "from earlyhelp.audit.log import record\n"
    "for _ in range(3): record(action='sign_in', actor_username='worker')\n"
)


def test_verify_exits_0_then_1_naming_the_row_after_a_raw_update(tmp_path):
    path = tmp_path / "earlyhelp.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{path}", "EARLYHELP_KEYS_DIR": str(tmp_path / "keys")}
    assert earlyhelp("keys", "init", **env).returncode == 0
    assert earlyhelp("migrate", "--no-input", "-v0", **env).returncode == 0
    assert earlyhelp("shell", "-c", WRITE_EVENTS, **env).returncode == 0

    intact = earlyhelp("audit", "verify", **env)
    assert intact.returncode == 0, intact.stderr
    assert "Audit trail intact: 3 events verified" in intact.stdout

    with sqlite3.connect(path) as database:
        database.execute("DROP TRIGGER audit_event_no_update")  # tampering as a DBA could
        database.execute("UPDATE audit_event SET actor_username = 'someone' WHERE id = 2")
    altered = earlyhelp("audit", "verify", **env)
    assert altered.returncode == 1
    assert "row 2: hash does not match its contents (altered" in altered.stderr


def test_anchor_from_cron_then_verify_finds_the_last_rows_cut_and_the_head_reset(tmp_path):
    path = tmp_path / "earlyhelp.sqlite3"
    anchors = tmp_path / "anchors"
    env = {
        "DATABASE_URL": f"sqlite:///{path}",
        "EARLYHELP_KEYS_DIR": str(tmp_path / "keys"),
        "EARLYHELP_AUDIT_ANCHOR_DIR": str(anchors),
    }
    assert earlyhelp("keys", "init", **env).returncode == 0
    assert earlyhelp("migrate", "--no-input", "-v0", **env).returncode == 0
    assert earlyhelp("shell", "-c", WRITE_EVENTS, **env).returncode == 0
    anchored = earlyhelp("audit", "anchor", **env)
    assert anchored.returncode == 0, anchored.stderr
    assert "Anchored event 3 in " in anchored.stdout
    [anchor_file] = anchors.glob("anchors-*.jsonl")
    assert anchor_file.stat().st_mode & 0o077 == 0
    assert "Nothing to anchor" in earlyhelp("audit", "anchor", **env).stdout

    with sqlite3.connect(path) as database:
        database.execute("DROP TRIGGER audit_event_no_delete")
        database.execute("DELETE FROM audit_event WHERE id = 3")
        last_hash = database.execute("SELECT hash FROM audit_event WHERE id = 2").fetchone()[0]
        database.execute("UPDATE audit_chainhead SET last_id = 2, last_hash = ?", [last_hash])
    cut = earlyhelp("audit", "verify", **env)
    assert cut.returncode == 1
    assert "row 3: missing; the anchor made " in cut.stderr
    assert f"({anchor_file}, line 1) records 3 events" in cut.stderr
    assert "the table ends at row 2 (the last rows were deleted)" in cut.stderr
