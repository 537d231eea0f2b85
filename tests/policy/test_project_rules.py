"""A pseudonymised project may be extracted only between its start and end dates."""

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from earlyhelp.policy.decisions import ProjectDecision, project_rules
from earlyhelp.policy.loader import PolicyError, policy_from_dict
from earlyhelp.policy.schema import Policy

from . import TODAY, camden_policy, small_policy_dict


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


def test_national_insights_extract_is_refused_after_march_2025(camden: Policy) -> None:
    decision = project_rules(camden, "national-insights", TODAY)
    assert decision.allowed is False
    assert decision.rule_ids == ("project:national-insights",)
    assert "ended on 31 March 2025" in decision.reason
    assert decision.fields == ()


def test_national_insights_extract_was_allowed_on_its_last_day(camden: Policy) -> None:
    assert project_rules(camden, "national-insights", date(2025, 3, 31)).allowed
    assert project_rules(camden, "national-insights", date(2025, 4, 1)).allowed is False


def test_liia_extract_is_allowed_today_with_its_field_rules(camden: Policy) -> None:
    decision = project_rules(camden, "liia", TODAY)
    assert decision.allowed
    assert (
        "project:liia" in decision.rule_ids and "agreement:liia-data-agreement" in decision.rule_ids
    )
    rules = {f.name: f.rule for f in decision.fields}
    assert rules == {
        "name": "drop",
        "person-reference": "keyed_pseudonym",
        "date-of-birth": "date_to_month",
        "postcode": "postcode_to_district",
    }
    assert decision.objection_honoured is True
    assert decision.lawful_basis.startswith("UK GDPR Article 6(1)(c), 6(1)(e)")


def test_project_extract_carries_the_small_number_suppression_rule(camden: Policy) -> None:
    suppression = project_rules(camden, "liia", TODAY).suppression
    assert (suppression.min_count, suppression.max_count) == (1, 5)


def test_unknown_project_is_refused_by_name(camden: Policy) -> None:
    decision = project_rules(camden, "secret-project", TODAY)
    assert decision.allowed is False
    assert decision.rule_ids == ("rule:declared-projects-only",)


def test_project_extract_is_refused_before_it_starts(camden: Policy) -> None:
    decision = project_rules(camden, "liia", date(2023, 10, 31))
    assert decision.allowed is False
    assert "starts on 1 November 2023" in decision.reason


def _with_project(start: date, end: date | None) -> Policy:
    data = small_policy_dict()
    data["recipients"].append(
        {
            "id": "analysts",
            "name": "Analysts",
            "kind": "data_platform",
            "wording": "Analysts",
            "in_sharing_list": False,
        }
    )
    data["projects"] = [
        {
            "id": "study",
            "name": "A study",
            "recipient": "analysts",
            "purposes": ["casework"],
            "description": "A pseudonymised study.",
            "start": start,
            "end": end,
            "pseudonymised": True,
            "cohort": {"case_roles": ["child"]},
            "fields": [
                {
                    "name": "person",
                    "category": "identity",
                    "rule": "keyed_pseudonym",
                    "pseudonym_hex_digits": 16,
                },
                {
                    "name": "age",
                    "category": "identity",
                    "rule": "age_band",
                    "age_bands": [0, 5, 11, 16],
                },
            ],
            "objection_honoured": False,
        }
    ]
    return policy_from_dict(data)


@st.composite
def days_near_a_project(draw: Any) -> tuple[date, date, date]:
    """A project's start and end, and a day: a boundary day or the day either side of one,
    a day inside, or any day within about eight years."""
    start = draw(st.dates(date(2020, 1, 1), date(2030, 1, 1)))
    length = draw(st.integers(1, 2000))
    end = start + timedelta(days=length)
    one = timedelta(days=1)
    offset = st.one_of(
        st.sampled_from([start - one, start, end, end + one]),
        st.integers(0, length).map(lambda n: start + timedelta(days=n)),
        st.integers(-3000, 5000).map(lambda n: start + timedelta(days=n)),
    )
    return start, end, draw(offset)


def _where(start: date, end: date, day: date) -> str:
    one = timedelta(days=1)
    if day in (start, end):
        return "first or last day"
    if day in (start - one, end + one):
        return "the day before or after"
    return "inside" if start < day < end else "outside"


@settings(max_examples=200, deadline=None)
@given(days_near_a_project())
def test_project_is_allowed_exactly_between_its_start_and_end(
    days: tuple[date, date, date],
) -> None:
    start, end, on_date = days
    inside = start <= on_date <= end
    event(_where(start, end, on_date))
    decision = project_rules(_with_project(start, end), "study", on_date)
    assert decision.allowed == inside
    if inside:
        assert decision.rule_ids[0] == "project:study" and decision.fields
    else:
        assert decision.rule_ids == ("project:study",) and decision.reason
        assert decision.fields == ()


@settings(max_examples=50, deadline=None)
@given(start=st.dates(date(2020, 1, 1), date(2030, 1, 1)), later=st.integers(0, 20000))
def test_open_ended_project_is_allowed_any_day_from_its_start(start: date, later: int) -> None:
    policy = _with_project(start, None)
    assert project_rules(policy, "study", start + timedelta(days=later)).allowed


def test_age_band_rule_needs_increasing_ages() -> None:
    data = _with_project(date(2024, 1, 1), None).model_dump()
    data["projects"][0]["fields"][1]["age_bands"] = [16, 5]
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    assert caught.value.errors[0].path == "projects[0].fields[1].age_bands"


def test_project_fields_only_name_declared_categories(camden: Policy) -> None:
    declared = {c.id for c in camden.categories}
    for project in camden.projects:
        assert {f.category for f in project.fields} <= declared


def test_keyed_pseudonym_rule_needs_a_length() -> None:
    data = _with_project(date(2024, 1, 1), None).model_dump()
    del data["projects"][0]["fields"][0]["pseudonym_hex_digits"]
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    assert caught.value.errors[0].path == "projects[0].fields[0].pseudonym_hex_digits"


def test_cohort_services_must_be_declared() -> None:
    data = _with_project(date(2024, 1, 1), None).model_dump()
    data["projects"][0]["cohort"]["services"] = ["no-such-service"]
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    assert caught.value.errors[0].path == "projects[0].cohort.services[0]"
    assert "not a declared service" in caught.value.errors[0].message


# --- decisions stated in full -------------------------------------------------------------

LIIA = "London Innovation and Improvement Alliance"
INSIGHTS = "Early Help and Supporting Families National Insights data collection"


def test_unknown_project_refusal_is_stated_in_full(camden: Policy) -> None:
    assert project_rules(camden, "secret-project", TODAY) == ProjectDecision(
        False,
        ("rule:declared-projects-only",),
        None,
        "'secret-project' is not a project the policy declares.",
    )


def test_extract_before_the_start_or_after_the_end_is_refused_with_the_date(
    camden: Policy,
) -> None:
    assert project_rules(camden, "liia", date(2023, 10, 31)) == ProjectDecision(
        False,
        ("project:liia",),
        None,
        f"'{LIIA}' starts on 1 November 2023; no extract may be made before then.",
    )
    assert project_rules(camden, "national-insights", date(2025, 4, 1)) == ProjectDecision(
        False,
        ("project:national-insights",),
        None,
        f"'{INSIGHTS}' ended on 31 March 2025; no extract may be made after it ended.",
    )


def test_liia_extract_is_decided_in_full(camden: Policy) -> None:
    decision = project_rules(camden, "liia", TODAY)
    liia = camden.project("liia")
    assert decision == ProjectDecision(
        True,
        (
            "project:liia",
            "agreement:liia-data-agreement",
            "purpose:evaluate-impact",
            "purpose:help-government-improve",
        ),
        # Both purposes rest on 6(1)(c) and (e), stated once; every field that leaves is
        # personal data (identity and contact), so no Article 9 or 10 condition is named.
        "UK GDPR Article 6(1)(c), 6(1)(e)",
        # Four fields are listed; the name is dropped, so three leave.
        f"'{LIIA}' may be extracted on 25 November 2026: 3 field(s) leave, each transformed "
        "by its rule; fields not listed are never extracted.",
        fields=tuple(liia.fields),
        objection_honoured=True,
        suppression=camden.statistics.small_number_suppression,
    )


def _study(fields: list[dict], purposes: list[str], agreement: dict | None = None) -> Policy:
    """The small policy with a project "study" for the analysts, from 1 January 2024."""
    data = small_policy_dict()
    data["recipients"].append(
        {
            "id": "analysts",
            "name": "Analysts",
            "kind": "data_platform",
            "wording": "Analysts",
            "in_sharing_list": False,
        }
    )
    data["purposes"].append(
        {
            "id": "photos",
            "wording": "share photos",
            "consent_based": True,
            "categories": ["identity", "health"],
            "data_subjects": ["child"],
            "lawful_basis": {"article_6": ["6(1)(a)"], "article_9": [{"condition": "9(2)(a)"}]},
            "laws": [],
        }
    )
    if agreement is not None:
        data["agreements"].append(agreement)
    data["projects"] = [
        {
            "id": "study",
            "name": "A study",
            "recipient": "analysts",
            "agreement": agreement and agreement["id"],
            "purposes": purposes,
            "description": "A pseudonymised study.",
            "start": date(2024, 1, 1),
            "pseudonymised": True,
            "cohort": {"case_roles": ["child"]},
            "fields": fields,
            "objection_honoured": False,
        }
    ]
    return policy_from_dict(data)


PERSON = {
    "name": "person",
    "category": "identity",
    "rule": "keyed_pseudonym",
    "pseudonym_hex_digits": 16,
}


def _field(name: str, category: str, rule: str) -> dict:
    return {"name": name, "category": category, "rule": rule}


@pytest.mark.parametrize(
    ("fields", "lawful_basis", "leave"),
    [
        # A dropped field never leaves, so its kind of data needs no condition.
        ([PERSON, _field("health", "health", "drop")], "UK GDPR Article 6(1)(c), 6(1)(e)", 1),
        (
            [PERSON, _field("health", "health", "keep")],
            "UK GDPR Article 6(1)(c), 6(1)(e); Article 9(2)(g) (DPA 2018 Sch 1 Pt 2 para 18)",
            2,
        ),
        (
            [_field("offences", "offences", "keep"), _field("health", "health", "drop")],
            "UK GDPR Article 6(1)(c), 6(1)(e); Article 10 (DPA 2018 Sch 1 Pt 2 para 18)",
            1,
        ),
    ],
    ids=["health dropped", "health kept", "offences kept"],
)
def test_lawful_basis_of_a_project_covers_only_the_kinds_of_data_that_leave(
    fields: list[dict], lawful_basis: str, leave: int
) -> None:
    decision = project_rules(_study(fields, ["casework"]), "study", TODAY)
    assert decision.allowed is True
    assert decision.rule_ids == ("project:study", "purpose:casework")
    assert decision.lawful_basis == lawful_basis
    assert f": {leave} field(s) leave," in decision.reason
    assert decision.objection_honoured is False


def test_a_project_for_purposes_on_different_bases_states_each_basis_once() -> None:
    policy = _study([PERSON, _field("health", "health", "keep")], ["casework", "photos"])
    decision = project_rules(policy, "study", TODAY)
    assert decision.rule_ids == ("project:study", "purpose:casework", "purpose:photos")
    assert decision.lawful_basis == (
        "UK GDPR Article 6(1)(c), 6(1)(e); Article 9(2)(g) (DPA 2018 Sch 1 Pt 2 para 18)"
        " | UK GDPR Article 6(1)(a); Article 9(2)(a)"
    )


AGREEMENT = {
    "id": "study-dsa",
    "name": "Study agreement",
    "recipient": "analysts",
    "purposes": ["casework"],
    "categories": ["identity"],
    "valid_from": date(2024, 1, 1),
    "family_told_by_default": False,
}


def test_a_project_under_an_agreement_names_it_while_it_is_in_force() -> None:
    policy = _study([PERSON], ["casework"], AGREEMENT)
    decision = project_rules(policy, "study", date(2024, 1, 1))
    assert decision.allowed is True
    assert decision.rule_ids == ("project:study", "agreement:study-dsa", "purpose:casework")


def test_a_project_whose_agreement_has_lapsed_is_refused() -> None:
    # The loader refuses a project that outlives its agreement, so this arises only if the
    # agreement is changed after loading; the decision still refuses on its own account.
    policy = _study([PERSON], ["casework"], AGREEMENT)
    lapsed = policy.agreement("study-dsa").model_copy(update={"valid_to": date(2024, 12, 31)})
    policy = policy.model_copy(
        update={"agreements": [a for a in policy.agreements if a.id != "study-dsa"] + [lapsed]}
    )
    assert project_rules(policy, "study", date(2024, 12, 31)).allowed is True
    assert project_rules(policy, "study", date(2025, 1, 1)) == ProjectDecision(
        False,
        ("project:study", "agreement:study-dsa"),
        None,
        "The agreement for 'A study' is not in force on 1 January 2025.",
    )
