"""`earlyhelp pseudonymise` on files as councils really have them (issue 11, items 2 and 3).

Windows-1252 from Excel, UTF-8 with a byte order mark, blank lines and CRLF, cells that
cannot be decoded, timestamps in any zone, implausible dates and malformed files: the right
output, or one message naming the file, the row, the column and the rule, exit status 2,
no traceback and nothing written.
"""

import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from earlyhelp.extracts.files import MappingError, load_mapping, pseudonymise_file
from earlyhelp.extracts.models import Extract
from earlyhelp.extracts.return_files import ReturnFileError, calendar_date, encoding_of
from earlyhelp.policy.loader import load_policy

pytestmark = pytest.mark.django_db
ON = "2026-11-25"
LIIA = load_policy("policies/camden.toml").project("liia")

# The field's mapping (/work/shared/cases/map.toml), with an encoding line when given.
MAP = """date_format = "%d/%m/%Y"
{encoding}[columns]
CHILD = "person-reference"
DOB = "date-of-birth"
POSTCODE = "postcode"
SEX = "keep"
"""
# /work/shared/cases/f2_cp1252.csv: saved by Excel in Windows-1252, accents in a dropped column.
F2_CP1252 = b"CHILD,DOB,POSTCODE,SEX,NAME\n1001,01/02/2010,NW5 2AB,1,Zo\xeb Ren\xe9e\n"
# /work/shared/cases/f3_blank_line.csv: ends with a blank line.
F3_BLANK_LINE = b"CHILD,DOB,POSTCODE,SEX\n1001,01/02/2010,NW5 2AB,1\n\n"


def _mapping(folder: Path, encoding: str | None = None) -> Path:
    path = folder / "map.toml"
    line = f'encoding = "{encoding}"\n' if encoding else ""
    path.write_text(MAP.format(encoding=line))
    return path


def _file(folder: Path, data: bytes, name: str = "in.csv") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _run(mapping: Path, source: Path, out: Path) -> None:
    call_command(
        "pseudonymise",
        "--project",
        "liia",
        "--map",
        str(mapping),
        "--on",
        ON,
        str(source),
        str(out),
    )


def _refused(mapping: Path, source: Path, out: Path) -> str:
    """The message of a refused run, after checking it exits 2 and writes nothing."""
    before = sorted(p.name for p in out.parent.iterdir())
    with pytest.raises(CommandError) as refused:
        _run(mapping, source, out)
    assert refused.value.returncode == 2
    assert sorted(p.name for p in out.parent.iterdir()) == before
    assert not Extract.objects.exists()
    return str(refused.value)


def _out(path: Path) -> list[dict]:
    return pl.read_csv(path, infer_schema=False).to_dicts()


def _manifest(out: Path) -> dict:
    return json.loads(out.with_name(f"{out.stem}-manifest.json").read_text())


@pytest.fixture
def temporary_folder(tmp_path, monkeypatch):
    """Python's temporary folder for this test only, to see re-encoded copies go."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


# --- encodings ----------------------------------------------------------------------------


def test_windows_1252_file_keeps_pound_and_accent_in_a_kept_column_and_drops_the_other(
    keys_dir, tmp_path, temporary_folder
):
    data = "CHILD,DOB,POSTCODE,SEX,NAME\n1001,01/02/2010,NW5 2AB,£5 Zoë,Renée\n"
    source = _file(tmp_path, data.encode("cp1252"))
    out = tmp_path / "out.csv"
    _run(_mapping(tmp_path, "windows-1252"), source, out)
    (row,) = _out(out)
    assert row["SEX"] == "£5 Zoë" and "NAME" not in row
    assert out.read_bytes().decode("utf-8").endswith(",£5 Zoë\n")
    assert _manifest(out)["source_encoding"] == "windows-1252"
    assert list(temporary_folder.iterdir()) == []


def test_excel_windows_1252_bytes_in_a_dropped_column_do_not_stop_a_utf8_mapping(
    keys_dir, tmp_path
):
    out = tmp_path / "out.csv"
    _run(_mapping(tmp_path), _file(tmp_path, F2_CP1252), out)
    assert _out(out)[0]["POSTCODE"] == "NW5" and "NAME" not in _out(out)[0]


def test_windows_1252_text_in_a_kept_column_under_utf8_names_file_row_column_and_the_fix(
    keys_dir, tmp_path
):
    data = "CHILD,DOB,POSTCODE,SEX\n1,01/02/2010,NW5 2AB,1\n2,01/02/2010,NW5 2AB,Zoë\n"
    source = _file(tmp_path, data.encode("cp1252"), "return.csv")
    message = _refused(_mapping(tmp_path), source, tmp_path / "out.csv")
    assert message.startswith("return.csv: nothing was written")
    assert "SEX: cannot be read as utf-8 in data row 2" in message
    assert 'encoding = "windows-1252"' in message


def test_byte_windows_1252_does_not_define_names_file_row_and_column_and_leaves_no_copy(
    keys_dir, tmp_path, temporary_folder
):
    data = b"CHILD,DOB,POSTCODE,SEX\n1,01/02/2010,NW5 2AB,1\n2,01/02/2010,NW5 2AB,a\x81b\n"
    source = _file(tmp_path, data, "return.csv")
    message = _refused(_mapping(tmp_path, "windows-1252"), source, tmp_path / "out.csv")
    assert "return.csv: nothing was written" in message
    assert "SEX: cannot be read as windows-1252 in data row 2" in message
    assert list(temporary_folder.iterdir()) == []


def test_utf8_file_with_a_byte_order_mark_reads_its_first_column(keys_dir, tmp_path):
    data = "\ufeffCHILD,DOB,POSTCODE,SEX\n1001,01/02/2010,NW5 2AB,Zoë\n".encode()
    out = tmp_path / "out.csv"
    _run(_mapping(tmp_path), _file(tmp_path, data), out)
    (row,) = _out(out)
    assert len(row["CHILD"]) == 16 and row["SEX"] == "Zoë"


def test_byte_order_mark_contradicting_the_mapping_is_refused(keys_dir, tmp_path):
    data = "\ufeffCHILD,DOB,POSTCODE,SEX\n1001,01/02/2010,NW5 2AB,1\n".encode()
    message = _refused(
        _mapping(tmp_path, "windows-1252"), _file(tmp_path, data), tmp_path / "out.csv"
    )
    assert "in.csv: the file starts with a UTF-8 byte order mark" in message


def test_utf16_file_is_refused_with_the_way_to_save_it(keys_dir, tmp_path):
    data = "CHILD,DOB,POSTCODE,SEX\n1,01/02/2010,NW5 2AB,1\n".encode("utf-16")
    message = _refused(_mapping(tmp_path), _file(tmp_path, data), tmp_path / "out.csv")
    assert "in.csv: the file is UTF-16" in message and "CSV UTF-8" in message


@pytest.mark.parametrize(
    ("label", "encoding"),
    [
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("windows-1252", "windows-1252"),
        ("cp1252", "windows-1252"),
        ("latin1", "windows-1252"),  # as the WHATWG Encoding Standard reads the label
    ],
)
def test_encoding_labels_name_the_encodings_returns_come_in(label, encoding):
    assert encoding_of(label) == encoding


@pytest.mark.parametrize("label", ["ebcdic-cp-be", "utf-16", "shift_jis", 8])
def test_other_encodings_are_refused_naming_the_key(tmp_path, label):
    path = tmp_path / "m.toml"
    path.write_text(f'encoding = {json.dumps(label)}\n[columns]\nA = "keep"\n')
    with pytest.raises(MappingError, match=re.escape("--map m.toml: encoding: ")):
        load_mapping(path, LIIA)


# --- blank lines and CRLF -----------------------------------------------------------------


def test_field_file_ending_with_a_blank_line_gives_one_row(keys_dir, tmp_path):
    out = tmp_path / "out.csv"
    _run(_mapping(tmp_path), _file(tmp_path, F3_BLANK_LINE), out)
    assert len(_out(out)) == 1
    assert _manifest(out)["rows"] == 1 and _manifest(out)["blank_rows_skipped"] == 1


def test_blank_lines_and_crlf_are_skipped_and_not_counted(keys_dir, tmp_path):
    data = (
        b"CHILD,DOB,POSTCODE,SEX\r\n"
        b"1,01/02/2010,NW5 2AB,1\r\n"
        b"\r\n"
        b",,,\r\n"  # Excel's empty row
        b"2,03/04/2011,N7 6AA,2\r\n"
        b"  \r\n"
        b"\r\n"
    )
    out = tmp_path / "out.csv"
    extract = pseudonymise_file("liia", _mapping(tmp_path), _file(tmp_path, data), out)
    rows = _out(out)
    assert [r["SEX"] for r in rows] == ["1", "2"]
    assert [r["POSTCODE"] for r in rows] == ["NW5", "N7"]
    assert extract.rows == 2 and _manifest(out)["blank_rows_skipped"] == 4
    assert b"\r" not in out.read_bytes()


def test_rows_are_numbered_as_the_file_has_them_blank_lines_included(keys_dir, tmp_path):
    data = b"CHILD,DOB,POSTCODE,SEX\n1,01/02/2010,NW5 2AB,1\n\n2,31/02/2010,NW5 2AB,1\n"
    message = _refused(_mapping(tmp_path), _file(tmp_path, data), tmp_path / "out.csv")
    assert re.search(r"DOB: not a date .* in data row 3$", message)


# --- timestamps as UK calendar dates --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-28T23:30:00Z", date(2026, 3, 28)),  # GMT: London is at UTC
        ("2026-06-30T23:30:00Z", date(2026, 7, 1)),  # BST: 00:30 in London
        ("2026-06-30T23:30:00.250+00:00", date(2026, 7, 1)),
        ("2026-06-30 23:30+0100", date(2026, 6, 30)),
        ("2026-10-25T00:30:00-05:00", date(2026, 10, 25)),  # 05:30 GMT, after BST ends
        ("2026-12-31t23:59:59z", date(2026, 12, 31)),
        ("2026-06-30 23:30:00 UTC", date(2026, 7, 1)),
        ("2026-06-30 23:30 GMT", date(2026, 7, 1)),
        ("01/02/2010 00:00", date(2010, 2, 1)),  # no zone: a wall-clock time, its own date
        ("2010-02-01T23:59:59", date(2010, 2, 1)),
        ("01/02/2010", date(2010, 2, 1)),
        ("2026-06-30T25:30:00Z", None),
        ("yesterday", None),
    ],
)
def test_timestamp_text_becomes_the_uk_calendar_date(text, day):
    series = pl.Series("d", [text])
    read = pl.select(calendar_date(pl.lit(series), pl.String, "%d/%m/%Y", timestamps=True))
    assert read.item() == day


def test_timestamps_in_a_csv_leave_as_the_uk_month(keys_dir, tmp_path):
    data = (
        b"CHILD,DOB,POSTCODE,SEX\n"
        b"1,2026-03-28T23:30:00Z,NW5 2AB,1\n"
        b"2,2026-06-30T23:30:00Z,NW5 2AB,1\n"
        b"3,01/02/2010,NW5 2AB,1\n"
    )
    out = tmp_path / "out.csv"
    _run(_mapping(tmp_path), _file(tmp_path, data), out)
    assert [r["DOB"] for r in _out(out)] == ["2026-03", "2026-07", "2010-02"]


def test_parquet_zoned_and_naive_timestamps_become_uk_calendar_dates(keys_dir, tmp_path):
    utc, new_york = ZoneInfo("UTC"), ZoneInfo("America/New_York")
    source = tmp_path / "in.parquet"
    pl.DataFrame(
        {
            "CHILD": ["1", "2", "3"],
            "DOB": [  # stored in UTC
                datetime(2026, 3, 28, 23, 30, tzinfo=utc),
                datetime(2026, 6, 30, 23, 30, tzinfo=utc),
                datetime(2010, 1, 31, 23, 30, tzinfo=utc),
            ],
            "MC_DOB": [  # stored in New York's zone: 19:30 there is 00:30 in London
                datetime(2026, 6, 30, 19, 30, tzinfo=new_york),
                datetime(2026, 3, 31, 19, 30, tzinfo=new_york),
                None,
            ],
            "SEEN": [datetime(2026, 6, 30, 23, 30)] * 3,  # naive: its own date
        }
    ).write_parquet(source)
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[columns]\nCHILD = "person-reference"\nDOB = "date-of-birth"\n'
        'MC_DOB = "date-of-birth"\nSEEN = "date-of-birth"\n'
    )
    out = tmp_path / "out.parquet"
    pseudonymise_file("liia", mapping, source, out, date(2026, 11, 25))
    rows = pl.read_parquet(out)
    assert rows["DOB"].to_list() == ["2026-03", "2026-07", "2010-01"]
    assert rows["MC_DOB"].to_list() == ["2026-07", "2026-04", None]
    assert rows["SEEN"].to_list() == ["2026-06"] * 3
    # The day itself, not only the month: 23:30 UTC on 30 June is 1 July in London.
    dtype = pl.Datetime("us", "UTC")
    days = pl.read_parquet(source).select(calendar_date(pl.col("DOB"), dtype, "%Y-%m-%d"))
    assert days["DOB"].to_list() == [date(2026, 3, 28), date(2026, 7, 1), date(2010, 1, 31)]


# --- plausible dates (item 2) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "dob",
    [
        "04/04/0014",
        "01/01/99999999999999999999",
        "31/12/1899",
        "26/11/2026",  # the day after the extract date
        "31/12/9999",
        "2026-11-26T00:30:00Z",
    ],
)
def test_implausible_date_of_birth_names_file_row_column_and_the_range(keys_dir, tmp_path, dob):
    data = f"CHILD,DOB,POSTCODE,SEX\n1,01/02/2010,NW5 2AB,1\n2,{dob},NW5 2AB,1\n".encode()
    message = _refused(_mapping(tmp_path), _file(tmp_path, data, "903.csv"), tmp_path / "o.csv")
    assert message.startswith("903.csv: nothing was written, because")
    assert (
        "DOB: not a date from 1 January 1900 to the extract date, 25 November 2026 "
        '(written as "%d/%m/%Y", or a timestamp) in data row 2'
    ) in message


def test_first_and_last_plausible_days_are_accepted(keys_dir, tmp_path):
    data = b"CHILD,DOB,POSTCODE,SEX\n1,01/01/1900,NW5 2AB,1\n2,25/11/2026,NW5 2AB,1\n"
    out = tmp_path / "out.csv"
    _run(_mapping(tmp_path), _file(tmp_path, data), out)
    assert [r["DOB"] for r in _out(out)] == ["1900-01", "2026-11"]


def test_implausible_date_in_a_parquet_date_column_is_refused(keys_dir, tmp_path):
    source = tmp_path / "in.parquet"
    pl.DataFrame({"CHILD": ["1", "2"], "DOB": [date(2010, 2, 1), date(14, 4, 4)]}).write_parquet(
        source
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nCHILD = "person-reference"\nDOB = "date-of-birth"\n')
    message = _refused(mapping, source, tmp_path / "out.csv")
    assert "in.parquet: nothing was written" in message
    assert "DOB: not a date from 1 January 1900 to the extract date" in message
    assert message.endswith("in data row 2")


# --- malformed files: a message, exit status 2, no traceback --------------------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"CHILD,DOB,POSTCODE,SEX\n1,01/02/2010,NW5 2AB,1\n2,01/02/2010,NW5 2AB,1,x\n",
         "in.csv: nothing was written, because data row 2 has 5 cells; the header has 4"),
        (b'CHILD,DOB,POSTCODE,SEX\n1,01/02/2010,"NW5 2AB,1\n2,01/02/2010,NW5 2AB,1\n',
         'in.csv: nothing was written, because a quoted cell in data row 1 is never closed'),
        (b"", "in.csv: the file is empty"),
    ],
)  # fmt: skip
def test_malformed_csv_is_refused_naming_file_row_and_rule(keys_dir, tmp_path, data, says):
    message = _refused(_mapping(tmp_path), _file(tmp_path, data), tmp_path / "out.csv")
    assert message.startswith(says)


def test_file_that_is_not_parquet_is_refused_naming_it(keys_dir, tmp_path):
    source = _file(tmp_path, b"PK\x03\x04 a spreadsheet renamed", "return.parquet")
    message = _refused(_mapping(tmp_path), source, tmp_path / "out.csv")
    assert message.startswith("return.parquet: nothing was written, because it is not a Parquet")


def test_a_mapped_column_named_twice_in_the_header_is_refused(keys_dir, tmp_path):
    data = b"CHILD,DOB,POSTCODE,SEX,SEX\n1,01/02/2010,NW5 2AB,1,2\n"
    message = _refused(_mapping(tmp_path), _file(tmp_path, data), tmp_path / "out.csv")
    assert "columns.SEX: the file has more than one column 'SEX'" in message


def test_command_line_exits_2_with_a_message_and_no_traceback(keys_dir, tmp_path, capsys):
    data = "CHILD,DOB,POSTCODE,SEX\n1,01/02/2010,NW5 2AB,Zoë\n".encode("cp1252")
    source, out = _file(tmp_path, data, "return.csv"), tmp_path / "out.csv"
    # The system checks want the audit and field keys, which this test has no need of.
    argv = ["earlyhelp", "pseudonymise", "--skip-checks", "--project", "liia", "--map"]
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line([*argv, str(_mapping(tmp_path)), str(source), str(out)])
    assert exited.value.code == 2
    stderr = capsys.readouterr().err
    assert "return.csv: nothing was written" in stderr
    assert "SEX: cannot be read as utf-8 in data row 1" in stderr
    assert "Traceback" not in stderr
    assert not out.exists()


def test_unreadable_input_is_an_error_not_a_traceback(keys_dir, tmp_path):
    folder = tmp_path / "in.csv"
    folder.mkdir()  # a folder where the file should be
    with pytest.raises(ReturnFileError, match="IN: there is no file"):
        pseudonymise_file("liia", _mapping(tmp_path), folder, tmp_path / "out.csv")
