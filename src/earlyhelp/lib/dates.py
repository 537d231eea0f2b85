"""Calendar arithmetic on plain dates: month steps and working days.

Pure: the standard library only. Callers bring their own bank holidays (the policy core
reads them from the policy's calendar), so nothing here knows a country.
"""

from __future__ import annotations

import calendar
from collections.abc import Container
from datetime import date, timedelta
from typing import Literal

SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend


def add_months(
    start: date, months: int, short_month: Literal["last_day", "next_day"] = "last_day"
) -> date:
    """The corresponding date ``months`` calendar months after ``start``.

    ``months`` may be 0 or negative. Where the target month has no such day (31 March + 1
    month), ``last_day`` gives that month's last day (30 April), as the ICO counts a
    calendar month for rights requests; ``next_day`` gives the day after it (1 May), which
    retention uses so that a record is never kept for less than the period. Any other
    ``short_month`` raises ValueError.
    """
    if short_month not in ("last_day", "next_day"):
        raise ValueError(f"short_month must be 'last_day' or 'next_day', not {short_month!r}")
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day)
    if short_month == "last_day":
        return date(year, month, last)
    return date(year, month, last) + timedelta(days=1)


def is_working_day(day: date, bank_holidays: Container[date]) -> bool:
    """Whether ``day`` is Monday to Friday and not in ``bank_holidays``.

    ``bank_holidays`` is anything answering ``day in bank_holidays``: a set of dates, or an
    object looking the year up lazily.
    """
    return day.weekday() < SATURDAY and day not in bank_holidays


def next_working_day(day: date, bank_holidays: Container[date]) -> date:
    """``day`` itself if it is a working day (``is_working_day``), else the next one."""
    while not is_working_day(day, bank_holidays):
        day += timedelta(days=1)
    return day
