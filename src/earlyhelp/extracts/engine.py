"""The transformation engine: a project's field rules from the policy as Polars expressions.

One engine serves both the database extract and the file pseudonymiser. Every rule is a
column expression, so a file of ten million rows is transformed by Polars' own threads
and never row by row in Python. Pure: no Django, so it can be tested and benchmarked
alone.

Rules (policy.schema.FieldRule):
  drop                  the column never leaves
  keyed_pseudonym       HMAC-SHA256 of the normalised identifier under the project's key,
                        cut to the policy's number of hex digits
  date_to_month         "2000-01-17" -> "2000-01"
  postcode_to_district  "SW14 2JU" -> "SW14" (the outward code, as the notice promises;
                        not the sector)
  age_band              a date of birth -> the band of the age on the extract date
  keep                  unchanged
A value that cannot be read (a date that is not a date, a postcode that is not a UK
postcode) leaves as empty, and problems() says where it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl
import polars_hash  # noqa: F401  (registers the .chash namespace used below)

from earlyhelp.people.identifiers import POSTCODE_PARTS_PATTERN
from earlyhelp.policy.schema import FieldRule, ProjectField

ISO_DATE = "%Y-%m-%d"
DATE_RULES = frozenset({"date_to_month", "age_band"})


@dataclass(frozen=True)
class ColumnRule:
    """One column of the input and the project field whose rule it takes."""

    column: str
    rule: FieldRule
    field: ProjectField | None = None  # None for a column an analyst mapped to "keep"

    @property
    def leaves(self) -> bool:
        return self.rule != "drop"


@dataclass(frozen=True)
class Problem:
    """A value the rule could not read: where it is, never what it is."""

    column: str
    rule: FieldRule
    rows: tuple[int, ...]  # 1-based data rows, the first few
    count: int

    def message(self) -> str:
        what = "a UK postcode" if self.rule == "postcode_to_district" else "a date"
        if not self.rows:
            return f"{self.column}: {self.count:,} value(s) not {what}"
        rows = ", ".join(str(r) for r in self.rows)
        more = f" and {self.count - len(self.rows):,} more" if self.count > len(self.rows) else ""
        return f"{self.column}: not {what} in data row {rows}{more}"


def rules_for_fields(fields: Sequence[ProjectField]) -> list[ColumnRule]:
    """The project's fields as columns of the same names (the database extract's frame)."""
    return [ColumnRule(f.name, f.rule, f) for f in fields]


def transform(
    frame: pl.LazyFrame,
    columns: Sequence[ColumnRule],
    *,
    key: str,
    on_date: date,
    date_format: str = ISO_DATE,
) -> pl.LazyFrame:
    """The columns that leave, each transformed by its rule, in the order given."""
    schema = frame.collect_schema()
    return frame.select(
        _output(c, schema[c.column], key, on_date, date_format).alias(c.column)
        for c in columns
        if c.leaves
    )


def problems(
    frame: pl.LazyFrame,
    columns: Sequence[ColumnRule],
    *,
    on_date: date,
    date_format: str = ISO_DATE,
    rows_shown: int = 10,
) -> list[Problem]:
    """Values of the dated and postcode columns that their rule cannot read."""
    schema = frame.collect_schema()
    checks = {}
    for c in columns:
        bad = _unreadable(c, schema[c.column], on_date, date_format) if c.leaves else None
        if bad is not None:
            checks[c.column] = (c, bad)
    if not checks:
        return []
    counts = frame.select(bad.sum().alias(name) for name, (_, bad) in checks.items()).collect()
    found = []
    for name, (column, bad) in checks.items():
        count = counts[name][0]
        if not count:
            continue
        rows = (
            frame.with_row_index("row", offset=1)
            .filter(bad)
            .select("row")
            .head(rows_shown)
            .collect()["row"]
            .to_list()
            if rows_shown
            else []
        )
        found.append(Problem(name, column.rule, tuple(rows), count))
    return found


def _compact(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.replace_all(r"\s+", "").str.to_uppercase()


def normalised_identifier(expr: pl.Expr) -> pl.Expr:
    """Upper case without spaces, so "nw5 1tl"-style variations of one id agree; "" is none."""
    text = _compact(expr)
    return pl.when(text != "").then(text)


def pseudonym(expr: pl.Expr, key: str, hex_digits: int) -> pl.Expr:
    return normalised_identifier(expr).chash.hmac_sha256(key=key).str.slice(0, hex_digits)


def postcode_district(expr: pl.Expr) -> pl.Expr:
    compact = _compact(expr)
    return pl.coalesce(
        compact.str.extract(POSTCODE_PARTS_PATTERN, 1),
        compact.str.extract(POSTCODE_PARTS_PATTERN, 3),
    )


def age_on(born: pl.Expr, on_date: date) -> pl.Expr:
    """Whole years from `born` to `on_date`, counted as a birthday counts them."""
    before_birthday = (born.dt.month() > on_date.month) | (
        (born.dt.month() == on_date.month) & (born.dt.day() > on_date.day)
    )
    return on_date.year - born.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)


def age_band(born: pl.Expr, on_date: date, starts: Sequence[int]) -> pl.Expr:
    """ "0-4", "5-10" ... "16+": the band whose first age the age has reached."""
    age = age_on(born, on_date)
    bands = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
    for low, high in zip(starts, [*starts[1:], None], strict=True):
        label = f"{low}+" if high is None else f"{low}-{high - 1}"
        within = age >= low if high is None else (age >= low) & (age < high)
        bands = bands.when(within).then(pl.lit(label))
    return bands.otherwise(None)


def _as_date(expr: pl.Expr, dtype: pl.DataType, date_format: str) -> pl.Expr:
    if dtype == pl.Date:
        return expr
    if isinstance(dtype, pl.Datetime):
        return expr.dt.date()
    return expr.cast(pl.String).str.strip_chars().str.to_date(date_format, strict=False)


def _present(expr: pl.Expr) -> pl.Expr:
    return expr.is_not_null() & (expr.cast(pl.String).str.strip_chars() != "")


def _output(
    column: ColumnRule, dtype: pl.DataType, key: str, on_date: date, date_format: str
) -> pl.Expr:
    source = pl.col(column.column)
    field = column.field
    match column.rule:
        case "keep":
            return source
        case "keyed_pseudonym":
            assert field is not None and field.pseudonym_hex_digits is not None
            return pseudonym(source, key, field.pseudonym_hex_digits)
        case "date_to_month":
            return _as_date(source, dtype, date_format).dt.strftime("%Y-%m")
        case "postcode_to_district":
            return postcode_district(source)
        case "age_band":
            assert field is not None
            return age_band(_as_date(source, dtype, date_format), on_date, field.age_bands)
    raise ValueError(f"{column.column}: no transformation for the rule '{column.rule}'")


def _unreadable(
    column: ColumnRule, dtype: pl.DataType, on_date: date, date_format: str
) -> pl.Expr | None:
    source = pl.col(column.column)
    if column.rule == "postcode_to_district":
        return _present(source) & postcode_district(source).is_null()
    if column.rule not in DATE_RULES:
        return None
    parsed = _as_date(source, dtype, date_format)
    bad = _present(source) & parsed.is_null()
    if column.rule == "age_band":
        # A birth after the extract date has no age and no band.
        bad = bad | (parsed > pl.lit(on_date)).fill_null(False)
    return bad
