"""Dates, counts and periods in the words the service's pages and notices use.

Pure: the standard library only. Day and month names come from ``strftime`` (``%B``), so
they are English as long as the process keeps the C/English locale it runs under.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}


def day_words(value: date) -> str:
    """A date as people write it: ``date(2025, 3, 1)`` -> ``"1 March 2025"`` (no leading 0)."""
    return f"{value.day} {value:%B %Y}"


def join_words(words: Iterable[str], last: str = "and") -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``; one word alone, none ``""``; no Oxford comma."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def number_words(count: int) -> str:
    """One to twelve in words (``6`` -> ``"six"``); any other count in figures."""
    return NUMBER_WORDS.get(count, str(count))


def period_words(years: int, months: int, days: int, *, prose: bool = False) -> str:
    """A length of time in words, leaving out the parts that are 0; ``"no time"`` if all are.

    Two styles, each kept for the readers who already see it:

    * ``prose=False`` (decisions' reasons): figures, every part joined by "and":
      ``(1, 6, 2)`` -> ``"1 year and 6 months and 2 days"``.
    * ``prose=True`` (the privacy notice): one to twelve in words, parts listed:
      ``(1, 6, 2)`` -> ``"one year, six months and two days"``.
    """
    number = number_words if prose else str
    parts = [
        f"{number(count)} {unit}{'s' if count != 1 else ''}"
        for count, unit in ((years, "year"), (months, "month"), (days, "day"))
        if count
    ]
    joined = join_words(parts) if prose else " and ".join(parts)
    return joined or "no time"
