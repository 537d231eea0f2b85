"""Reading a return as councils really have it: its encoding, blank lines and timestamps.

Pure (Polars and the standard library, no Django), so the file pseudonymiser and its tests
and benchmarks share it.

Encodings (the mapping's ``encoding`` key; labels as the WHATWG Encoding Standard reads
them, so "latin1" and "iso-8859-1" mean Windows-1252, as browsers take them):

    utf-8         the default; a byte order mark, as Excel's "CSV UTF-8" writes, is skipped
    windows-1252  Excel's "CSV (Comma delimited)" on a UK Windows computer

A UTF-8 file is read by Polars itself. A Windows-1252 file is first re-encoded as UTF-8,
1 MiB at a time, into a temporary file readable by its owner only and removed afterwards;
bytes Windows-1252 does not define (81, 8D, 8F, 90, 9D) become U+FFFD, as do bytes that are
not UTF-8 in a UTF-8 file, so a cell that could not be decoded is one holding U+FFFD
(:func:`undecodable`); only the columns that leave are checked, so bad bytes in a column the
mapping drops are never an error. Looking at every cell costs a pass, so a caller first
reads ``ReturnFile.strict``, which Polars refuses only if some byte is not text, and looks
at cells only then. A genuine U+FFFD in a UTF-8 file is text and leaves as it is. A UTF-16
file (Excel's "Unicode Text") is refused.

Rows are numbered as data rows of the file (the header is not a row; a blank line is a
row), so "data row 3" is the fourth line of a file without line breaks inside cells. A row
with nothing in it (a blank line, a line of spaces, Excel's ",,,") is skipped.

Dates (:func:`calendar_date`) are UK calendar dates: a timestamp with a zone (CSV text
"2026-06-30T23:30:00Z", a Parquet column with a time zone) is the date on the clock in
Europe/London at that instant (1 July); one without a zone (CSV "01/02/2010 00:00", a naive
Parquet datetime) is a wall-clock time and keeps its own date.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

UK_TIME_ZONE = "Europe/London"
REPLACEMENT = "\ufffd"
CHUNK_BYTES = 1 << 20

# codecs' canonical name of a label -> the encoding read (WHATWG: latin1 is windows-1252).
ENCODINGS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "cp1252": "windows-1252",
    "iso8859-1": "windows-1252",
    "ascii": "windows-1252",
}
PYTHON_CODECS = {"utf-8": "utf-8", "windows-1252": "cp1252"}
UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# "2026-06-30T23:30:00Z", "2026-06-30 23:30:00.123+01:00", "2026-06-30T23:30+0100"
_ZONED = r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$"
# "... 23:30:00 UTC" and "... 23:30 GMT" are "... Z" (GMT is UTC+0, not the London clock).
_ZONE_NAMED_UTC = r"\s*(?:UTC|GMT)$"
_ZONED_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M%#z")
# A time of day after a date, without a zone: " 00:00", "T09:30:15", " 9:30:15.5"
_NAIVE_TIME = r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$"
ISO_DAY = "%Y-%m-%d"


class ReturnFileError(ValueError):
    """A file that cannot be read as a return; the message names the file and the rule."""


def encoding_of(label: object) -> str:
    """The encoding a mapping's ``encoding`` label names: "utf-8" or "windows-1252".

    Raises ValueError (naming the labels understood) for any other label or a non-string.
    """
    try:
        name = codecs.lookup(label).name if isinstance(label, str) else None
    except LookupError:
        name = None
    if name not in ENCODINGS:
        raise ValueError(
            f'{label!r} is not an encoding this reads (use "utf-8", with or without a byte '
            'order mark, or "windows-1252", which Excel\'s "CSV (Comma delimited)" writes)'
        )
    return ENCODINGS[name]


@dataclass(frozen=True)
class ReturnFile:
    """A return opened for reading: its rows as Polars reads them, blank rows included."""

    name: str  # the file's name, for messages
    format: str  # "csv" or "parquet"
    encoding: str | None  # for a CSV: "utf-8" or "windows-1252"; None for Parquet
    frame: pl.LazyFrame  # every row, blank ones included (see blank())
    text_path: Path | None  # for a CSV: the UTF-8 text Polars reads (maybe a temporary copy)
    # The same rows read strictly, for a CSV that may be all text: a query on it raises
    # ComputeError if any byte of the file is not UTF-8, and otherwise proves that no cell
    # needs undecodable() (Polars checks the bytes as it reads them, nearly for free). None
    # for Parquet, and for a CSV known to hold undecodable bytes.
    strict: pl.LazyFrame | None = None


@contextlib.contextmanager
def open_return(path: Path, format: str, encoding: str = "utf-8") -> Iterator[ReturnFile]:
    """``path`` as a lazy frame, for as long as the context lasts.

    A CSV is read with every column as text (ids keep their leading zeros). Raises
    ReturnFileError when there is no such file, it is empty or UTF-16, or it starts with a
    byte order mark that contradicts ``encoding``.
    """
    if not path.is_file():
        raise ReturnFileError(f"IN: there is no file '{path}'")
    if format == "parquet":
        yield ReturnFile(path.name, format, None, pl.scan_parquet(path), None)
        return
    with path.open("rb") as handle:
        start = handle.read(4)
    if not start:
        raise ReturnFileError(f"{path.name}: the file is empty (a CSV needs a header row)")
    if start.startswith(UTF16_BOMS):
        raise ReturnFileError(
            f'{path.name}: the file is UTF-16 (Excel\'s "Unicode Text"); save it as '
            '"CSV UTF-8" or "CSV (Comma delimited)"'
        )
    if start.startswith(UTF8_BOM) and encoding != "utf-8":
        raise ReturnFileError(
            f"{path.name}: the file starts with a UTF-8 byte order mark but the mapping says "
            f'encoding = "{encoding}"; say encoding = "utf-8"'
        )
    if encoding == "utf-8":
        yield ReturnFile(
            path.name, format, encoding, _scan_csv(path), path, _scan_csv(path, strict=True)
        )
        return
    descriptor, name = tempfile.mkstemp(prefix="earlyhelp-return-", suffix=".csv")
    text_path = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as out:
            replaced = transcode(path, out, PYTHON_CODECS[encoding])
        strict = None if replaced else _scan_csv(text_path, strict=True)
        yield ReturnFile(path.name, format, encoding, _scan_csv(text_path), text_path, strict)
    finally:
        text_path.unlink(missing_ok=True)


def _scan_csv(path: Path, strict: bool = False) -> pl.LazyFrame:
    # utf8-lossy: a byte sequence that is not UTF-8 becomes U+FFFD, found by undecodable().
    return pl.scan_csv(path, infer_schema=False, encoding="utf8" if strict else "utf8-lossy")


def transcode(source: Path, out, python_codec: str, chunk_bytes: int = CHUNK_BYTES) -> bool:
    """Write ``source``, decoded from ``python_codec``, to the binary stream ``out`` as UTF-8;
    True if some bytes could not be decoded (they are written as U+FFFD).

    Streams ``chunk_bytes`` at a time.
    """
    decoder = codecs.getincrementaldecoder(python_codec)(errors="replace")
    replaced = False
    with source.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            text = decoder.decode(chunk)
            replaced = replaced or REPLACEMENT in text
            out.write(text.encode("utf-8"))
        text = decoder.decode(b"", final=True)
        out.write(text.encode("utf-8"))
    return replaced or REPLACEMENT in text


def blank(schema: pl.Schema) -> pl.Expr:
    """True for a row with nothing in it: a blank line, a line of spaces or Excel's ",,,".

    Every cell is null (Polars reads an empty cell as null), but the first, which may hold
    spaces only: where a line of spaces puts them. A null test is nearly free; only the
    first column's text is looked at.
    """
    _, *rest = schema.names()
    return pl.all_horizontal(first_cell_empty(schema), *(pl.col(n).is_null() for n in rest))


def first_cell_empty(schema: pl.Schema) -> pl.Expr:
    """True for a row whose first cell is empty: every blank row, and more. Cheap (one
    column), so a pass can ask it and leave blank() to files where it is ever true."""
    first = pl.col(schema.names()[0])
    return first.is_null() | (first.cast(pl.String).str.strip_chars() == "")


def present(expr: pl.Expr) -> pl.Expr:
    """True for a cell holding something other than nothing or spaces."""
    return expr.is_not_null() & (expr.cast(pl.String).str.strip_chars() != "").fill_null(True)


def undecodable(expr: pl.Expr) -> pl.Expr:
    """True for a text cell holding bytes its encoding could not decode (see module doc)."""
    return expr.str.contains(REPLACEMENT, literal=True).fill_null(False)


def calendar_date(
    expr: pl.Expr, dtype: pl.DataType, date_format: str, *, timestamps: bool = False
) -> pl.Expr:
    """The UK calendar date of each value of ``expr`` (of type ``dtype``), as pl.Date.

    Date values stay as they are; datetimes with a zone become the date in Europe/London,
    naive ones keep their date. Text (and any other type, read as text) is a date written
    as ``date_format``; with ``timestamps`` also a date written as ``date_format`` or
    ISO 8601 followed by a time, with or without a zone (the slower path: callers take it
    only for columns whose values do not all read as plain dates). Values that are none of
    these are null.
    """
    if dtype == pl.Date:
        return expr
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            return expr.dt.convert_time_zone(UK_TIME_ZONE).dt.date()
        return expr.dt.date()
    text = expr.cast(pl.String).str.strip_chars()
    plain = text.str.to_date(date_format, strict=False)
    if not timestamps:
        return plain
    canonical = (
        text.str.to_uppercase()
        .str.replace(_ZONE_NAMED_UTC, "Z")
        .str.replace(_ZONED, "${1}T${2}${3}${4}")
    )
    zoned = pl.coalesce(
        canonical.str.to_datetime(f, strict=False, time_zone="UTC") for f in _ZONED_FORMATS
    )
    day = text.str.replace(_NAIVE_TIME, "")
    naive = pl.when(text.str.contains(_NAIVE_TIME)).then(
        pl.coalesce(
            day.str.to_date(date_format, strict=False), day.str.to_date(ISO_DAY, strict=False)
        )
    )
    return pl.coalesce(plain, zoned.dt.convert_time_zone(UK_TIME_ZONE).dt.date(), naive)


def structural_fault(text_path: Path, row_limit: int | None = None) -> str | None:
    """Where a CSV is malformed, in words ("data row 3 has 5 cells; the header has 4"), or
    None when Python's csv module reads it whole (the fault was something else).

    Reads the UTF-8 text slowly, a record at a time: only for reporting a failure.
    """
    with text_path.open(encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        row, header = 0, None
        try:
            header = next(reader, None)
            if header is None:
                return "the file has no header row"
            for row, cells in enumerate(reader, start=1):
                if len(cells) > len(header):
                    return f"data row {row} has {len(cells)} cells; the header has {len(header)}"
                if row_limit is not None and row >= row_limit:
                    break
        except csv.Error as error:
            where = f"data row {row + 1}" if row or header else "the header row"
            if "end of data" in str(error) or "EOF" in str(error):
                return f'a quoted cell in {where} is never closed (a " is missing)'
            return f"{where} is not CSV ({error})"
    return None
