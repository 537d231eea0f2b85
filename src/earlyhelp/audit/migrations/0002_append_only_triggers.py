"""Triggers that refuse to change or delete audit events, whoever asks.

PostgreSQL: any UPDATE or DELETE of audit_event raises. TRUNCATE is left to privileges:
Django's flush (run between transactional tests, and by `earlyhelp flush`) empties every
table with one TRUNCATE, which a BEFORE TRUNCATE trigger would make fail. In production
the application's role is granted only SELECT and INSERT on audit_event; a truncated
table is still reported by `earlyhelp audit verify` through the chain head.

SQLite: any UPDATE raises, and so does a DELETE of any row but the oldest. SQLite's
flush empties a table with DELETE, row by row from the oldest, so that one order is let
through; verify reports rows removed from the front, as the chain then does not start
with the genesis hash.
"""

from django.db import migrations

POSTGRESQL_UP = [
    """
    CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'raise_exception';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
    """,
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
]
SQLITE_UP = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused on audit_event');
    END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    WHEN OLD.id <> (SELECT MIN(id) FROM audit_event)
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused on audit_event');
    END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
STATEMENTS = {
    "postgresql": (POSTGRESQL_UP, POSTGRESQL_DOWN),
    "sqlite": (SQLITE_UP, SQLITE_DOWN),
}


def add_triggers(apps, schema_editor):
    up, _ = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for statement in up:
        schema_editor.execute(statement, params=None)


def remove_triggers(apps, schema_editor):
    _, down = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for statement in down:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(add_triggers, remove_triggers)]
