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
    assert "row 2: hash does not match its contents (altered)" in altered.stderr
