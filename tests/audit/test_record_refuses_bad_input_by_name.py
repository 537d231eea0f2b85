"""record() refuses bad input with a message naming the field and the rule, keeps what is
exactly at each limit, takes the address the proxy added, and stores details as sorted JSON.

Messages and limits are written out here by hand, as the operator would read them.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.log import ChainBroken, record
from earlyhelp.audit.models import AuditChainHead, AuditEvent
from tests.audit.conftest import PERSON_ID

BEHIND_PROXY = ("HTTP_X_FORWARDED_PROTO", "https")


def refused(message: str, **kwargs) -> None:
    """record(**kwargs) raises ValueError with exactly `message`, and nothing is written."""
    with pytest.raises(ValueError) as error:
        record(**kwargs)
    assert str(error.value) == message
    assert not AuditEvent.objects.exists()


def stored(event: AuditEvent) -> AuditEvent:
    return AuditEvent.objects.get(pk=event.pk)


# The client address.


def test_behind_the_proxy_without_a_forwarded_header_the_peer_address_is_used(rf, db, settings):
    settings.SECURE_PROXY_SSL_HEADER = BEHIND_PROXY
    request = rf.get("/", REMOTE_ADDR="192.0.2.10")
    assert "HTTP_X_FORWARDED_FOR" not in request.META
    assert record(request, action="view").ip_address == "192.0.2.10"


def test_behind_the_proxy_a_single_forwarded_entry_is_the_address(rf, db, settings):
    settings.SECURE_PROXY_SSL_HEADER = BEHIND_PROXY
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert record(request, action="view").ip_address == "203.0.113.9"


def test_behind_the_proxy_the_last_of_several_comma_separated_entries_is_the_address(
    rf, db, settings
):
    settings.SECURE_PROXY_SSL_HEADER = BEHIND_PROXY
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1,198.51.100.2,203.0.113.9"
    )
    assert stored(record(request, action="view")).ip_address == "203.0.113.9"


# The fields and their limits, each refused naming the field.


def test_an_unknown_action_is_refused_listing_every_action_in_order(db):
    refused(
        "action: 'peek' is not one of allocate, break_glass, change, create, delete, export, "
        "merge, print, restrict, search, share, sign_in, sign_in_failed, sign_out, "
        "undo_merge, view",
        action="peek",
    )


def test_a_record_type_of_40_characters_is_kept_and_41_are_refused_naming_the_field(db):
    refused(
        f"record_type: {'a' * 41!r} is not a lower-case kind of record",
        action="view",
        record_type="a" * 41,
    )
    assert stored(record(action="view", record_type="a" * 40)).record_type == "a" * 40


def test_a_reason_of_exactly_the_limit_is_kept_and_one_more_character_is_refused(db):
    refused("reason: 2001 characters; at most 2000", action="view", reason="r" * 2001)
    assert stored(record(action="view", reason="r" * 2000)).reason == "r" * 2000


def test_a_rule_of_100_characters_is_kept_and_101_are_refused_naming_the_field(db):
    refused("rule: 101 characters; at most 100", action="view", rule="x" * 101)
    assert stored(record(action="view", rule="x" * 100)).rule == "x" * 100


def test_an_event_recorded_without_a_rule_stores_an_empty_rule(db):
    assert stored(record(action="view")).rule == ""


def test_a_username_without_an_account_is_cut_to_150_characters(db):
    event = record(action="sign_in_failed", actor_username="u" * 151)
    assert event.actor_username == "u" * 150
    assert stored(event).actor_username == "u" * 150


@pytest.mark.parametrize(("record_id", "kind"), [("Amira Haddad", "str"), (12345, "int")])
def test_a_record_id_that_is_not_a_uuid_is_refused_naming_its_type_never_its_value(
    db, record_id, kind
):
    refused(
        "record_id must be the record's public UUID (or empty), never a name or other "
        f"identifying value; got a {kind} that is not a UUID",
        action="view",
        record_type="person",
        record_id=record_id,
    )


def test_every_unknown_category_is_named_in_order_separated_by_commas(db):
    refused(
        "categories: bank-statements, passport-scans not data categories of the policy",
        action="view",
        categories=["passport-scans", "identity-and-contact", "bank-statements"],
    )


# details: plain JSON, sorted, small, whole numbers; a search's holds no search terms.


def test_details_are_kept_with_their_keys_sorted(db):
    event = record(action="export", details={"c": 3, "a": {"z": 1, "y": 2}, "b": 2})
    assert list(event.details) == ["a", "b", "c"]
    assert list(event.details["a"]) == ["y", "z"]
    # Keys of one length: PostgreSQL's jsonb sorts them so too, SQLite keeps the text.
    assert list(stored(event).details) == ["a", "b", "c"]


@pytest.mark.parametrize("number", [float("nan"), float("inf")], ids=["nan", "infinity"])
def test_not_a_number_and_infinity_in_details_are_refused_as_not_plain_json(db, number):
    with pytest.raises(ValueError) as error:
        record(action="export", details={"share": number})
    assert str(error.value).startswith(
        "details: must be plain JSON (Out of range float values are not JSON compliant"
    )
    assert not AuditEvent.objects.exists()


def test_a_value_json_cannot_hold_is_refused_naming_why(db):
    refused(
        "details: must be plain JSON (Object of type set is not JSON serializable)",
        action="export",
        details={"ids": {1, 2}},
    )


def test_details_of_exactly_8192_bytes_are_kept_and_8193_are_refused_giving_the_size(db):
    # '{"note": "' is 10 characters and '"}' 2, so a note of n characters gives n + 12.
    refused("details: 8193 bytes; at most 8192", action="export", details={"note": "n" * 8181})
    event = record(action="export", details={"note": "n" * 8180})
    assert stored(event).details == {"note": "n" * 8180}


def test_a_decimal_number_inside_a_list_in_details_is_refused(db):
    refused(
        "details: no decimal numbers (store whole numbers or text)",
        action="export",
        details={"shares": [1, [2, 0.5]]},
    )


def test_search_terms_in_a_search_event_are_refused_naming_the_key(db):
    refused(
        "details['query']: a search event holds only counts and record ids, never the search terms",
        action="search",
        record_type="search",
        details={"results": 1, "query": "Amira Haddad"},
    )


# The chain head and the key.


def test_once_the_chain_head_exists_recording_never_tries_to_make_it_again(events):
    with CaptureQueriesContext(connection) as queries:
        record(action="view", record_type="person", record_id=PERSON_ID)
    assert [q["sql"] for q in queries if 'INSERT INTO "audit_chainhead"' in q["sql"]] == []
    assert AuditChainHead.objects.get().last_id == 6


def test_a_missing_chain_head_with_events_stops_recording_saying_what_to_run(events):
    AuditChainHead.objects.all().delete()
    with pytest.raises(ChainBroken) as broken:
        record(action="view", record_type="person", record_id=PERSON_ID)
    assert str(broken.value) == (
        "the audit chain head is missing although audit events exist; "
        "run `earlyhelp audit verify` and restore it before recording more"
    )
    assert AuditEvent.objects.count() == 5
    assert not AuditChainHead.objects.exists()
