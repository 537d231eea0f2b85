"""Writing what leaves: whole files or none, and a manifest that says what each holds.

Each file is written under a temporary name in its own folder and renamed only when every
file of the set is complete, so a failure (a full disk, a killed job) leaves nothing that
looks like an extract.

Every CSV is spreadsheet-safe (earlyhelp.lib.spreadsheet): a text cell a spreadsheet would
run as a formula is written with a ' in front, counted per column in the file's manifest
entry with the rule. Parquet values are written as they are. The counting shares one
streaming pass with the writing (Polars runs the common part of the two queries once).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from earlyhelp.lib import spreadsheet

FORMATS = {".csv": "csv", ".parquet": "parquet"}


class OutputError(Exception):
    pass


@dataclass(frozen=True)
class Written:
    path: Path
    format: str
    rows: int
    bytes: int
    sha256: str
    # For a CSV: text column -> cells written with a ' in front (spreadsheet safety).
    neutralised: dict[str, int] | None = None

    def manifest_entry(self) -> dict[str, Any]:
        safety: dict[str, Any] = (
            {"rule": spreadsheet.PARQUET_RULE}
            if self.neutralised is None
            else {"rule": spreadsheet.RULE, "cells_neutralised": self.neutralised}
        )
        return {
            "name": self.path.name,
            "format": self.format,
            "rows": self.rows,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "spreadsheet_safety": safety,
        }


def format_of(path: Path, argument: str) -> str:
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise OutputError(f"{argument}: '{path.name}' must end in .csv or .parquet")
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def all_or_nothing() -> Iterator[FileSet]:
    files = FileSet()
    try:
        yield files
    except BaseException:
        files.discard()
        raise
    files.commit()


class FileSet:
    """Files written under temporary names, renamed together by commit()."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def _temporary(self, path: Path) -> Path:
        if path.exists():
            raise OutputError(f"'{path}' already exists; nothing was overwritten")
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
        self._pending.append((temporary, path))
        return temporary

    def frame(self, frame: pl.LazyFrame, path: Path, argument: str = "OUT") -> Written:
        kind = format_of(path, argument)
        temporary = self._temporary(path)
        neutralised = None
        if kind == "csv":
            neutralised = _sink_safe_csv(frame, temporary)
        else:
            frame.sink_parquet(temporary)
        written = (
            pl.scan_csv(temporary, infer_schema=False)
            if kind == "csv"
            else pl.scan_parquet(temporary)
        )
        rows = written.select(pl.len()).collect().item()
        return Written(
            path, kind, rows, temporary.stat().st_size, sha256_of(temporary), neutralised
        )

    def json(self, document: dict[str, Any], path: Path) -> Path:
        temporary = self._temporary(path)
        temporary.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n")
        return path

    def commit(self) -> None:
        for temporary, final in self._pending:
            # Pseudonymised data is still personal data: readable by its owner only.
            temporary.chmod(0o600)
            os.replace(temporary, final)
        self._pending.clear()

    def discard(self) -> None:
        for temporary, _ in self._pending:
            temporary.unlink(missing_ok=True)
        self._pending.clear()


def _sink_safe_csv(frame: pl.LazyFrame, path: Path) -> dict[str, int]:
    """Write ``frame`` as a spreadsheet-safe CSV at ``path``; the cells neutralised, by
    text column (every text column named, 0 included)."""
    text = spreadsheet.text_columns(frame.collect_schema())
    if not text:
        frame.sink_csv(path)
        return {}
    safe, counted = spreadsheet.neutralise_and_count(frame, text)
    _, counts = pl.collect_all([safe.sink_csv(path, lazy=True), counted], engine="streaming")
    return {name: int(counts[name][0]) for name in text}
