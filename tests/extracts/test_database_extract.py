"""`earlyhelp extract`: the project's cohort from the records, as the policy allows."""

import json
import stat
from datetime import date

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.services import open_case
from earlyhelp.extracts.database import cohort, extract_from_records
from earlyhelp.extracts.keys import rotate_project_key
from earlyhelp.extracts.models import Extract
from earlyhelp.extracts.output import sha256_of
from earlyhelp.extracts.projects import ExtractRefused
from earlyhelp.policy.loader import load_policy
from earlyhelp.policy.schema import Period
from tests.factories import (
    AddressFactory,
    AssessmentFactory,
    ObjectionFactory,
    PersonAddressFactory,
    PersonFactory,
)

ON = date(2026, 11, 25)
pytestmark = pytest.mark.django_db


def _rows(out_dir, project="liia", on=ON) -> pl.DataFrame:
    return pl.read_parquet(out_dir / f"{project}-{on.isoformat()}.parquet")


def test_national_collection_is_refused_today_naming_the_rule_and_its_end_date(
    case, keys_dir, tmp_path
):
    with pytest.raises(CommandError) as refused:
        call_command("extract", "national-insights", "--out", str(tmp_path / "out"))
    message = str(refused.value)
    assert "ended on 31 March 2025" in message
    assert "project:national-insights" in message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert not Extract.objects.exists()


def test_national_collection_could_be_extracted_while_it_ran(case, team, keys_dir, tmp_path):
    AssessmentFactory(case=case, kind="early_help", started=date(2024, 6, 1))
    case.started = date(2024, 5, 1)
    case.save()
    extract = extract_from_records("national-insights", tmp_path, date(2024, 7, 1))
    # Everyone on a case with an early help assessment: the mother and both children.
    assert extract.rows == 3
    assert _rows(tmp_path, "national-insights", date(2024, 7, 1)).columns == ["person-reference"]


def test_project_is_refused_before_it_starts(case, keys_dir, tmp_path):
    with pytest.raises(ExtractRefused, match="starts on 1 November 2023"):
        extract_from_records("liia", tmp_path, date(2023, 10, 31))


def test_liia_cohort_is_the_children_the_cases_are_about(family, case, keys_dir, tmp_path):
    extract = extract_from_records("liia", tmp_path, ON)
    assert extract.rows == 2
    months = sorted(_rows(tmp_path)["date-of-birth"].to_list())
    assert months == ["2016-02", "2021-08"]


def test_person_who_objected_is_absent_from_the_next_liia_extract(family, case, keys_dir, tmp_path):
    before = extract_from_records("liia", tmp_path / "before", ON)
    ObjectionFactory(person=family["yusuf"], project="liia", received=ON)
    after = extract_from_records("liia", tmp_path / "after", ON)
    assert (before.rows, after.rows) == (2, 1)
    assert after.left_out_by_objection == 1
    assert _rows(tmp_path / "after")["date-of-birth"].to_list() == ["2021-08"]


def test_withdrawn_objection_no_longer_leaves_the_person_out(family, case, keys_dir, tmp_path):
    ObjectionFactory(
        person=family["yusuf"], project="liia", received=date(2025, 1, 1), withdrawn=ON
    )
    assert extract_from_records("liia", tmp_path, ON).rows == 2


def test_objection_to_one_project_does_not_leave_the_person_out_of_another(
    family, case, keys_dir, tmp_path
):
    ObjectionFactory(person=family["yusuf"], project="national-insights", received=ON)
    assert extract_from_records("liia", tmp_path, ON).rows == 2


def test_merged_away_record_is_not_extracted_twice(family, case, keys_dir, tmp_path):
    duplicate = PersonFactory(given_name="Yusuf", family_name="Haddad", unidentified=True)
    duplicate.merged_into = family["yusuf"]
    duplicate.save()
    assert extract_from_records("liia", tmp_path, ON).rows == 2


def test_postcode_is_the_district_of_the_address_lived_at_on_the_extract_date(
    family, case, keys_dir, tmp_path
):
    case.started = date(2020, 1, 1)
    case.save()
    old = AddressFactory(line_1="1 Old Road", postcode="SW14 2JU")
    new = AddressFactory(line_1="2 New Road", postcode="N7 8PL")
    yusuf = family["yusuf"]
    PersonAddressFactory(
        person=yusuf,
        address=old,
        moved_in=date(2016, 2, 9),
        moved_out=date(2025, 1, 1),
        source="family",
    )
    PersonAddressFactory(person=yusuf, address=new, moved_in=date(2025, 1, 1), source="family")
    extract_from_records("liia", tmp_path / "now", ON)
    extract_from_records("liia", tmp_path / "then", date(2024, 6, 1))
    assert "N7" in _rows(tmp_path / "now")["postcode"].to_list()
    assert "SW14" in _rows(tmp_path / "then", on=date(2024, 6, 1))["postcode"].to_list()


def test_same_child_has_the_same_id_in_every_extract_until_the_key_is_rotated(
    family, case, keys_dir, tmp_path
):
    extract_from_records("liia", tmp_path / "1", ON)
    extract_from_records("liia", tmp_path / "2", ON)
    first, second = _rows(tmp_path / "1"), _rows(tmp_path / "2")
    assert sorted(first["person-reference"]) == sorted(second["person-reference"])
    rotate_project_key(keys_dir, "liia")
    third = extract_from_records("liia", tmp_path / "3", ON)
    assert set(_rows(tmp_path / "3")["person-reference"]).isdisjoint(first["person-reference"])
    assert third.manifest["pseudonym_key"] != Extract.objects.last().manifest["pseudonym_key"]


def test_extract_writes_csv_parquet_and_a_manifest_that_vouches_for_them(
    family, case, keys_dir, tmp_path
):
    extract = extract_from_records("liia", tmp_path, ON)
    manifest = json.loads((tmp_path / "liia-2026-11-25-manifest.json").read_text())
    assert manifest == extract.manifest
    assert manifest["project"] == "liia" and manifest["extract_date"] == "2026-11-25"
    assert manifest["policy_version"] == extract.policy_version
    assert {c["name"]: c["rule"] for c in manifest["columns"]} == {
        "name": "drop",
        "person-reference": "keyed_pseudonym",
        "date-of-birth": "date_to_month",
        "postcode": "postcode_to_district",
    }
    for written in manifest["files"]:
        assert sha256_of(tmp_path / written["name"]) == written["sha256"]
        assert written["rows"] == 2
    csv = pl.read_csv(tmp_path / "liia-2026-11-25.csv", infer_schema=False)
    assert csv.equals(_rows(tmp_path))
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    # Pseudonymised data is still personal data: the files are their owner's alone.
    assert {stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob("liia-*")} == {0o600}


def test_extract_is_recorded_with_the_recipients_destruction_date_and_audited(
    family, case, keys_dir, tmp_path
):
    extract = extract_from_records("liia", tmp_path, ON)
    assert extract.destruction_due == date(2032, 11, 25)  # "destroyed after six years"
    event = AuditEvent.objects.get(action="export", record_id=str(extract.public_id))
    assert event.rule == "project:liia"
    assert event.record_type == "extract"
    assert event.details["rows"] == 2
    assert "identity-and-contact" in event.categories


def test_extract_never_overwrites_an_earlier_one(family, case, keys_dir, tmp_path):
    extract_from_records("liia", tmp_path, ON)
    with pytest.raises(CommandError, match="already exists"):
        call_command("extract", "liia", "--out", str(tmp_path), "--on", "2026-11-25")
    assert Extract.objects.count() == 1


def test_extract_without_a_pseudonym_key_says_how_to_make_one(case, settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "empty"
    with pytest.raises(CommandError, match="keys init"):
        call_command("extract", "liia", "--out", str(tmp_path / "out"))


def test_unknown_project_is_refused(keys_dir, tmp_path):
    with pytest.raises(CommandError, match="not a project the policy declares"):
        call_command("extract", "no-such-project", "--out", str(tmp_path))


def test_case_opened_after_the_extract_date_is_not_in_it(family, team, keys_dir, tmp_path):
    open_case(
        service="family-support-and-complex-families",
        household=family["household"],
        children=[family["yusuf"]],
        family=[],
        reason="Later",
        team=team,
        started=date(2027, 1, 1),
        created_by=None,
    )
    assert extract_from_records("liia", tmp_path, ON).rows == 0


def test_address_with_no_move_in_date_still_gives_the_district(family, case, keys_dir, tmp_path):
    home = AddressFactory(line_1="3 Any Road", postcode="NW1 8NP")
    PersonAddressFactory(person=family["leila"], address=home, source="family")
    extract_from_records("liia", tmp_path, ON)
    assert "NW1" in _rows(tmp_path)["postcode"].to_list()


def test_notice_example_tim_smith_leaves_the_records_as_the_notice_says(
    family, team, keys_dir, tmp_path
):
    tim = PersonFactory(given_name="Tim", family_name="Smith", date_of_birth=date(2000, 1, 17))
    home = AddressFactory(line_1="1 Sheen Lane", postcode="SW14 2JU")
    PersonAddressFactory(person=tim, address=home, source="family")
    open_case(
        service="family-support-and-complex-families",
        household=family["household"],
        children=[tim],
        family=[],
        reason="Example",
        team=team,
        started=date(2014, 1, 1),
        created_by=None,
    )
    extract_from_records("liia", tmp_path, ON)
    (row,) = _rows(tmp_path).rows(named=True)
    assert (row["date-of-birth"], row["postcode"]) == ("2000-01", "SW14")
    int(row["person-reference"], 16)
    text = (tmp_path / "liia-2026-11-25.csv").read_text()
    assert "Tim" not in text and "Smith" not in text and "2JU" not in text


def test_cohort_open_within_leaves_out_cases_that_ended_before_the_window(family, case):
    liia = load_policy("policies/camden.toml").project("liia")
    recent = liia.cohort.model_copy(update={"open_within": Period(years=1)})
    project = liia.model_copy(update={"cohort": recent})
    case.ended = date(2025, 11, 1)
    case.save()
    assert not cohort(project, ON).exists()
    case.ended = date(2025, 11, 25)
    case.save()
    assert cohort(project, ON).count() == 2
