"""Dates, counts and periods in words; every expected text written out by hand."""

from datetime import date

import pytest

from earlyhelp.lib.words import day_words, join_words, number_words, period_words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (date(2025, 3, 1), "1 March 2025"),
        (date(2024, 2, 29), "29 February 2024"),
        (date(2026, 12, 31), "31 December 2026"),
    ],
    ids=str,
)
def test_a_day_has_no_leading_zero_and_its_month_by_name(value: date, words: str) -> None:
    assert day_words(value) == words


@pytest.mark.parametrize(
    ("words", "last", "joined"),
    [
        ([], "and", ""),
        (["GPs"], "and", "GPs"),
        (["GPs", "schools"], "and", "GPs and schools"),
        (["GPs", "schools", "the police"], "and", "GPs, schools and the police"),
        (["a", "b", "c"], "or", "a, b or c"),
    ],
)
def test_words_are_listed_with_commas_and_the_last_joined_by_a_word(
    words: list[str], last: str, joined: str
) -> None:
    assert join_words(words, last) == joined


@pytest.mark.parametrize(
    ("count", "words"), [(1, "one"), (6, "six"), (12, "twelve"), (0, "0"), (13, "13"), (25, "25")]
)
def test_one_to_twelve_are_spelled_out_and_other_counts_are_figures(count: int, words: str) -> None:
    assert number_words(count) == words


@pytest.mark.parametrize(
    ("years", "months", "days", "figures", "prose"),
    [
        (25, 0, 0, "25 years", "25 years"),
        (6, 0, 0, "6 years", "six years"),
        (1, 0, 0, "1 year", "one year"),
        (0, 1, 0, "1 month", "one month"),
        (0, 18, 0, "18 months", "18 months"),
        (0, 0, 1, "1 day", "one day"),
        (1, 6, 2, "1 year and 6 months and 2 days", "one year, six months and two days"),
        (2, 0, 1, "2 years and 1 day", "two years and one day"),
        (0, 0, 0, "no time", "no time"),
    ],
)
def test_a_period_leaves_out_its_empty_parts_in_either_style(
    years: int, months: int, days: int, figures: str, prose: str
) -> None:
    assert period_words(years, months, days) == figures
    assert period_words(years, months, days, prose=True) == prose
