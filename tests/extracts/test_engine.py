"""The transformation engine: each rule of the policy as a column expression."""

import hashlib
import hmac
from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.extracts.engine import (
    ColumnRule,
    age_on,
    postcode_district,
    problems,
    pseudonym,
    rules_for_fields,
    transform,
)
from earlyhelp.people import identifiers
from earlyhelp.policy.loader import load_policy
from earlyhelp.policy.schema import ProjectField

KEY = "0f" * 32
ON = date(2026, 11, 25)
LIIA = load_policy("policies/camden.toml").project("liia")


def _liia(rows: dict) -> pl.DataFrame:
    return transform(
        pl.DataFrame(rows).lazy(), rules_for_fields(LIIA.fields), key=KEY, on_date=ON
    ).collect()


def test_notice_example_tim_smith_leaves_as_a_pseudonym_the_month_and_the_district():
    out = _liia(
        {
            "name": ["Tim Smith"],
            "person-reference": ["TS-0001"],
            "date-of-birth": [date(2000, 1, 17)],
            "postcode": ["SW14 2JU"],
        }
    )
    assert out.columns == ["person-reference", "date-of-birth", "postcode"]
    row = out.row(0, named=True)
    assert row["date-of-birth"] == "2000-01"
    assert row["postcode"] == "SW14"
    int(row["person-reference"], 16)  # a hex pseudonym
    assert len(row["person-reference"]) == LIIA.fields[1].pseudonym_hex_digits
    assert "Tim" not in str(out.to_dicts()) and "Smith" not in str(out.to_dicts())


def test_pseudonym_is_hmac_sha256_under_the_key_of_the_normalised_identifier():
    out = pl.select(pseudonym(pl.lit(" 943 476 5919 "), KEY, 64)).item()
    assert out == hmac.new(KEY.encode(), b"9434765919", hashlib.sha256).hexdigest()
    # Without the key, hashing the NHS number does not give the ID.
    assert out != hashlib.sha256(b"9434765919").hexdigest()


def test_same_identifier_gets_the_same_id_and_another_key_gives_another():
    ids = pl.DataFrame({"id": ["ab 12", "AB12", "ab12"]}).select(pseudonym(pl.col("id"), KEY, 16))
    assert ids["id"].n_unique() == 1
    other = pl.select(pseudonym(pl.lit("AB12"), "1e" * 32, 16)).item()
    assert other != ids["id"][0]


def test_empty_identifier_has_no_pseudonym():
    ids = pl.DataFrame({"id": ["", None, "  "]}).select(pseudonym(pl.col("id"), KEY, 16))
    assert ids["id"].to_list() == [None, None, None]


def test_postcode_is_cut_to_the_district_not_the_sector():
    out = _liia(
        {
            "person-reference": ["a", "b", "c", "d"],
            "date-of-birth": [date(2010, 1, 1)] * 4,
            "postcode": ["SW14 2JU", "nw51tl", "EC1A 1BB", "gir 0aa"],
        }
    )
    assert out["postcode"].to_list() == ["SW14", "NW5", "EC1A", "GIR"]


AGE_BAND = ProjectField(
    name="age", category="identity-and-contact", rule="age_band", age_bands=[0, 5, 11, 16]
)


def test_age_band_is_the_band_of_the_age_on_the_extract_date():
    born = [date(2026, 11, 25), date(2021, 11, 26), date(2021, 11, 25), date(2010, 11, 25)]
    out = transform(
        pl.DataFrame({"age": born}).lazy(),
        [ColumnRule("age", "age_band", AGE_BAND)],
        key=KEY,
        on_date=ON,
    ).collect()
    assert out["age"].to_list() == ["0-4", "0-4", "5-10", "16+"]


@given(born=st.dates(date(1900, 1, 1), ON), on=st.dates(ON, date(2100, 12, 31)))
def test_age_is_counted_as_birthdays_count_it(born: date, on: date):
    expected = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    assert pl.select(age_on(pl.lit(born), on)).item() == expected


def test_unreadable_dates_and_postcodes_are_found_by_row_without_their_values():
    frame = pl.DataFrame(
        {
            "person-reference": ["a", "b", "c", "d"],
            "date-of-birth": ["2000-01-17", "2000-02-30", "", "17/01/2000"],
            "postcode": ["SW14 2JU", "SW14", None, "NOT A CODE"],
        }
    ).lazy()
    found = {p.column: p for p in problems(frame, rules_for_fields(LIIA.fields), on_date=ON)}
    assert found["date-of-birth"].rows == (2, 4)
    assert found["postcode"].rows == (2, 4)
    assert found["date-of-birth"].message() == "date-of-birth: not a date in data row 2, 4"
    assert "NOT A CODE" not in found["postcode"].message()


def test_a_birth_after_the_extract_date_has_no_age_band():
    frame = pl.DataFrame({"age": ["2027-01-01"]}).lazy()
    found = problems(frame, [ColumnRule("age", "age_band", AGE_BAND)], on_date=ON)
    assert found[0].rows == (1,)


@pytest.mark.parametrize("rule", ["keep", "drop"])
def test_keep_leaves_a_column_unchanged_and_drop_never_lets_it_leave(rule):
    out = transform(
        pl.DataFrame({"x": ["1"], "y": ["2"]}).lazy(),
        [ColumnRule("x", rule), ColumnRule("y", "keep")],
        key=KEY,
        on_date=ON,
    ).collect()
    assert out.columns == (["x", "y"] if rule == "keep" else ["y"])


@given(
    outward=st.from_regex(r"\A[A-PR-UWYZ][A-HK-Y]?[0-9]{1,2}\Z"),
    inward=st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z"),
    spaces=st.sampled_from(["", " ", "  "]),
    lower=st.booleans(),
)
def test_district_agrees_with_the_record_forms_postcode_rule(outward, inward, spaces, lower):
    text = f"{outward}{spaces}{inward}"
    text = text.lower() if lower else text
    expected = identifiers.postcode_district(text)
    assert pl.select(postcode_district(pl.lit(text))).item() == expected


@given(identifier=st.text(st.sampled_from("ab12 "), min_size=1, max_size=12))
def test_case_and_spacing_never_change_a_pseudonym(identifier):
    variant = f"  {identifier.upper().replace(' ', '')}  "
    ids = pl.select(a=pseudonym(pl.lit(identifier), KEY, 16), b=pseudonym(pl.lit(variant), KEY, 16))
    assert ids["a"][0] == ids["b"][0]
