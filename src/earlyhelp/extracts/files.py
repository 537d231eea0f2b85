"""`earlyhelp pseudonymise`: a project's rules applied to a return from another system.

A mapping file says which of the file's columns is which field of the project:

    date_format = "%d/%m/%Y"      # how the file writes dates (default %Y-%m-%d)
    [columns]
    CHILD = "person-reference"    # takes that field's rule
    DOB = "date-of-birth"
    SEX = "keep"                  # leaves unchanged
    UPN = "drop"                  # never leaves; so does any column not named

Nothing is written unless every dated and postcode value can be read: otherwise the
columns and row numbers are reported and the command stops.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from earlyhelp.extracts.engine import ISO_DATE, ColumnRule, problems, transform
from earlyhelp.extracts.models import Extract
from earlyhelp.extracts.output import OutputError, all_or_nothing, format_of, read, sha256_of
from earlyhelp.extracts.projects import approve, manifest, record_extract
from earlyhelp.policy.schema import Project

MAPPING_KEYS = {"date_format", "columns"}
SAMPLE_DAY = date(2001, 12, 31)


class MappingError(ValueError):
    pass


class UnreadableValues(ValueError):
    pass


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]  # file column -> project field name, "keep" or "drop"
    date_format: str = ISO_DATE


def load_mapping(path: Path, project: Project) -> Mapping:
    """The mapping file, checked against the project; errors name the key and the rule."""
    where = f"--map {path.name}"
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise MappingError(f"{where}: there is no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError(f"{where}: not a TOML file ({error})") from None
    extra = sorted(set(data) - MAPPING_KEYS)
    if extra:
        raise MappingError(
            f"{where}: {', '.join(extra)}: unknown key (allowed: columns, date_format)"
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
    return Mapping(columns, date_format)


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
        raise MappingError(
            f"--map: columns.{missing[0]}: the file has no column '{missing[0]}' "
            f"(it has {', '.join(header)})"
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


def pseudonymise_file(
    project_id: str,
    mapping_path: Path,
    in_path: Path,
    out_path: Path,
    on_date: date | None = None,
    user=None,
) -> Extract:
    """Apply the project's rules to IN, write OUT and its manifest whole, and record it."""
    on_date = on_date or date.today()
    approved = approve(project_id, on_date)
    mapping = load_mapping(mapping_path, approved.project)
    format_of(out_path, "OUT")
    if not out_path.parent.is_dir():
        raise OutputError(f"OUT: there is no folder '{out_path.parent}'")
    frame = read(in_path)
    columns = column_rules(mapping, approved.project, frame.collect_schema().names())
    found = problems(frame, columns, on_date=on_date, date_format=mapping.date_format)
    if found:
        raise UnreadableValues(
            f"{in_path.name}: nothing was written, because\n  "
            + "\n  ".join(p.message() for p in found)
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
                # A file from another system is not linked to the case records, so
                # objections recorded here cannot be looked up for its rows.
                "objections": "not checked: the file is not linked to the case records",
            },
        )
        files.json(document, out_path.with_name(f"{out_path.stem}-manifest.json"))
        extract = record_extract(approved, mode=Extract.Mode.FILE, document=document, user=user)
    return extract
