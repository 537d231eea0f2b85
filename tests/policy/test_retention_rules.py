"""Records are kept for the period the notice states, counted from the rule's trigger."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from earlyhelp.policy.decisions import add_months, retention_rule, retention_subject_for_age
from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.schema import Policy

from . import camden_policy, small_policy_dict


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


def test_child_records_are_kept_until_the_25th_birthday(camden: Policy) -> None:
    decision = retention_rule(camden, "child")
    assert decision.allowed
    assert decision.rule_ids == ("retention:child-records",)
    assert decision.destroy_after(date(2000, 1, 17)) == date(2025, 1, 17)


def test_adult_records_are_kept_six_years_after_last_involvement(camden: Policy) -> None:
    decision = retention_rule(camden, "adult")
    assert decision.rule_ids == ("retention:adult-records",)
    assert decision.destroy_after(date(2024, 6, 30)) == date(2030, 6, 30)


def test_leap_day_birthday_is_kept_until_1_march_never_less_than_the_period(camden: Policy) -> None:
    assert retention_rule(camden, "child").destroy_after(date(2004, 2, 29)) == date(2029, 3, 1)


def test_subject_with_no_retention_rule_is_refused_naming_the_rule(camden: Policy) -> None:
    decision = retention_rule(camden, "nursery_media")
    assert not decision.allowed
    assert decision.rule_ids == ("rule:retention-rule-required",)
    with pytest.raises(ValueError, match="no retention rule"):
        decision.destroy_after(date(2020, 1, 1))


def test_people_are_adults_for_retention_from_the_age_the_policy_gives(camden: Policy) -> None:
    assert retention_subject_for_age(camden, 17) == "child"
    assert retention_subject_for_age(camden, 18) == "adult"


def test_retention_period_comes_from_the_policy() -> None:
    data = small_policy_dict()
    data["retention"]["rules"][0]["period"] = {"years": 21, "months": 6}
    policy = policy_from_dict(data)
    assert retention_rule(policy, "child").destroy_after(date(2000, 1, 17)) == date(2021, 7, 17)


@settings(max_examples=300, deadline=None)
@given(born=st.dates(date(1950, 1, 1), date(2030, 12, 31)))
def test_child_record_is_never_destroyed_before_the_25th_birthday(born: date) -> None:
    camden = camden_policy()
    years = camden.retention_rule("child-records").period.years
    keep_until = retention_rule(camden, "child").destroy_after(born)
    birthday = add_months(born, 12 * years, "next_day")
    assert keep_until >= birthday
    assert keep_until - born >= timedelta(days=365 * years)
