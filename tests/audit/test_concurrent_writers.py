"""Writers at the same moment queue on the chain head: the chain never forks."""

import os
import subprocess
import threading

import pytest
from django.db import connection

from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.verify import verify_chain
from tests.cli import EARLYHELP, earlyhelp

WRITERS = 4
EVENTS_EACH = 25


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite's in-memory test database is one connection"
)
def test_concurrent_writers_do_not_fork_the_chain():
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for _ in range(EVENTS_EACH):
                record(action="view")
        except BaseException as error:  # reported by the test below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert ids == list(range(1, WRITERS * EVENTS_EACH + 1))
    result = verify_chain()
    assert result.ok, result.problem


WRITE = "from earlyhelp.audit.log import record\nfor _ in range(50): record(action='view')\n"


def test_concurrent_processes_on_sqlite_do_not_fork_the_chain(tmp_path):
    # SQLite serialises writers with the lock its IMMEDIATE transactions take at BEGIN.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EARLYHELP_", "DATABASE_URL"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'earlyhelp.sqlite3'}",
        EARLYHELP_KEYS_DIR=str(tmp_path / "keys"),
        DJANGO_SETTINGS_MODULE="earlyhelp.settings",
    )
    assert earlyhelp("keys", "init", **env).returncode == 0
    assert earlyhelp("migrate", "--no-input", "-v0", **env).returncode == 0
    writers = [
        subprocess.Popen([EARLYHELP, "shell", "-c", WRITE], env=env, stderr=subprocess.PIPE)
        for _ in range(WRITERS)
    ]
    errors = [writer.communicate(timeout=120)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0] * WRITERS, errors
    verified = earlyhelp("audit", "verify", **env)
    assert verified.returncode == 0, verified.stderr
    assert f"{WRITERS * 50:,} events verified" in verified.stdout
