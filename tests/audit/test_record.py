"""What an event holds: who, from where, which record, which categories; never family data."""

import json

import pytest
from django.db import transaction

from earlyhelp.audit.log import record, record_search
from earlyhelp.audit.models import AuditChainHead, AuditEvent
from earlyhelp.audit.queries import events_for_record, flagged_events, review
from earlyhelp.audit.verify import verify_chain
from earlyhelp.people.search import PersonQuery, search_people
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.fields import classification_errors
from tests.audit.conftest import PERSON_ID


def row_text(event: AuditEvent) -> str:
    """Every column of the stored row, as text, to look for what must not be there."""
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    return json.dumps(row, default=str)


def test_actor_and_address_come_from_the_request(rf, make_user):
    user = make_user("worker")
    request = rf.get("/people/", REMOTE_ADDR="192.0.2.10")
    request.user = user
    event = record(request, action="view", record_type="person", record_id=PERSON_ID)
    event.refresh_from_db()
    assert (event.actor, event.actor_username, event.ip_address) == (user, "worker", "192.0.2.10")


def test_forwarded_address_is_ignored_unless_behind_the_proxy(rf, db, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    request = rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert record(request, action="view").ip_address == "192.0.2.10"


def test_behind_the_proxy_the_address_the_proxy_added_is_used(rf, db, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The client may send its own X-Forwarded-For; the proxy appends the real address.
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert record(request, action="view").ip_address == "203.0.113.9"


def test_ipv6_addresses_are_stored_so_that_their_hash_still_matches(rf, db):
    for address in ("2001:DB8:0:0::1", "::ffff:192.0.2.1"):
        record(rf.get("/", REMOTE_ADDR=address), action="view")
    assert list(AuditEvent.objects.values_list("ip_address", flat=True)) == [
        "2001:db8::1",
        "::ffff:192.0.2.1",
    ]
    assert verify_chain().ok


def test_search_event_stores_no_search_terms(rf, family):
    query = PersonQuery(name="Amira Haddad", postcode="NW5 3HS")
    matches = search_people(query)
    assert matches
    event = record_search(
        rf.get("/people/", {"name": "Amira Haddad", "postcode": "NW5 3HS"}),
        shown=[m.person.public_id for m in matches],
        categories=["identity-and-contact"],
    )
    assert event.details == {
        "results": len(matches),
        "shown": [str(m.person.public_id) for m in matches],
    }
    text = row_text(event)
    for term in ("Amira", "Haddad", "NW5", "3HS", "1990-05-01"):
        assert term not in text


def test_search_event_refuses_search_terms_in_details(db):
    with pytest.raises(ValueError, match="never the search terms"):
        record(action="search", record_type="search", details={"query": "Amira Haddad"})
    assert not AuditEvent.objects.exists()


def test_record_id_must_be_a_public_uuid_never_a_name(db):
    with pytest.raises(ValueError, match="record_id must be the record's public UUID"):
        record(action="view", record_type="person", record_id="Amira Haddad")


def test_record_type_must_be_a_kind_of_record_not_a_value(db):
    with pytest.raises(ValueError, match="record_type"):
        record(action="view", record_type="Haddad, Amira 01/05/1990")


def test_categories_must_be_data_categories_of_the_policy(db):
    with pytest.raises(ValueError, match="categories: passport-scans not data categories"):
        record(action="view", categories=["identity-and-contact", "passport-scans"])


def test_purpose_must_be_a_purpose_of_the_policy(db):
    purpose = active_policy().purposes[0].id
    assert record(action="view", purpose=purpose).purpose == purpose
    with pytest.raises(ValueError, match="purpose: 'curiosity' is not a purpose"):
        record(action="view", purpose="curiosity")


def test_unknown_action_is_refused(db):
    with pytest.raises(ValueError, match="action: 'peek' is not one of"):
        record(action="peek")


def test_decimal_numbers_in_details_are_refused(db):
    # A float need not come back from the database as the same text, so its hash would break.
    with pytest.raises(ValueError, match="no decimal numbers"):
        record(action="export", details={"share": 0.5})


def test_categories_are_stored_once_each_in_order(db):
    event = record(action="view", categories=["health", "identity-and-contact", "health"])
    assert event.categories == ["health", "identity-and-contact"]


def test_an_event_rolls_back_with_the_transaction_that_recorded_it(events):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(action="change", record_type="person", record_id=PERSON_ID)
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 5
    assert AuditChainHead.objects.get().last_id == 5
    assert record(action="view").id == 6  # no gap where the rolled-back event was
    assert verify_chain().ok


def test_who_has_seen_a_record_is_listed_newest_first(db, make_user):
    first, second = make_user("first"), make_user("second")
    other = "0b9d1c1e-0000-4000-8000-000000000002"
    record(action="view", record_type="person", record_id=PERSON_ID, actor=first)
    record(action="view", record_type="person", record_id=other, actor=first)
    record(action="change", record_type="person", record_id=PERSON_ID, actor=second)
    seen = events_for_record("person", PERSON_ID)
    assert [(e.actor_username, e.action) for e in seen] == [("second", "change"), ("first", "view")]


def test_break_glass_events_wait_in_the_review_queue_until_reviewed(db, make_user):
    worker, officer = make_user("worker"), make_user("officer")
    glass = record(
        action="break_glass",
        record_type="person",
        record_id=PERSON_ID,
        reason="Police at the door asking about the children tonight",
        flagged=True,
        actor=worker,
    )
    record(action="view", record_type="person", record_id=PERSON_ID, actor=worker)
    assert [e.pk for e in flagged_events()] == [glass.pk]
    assert flagged_events().get().reviewed_at is None

    review(glass, reviewed_by=officer, outcome="justified", note="Police request confirmed")

    assert list(flagged_events(unreviewed_only=True)) == []
    reviewed = flagged_events().get()
    assert (reviewed.reviewed_by_id, reviewed.review_outcome) == (officer.pk, "justified")
    assert reviewed.reviewed_at is not None
    assert verify_chain().ok  # the review sits beside the event; the event is unchanged


def test_only_flagged_events_are_reviewed(events, make_user):
    with pytest.raises(ValueError, match="is not flagged"):
        review(events[0], reviewed_by=make_user("officer"), outcome="justified")


def test_audit_models_declare_they_hold_no_family_data():
    from django.apps import apps

    models = list(apps.get_app_config("audit").get_models())
    assert models and all(model.family_data is False for model in models)
    assert classification_errors(active_policy(), models) == []
