"""Plausible values, not just parseable ones: the ranges a date or a text may take.

Pure Python, no Django, so forms, the `earlyhelp pseudonymise` command and the synthetic
generator apply one rule. Each checker returns the message a person reads (naming the field
and the rule) or ``None`` when the value is plausible; :func:`require` turns a message into
a :class:`ImplausibleValue` for callers that raise. Column-wise callers (Polars) use the
``*_bounds`` functions and test the range themselves.

The rules (issue 11, "Plausible values"):

* a date of birth is between :data:`EARLIEST_BIRTH` and today;
* an event (a contact, a move, a case starting) is between the person's birth (or
  :data:`EARLIEST_BIRTH` when no birth date is known) and today;
* a planned date (a review, a target) is between the event it follows and
  :data:`PLANNED_YEARS_AHEAD` years after today;
* an end is never before its start;
* a name has at least one letter; text is no longer than its field's limit.

Dates are ``datetime.date`` values in the UK calendar; "today" is passed in (the caller's
``timezone.localdate()``), never read here, so the rules are testable on any day.
"""

from __future__ import annotations

import unicodedata
from datetime import date

__all__ = [
    "EARLIEST_BIRTH",
    "PLANNED_YEARS_AHEAD",
    "ImplausibleValue",
    "birth_date_bounds",
    "birth_date_error",
    "event_date_bounds",
    "event_date_error",
    "format_day",
    "name_error",
    "period_error",
    "planned_date_error",
    "range_error",
    "require",
    "text_length_error",
]

# No one the service records was born before 1900 (issue 11: "no birth before 1900"); the
# oldest person living in the UK was born in the 1910s (ONS, "Estimates of the very old").
EARLIEST_BIRTH = date(1900, 1, 1)
# A planned date (a plan's review, a goal's target) is at most this many years ahead: Early
# Help plans are reviewed every 6 to 12 weeks (Working Together to Safeguard Children 2023,
# chapter 1), so five years ahead is already generous. Illustrative bound, not policy.
PLANNED_YEARS_AHEAD = 5


class ImplausibleValue(ValueError):
    """A value that parses but cannot be true; ``str()`` is the message a person reads."""


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_day(day: date) -> str:
    """``date(1900, 1, 1)`` -> ``"1 January 1900"`` (GOV.UK style, no leading zero).

    English month names whatever the process's locale (strftime's %B follows LC_TIME).
    """
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def range_error(
    value: date | None,
    *,
    field: str,
    earliest: date,
    latest: date,
    earliest_words: str | None = None,
    latest_words: str | None = None,
) -> str | None:
    """The message if ``value`` is outside ``earliest``..``latest`` (inclusive), else None.

    ``field`` is the field's label as a sentence starts it ("Date of birth"). The range is
    said as dates unless ``earliest_words``/``latest_words`` say it better ("today", "their
    date of birth (4 April 2014)"). ``None`` (no date given) is always plausible: whether a
    date is required is another rule.
    """
    if value is None or earliest <= value <= latest:
        return None
    low = earliest_words or format_day(earliest)
    high = latest_words or format_day(latest)
    return f"{field} must be between {low} and {high}"


def birth_date_bounds(today: date) -> tuple[date, date]:
    """(earliest, latest) plausible date of birth on ``today``: 1 January 1900 and today."""
    return EARLIEST_BIRTH, today


def birth_date_error(
    value: date | None, *, today: date, field: str = "Date of birth"
) -> str | None:
    """The message if ``value`` is no plausible date of birth on ``today``, else None.

    >>> birth_date_error(date(14, 4, 4), today=date(2026, 11, 29))
    'Date of birth must be between 1 January 1900 and today'
    """
    earliest, latest = birth_date_bounds(today)
    return range_error(value, field=field, earliest=earliest, latest=latest, latest_words="today")


def event_date_bounds(today: date, born: date | None = None) -> tuple[date, date]:
    """(earliest, latest) plausible date of an event in a person's life, on ``today``.

    The earliest is their date of birth when known (a birth date later than today, which
    the birth rule refuses, is ignored), else 1 January 1900.
    """
    earliest = born if born is not None and EARLIEST_BIRTH <= born <= today else EARLIEST_BIRTH
    return earliest, today


def event_date_error(
    value: date | None,
    *,
    field: str,
    today: date,
    born: date | None = None,
    whose: str = "their",
) -> str | None:
    """The message if ``value`` is no plausible date of a past event, else None.

    ``born`` is the date of birth of the person the event is about (of the youngest, for
    an event about several): nothing happens to a person before they are born. ``whose``
    names them in the message ("their", "Amira's").
    """
    earliest, latest = event_date_bounds(today, born)
    words = (
        f"{whose} date of birth ({format_day(earliest)})" if earliest != EARLIEST_BIRTH else None
    )
    return range_error(
        value,
        field=field,
        earliest=earliest,
        latest=latest,
        earliest_words=words,
        latest_words="today",
    )


def planned_date_error(
    value: date | None, *, field: str, today: date, after: date | None = None
) -> str | None:
    """The message if ``value`` is no plausible planned date (a review), else None.

    A planned date may be in the future, up to :data:`PLANNED_YEARS_AHEAD` years after
    ``today``, and is never before ``after`` (the date it follows), if given.
    """
    earliest = after if after is not None else EARLIEST_BIRTH
    return range_error(
        value, field=field, earliest=earliest, latest=_years_after(today, PLANNED_YEARS_AHEAD)
    )


def period_error(
    start: date | None, end: date | None, *, start_field: str, end_field: str
) -> str | None:
    """The message if ``end`` is before ``start`` (both given), else None.

    Fields are named as a sentence starts them: ``"End date"``, ``"start date"``.
    """
    if start is None or end is None or end >= start:
        return None
    return f"{end_field} must be the same as or after the {start_field} ({format_day(start)})"


def name_error(value: str, *, field: str) -> str | None:
    """The message if the name ``value`` has no letter (of any script), else None.

    Digits, punctuation and spaces alone ("123", "--", "?") are no name. Any letter counts,
    so "Zoë", "Nguyễn", "Ó Briain" and names in other scripts are accepted.
    """
    if any(ch.isalpha() for ch in value):
        return None
    return f"{field} must include at least one letter"


# Line breaks and tabs are typed; other control and format characters are not: a null, a
# terminal escape or a right-to-left override only hide or disguise what is stored.
_TYPED_CONTROLS = frozenset("\t\n\r")


def control_character_error(value: str, *, field: str) -> str | None:
    """The message if ``value`` holds a control or format character (Unicode categories
    Cc and Cf, such as NUL, ESC or U+202E) other than a tab or line break, else None.
    The zero-width joiner (U+200D), which some scripts' names need, is allowed."""
    for char in value:
        if char in _TYPED_CONTROLS or char == "\u200d":
            continue
        if unicodedata.category(char) in ("Cc", "Cf"):
            return f"{field} must not contain control characters"
    return None


def text_length_error(value: str, *, field: str, limit: int) -> str | None:
    """The message if ``value`` has more than ``limit`` characters, else None."""
    if len(value) <= limit:
        return None
    return f"{field} must be {limit:,} characters or fewer (it has {len(value):,})"


def require(message: str | None) -> None:
    """Raise :class:`ImplausibleValue` with ``message`` unless it is None."""
    if message is not None:
        raise ImplausibleValue(message)
