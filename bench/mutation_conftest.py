"""Root conftest of the copy that `make mutation` mutates (bench/mutation.py puts it there).

Never loaded by `make test`. Each pytest session that mutmut starts would otherwise build
its test database by running every migration (seconds each time, for every mutant). Here
each session instead copies a database that `earlyhelp migrate --run-syncdb` built once,
before the run, into a file of its own, and pytest-django keeps it (`--reuse-db`): the
same tables and rows a fresh test database has, private to the process.

While mutmut collects which tests reach which function, the URL patterns are loaded before
the first test, and what that ran (the guards that wrap views as they are imported, the
apps' start-up) counts as reached by every test: it shapes every request, though no test
calls it.

It also registers the Hypothesis profile the runs use: the same examples in every run and
for every mutant (derandomize, no example database carried from one mutant to the next), and
no deadline or too-slow health check, which a loaded machine would fail and so count as kills.
"""

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "mutation",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TEMPLATE = os.environ.get("EARLYHELP_MUTATION_DB_TEMPLATE", "")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    if not TEMPLATE:
        yield
        return
    from django.conf import settings

    target = Path(TEMPLATE).with_name(f"session-{os.getpid()}.sqlite3")
    shutil.copyfile(TEMPLATE, target)
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(target)
    yield
    for suffix in ("", "-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)


def _collecting_stats() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


_RUN_AT_LOAD: set[str] = set()


def pytest_collection_finish(session):
    if not _collecting_stats():
        return
    from django.urls import get_resolver
    from mutmut.state import state

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    _RUN_AT_LOAD.update(state()._stats)


def pytest_runtest_setup(item):
    if _RUN_AT_LOAD:
        from mutmut.state import state

        state()._stats.update(_RUN_AT_LOAD)
