"""Month steps and working days, with dates worked out by hand from a calendar.

2024 is a leap year (29 February); 2025 is not. 25 December 2025 is a Thursday, 26
December a Friday, 1 January 2026 a Thursday; 3 May 2025 is a Saturday.
"""

from datetime import date

import pytest

from earlyhelp.lib.dates import add_months, is_working_day, next_working_day


@pytest.mark.parametrize(
    ("start", "months", "short_month", "expected"),
    [
        (date(2025, 1, 15), 1, "last_day", date(2025, 2, 15)),
        # February 2025 has 28 days, February 2024 has 29.
        (date(2025, 1, 31), 1, "last_day", date(2025, 2, 28)),
        (date(2024, 1, 31), 1, "last_day", date(2024, 2, 29)),
        (date(2025, 1, 31), 1, "next_day", date(2025, 3, 1)),
        (date(2024, 1, 31), 1, "next_day", date(2024, 3, 1)),
        (date(2025, 3, 31), 1, "last_day", date(2025, 4, 30)),
        (date(2025, 3, 31), 1, "next_day", date(2025, 5, 1)),
        # Across the year end, and by whole years.
        (date(2025, 11, 30), 3, "last_day", date(2026, 2, 28)),
        (date(2024, 2, 29), 12, "last_day", date(2025, 2, 28)),
        (date(2024, 2, 29), 12, "next_day", date(2025, 3, 1)),
        (date(2024, 2, 29), 48, "last_day", date(2028, 2, 29)),
        (date(2000, 2, 29), 300, "next_day", date(2025, 3, 1)),
        # None, and backwards.
        (date(2025, 6, 10), 0, "last_day", date(2025, 6, 10)),
        (date(2025, 3, 31), -1, "last_day", date(2025, 2, 28)),
        (date(2025, 1, 15), -1, "last_day", date(2024, 12, 15)),
    ],
    ids=str,
)
def test_add_months_gives_the_corresponding_date_or_the_short_months_rule(
    start: date, months: int, short_month: str, expected: date
) -> None:
    assert add_months(start, months, short_month) == expected  # type: ignore[arg-type]


def test_add_months_counts_a_short_month_to_its_last_day_by_default() -> None:
    assert add_months(date(2025, 8, 31), 1) == date(2025, 9, 30)


@pytest.mark.parametrize("short_month", [None, "NEXT_DAY", "next-day", ""])
def test_add_months_refuses_a_short_month_rule_it_does_not_know(short_month) -> None:
    # A misspelt rule must not quietly count a short month one way or the other.
    with pytest.raises(ValueError, match="short_month must be 'last_day' or 'next_day', not"):
        add_months(date(2025, 1, 31), 1, short_month)


CHRISTMAS_2025 = {date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1)}


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 12, 24), True),  # Wednesday
        (date(2025, 12, 25), False),  # Thursday, a bank holiday
        (date(2025, 12, 27), False),  # Saturday
        (date(2025, 12, 28), False),  # Sunday
        (date(2025, 12, 29), True),  # Monday
    ],
    ids=str,
)
def test_a_working_day_is_a_weekday_that_is_not_a_bank_holiday(day: date, working: bool) -> None:
    assert is_working_day(day, CHRISTMAS_2025) is working


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 12, 24), date(2025, 12, 24)),  # already a working day
        (date(2025, 12, 25), date(2025, 12, 29)),  # Thu, Fri holidays, then the weekend
        (date(2025, 12, 31), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 2)),  # across the year end
        (date(2025, 5, 3), date(2025, 5, 5)),  # Saturday -> Monday with no holidays given
    ],
    ids=str,
)
def test_next_working_day_skips_weekends_and_the_holidays_given(day: date, expected: date) -> None:
    assert next_working_day(day, CHRISTMAS_2025) == expected


def test_no_bank_holidays_means_only_weekends_are_skipped() -> None:
    assert next_working_day(date(2025, 12, 25), ()) == date(2025, 12, 25)
