"""Who is in a project's cohort, and what their row says, as the records stood on the extract
date: cases, assessments and addresses at the day's boundaries, worked out by hand.

The `case` fixture opens a family support case on 1 September 2026 about Yusuf (born
9 February 2016) and Leila (born 30 August 2021), with their mother as family.
"""

import hashlib
import hmac
from dataclasses import replace
from datetime import date, timedelta

import polars as pl
import pytest

from earlyhelp.extracts.database import cohort, cohort_frame, extract_from_records
from earlyhelp.extracts.projects import ExtractRefused, approve
from earlyhelp.policy.loader import load_policy
from earlyhelp.policy.schema import Period, ProjectField
from tests.factories import (
    AddressFactory,
    AssessmentFactory,
    ObjectionFactory,
    PersonAddressFactory,
)

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 25)
DAY = timedelta(days=1)
CASE_STARTED = date(2026, 9, 1)
LIIA = load_policy("policies/camden.toml").project("liia")
NATIONAL = load_policy("policies/camden.toml").project("national-insights")


def _rows(out_dir, project="liia", on=ON) -> pl.DataFrame:
    return pl.read_parquet(out_dir / f"{project}-{on.isoformat()}.parquet")


def _with_cohort(project, **changes):
    return project.model_copy(update={"cohort": project.cohort.model_copy(update=changes)})


def _given_names(project, on) -> list[str]:
    return sorted(cohort(project, on).values_list("given_name", flat=True))


# --- cases and assessments --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "children"),
    [
        (CASE_STARTED - DAY, []),
        (CASE_STARTED, ["Leila", "Yusuf"]),
        (CASE_STARTED + DAY, ["Leila", "Yusuf"]),
    ],
    ids=["day-before-the-case", "day-the-case-opened", "day-after"],
)
def test_a_case_counts_from_the_day_it_opened(case, on, children):
    assert _given_names(LIIA, on) == children


def test_liia_takes_only_the_children_a_case_is_about_not_the_family_on_it(case):
    # cohort case_roles = ["child"]: the mother is on the case as family.
    assert _given_names(LIIA, ON) == ["Leila", "Yusuf"]


def test_a_case_that_ended_long_ago_stays_in_a_cohort_with_no_open_within(case):
    case.ended = date(2026, 10, 1)
    case.save()
    assert _given_names(LIIA, ON) == ["Leila", "Yusuf"]


@pytest.mark.parametrize(
    ("ended", "in_cohort"),
    [
        (None, True),
        # One year before 25 November 2026 is 25 November 2025: the window's first day.
        (date(2025, 11, 24), False),
        (date(2025, 11, 25), True),
        (date(2026, 11, 24), True),
    ],
    ids=["still-open", "ended-the-day-before-the-window", "ended-on-its-first-day", "recent"],
)
def test_open_within_a_year_keeps_cases_open_on_any_day_of_the_year_before(case, ended, in_cohort):
    case.started = date(2020, 1, 1)
    case.ended = ended
    case.save()
    project = _with_cohort(LIIA, open_within=Period(years=1))
    assert _given_names(project, ON) == (["Leila", "Yusuf"] if in_cohort else [])


def test_open_within_months_counts_back_whole_months(case):
    # Three months before 25 November 2026 is 25 August 2026.
    case.started = date(2020, 1, 1)
    project = _with_cohort(LIIA, open_within=Period(months=3))
    for ended, expected in ((date(2026, 8, 24), []), (date(2026, 8, 25), ["Leila", "Yusuf"])):
        case.ended = ended
        case.save()
        assert _given_names(project, ON) == expected


def test_a_cohort_of_some_services_leaves_out_cases_of_others(case):
    assert _given_names(_with_cohort(LIIA, services=["iyss"]), ON) == []
    assert _given_names(
        _with_cohort(LIIA, services=["iyss", "family-support-and-complex-families"]), ON
    ) == ["Leila", "Yusuf"]


@pytest.mark.parametrize(
    ("kind", "started", "in_cohort"),
    [
        ("early_help", date(2024, 7, 1), True),
        ("early_help", date(2024, 7, 2), False),
        ("early_help", date(2024, 6, 1), True),
    ],
    ids=["assessed-on-the-extract-date", "assessed-the-day-after", "assessed-before"],
)
def test_national_cohort_takes_cases_with_an_early_help_assessment_by_the_extract_date(
    case, kind, started, in_cohort
):
    case.started = date(2024, 5, 1)
    case.save()
    AssessmentFactory(case=case, kind=kind, started=started)
    # case_roles = ["child", "family"]: the mother too.
    expected = ["Amira", "Leila", "Yusuf"] if in_cohort else []
    assert _given_names(NATIONAL, date(2024, 7, 1)) == expected


def test_national_cohort_leaves_out_a_case_with_no_assessment(case):
    case.started = date(2024, 5, 1)
    case.save()
    assert _given_names(NATIONAL, date(2024, 7, 1)) == []


def test_national_cohort_leaves_out_a_case_with_only_a_review_assessment(case):
    """assessment_kinds = ["early_help"]: a review assessment by the date is not one."""
    case.started = date(2024, 5, 1)
    case.save()
    AssessmentFactory(case=case, kind="review", started=date(2024, 6, 1))
    assert _given_names(NATIONAL, date(2024, 7, 1)) == []


def test_a_record_merged_into_another_is_not_in_the_cohort_twice(case, family):
    """A duplicate merged away stays on the case it came with, but only the record kept is
    a person: the cohort takes the kept record once, never the merged one."""
    from earlyhelp.cases.models import CaseMember
    from earlyhelp.people.models import Person
    from tests.factories import PersonFactory

    duplicate = PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9)
    )
    CaseMember.objects.create(case=case, person=duplicate, role="child")
    assert _given_names(LIIA, ON) == ["Leila", "Yusef", "Yusuf"]
    Person.objects.filter(pk=duplicate.pk).update(merged_into=family["yusuf"])
    assert _given_names(LIIA, ON) == ["Leila", "Yusuf"]


# --- objections ---------------------------------------------------------------------------


def test_an_objection_from_someone_outside_the_cohort_is_not_counted_as_leaving_anyone_out(
    family, case, keys_dir, tmp_path
):
    # The mother is on the case as family; LIIA takes only the children.
    ObjectionFactory(person=family["mum"], project="liia", received=date(2026, 1, 1))
    extract = extract_from_records("liia", tmp_path, ON)
    assert (extract.rows, extract.left_out_by_objection) == (2, 0)


# --- what each row says ------------------------------------------------------------------------


def test_person_reference_is_the_keyed_hash_of_the_records_public_id(
    family, case, keys_dir, tmp_path
):
    key = (keys_dir / "pseudonym-keys" / "liia").read_text().strip()
    expected = sorted(
        hmac.new(
            key.encode(), family[name].public_id.hex.upper().encode(), hashlib.sha256
        ).hexdigest()[:16]
        for name in ("yusuf", "leila")
    )
    extract_from_records("liia", tmp_path, ON)
    assert sorted(_rows(tmp_path)["person-reference"].to_list()) == expected


def _live_at(person, postcode: str, moved_in=None, moved_out=None) -> None:
    address = AddressFactory(line_1="1 Any Road", town="London", postcode=postcode)
    PersonAddressFactory(
        person=person, address=address, moved_in=moved_in, moved_out=moved_out, source="family"
    )


def _postcode_on(tmp_path, on) -> list:
    extract_from_records("liia", tmp_path / on.isoformat(), on)
    frame = _rows(tmp_path / on.isoformat(), on=on).sort("date-of-birth")
    return frame["postcode"].to_list()  # [Yusuf's, Leila's]


def test_on_the_day_of_a_move_the_new_address_counts_and_the_old_one_not(
    family, case, keys_dir, tmp_path
):
    move = date(2026, 10, 1)
    _live_at(family["yusuf"], "SW14 2JU", date(2016, 2, 9), move)
    _live_at(family["yusuf"], "N7 8PL", move)
    assert _postcode_on(tmp_path, move - DAY) == ["SW14", None]
    assert _postcode_on(tmp_path, move) == ["N7", None]


def test_an_address_moved_into_after_the_extract_date_does_not_count(
    family, case, keys_dir, tmp_path
):
    _live_at(family["leila"], "E1 6AN", ON + DAY)
    assert _postcode_on(tmp_path, ON) == [None, None]


def test_an_address_moved_out_of_by_the_extract_date_does_not_count_even_with_none_after(
    family, case, keys_dir, tmp_path
):
    # Leila's family moved away on the extract date, to an address not yet recorded.
    _live_at(family["leila"], "E1 6AN", date(2022, 1, 1), ON)
    assert _postcode_on(tmp_path, ON - DAY) == [None, "E1"]
    assert _postcode_on(tmp_path, ON) == [None, None]


def test_of_two_current_addresses_the_latest_move_in_wins_and_a_dated_one_beats_an_undated_one(
    family, case, keys_dir, tmp_path
):
    _live_at(family["yusuf"], "SW14 2JU", date(2020, 1, 1))
    _live_at(family["yusuf"], "N7 8PL", date(2024, 1, 1))
    _live_at(family["leila"], "NW1 8NP")  # move-in date not known
    _live_at(family["leila"], "E1 6AN", date(2022, 1, 1))
    assert _postcode_on(tmp_path, ON) == ["N7", "E1"]


def test_a_postcode_that_cannot_be_read_leaves_empty_and_the_manifest_counts_it(
    family, case, keys_dir, tmp_path
):
    # At most 8 characters, as the column holds (PostgreSQL refuses longer; SQLite would not).
    _live_at(family["yusuf"], "NOT A PC", date(2020, 1, 1))
    _live_at(family["leila"], "E1 6AN", date(2022, 1, 1))
    extract = extract_from_records("liia", tmp_path, ON)
    assert _rows(tmp_path).sort("date-of-birth")["postcode"].to_list() == [None, "E1"]
    assert extract.manifest["values_left_empty"] == {"postcode": 1}


def test_a_clean_extract_counts_no_values_left_empty(family, case, keys_dir, tmp_path):
    assert extract_from_records("liia", tmp_path, ON).manifest["values_left_empty"] == {}


def test_name_when_a_project_keeps_it_is_given_then_family_name(family, case, keys_dir):
    fields = [ProjectField(name="name", category="identity-and-contact", rule="keep")]
    approved = approve("liia", ON)
    approved = replace(approved, project=approved.project.model_copy(update={"fields": fields}))
    frame, left_out = cohort_frame(approved)
    assert sorted(frame["name"].to_list()) == ["Leila Haddad", "Yusuf Haddad"]
    assert frame.columns == ["name"]
    assert left_out == 0


def test_a_field_the_records_do_not_hold_is_refused_naming_it_unless_it_is_dropped(
    family, case, keys_dir
):
    approved = approve("liia", ON)
    nhs = ProjectField(name="nhs-number", category="identity-and-contact", rule="keep")
    school = ProjectField(name="school", category="employment-and-education", rule="keep")
    wanting = replace(
        approved,
        project=approved.project.model_copy(
            update={"fields": [*approved.project.fields, nhs, school]}
        ),
    )
    with pytest.raises(ExtractRefused) as refused:
        cohort_frame(wanting)
    assert str(refused.value) == (
        "project 'liia': the case records hold no field nhs-number, school "
        "(they hold person-reference, name, date-of-birth, postcode)"
    )
    dropped = nhs.model_copy(update={"rule": "drop"})
    dropping = replace(
        approved,
        project=approved.project.model_copy(update={"fields": [*approved.project.fields, dropped]}),
    )
    frame, _ = cohort_frame(dropping)
    assert frame.height == 2 and "nhs-number" not in frame.columns


def test_an_extract_with_no_date_is_made_as_of_today(family, case, keys_dir, tmp_path):
    extract = extract_from_records("liia", tmp_path)
    assert extract.extract_date == date.today()
    assert (tmp_path / f"liia-{date.today().isoformat()}.csv").exists()


@pytest.fixture
def liia_in_age_bands(settings, tmp_path):
    """The Camden policy with one change: LIIA gives the age band on the extract date in
    place of the month of birth."""
    from tests.policy import camden_dict, write_policy

    data = camden_dict()
    (liia,) = [p for p in data["projects"] if p["id"] == "liia"]
    (born,) = [f for f in liia["fields"] if f["name"] == "date-of-birth"]
    born["rule"], born["age_bands"] = "age_band", [0, 5, 11, 16]
    folder = tmp_path / "policy"
    folder.mkdir()
    settings.POLICY_PATH = write_policy(folder, data)
    return settings.POLICY_PATH


def test_an_age_band_from_the_records_is_the_age_on_the_extract_date_not_today(
    family, case, keys_dir, tmp_path, liia_in_age_bands
):
    """Yusuf (born 9 February 2016) is 10 on 25 November 2026 and Leila (30 August 2021)
    is 5: worked out by hand. On 8 February 2026 Yusuf was still 9."""
    out = tmp_path / "out"
    extract_from_records("liia", out, ON)
    assert sorted(_rows(out)["date-of-birth"].to_list()) == ["5-10", "5-10"]
    case.started = date(2025, 1, 6)
    case.save()
    early = date(2026, 2, 8)
    extract_from_records("liia", tmp_path / "early", early)
    bands = _rows(tmp_path / "early", on=early).sort("date-of-birth")["date-of-birth"].to_list()
    assert bands == ["0-4", "5-10"]  # Leila 4, Yusuf 9


def test_a_birth_after_the_extract_date_has_no_age_band_and_is_counted_as_left_empty(
    family, case, keys_dir, tmp_path, liia_in_age_bands
):
    from earlyhelp.people.models import Person

    Person.objects.filter(pk=family["leila"].pk).update(date_of_birth=ON + DAY)
    extract = extract_from_records("liia", tmp_path, ON)
    assert sorted(_rows(tmp_path)["date-of-birth"].to_list(), key=str) == ["5-10", None]
    assert extract.manifest["values_left_empty"] == {"date-of-birth": 1}
