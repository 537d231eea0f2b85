import pytest
from django.db import connection
from django.test import RequestFactory

from earlyhelp.audit.log import record

PERSON_ID = "6f1b7a4e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"


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
