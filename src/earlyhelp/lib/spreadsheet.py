"""Spreadsheet safety for every CSV the product writes (OWASP, "CSV Injection").

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)`` sends the reader to a web site, ``+cmd|' /C calc'!A0`` starts a
program), and a leading tab or carriage return can hide such a cell's first character from
a filter. OWASP's advice, followed here: a *text* cell starting with one of those characters
is written with a single quote in front (``'=HYPERLINK(...)``), which a spreadsheet shows as
text and never runs.

Decisions:

* Only text is neutralised. A numeric column (Polars Int/Float/Decimal, dates) is written as
  its numbers, so a numeric -3 stays ``-3``. A column read from a CSV return is text (its
  ids keep their leading zeros), so a text "-3" there is written ``'-3``, as OWASP says
  for any text cell starting with ``-``: the recipient strips one leading ``'`` to get the
  value back, and the manifest says how many cells of which column were changed.
* Parquet is never changed: it holds typed values that no spreadsheet runs as formulas.

Pure: Polars and the standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
RULE = (
    "OWASP CSV injection: a text cell starting with =, +, -, @, a tab or a carriage return "
    "is written with a ' in front, so a spreadsheet shows it as text and never runs it; "
    "numeric columns are written as they are"
)
PARQUET_RULE = "none: Parquet values are written as they are (no spreadsheet runs them)"
_STARTS = "^[" + "".join(re.escape(c) for c in FORMULA_STARTS) + "]"
TEXT_TYPES = (pl.String, pl.Categorical, pl.Enum)


def neutralise_cell(value: Any) -> Any:
    """``"=1+2"`` -> ``"'=1+2"``; any other value (text or not) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def runs_in_a_spreadsheet(expr: pl.Expr) -> pl.Expr:
    """Boolean: the text cell would run as a formula (null: False)."""
    return expr.cast(pl.String).str.contains(_STARTS).fill_null(False)


def neutralised(expr: pl.Expr) -> pl.Expr:
    """The text column with each cell that would run written with a ' in front."""
    text = expr.cast(pl.String)
    return pl.when(runs_in_a_spreadsheet(text)).then(QUOTE + text).otherwise(text)


def text_columns(schema: pl.Schema) -> list[str]:
    """The names of the columns whose cells are text, in order."""
    return [name for name, dtype in schema.items() if isinstance(dtype, TEXT_TYPES)]


def neutralise_frame(frame: pl.LazyFrame, columns: Sequence[str]) -> pl.LazyFrame:
    """``frame`` with the text ``columns`` neutralised; other columns and order unchanged."""
    return frame.with_columns(neutralised(pl.col(name)).alias(name) for name in columns)


def neutralise_and_count(
    frame: pl.LazyFrame, columns: Sequence[str]
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Two queries on one shared plan: ``frame`` with the text ``columns`` neutralised, and
    one row counting, for each of ``columns``, the cells that were.

    Run together (``pl.collect_all``), Polars computes the shared part, and the test of
    each cell, once: the cost of the counts is a sum, not a second pass.
    """
    taken = set(frame.collect_schema().names())
    flags = [_unused(f"__runs_{i}", taken) for i in range(len(columns))]
    tested = frame.with_columns(
        runs_in_a_spreadsheet(pl.col(name)).alias(flag)
        for name, flag in zip(columns, flags, strict=True)
    )
    safe = tested.with_columns(
        pl.when(pl.col(flag))
        .then(QUOTE + pl.col(name).cast(pl.String))
        .otherwise(pl.col(name))
        .alias(name)
        for name, flag in zip(columns, flags, strict=True)
    ).drop(flags)
    counts = tested.select(
        pl.col(flag).sum().alias(name) for name, flag in zip(columns, flags, strict=True)
    )
    return safe, counts


def _unused(name: str, taken: set[str]) -> str:
    while name in taken:
        name = f"_{name}"
    return name
