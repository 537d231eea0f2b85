"""The chain's canonical forms, worked out by hand: the timestamp text of a row, the plain
SHA-256 of events from before the key (key id ""), and the HMAC under the event's own key.

The expected bytes are written out here from chain.py's documentation; the expected hashes
are computed with hashlib and hmac from those bytes and the key files.
"""

import hashlib
import hmac
from datetime import datetime

import pytest

from earlyhelp.audit.chain import canonical, event_hash
from earlyhelp.audit.keys import rotate_audit_key

CANONICAL_AT = "2026-11-25T10:00:00.000000+00:00"
PREVIOUS = "0" * 64


def values_at(at) -> list:
    """One value per hashed column, in the documented order, with `at` as given."""
    return [1, at, None, "", "view", "", "", [], None, "", "", "", False, {}, PREVIOUS]


def keyed_text(at_text: str) -> bytes:
    """The keyed canonical form of values_at(): a compact JSON array, by hand."""
    return (
        '[1,"' + at_text + '",null,"","view","","",[],null,"","","",false,{},"' + PREVIOUS + '"]'
    ).encode("ascii")


UNKEYED_TEXT = (
    b'{"action":"view","actor_id":null,"actor_username":"",'
    b'"at":"2026-11-25T10:00:00.000000+00:00","categories":[],"details":{},'
    b'"flagged":false,"id":1,"ip_address":null,"previous_hash":"' + b"0" * 64 + b'",'
    b'"purpose":"","reason":"","record_id":"","record_type":"","rule":""}'
)


@pytest.mark.parametrize(
    ("given", "text"),
    [
        (datetime(2026, 11, 25, 10, 0, 0), CANONICAL_AT),
        (datetime(2026, 11, 25, 10, 0, 0, 7), "2026-11-25T10:00:00.000007+00:00"),
        ("2026-11-25T10:00:00+00:00", CANONICAL_AT),
        ("2026-11-25t10:00:00.000000+00:00", CANONICAL_AT),
        ("2026-11-25 11:30:00.5+01:30", "2026-11-25T10:00:00.500000+00:00"),
    ],
    ids=["naive", "naive-microsecond", "no-fraction", "lower-case-t", "offset"],
)
def test_a_time_not_in_the_canonical_text_is_written_as_utc_to_the_microsecond(given, text):
    # SQLite gives naive UTC datetimes back; texts in any other shape are read first.
    assert canonical(values_at(given)) == keyed_text(text)


def test_a_text_already_in_the_canonical_shape_is_hashed_as_it_stands_not_read_again():
    # 32 characters, "T" at index 10, ending "+00:00": taken as verify's own UTC text.
    # A comma before the fraction would read as the same time, so re-reading would show.
    as_stored = "2026-11-25T10:00:00,000000+00:00"
    assert len(as_stored) == 32
    assert canonical(values_at(as_stored)) == keyed_text(as_stored)
    assert canonical(values_at(CANONICAL_AT)) == keyed_text(CANONICAL_AT)


@pytest.mark.parametrize(
    ("count", "message"),
    [(14, "14 values for 15 hashed columns"), (16, "16 values for 15 hashed columns")],
)
def test_a_wrong_number_of_values_is_refused_saying_how_many_were_given(count, message):
    values = [*values_at(CANONICAL_AT), "extra"][:count]
    with pytest.raises(ValueError) as refused:
        canonical(values)
    assert str(refused.value) == message


def test_key_id_empty_gives_the_plain_sha256_of_the_unkeyed_form():
    expected = hashlib.sha256(UNKEYED_TEXT).hexdigest()
    assert event_hash(values_at(CANONICAL_AT), "") == expected


def test_an_event_is_signed_with_its_own_key_id_not_the_current_key(own_audit_keys):
    old_id, new_id = rotate_audit_key(own_audit_keys)
    folder = own_audit_keys / "audit-keys"
    keys = {
        key_id: bytes.fromhex((folder / key_id).read_text().strip()) for key_id in (old_id, new_id)
    }
    text = keyed_text(CANONICAL_AT)
    for key_id, key in keys.items():
        expected = hmac.new(key, text, hashlib.sha256).hexdigest()
        assert event_hash(values_at(CANONICAL_AT), key_id) == expected
    assert keys[old_id] != keys[new_id]
