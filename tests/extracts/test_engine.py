"""The transformation engine: each rule of the policy as a column expression."""

import hashlib
import hmac
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import event, given
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


LEAP_DAYS = [date(year, 2, 29) for year in range(1904, 2025, 4)]


@st.composite
def births_and_days(draw) -> tuple[date, date]:
    """A birth date up to the extract date (29 February about a third of the time) and a
    later day: as often as not the day before, of or after a birthday."""
    born = draw(st.dates(date(1900, 1, 1), ON) | st.sampled_from(LEAP_DAYS))
    # In a year without 29 February, this counts on from 1 February to 1 March.
    near_birthday = st.integers(ON.year + 1, 2100).flatmap(
        lambda year: st.sampled_from(
            [date(year, born.month, 1) + timedelta(days=born.day - 1 + k) for k in (-1, 0, 1)]
        )
    )
    return born, draw(st.dates(ON, date(2100, 12, 31)) | near_birthday)


def _near_birthday(born: date, on: date) -> str:
    month_day = (born.month, born.day)
    if month_day == (2, 29) and (on.month, on.day) in ((2, 28), (3, 1)):
        return f"{on.day} {on:%B} for a 29 February birth"
    if (on.month, on.day) == month_day:
        return "on the birthday"
    if ((on + timedelta(days=1)).month, (on + timedelta(days=1)).day) == month_day:
        return "the day before the birthday"
    if ((on - timedelta(days=1)).month, (on - timedelta(days=1)).day) == month_day:
        return "the day after the birthday"
    return "no birthday within a day"


@given(births_and_days())
def test_age_is_counted_as_birthdays_count_it(born_and_on):
    born, on = born_and_on
    # A birthday is reached on the day whose month and day are the birth's; someone born on
    # 29 February is a year older on 1 March in a year without one, not on 28 February
    # (Family Law Reform Act 1969 s9: an age is attained at the start of the anniversary).
    before_birthday = (on.month, on.day) < (born.month, born.day)
    expected = on.year - born.year - before_birthday
    event(_near_birthday(born, on))
    event("born on 29 February" if (born.month, born.day) == (2, 29) else "born on another day")
    assert pl.select(age_on(pl.lit(born), on)).item() == expected


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2008, 2, 29), date(2033, 2, 28), 24),  # 2033 has no 29 February
        (date(2008, 2, 29), date(2033, 3, 1), 25),  # the 25th birthday is 1 March
        (date(2008, 2, 29), date(2032, 2, 29), 24),
        (date(2008, 2, 29), date(2032, 2, 28), 23),
        (date(2000, 1, 17), date(2025, 1, 16), 24),
        (date(2000, 1, 17), date(2025, 1, 17), 25),
        (date(2010, 12, 31), date(2026, 1, 1), 15),
    ],
    ids=str,
)
def test_age_on_a_day_near_a_birthday_worked_by_hand(born, on, age):
    assert pl.select(age_on(pl.lit(born), on)).item() == age


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


def _district(column: list[str | None]) -> list[str | None]:
    return (
        pl.DataFrame({"p": column}, schema={"p": pl.String})
        .select(postcode_district(pl.col("p")))["p"]
        .to_list()
    )


# Outward codes written by hand: the outward code is everything before the inward code, which
# is always the last three characters (a digit and two letters).
DISTRICTS = [
    ("NW5 3HS", "NW5"),
    ("EC1A 1BB", "EC1A"),
    ("W1A 0AX", "W1A"),
    ("SW1A2AA", "SW1A"),
    ("M1 1AE", "M1"),
    ("B33 8TH", "B33"),
    ("CR2 6XH", "CR2"),
    ("DN55 1PT", "DN55"),
    ("SW14 2JU", "SW14"),
    ("GIR 0AA", "GIR"),
    ("nw5 3hs", "NW5"),
    ("ec1a1bb", "EC1A"),
    ("  w1a   0ax  ", "W1A"),
    ("Sw1A 2aA", "SW1A"),
    ("m1\t1ae", "M1"),
    ("B 33 8TH", "B33"),
]


@pytest.mark.parametrize(("postcode", "district"), DISTRICTS, ids=repr)
def test_district_of_real_format_postcodes_worked_by_hand(postcode, district):
    assert _district([postcode]) == [district]


@pytest.mark.parametrize(
    "not_a_postcode",
    [
        "SW14",  # no inward code
        "QA1 1AA",  # Q is never a first letter
        "NW5 3HC",  # C is never in an inward code
        "NW5 HS3",  # the inward code starts with a digit
        "NOT A CODE",
        "",
        None,
    ],
    ids=repr,
)
def test_what_is_not_a_postcode_has_no_district_rather_than_a_cut_of_its_text(not_a_postcode):
    assert _district([not_a_postcode]) == [None]


# Royal Mail format, written out here: outward A9, A99, AA9, AA99, A9A or AA9A (first letter
# never Q V X, second never I J Z, third-position letter from ABCDEFGHJKPSTUW, fourth from
# ABEHMNPRVWXY); inward a digit and two letters, never C I K M O V.
FIRST = st.sampled_from("ABCDEFGHIJKLMNOPRSTUWYZ")
SECOND = st.sampled_from("ABCDEFGHKLMNOPQRSTUVWXY")
DIGIT = st.sampled_from("0123456789")
OUTWARD_SHAPES = {
    "A9": st.tuples(FIRST, DIGIT),
    "A99": st.tuples(FIRST, DIGIT, DIGIT),
    "AA9": st.tuples(FIRST, SECOND, DIGIT),
    "AA99": st.tuples(FIRST, SECOND, DIGIT, DIGIT),
    "A9A": st.tuples(FIRST, DIGIT, st.sampled_from("ABCDEFGHJKPSTUW")),
    "AA9A": st.tuples(FIRST, SECOND, DIGIT, st.sampled_from("ABEHMNPRVWXY")),
}
INWARD_LETTER = st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")


@st.composite
def written_postcodes(draw) -> str:
    """A valid postcode as someone might type it: any case, any spaces in and around it."""
    shape = draw(st.sampled_from(sorted(OUTWARD_SHAPES)))
    outward = "".join(draw(OUTWARD_SHAPES[shape]))
    inward = "".join(draw(st.tuples(DIGIT, INWARD_LETTER, INWARD_LETTER)))
    gap, before, after = (draw(st.sampled_from(["", " ", "  ", "\t"])) for _ in range(3))
    text = f"{before}{outward}{gap}{inward}{after}"
    cased = "".join(draw(st.sampled_from([c.upper(), c.lower()])) for c in text)
    event(f"outward {shape}")
    event("spaced" if gap else "written without a space")
    return cased


@given(written_postcodes())
def test_district_is_the_postcode_without_spaces_less_its_last_three_characters(postcode):
    # A second, simple implementation: strip all spaces, upper-case, drop the inward code.
    expected = "".join(postcode.split()).upper()[:-3]
    assert _district([postcode]) == [expected]


@given(identifier=st.text(st.sampled_from("ab12 "), min_size=1, max_size=12))
def test_case_and_spacing_never_change_a_pseudonym(identifier):
    variant = f"  {identifier.upper().replace(' ', '')}  "
    ids = pl.select(a=pseudonym(pl.lit(identifier), KEY, 16), b=pseudonym(pl.lit(variant), KEY, 16))
    assert ids["a"][0] == ids["b"][0]
