"""A page that names many people records its looks in one append (log.record_many): one
hold of the chain lock, one insert, one head update; the events are chained exactly as if
recorded one by one, and a bad one stops all of them."""

from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.chain import HASHED_FIELDS, event_hash
from earlyhelp.audit.log import record, record_many
from earlyhelp.audit.models import AuditChainHead, AuditEvent
from earlyhelp.audit.verify import verify_chain
from tests.audit.conftest import PERSON_ID

OTHER_IDS = [f"6f1b7a4e-2c3d-4e5f-8a9b-0c1d2e3f4a{n:02d}" for n in range(20)]


def look_at(record_id: str, page: str = "work-list") -> dict:
    return {
        "action": "view",
        "record_type": "person",
        "record_id": record_id,
        "categories": ["identity-and-contact"],
        "rule": "access:allocation",
        "details": {"page": page},
    }


def test_a_batch_continues_the_chain_in_the_order_given_and_verifies(events):
    record_many(None, [look_at(record_id) for record_id in OTHER_IDS])
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.id for e in stored] == list(range(1, 26))
    assert [e.record_id for e in stored[5:]] == OTHER_IDS
    assert stored[5].previous_hash == events[-1].hash
    for before, after in pairwise(stored):
        assert after.previous_hash == before.hash
    for event in stored:
        assert event_hash([getattr(event, n) for n in HASHED_FIELDS], event.key_id) == event.hash
    head = AuditChainHead.objects.get()
    assert (head.last_id, head.last_hash) == (25, stored[-1].hash)
    result = verify_chain()
    assert result.ok, result.problem
    assert result.events == 25


def test_an_event_recorded_after_a_batch_follows_its_last(events):
    record_many(None, [look_at(OTHER_IDS[0]), look_at(OTHER_IDS[1])])
    after = record(action="view", record_type="person", record_id=PERSON_ID)
    assert after.id == 8
    assert after.previous_hash == AuditEvent.objects.get(id=7).hash


@pytest.mark.django_db
def test_twenty_looks_take_the_same_statements_as_one():
    record(action="view", record_type="person", record_id=PERSON_ID)  # the head exists
    with CaptureQueriesContext(connection) as one:
        record_many(None, [look_at(OTHER_IDS[0])])
    with CaptureQueriesContext(connection) as twenty:
        record_many(None, [look_at(record_id) for record_id in OTHER_IDS])
    assert len(twenty.captured_queries) == len(one.captured_queries)
    assert AuditEvent.objects.count() == 22


def test_one_bad_event_in_a_batch_writes_none_of_them(events):
    bad = look_at(OTHER_IDS[1]) | {"record_type": "Person!"}
    with pytest.raises(ValueError, match="record_type"):
        record_many(None, [look_at(OTHER_IDS[0]), bad, look_at(OTHER_IDS[2])])
    assert AuditEvent.objects.count() == 5
    assert AuditChainHead.objects.get().last_id == 5


def test_an_empty_batch_writes_nothing_and_leaves_the_head(events):
    record_many(None, [])
    assert AuditEvent.objects.count() == 5
    assert AuditChainHead.objects.get().last_hash == events[-1].hash


def test_each_event_of_a_batch_names_the_requests_actor_and_address(events, rf, make_user):
    worker = make_user("worker")
    request = rf.get("/", REMOTE_ADDR="192.0.2.44")
    request.user = worker
    record_many(request, [look_at(OTHER_IDS[0]), look_at(OTHER_IDS[1])])
    batch = list(AuditEvent.objects.filter(id__gt=5).order_by("id"))
    assert [(e.actor, e.actor_username, e.ip_address) for e in batch] == [
        (worker, "worker", "192.0.2.44"),
        (worker, "worker", "192.0.2.44"),
    ]
