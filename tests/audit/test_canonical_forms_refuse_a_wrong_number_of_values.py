"""Both canonical forms are made from exactly one value per hashed column: a list one short
or one long is refused, never hashed as if the missing column were not there."""

import pytest

from earlyhelp.audit.chain import HASHED_FIELDS, canonical, unkeyed_canonical

VALUES = [1, "2026-11-25T10:00:00.000000+00:00", None, "", "view", "", "", [], None, "", "", "",
          False, {}, "0" * 64]  # fmt: skip


@pytest.mark.parametrize("form", [canonical, unkeyed_canonical], ids=["keyed", "unkeyed"])
@pytest.mark.parametrize("values", [VALUES[:-1], [*VALUES, "extra"]], ids=["short", "long"])
def test_a_wrong_number_of_values_is_refused(form, values):
    assert len(VALUES) == len(HASHED_FIELDS)
    with pytest.raises(ValueError):
        form(values)


def test_the_unkeyed_form_is_an_object_by_column_name_with_sorted_keys():
    # Worked out by hand from unkeyed_canonical's documentation.
    assert unkeyed_canonical(VALUES) == (
        b'{"action":"view","actor_id":null,"actor_username":"",'
        b'"at":"2026-11-25T10:00:00.000000+00:00","categories":[],"details":{},'
        b'"flagged":false,"id":1,"ip_address":null,"previous_hash":"' + b"0" * 64 + b'",'
        b'"purpose":"","reason":"","record_id":"","record_type":"","rule":""}'
    )
