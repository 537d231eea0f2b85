"""The review queue shows each flagged event's latest review (by when it was made, then by
which came last), and a record's history lists that record's events only, with their actors
read in the same query."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditReview
from earlyhelp.audit.queries import events_for_record, flagged_events, review
from tests.audit.conftest import PERSON_ID

EARLIER = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def _glass(actor):
    return record(
        action="break_glass",
        record_type="person",
        record_id=PERSON_ID,
        reason="Police at the door asking about the children tonight",
        flagged=True,
        actor=actor,
    )


def test_the_latest_review_is_the_one_made_last_even_when_it_was_entered_first(db, make_user):
    worker, officer = make_user("worker"), make_user("officer")
    glass = _glass(worker)
    # Entered first, dated later (an officer's review typed in after a colleague's).
    AuditReview.objects.create(
        event=glass, reviewed_by=officer, reviewed_at=LATER, outcome="not_justified"
    )
    AuditReview.objects.create(
        event=glass, reviewed_by=officer, reviewed_at=EARLIER, outcome="more_information"
    )
    shown = flagged_events().get()
    assert (shown.reviewed_at, shown.review_outcome) == (LATER, "not_justified")


def test_of_two_reviews_made_at_the_same_moment_the_one_entered_last_is_the_latest(db, make_user):
    worker, officer, manager = make_user("worker"), make_user("officer"), make_user("manager")
    glass = _glass(worker)
    AuditReview.objects.create(
        event=glass, reviewed_by=officer, reviewed_at=LATER, outcome="more_information"
    )
    AuditReview.objects.create(
        event=glass, reviewed_by=manager, reviewed_at=LATER, outcome="justified"
    )
    shown = flagged_events().get()
    assert (shown.reviewed_by_id, shown.review_outcome) == (manager.pk, "justified")


def test_a_records_history_holds_only_events_about_that_kind_of_record(db, make_user):
    worker = make_user("worker")
    record(action="view", record_type="person", record_id=PERSON_ID, actor=worker)
    # Another kind of record that happens to have the same public id.
    record(action="view", record_type="case", record_id=PERSON_ID, actor=worker)
    assert [e.record_type for e in events_for_record("person", PERSON_ID)] == ["person"]


def test_a_records_history_reads_its_actors_in_the_same_query(db, make_user):
    for name in ("first", "second", "third"):
        record(action="view", record_type="person", record_id=PERSON_ID, actor=make_user(name))
    with CaptureQueriesContext(connection) as queries:
        names = [event.actor.username for event in events_for_record("person", PERSON_ID)]
    assert names == ["third", "second", "first"]
    assert len(queries) == 1


def test_a_review_without_a_note_stores_none_and_keeps_the_note_given(db, make_user):
    worker, officer = make_user("worker"), make_user("officer")
    first, second = _glass(worker), _glass(worker)
    assert review(first, reviewed_by=officer, outcome="justified").note == ""
    noted = review(second, reviewed_by=officer, outcome="justified", note="Police confirmed")
    assert AuditReview.objects.get(pk=noted.pk).note == "Police confirmed"


def test_a_review_with_an_outcome_not_offered_is_refused_listing_the_outcomes(db, make_user):
    glass = _glass(make_user("worker"))
    with pytest.raises(ValueError) as refused:
        review(glass, reviewed_by=make_user("officer"), outcome="fine")
    assert str(refused.value) == (
        "outcome: 'fine' is not one of justified, not_justified, more_information"
    )
    assert not AuditReview.objects.exists()


def test_the_review_queue_reads_its_actors_in_the_same_query(db, make_user):
    for name in ("first", "second"):
        _glass(make_user(name))
    with CaptureQueriesContext(connection) as queries:
        names = [event.actor.username for event in flagged_events()]
    assert names == ["second", "first"]
    assert len(queries) == 1
