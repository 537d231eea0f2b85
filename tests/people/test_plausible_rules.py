"""The plausibility rules themselves (earlyhelp.lib.plausible), on fixed days."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.lib.plausible import (
    ImplausibleValue,
    birth_date_bounds,
    birth_date_error,
    control_character_error,
    event_date_error,
    format_day,
    name_error,
    period_error,
    planned_date_error,
    require,
    text_length_error,
)

TODAY = date(2026, 11, 29)


def test_a_birth_in_the_year_14_is_refused_naming_the_field_and_the_range():
    assert birth_date_error(date(14, 4, 4), today=TODAY) == (
        "Date of birth must be between 1 January 1900 and today"
    )


@pytest.mark.parametrize("born", [date(1900, 1, 1), date(2014, 4, 4), TODAY])
def test_a_birth_from_1900_to_today_is_plausible(born):
    assert birth_date_error(born, today=TODAY) is None


def test_a_birth_tomorrow_or_in_1899_is_refused():
    assert birth_date_error(date(2026, 11, 30), today=TODAY) is not None
    assert birth_date_error(date(1899, 12, 31), today=TODAY) is not None


def test_birth_bounds_are_1900_and_today():
    assert birth_date_bounds(TODAY) == (date(1900, 1, 1), TODAY)


def test_an_event_before_the_person_was_born_is_refused_with_the_birth_date():
    message = event_date_error(
        date(2010, 1, 1), field="Date they moved in", today=TODAY, born=date(2014, 4, 4)
    )
    assert message == (
        "Date they moved in must be between their date of birth (4 April 2014) and today"
    )


def test_an_event_in_year_1_is_refused_when_no_birth_date_is_known():
    assert event_date_error(date(1, 1, 1), field="Start date", today=TODAY) == (
        "Start date must be between 1 January 1900 and today"
    )


def test_an_event_after_today_is_refused():
    assert event_date_error(date(2026, 11, 30), field="Date", today=TODAY) is not None


def test_a_planned_date_may_be_in_the_future_but_not_decades_ahead():
    assert planned_date_error(date(2027, 3, 1), field="Review date", today=TODAY) is None
    assert planned_date_error(date(2099, 1, 1), field="Review date", today=TODAY) == (
        "Review date must be between 1 January 1900 and 29 November 2031"
    )


def test_an_end_before_its_start_is_refused_naming_both():
    assert period_error(
        date(2024, 5, 1), date(2024, 4, 1), start_field="start date", end_field="End date"
    ) == ("End date must be the same as or after the start date (1 May 2024)")


def test_an_end_on_its_start_day_or_unknown_is_plausible():
    day = date(2024, 5, 1)
    assert period_error(day, day, start_field="start", end_field="End") is None
    assert period_error(day, None, start_field="start", end_field="End") is None
    assert period_error(None, day, start_field="start", end_field="End") is None


@pytest.mark.parametrize("name", ["123", "--", " ", "?!", "0"])
def test_a_name_without_a_letter_is_refused(name):
    assert name_error(name, field="First name") == "First name must include at least one letter"


@pytest.mark.parametrize("name", ["Zoë", "Nguyễn", "Ó Briain", "O'Neil-Smith", "李", "J"])
def test_a_name_with_a_letter_of_any_script_is_accepted(name):
    assert name_error(name, field="First name") is None


def test_text_longer_than_its_limit_is_refused_with_both_lengths():
    assert text_length_error("x" * 120_000, field="Summary", limit=10_000) == (
        "Summary must be 10,000 characters or fewer (it has 120,000)"
    )
    assert text_length_error("x" * 10_000, field="Summary", limit=10_000) is None


def test_require_raises_the_message_and_passes_none():
    require(None)
    with pytest.raises(ImplausibleValue, match="Date of birth must be between"):
        require(birth_date_error(date(14, 4, 4), today=TODAY))


def test_days_are_written_without_a_leading_zero():
    assert format_day(date(1900, 1, 1)) == "1 January 1900"


@given(st.text(alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=40))
def test_typed_text_with_line_breaks_and_tabs_has_no_control_character(text: str) -> None:
    assert control_character_error(f"{text}\r\n\t{text}", field="Reason") is None


@pytest.mark.parametrize("hidden", ["\x00", "\x1b[2J", "\u202e", "\x7f", "\u2066"])
def test_a_control_or_format_character_is_refused_naming_the_field(hidden: str) -> None:
    assert control_character_error(f"ref{hidden}123", field="Reference") == (
        "Reference must not contain control characters"
    )
