"""Nobody changes or removes an audit event: not the ORM, not raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from earlyhelp.audit.models import AppendOnlyError, AuditEvent
from tests.audit.conftest import raw


def test_orm_cannot_update_an_audit_event(events):
    event = AuditEvent.objects.get(id=2)
    event.reason = "changed my mind"
    with pytest.raises(AppendOnlyError, match="audit event 2 is append-only"):
        event.save()


def test_orm_cannot_delete_an_audit_event(events):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.get(id=2).delete()


def test_orm_cannot_update_or_delete_audit_events_in_bulk(events):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(id=2).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(id=2).delete()
    assert AuditEvent.objects.count() == 5


def test_saving_a_new_event_over_an_existing_id_fails_rather_than_overwriting(events):
    copy = AuditEvent.objects.get(id=2)
    copy._state.adding = True
    copy.reason = "overwritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        copy.save()
    assert AuditEvent.objects.get(id=2).reason == ""


def test_database_trigger_refuses_a_raw_update(events):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("UPDATE audit_event SET reason = 'changed' WHERE id = 2")
    assert AuditEvent.objects.get(id=2).reason == ""


@pytest.mark.parametrize("where", ["id = 3", "id = 5", "id >= 2"])
def test_database_trigger_refuses_a_raw_delete(events, where):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM audit_event WHERE {where}")  # noqa: S608 - fixed test values
    assert AuditEvent.objects.count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigger")
def test_postgresql_trigger_refuses_deleting_even_the_oldest_row(events):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_event WHERE id = 1")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's trigger")
def test_sqlite_lets_only_the_oldest_rows_go_which_verify_then_reports(events):
    # Django's flush empties tables row by row from the oldest on SQLite, so the
    # trigger allows that one order; the chain then no longer starts at genesis.
    from earlyhelp.audit.verify import verify_chain

    raw("DELETE FROM audit_event WHERE id = 1")
    assert verify_chain().problem.startswith("row 2: previous_hash does not match the start")
