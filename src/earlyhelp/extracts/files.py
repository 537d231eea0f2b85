"""`earlyhelp pseudonymise`: a project's rules applied to a return from another system.

A mapping file says which of the file's columns is which field of the project:

    date_format = "%d/%m/%Y"      # how the file writes dates (default %Y-%m-%d)
    encoding = "windows-1252"     # how a CSV's text is encoded (default utf-8, BOM or not)
    [columns]
    CHILD = "person-reference"    # takes that field's rule
    DOB = "date-of-birth"
    SEX = "keep"                  # leaves unchanged (but spreadsheet-safe in a CSV)
    UPN = "drop"                  # never leaves; so does any column not named

Nothing is written unless every value that leaves can be read: its text decoded, its date a
plausible date, its postcode a UK postcode. Otherwise each column is reported with the rule
and the data rows that break it, and the command stops. Reading the file (encodings, blank
rows, timestamps as UK calendar dates) is return_files'; the plausible range of a date is
earlyhelp.lib.plausible's, with the extract date as today.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from earlyhelp.extracts.engine import (
    DATE_RULES,
    ISO_DATE,
    ColumnRule,
    postcode_district,
    transform,
)
from earlyhelp.extracts.models import Extract
from earlyhelp.extracts.output import OutputError, all_or_nothing, format_of, sha256_of
from earlyhelp.extracts.projects import Approved, approve, manifest, record_extract
from earlyhelp.extracts.return_files import (
    REPLACEMENT,
    ReturnFile,
    ReturnFileError,
    blank,
    calendar_date,
    encoding_of,
    first_cell_empty,
    open_return,
    present,
    structural_fault,
    undecodable,
)
from earlyhelp.lib.plausible import event_date_bounds, format_day
from earlyhelp.policy.schema import Project

MAPPING_KEYS = {"date_format", "columns", "encoding"}
SAMPLE_DAY = date(2001, 12, 31)
ROWS_SHOWN = 10
ROW = "__earlyhelp_data_row__"


class MappingError(ValueError):
    pass


class UnreadableValues(ValueError):
    pass


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]  # file column -> project field name, "keep" or "drop"
    date_format: str = ISO_DATE
    encoding: str = "utf-8"  # of a CSV: "utf-8" or "windows-1252" (return_files.encoding_of)


def load_mapping(path: Path, project: Project) -> Mapping:
    """The mapping file, checked against the project; errors name the key and the rule."""
    where = f"--map {path.name}"
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise MappingError(f"{where}: there is no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError(f"{where}: not a TOML file ({error})") from None
    except OSError as error:
        raise MappingError(f"{where}: cannot be read ({error.strerror})") from None
    extra = sorted(set(data) - MAPPING_KEYS)
    if extra:
        raise MappingError(
            f"{where}: {', '.join(extra)}: unknown key (allowed: columns, date_format, encoding)"
        )
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError(f"{where}: columns: a table of file column = field is required")
    fields = [f.name for f in project.fields]
    for column, target in columns.items():
        if not isinstance(target, str) or target not in {*fields, "keep", "drop"}:
            raise MappingError(
                f"{where}: columns.{column}: {target!r} is not a field of the project "
                f'\'{project.id}\' ({", ".join(fields)}), "keep" or "drop"'
            )
    date_format = data.get("date_format", ISO_DATE)
    if not isinstance(date_format, str) or not _reads_back(date_format):
        raise MappingError(
            f"{where}: date_format: {date_format!r} must write and read back a whole date "
            'with day, month and year codes, e.g. "%d/%m/%Y"'
        )
    try:
        encoding = encoding_of(data.get("encoding", "utf-8"))
    except ValueError as error:
        raise MappingError(f"{where}: encoding: {error}") from None
    return Mapping(columns, date_format, encoding)


def _reads_back(date_format: str) -> bool:
    try:
        text = SAMPLE_DAY.strftime(date_format)
        parsed = pl.Series([text]).str.to_date(date_format, strict=False)[0]
    except (ValueError, pl.exceptions.PolarsError):
        return False
    return parsed == SAMPLE_DAY


def column_rules(mapping: Mapping, project: Project, header: list[str]) -> list[ColumnRule]:
    """A rule for every column of the file, in its order; unnamed columns are dropped."""
    missing = [c for c in mapping.columns if c not in header]
    if missing:
        hint = (
            f" (its header has bytes that are not {mapping.encoding}: is the mapping's "
            "encoding right?)"
            if any(REPLACEMENT in name for name in header)
            else ""
        )
        raise MappingError(
            f"--map: columns.{missing[0]}: the file has no column '{missing[0]}' "
            f"(it has {', '.join(header)}){hint}"
        )
    # Polars names a repeated header "X_duplicated_0": which X is meant cannot be known.
    repeated = [c for c in mapping.columns if f"{c}_duplicated_0" in header]
    if repeated:
        raise MappingError(
            f"--map: columns.{repeated[0]}: the file has more than one column "
            f"'{repeated[0]}'; rename them so each is named once"
        )
    fields = {f.name: f for f in project.fields}
    rules = []
    for column in header:
        target = mapping.columns.get(column, "drop")
        if target in ("keep", "drop"):
            rules.append(ColumnRule(column, target))
        else:
            rules.append(ColumnRule(column, fields[target].rule, fields[target]))
    return rules


@dataclass(frozen=True)
class Check:
    """A rule a column's values must keep before anything leaves."""

    column: str
    rule: str  # in words, as the message says it: "not a UK postcode"
    bad: pl.Expr  # True for a value that breaks it


@dataclass(frozen=True)
class FileProblem:
    """Values breaking a Check: where they are, never what they are."""

    column: str
    rule: str
    rows: tuple[int, ...]  # 1-based data rows, the first few
    count: int

    def message(self) -> str:
        rows = ", ".join(str(r) for r in self.rows)
        more = f" and {self.count - len(self.rows):,} more" if self.count > len(self.rows) else ""
        return f"{self.column}: {self.rule} in data row {rows}{more}"


def date_rule_words(on_date: date, date_format: str) -> str:
    """The plausible-date rule of a return's dates, in words."""
    earliest, latest = event_date_bounds(on_date)
    return (
        f"not a date from {format_day(earliest)} to the extract date, {format_day(latest)} "
        f'(written as "{date_format}", or a timestamp)'
    )


def checks(
    source: ReturnFile,
    columns: list[ColumnRule],
    *,
    on_date: date,
    date_format: str,
    decoding: bool,
    timestamps: frozenset[str] = frozenset(),
) -> list[Check]:
    """The rules the columns that leave must keep: decoded text (if ``decoding``),
    plausible dates, UK postcodes. ``timestamps``: date columns also read as timestamps."""
    schema = source.frame.collect_schema()
    earliest, latest = event_date_bounds(on_date)
    found = []
    for c in columns:
        if not c.leaves:
            continue
        value = pl.col(c.column)
        if decoding:
            found.append(
                Check(c.column, f"cannot be read as {source.encoding}", undecodable(value))
            )
        if c.rule == "postcode_to_district":
            bad = present(value) & postcode_district(value).is_null()
            found.append(Check(c.column, "not a UK postcode", bad))
        elif c.rule in DATE_RULES:
            day = calendar_date(
                value, schema[c.column], date_format, timestamps=c.column in timestamps
            )
            plausible = day.is_between(pl.lit(earliest), pl.lit(latest)).fill_null(False)
            found.append(
                Check(c.column, date_rule_words(on_date, date_format), present(value) & ~plausible)
            )
    return found


def _counts(frame: pl.LazyFrame, exprs: list[pl.Expr]) -> list[int]:
    """How many rows each of ``exprs`` (booleans) is true for, in one pass over ``frame``."""
    row = frame.select(e.sum().alias(str(i)) for i, e in enumerate(exprs)).collect().row(0)
    return [int(n or 0) for n in row]


@dataclass(frozen=True)
class Findings:
    """What the checks found in a file, and how to read it for the output."""

    problems: list[FileProblem]
    blank_rows: int
    timestamps: frozenset[str]  # text date columns that hold timestamps


def find_problems(
    source: ReturnFile, columns: list[ColumnRule], *, on_date: date, date_format: str
) -> Findings:
    """Everything that breaks the checks, in as few passes over the file as it allows.

    The first pass reads the file strictly, if it may be all text, without looking for
    undecodable cells: if Polars finds a byte that is not text, the pass is made again
    with the cells looked at. Dates are read as ``date_format`` only; one more pass, only
    when some text date column has values that are not, reads its timestamps too.
    """
    schema = source.frame.collect_schema()
    text_dates = [
        c.column
        for c in columns
        if c.leaves
        and c.rule in DATE_RULES
        and not isinstance(schema[c.column], (pl.Date, pl.Datetime))
    ]
    frame, decoding = source.frame, source.encoding is not None

    def count(timestamps: frozenset[str]) -> tuple[list[Check], list[int]]:
        found = checks(
            source,
            columns,
            on_date=on_date,
            date_format=date_format,
            decoding=decoding,
            timestamps=timestamps,
        )
        counted = _counts(frame, [first_cell_empty(schema), *(c.bad for c in found)])
        return found, counted

    counted = None
    if source.strict is not None:
        try:
            frame, decoding = source.strict, False
            found, counted = count(frozenset())
        except pl.exceptions.ComputeError:  # a byte that is not text: find its cells
            frame, decoding = source.frame, True
    if counted is None:
        found, counted = count(frozenset())
    counts = counted[1:]
    # Most returns' first column is an id, never empty: then no row is blank.
    blank_rows = _counts(frame, [blank(schema)])[0] if counted[0] else 0
    words = date_rule_words(on_date, date_format)
    timestamps = frozenset(
        c.column
        for c, n in zip(found, counts, strict=True)
        if n and c.column in text_dates and c.rule == words
    )
    if timestamps:
        found, counted = count(timestamps)
        counts = counted[1:]
    problems = []
    for check, n in zip(found, counts, strict=True):
        if not n:
            continue
        rows = (
            frame.with_row_index(ROW, offset=1)
            .filter(check.bad)
            .select(ROW)
            .head(ROWS_SHOWN)
            .collect()[ROW]
            .to_list()
        )
        problems.append(FileProblem(check.column, check.rule, tuple(rows), n))
    return Findings(problems, blank_rows, timestamps)


def pseudonymise_file(
    project_id: str,
    mapping_path: Path,
    in_path: Path,
    out_path: Path,
    on_date: date | None = None,
    user=None,
) -> Extract:
    """Apply the project's rules to IN, write OUT and its manifest whole, and record it.

    Raises (all in errors.EXPECTED, each message naming the file and the rule, and the
    column and rows where values are at fault; nothing is written): ExtractRefused,
    MissingPseudonymKey, MappingError, OutputError, UnreadableValues, ReturnFileError.
    """
    on_date = on_date or date.today()
    approved = approve(project_id, on_date)
    mapping = load_mapping(mapping_path, approved.project)
    in_format = format_of(in_path, "IN")
    format_of(out_path, "OUT")
    if not out_path.parent.is_dir():
        raise OutputError(f"OUT: there is no folder '{out_path.parent}'")
    try:
        with open_return(in_path, in_format, mapping.encoding) as source:
            try:
                return _pseudonymise(approved, mapping, source, in_path, out_path, user)
            except pl.exceptions.PolarsError as error:
                raise ReturnFileError(
                    f"{source.name}: nothing was written, because {_fault(source, error)}"
                ) from None
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise ReturnFileError(
            f"{in_path.name}: nothing was written, because {error.strerror or error}{where}"
        ) from None


def _fault(source: ReturnFile, error: pl.exceptions.PolarsError) -> str:
    """What is wrong with a file Polars could not read, in words, with its row if known."""
    if source.text_path is not None:
        found = structural_fault(source.text_path)
        if found:
            return found
        if isinstance(error, pl.exceptions.NoDataError):
            return "the file has no header row"
    kind = "CSV" if source.format == "csv" else "Parquet"
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"it is not a {kind} file Polars can read, or OUT could not be written ({first})"


def _pseudonymise(
    approved: Approved,
    mapping: Mapping,
    source: ReturnFile,
    in_path: Path,
    out_path: Path,
    user,
) -> Extract:
    on_date = approved.on_date
    schema = source.frame.collect_schema()
    columns = column_rules(mapping, approved.project, schema.names())
    findings = find_problems(source, columns, on_date=on_date, date_format=mapping.date_format)
    if findings.problems:
        raise UnreadableValues(
            f"{source.name}: nothing was written, because\n  "
            + "\n  ".join(p.message() for p in findings.problems)
            + _encoding_hint(findings.problems, source)
        )
    frame = source.frame
    if findings.blank_rows:
        frame = frame.filter(~blank(schema))
    # Dates as UK calendar dates, so the engine's date rules take them as they are.
    dated = [c.column for c in columns if c.leaves and c.rule in DATE_RULES]
    frame = frame.with_columns(
        calendar_date(
            pl.col(name), schema[name], mapping.date_format, timestamps=name in findings.timestamps
        ).alias(name)
        for name in dated
    )
    out = transform(
        frame, columns, key=approved.key, on_date=on_date, date_format=mapping.date_format
    )
    with all_or_nothing() as files:
        written = files.frame(out, out_path)
        document = manifest(
            approved,
            mode=Extract.Mode.FILE,
            columns=columns,
            files=[written],
            rows=written.rows,
            extra={
                "source_file_sha256": sha256_of(in_path),
                "source_encoding": source.encoding,
                "blank_rows_skipped": findings.blank_rows,
                "dates": "read as UK calendar dates (a timestamp's date in Europe/London)",
                # A file from another system is not linked to the case records, so
                # objections recorded here cannot be looked up for its rows.
                "objections": "not checked: the file is not linked to the case records",
            },
        )
        files.json(document, out_path.with_name(f"{out_path.stem}-manifest.json"))
        extract = record_extract(approved, mode=Extract.Mode.FILE, document=document, user=user)
    return extract


def _encoding_hint(found: list[FileProblem], source: ReturnFile) -> str:
    if source.encoding != "utf-8" or not any(p.rule.startswith("cannot be read") for p in found):
        return ""
    return (
        '\n(a CSV saved by Excel as "CSV (Comma delimited)" is in Windows-1252: say '
        'encoding = "windows-1252" in the mapping)'
    )
