"""Objections and the extract: only where the policy honours them, and only as of the extract date.

The notice (section 5, LIIA) says people may object and their data will then not be
shared; the policy states it per project as `objection_honoured`. An extract made as of a
date follows the objections as they stood on that date: one received later has not yet
been made, and one withdrawn on or before it no longer stands.

People are told apart in the extract by their month of birth (the `family` fixture's
children: Yusuf born February 2016, Leila August 2021), as the reference is a pseudonym.
"""

from datetime import date, timedelta

import polars as pl
import pytest
from django.core.management import call_command

from earlyhelp.extracts.database import extract_from_records
from earlyhelp.policy.active import active_policy
from tests.factories import ObjectionFactory
from tests.policy import camden_dict, write_policy

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 25)
DAY = timedelta(days=1)
YUSUF, LEILA = "2016-02", "2021-08"


def _months(out_dir, project="liia", on=ON) -> list[str]:
    frame = pl.read_parquet(out_dir / f"{project}-{on.isoformat()}.parquet")
    return sorted(frame["date-of-birth"].to_list())


@pytest.fixture
def liia_objections_not_honoured(settings, tmp_path):
    """The Camden policy with one change: LIIA does not honour objections."""
    data = camden_dict()
    (liia,) = [p for p in data["projects"] if p["id"] == "liia"]
    liia["objection_honoured"] = False
    del liia["objection_contact"]  # the loader asks for a contact only when honoured
    folder = tmp_path / "policy"
    folder.mkdir()
    settings.POLICY_PATH = write_policy(folder, data)
    assert active_policy().project("liia").objection_honoured is False
    return settings.POLICY_PATH


# --- objection_honoured ---------------------------------------------------------------------


def test_objection_leaves_the_person_out_where_the_policy_honours_objections(
    family, case, keys_dir, tmp_path
):
    assert active_policy().project("liia").objection_honoured is True  # camden.toml
    ObjectionFactory(person=family["yusuf"], project="liia", received=date(2026, 1, 5))
    extract = extract_from_records("liia", tmp_path, ON)
    assert _months(tmp_path) == [LEILA]
    assert (extract.rows, extract.left_out_by_objection) == (1, 1)


def test_objection_does_not_leave_the_person_out_where_the_policy_does_not_honour_objections(
    family, case, keys_dir, tmp_path, liia_objections_not_honoured
):
    ObjectionFactory(person=family["yusuf"], project="liia", received=date(2026, 1, 5))
    extract = extract_from_records("liia", tmp_path / "out", ON)
    assert _months(tmp_path / "out") == [YUSUF, LEILA]
    assert (extract.rows, extract.left_out_by_objection) == (2, 0)
    assert extract.manifest["rows"] == 2


def test_national_collection_does_not_honour_objections_as_the_notice_offers_none(
    family, case, keys_dir, tmp_path
):
    # camden.toml: "The notice states the right to object only for LIIA."
    assert active_policy().project("national-insights").objection_honoured is False
    on = date(2024, 7, 1)  # while the collection ran (it ended on 31 March 2025)
    case.started = date(2024, 5, 1)
    case.save()
    case.assessments.create(kind="early_help", started=date(2024, 6, 1))
    ObjectionFactory(
        person=family["yusuf"], project="national-insights", received=date(2024, 6, 15)
    )
    extract = extract_from_records("national-insights", tmp_path, on)
    # Everyone on a case with an early help assessment: the mother and both children.
    assert (extract.rows, extract.left_out_by_objection) == (3, 0)


# --- as of the extract date -------------------------------------------------------------------

# (received, withdrawn) relative to the extract date ON, and whether Yusuf is left out.
AS_OF_THE_EXTRACT_DATE = [
    pytest.param(ON - DAY, None, True, id="received-the-day-before"),
    pytest.param(ON, None, True, id="received-on-the-extract-date"),
    pytest.param(ON + DAY, None, False, id="received-the-day-after"),
    pytest.param(ON + 30 * DAY, None, False, id="received-a-month-after"),
    pytest.param(date(2025, 1, 1), ON - DAY, False, id="withdrawn-the-day-before"),
    pytest.param(date(2025, 1, 1), ON, False, id="withdrawn-on-the-extract-date"),
    pytest.param(date(2025, 1, 1), ON + DAY, True, id="withdrawn-the-day-after"),
    pytest.param(ON, ON + DAY, True, id="received-on-the-date-withdrawn-the-day-after"),
    pytest.param(ON + DAY, ON + 2 * DAY, False, id="received-and-withdrawn-after"),
]


@pytest.mark.parametrize(("received", "withdrawn", "left_out"), AS_OF_THE_EXTRACT_DATE)
def test_extract_follows_the_objections_that_stood_on_its_extract_date(
    family, case, keys_dir, tmp_path, received, withdrawn, left_out
):
    ObjectionFactory(person=family["yusuf"], project="liia", received=received, withdrawn=withdrawn)
    extract = extract_from_records("liia", tmp_path, ON)
    assert _months(tmp_path) == ([LEILA] if left_out else [YUSUF, LEILA])
    assert extract.left_out_by_objection == (1 if left_out else 0)


def test_extract_command_on_a_date_ignores_an_objection_received_the_day_after(
    family, case, keys_dir, tmp_path
):
    ObjectionFactory(person=family["yusuf"], project="liia", received=ON + DAY)
    ObjectionFactory(person=family["leila"], project="liia", received=ON)
    call_command("extract", "liia", "--out", str(tmp_path), "--on", ON.isoformat())
    assert _months(tmp_path) == [YUSUF]


def test_same_records_give_a_later_extract_without_the_person_once_their_objection_arrives(
    family, case, keys_dir, tmp_path
):
    ObjectionFactory(person=family["yusuf"], project="liia", received=ON + DAY)
    before = extract_from_records("liia", tmp_path / "before", ON)
    after = extract_from_records("liia", tmp_path / "after", ON + DAY)
    assert _months(tmp_path / "before") == [YUSUF, LEILA]
    assert _months(tmp_path / "after", on=ON + DAY) == [LEILA]
    assert (before.left_out_by_objection, after.left_out_by_objection) == (0, 1)


def test_one_person_with_two_objections_in_force_is_counted_once(family, case, keys_dir, tmp_path):
    ObjectionFactory(person=family["yusuf"], project="liia", received=date(2025, 1, 1))
    ObjectionFactory(person=family["yusuf"], project="liia", received=date(2026, 1, 1))
    extract = extract_from_records("liia", tmp_path, ON)
    assert (extract.rows, extract.left_out_by_objection) == (1, 1)
