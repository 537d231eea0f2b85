from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory

from earlyhelp.audit.keys import ensure_audit_key, key_ring
from earlyhelp.audit.log import record
from tests.conftest import use_audit_keys

PERSON_ID = "6f1b7a4e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"


def key_from_file(keys_dir: Path) -> bytes:
    """The current audit key, read from its files as an operator would find them."""
    folder = keys_dir / "audit-keys"
    key_id = (folder / "current").read_text().strip()
    return bytes.fromhex((folder / key_id).read_text().strip())


@pytest.fixture(autouse=True)
def anchor_dir(settings, tmp_path) -> Path:
    """Each test's own anchor folder: no test compares its trail with another's anchor."""
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    return settings.AUDIT_ANCHOR_DIR


@pytest.fixture
def own_audit_keys(settings, tmp_path, audit_key) -> Iterator[Path]:
    """A keys folder of the test's own, with an audit key, in use; the session's key after."""
    settings.KEYS_DIR = tmp_path / "keys"
    ensure_audit_key(settings.KEYS_DIR)
    use_audit_keys(settings.KEYS_DIR)
    yield settings.KEYS_DIR
    use_audit_keys(audit_key)


@pytest.fixture
def no_audit_key(settings, tmp_path, audit_key) -> Iterator[Path]:
    """A keys folder without an audit key, as the process would find it at start-up."""
    settings.KEYS_DIR = tmp_path / "empty-keys"
    key_ring.cache_clear()
    yield settings.KEYS_DIR
    use_audit_keys(audit_key)


def disable_append_only_triggers() -> None:
    """Take the triggers away so a test can tamper as someone with DDL rights could.

    The DDL runs inside the test's transaction, which rolls it back afterwards.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key checks: run those first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")


def raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def as_json(placeholder: str = "%s") -> str:
    """A JSON column's value in raw SQL: PostgreSQL's jsonb wants a cast from text."""
    return f"CAST({placeholder} AS jsonb)" if connection.vendor == "postgresql" else placeholder


@pytest.fixture
def events(db):
    """Five view events of one person, ids 1 to 5."""
    return [
        record(
            action="view",
            record_type="person",
            record_id=PERSON_ID,
            categories=["identity-and-contact"],
        )
        for _ in range(5)
    ]


@pytest.fixture
def rf():
    return RequestFactory()
