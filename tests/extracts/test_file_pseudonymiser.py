"""`earlyhelp pseudonymise`: a return from another system, through the same rules."""

import re
from datetime import date

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from earlyhelp.extracts.files import MappingError, load_mapping, pseudonymise_file
from earlyhelp.extracts.models import Extract
from earlyhelp.policy.loader import load_policy

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 25)
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,HOME_POST\n"
MAPPING = """
date_format = "%d/%m/%Y"
[columns]
CHILD = "person-reference"
DOB = "date-of-birth"
MC_DOB = "date-of-birth"
HOME_POST = "postcode"
SEX = "keep"
ETHNIC = "keep"
"""


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "903.toml"
    path.write_text(MAPPING)
    return path


def _return(tmp_path, *rows: str):
    path = tmp_path / "header.csv"
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows))
    return path


def _run(mapping, source, out):
    call_command(
        "pseudonymise",
        "--project",
        "liia",
        "--map",
        str(mapping),
        "--on",
        "2026-11-25",
        str(source),
        str(out),
    )


def test_notice_example_holds_for_a_file(keys_dir, mapping, tmp_path):
    source = _return(tmp_path, "TS0001,1,17/01/2000,WBRI,A123456789012,0,,SW14 2JU")
    _run(mapping, source, tmp_path / "out.csv")
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False).row(0, named=True)
    assert out["DOB"] == "2000-01" and out["HOME_POST"] == "SW14"
    assert len(out["CHILD"]) == 16 and out["CHILD"] != "TS0001"


def test_unmapped_columns_are_dropped_and_kept_ones_leave_unchanged(keys_dir, mapping, tmp_path):
    source = _return(tmp_path, "007,2,01/02/2015,MWBC,A123456789012,1,03/04/2020,NW5 1TL")
    _run(mapping, source, tmp_path / "out.csv")
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert out.columns == ["CHILD", "SEX", "DOB", "ETHNIC", "MC_DOB", "HOME_POST"]
    assert out.row(0, named=True)["ETHNIC"] == "MWBC"


def test_malformed_date_is_reported_by_row_and_nothing_is_written(keys_dir, mapping, tmp_path):
    source = _return(
        tmp_path,
        "1,1,17/01/2000,WBRI,,0,,SW14 2JU",
        "2,1,31/02/2000,WBRI,,0,,SW14 2JU",
        "3,1,17/01/2000,WBRI,,0,,SW14 9ZZZ",
    )
    with pytest.raises(CommandError) as refused:
        _run(mapping, source, tmp_path / "out.csv")
    assert "DOB: not a date from 1 January 1900 to the extract date" in str(refused.value)
    assert '(written as "%d/%m/%Y", or a timestamp) in data row 2\n' in str(refused.value)
    assert "HOME_POST: not a UK postcode in data row 3" in str(refused.value)
    assert refused.value.returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["903.toml", "header.csv", "keys"]
    assert not Extract.objects.exists()


def test_same_child_gets_the_same_id_from_the_file_and_from_another_file(
    keys_dir, mapping, tmp_path
):
    first = _return(tmp_path, "ABC 1,1,17/01/2000,WBRI,,0,,SW14 2JU")
    _run(mapping, first, tmp_path / "a.parquet")
    second = _return(tmp_path, "abc1,1,17/01/2000,WBRI,,0,,SW14 2JU")
    _run(mapping, second, tmp_path / "b.parquet")
    a, b = pl.read_parquet(tmp_path / "a.parquet"), pl.read_parquet(tmp_path / "b.parquet")
    assert a["CHILD"][0] == b["CHILD"][0]


def test_parquet_return_is_read_with_its_own_date_types(keys_dir, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nCHILD = "person-reference"\nDOB = "date-of-birth"\n')
    source = tmp_path / "in.parquet"
    pl.DataFrame({"CHILD": ["1"], "DOB": [date(2000, 1, 17)]}).write_parquet(source)
    extract = pseudonymise_file("liia", mapping, source, tmp_path / "out.csv", ON)
    assert pl.read_csv(tmp_path / "out.csv")["DOB"].to_list() == ["2000-01"]
    assert extract.mode == "file" and extract.rows == 1
    assert (tmp_path / "out-manifest.json").exists()


def test_file_for_an_ended_project_is_refused(keys_dir, mapping, tmp_path):
    source = _return(tmp_path, "1,1,17/01/2000,WBRI,,0,,SW14 2JU")
    with pytest.raises(CommandError, match="ended on 31 March 2025"):
        call_command(
            "pseudonymise",
            "--project",
            "national-insights",
            "--map",
            str(mapping),
            str(source),
            str(tmp_path / "out.csv"),
        )


LIIA = load_policy("policies/camden.toml").project("liia")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('[columns]\nDOB = "birthday"\n', "columns.DOB: 'birthday' is not a field"),
        ("columns = 3\n", "columns: a table"),
        ('colums = {}\n[columns]\nA = "keep"\n', "colums: unknown key"),
        ('date_format = "%Y"\n[columns]\nA = "keep"\n', "date_format: '%Y' must"),
        ("[columns\n", "not a TOML file"),
    ],
)
def test_bad_mapping_names_the_key_and_the_rule(tmp_path, text, names):
    path = tmp_path / "m.toml"
    path.write_text(text)
    with pytest.raises(MappingError, match=re.escape(names)):
        load_mapping(path, LIIA)


def test_mapping_a_column_the_file_lacks_names_it(keys_dir, mapping, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("CHILD,DOB\n1,17/01/2000\n")
    missing = re.escape("columns.MC_DOB: the file has no column 'MC_DOB'")
    with pytest.raises(CommandError, match=missing):
        _run(mapping, source, tmp_path / "out.csv")


def test_output_must_be_csv_or_parquet(keys_dir, mapping, tmp_path):
    source = _return(tmp_path, "1,1,17/01/2000,WBRI,,0,,SW14 2JU")
    wrong = re.escape("OUT: 'out.xlsx' must end in .csv or .parquet")
    with pytest.raises(CommandError, match=wrong):
        _run(mapping, source, tmp_path / "out.xlsx")
