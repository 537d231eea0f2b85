"""Records are kept for the period the notice states, counted from the rule's trigger.

The notice, section 6: "We will keep information until your child is 25 as part of the
Council's statutory duty. If you are over 18, we will keep any information you share with us
for six years." The policy (policies/camden.toml) reads this as: a child's records are kept
25 years from the date of birth; an adult's (18 and over) six years from the last
involvement with the service.

``destroy_after`` gives the last day a record must be kept; it may be destroyed the day after.
The expected dates below are worked by hand from the notice, not from the code.

Leap-day birthdays. A person attains an age at the commencement of the relevant anniversary
of their birth (Family Law Reform Act 1969, s9); for someone born on 29 February the
anniversary in a common year is read as 1 March. 25 years after a leap year is always a common
year (a leap year plus an odd number), so every child born on 29 February turns 25 on 1 March.
The code documents the same choice (``add_months``, ``next_day``: "a record is never kept for
less than the period"), so a leap-day child's records are kept until 1 March, never only
until 28 February, which would be a day short of the 25th birthday.
"""

from datetime import date, timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from earlyhelp.policy.decisions import (
    destroy_after,
    retention_rule,
    retention_subject_for_age,
)
from earlyhelp.policy.describe import describe_period
from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.schema import Period, Policy

from . import camden_dict, camden_policy, small_policy_dict


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


@pytest.mark.parametrize(
    ("born", "kept_until"),
    [
        (date(2000, 1, 17), date(2025, 1, 17)),  # the notice's Tim Smith example birthday
        (date(2001, 1, 1), date(2026, 1, 1)),
        (date(2010, 12, 31), date(2035, 12, 31)),
        (date(2008, 2, 28), date(2033, 2, 28)),
        # Born 29 February 2008: 2033 has no 29 February, so the 25th birthday is 1 March.
        (date(2008, 2, 29), date(2033, 3, 1)),
        (date(2008, 3, 1), date(2033, 3, 1)),
        (date(2000, 2, 29), date(2025, 3, 1)),  # 2000 was a leap year (divisible by 400)
        (date(2004, 2, 29), date(2029, 3, 1)),
        (date(2024, 2, 29), date(2049, 3, 1)),
    ],
    ids=str,
)
def test_child_records_are_kept_until_the_25th_birthday(
    camden: Policy, born: date, kept_until: date
) -> None:
    decision = retention_rule(camden, "child")
    assert decision.allowed
    assert decision.rule_ids == ("retention:child-records",)
    assert decision.destroy_after(born) == kept_until


def test_leap_day_child_is_kept_until_1_march_not_28_february(camden: Policy) -> None:
    # The record must survive 28 February 2033: the child is still 24 that day.
    kept_until = retention_rule(camden, "child").destroy_after(date(2008, 2, 29))
    assert kept_until != date(2033, 2, 28)
    assert kept_until == date(2033, 3, 1)


@pytest.mark.parametrize(
    ("last_involvement", "kept_until"),
    [
        (date(2024, 6, 30), date(2030, 6, 30)),
        (date(2025, 12, 31), date(2031, 12, 31)),
        (date(2023, 1, 1), date(2029, 1, 1)),
        # Six years after 29 February 2024 is 2030, which has no 29 February: 1 March.
        (date(2024, 2, 29), date(2030, 3, 1)),
        # Six years after a leap year is never a leap year (2028 + 6 = 2034): 1 March again.
        (date(2028, 2, 29), date(2034, 3, 1)),
    ],
    ids=str,
)
def test_adult_records_are_kept_six_years_after_last_involvement(
    camden: Policy, last_involvement: date, kept_until: date
) -> None:
    decision = retention_rule(camden, "adult")
    assert decision.rule_ids == ("retention:adult-records",)
    assert decision.destroy_after(last_involvement) == kept_until


def _without_media_rule() -> Policy:
    data = camden_dict()
    data["retention"]["rules"] = [
        r for r in data["retention"]["rules"] if r["subject"] != "nursery_media"
    ]
    for purpose in data["purposes"]:
        purpose.pop("retention_rules", None)
    return policy_from_dict(data)


def test_nursery_media_are_kept_until_the_child_is_six_by_camdens_rule(camden: Policy) -> None:
    decision = retention_rule(camden, "nursery_media")
    assert decision.rule_ids == ("retention:nursery-media",)
    assert decision.destroy_after(date(2023, 3, 14)) == date(2029, 3, 14)


def test_subject_with_no_retention_rule_is_refused_naming_the_rule() -> None:
    decision = retention_rule(_without_media_rule(), "nursery_media")
    assert decision.allowed is False
    assert decision.rule_ids == ("rule:retention-rule-required",)
    with pytest.raises(ValueError, match="no retention rule"):
        decision.destroy_after(date(2020, 1, 1))


def test_a_subject_without_words_of_its_own_is_named_from_its_id(camden: Policy) -> None:
    decision = retention_rule(camden, "looked_after_child")
    assert (
        decision.reason == "The policy has no retention rule for records about looked after child."
    )


def test_people_are_adults_for_retention_from_18(camden: Policy) -> None:
    # "If you are over 18": the policy reads this as 18 and over (its comment says so); a
    # 17-year-old's records follow the child rule.
    assert retention_subject_for_age(camden, 0) == "child"
    assert retention_subject_for_age(camden, 17) == "child"
    assert retention_subject_for_age(camden, 18) == "adult"
    assert retention_subject_for_age(camden, 19) == "adult"


def test_retention_period_comes_from_the_policy() -> None:
    data = small_policy_dict()
    data["retention"]["rules"][0]["period"] = {"years": 21, "months": 6}
    policy = policy_from_dict(data)
    # 17 January 2000 + 21 years = 17 January 2021; + 6 months = 17 July 2021.
    assert retention_rule(policy, "child").destroy_after(date(2000, 1, 17)) == date(2021, 7, 17)


def test_retention_period_in_days_counts_from_the_date_after_the_years() -> None:
    data = small_policy_dict()
    data["retention"]["rules"][0]["period"] = {"years": 1, "days": 10}
    policy = policy_from_dict(data)
    # 25 December 2023 + 1 year = 25 December 2024; + 10 days = 4 January 2025.
    assert retention_rule(policy, "child").destroy_after(date(2023, 12, 25)) == date(2025, 1, 4)


def test_retention_decision_states_the_period_and_trigger_in_words(camden: Policy) -> None:
    child = retention_rule(camden, "child")
    assert child.reason == "Records about a child are kept for 25 years from the date of birth."
    assert child.rule.id == "child-records" and child.lawful_basis is None
    adult = retention_rule(camden, "adult")
    assert adult.allowed
    assert adult.reason == "Records about an adult are kept for 6 years from the last involvement."
    refused = retention_rule(_without_media_rule(), "nursery_media")
    assert refused.allowed is False
    assert refused.rule is None and refused.lawful_basis is None
    assert refused.reason == "The policy has no retention rule for nursery photos and videos."


def test_retention_reason_writes_subject_and_trigger_as_words() -> None:
    data = small_policy_dict()
    data["retention"]["rules"].append(
        {
            "id": "media",
            "subject": "nursery_media",
            "trigger": "consent_withdrawn",
            "period": {"months": 1},
            "statutory": False,
        }
    )
    decision = retention_rule(policy_from_dict(data), "nursery_media")
    assert decision.allowed is True
    assert decision.rule_ids == ("retention:media",)
    # Ids are written as words.
    assert decision.reason == (
        "Nursery photos and videos are kept for 1 month from the consent withdrawn."
    )
    assert "_" not in decision.reason


@pytest.mark.parametrize(
    ("period", "words"),
    [
        (Period(years=25), "25 years"),
        (Period(years=1), "1 year"),
        (Period(months=1), "1 month"),
        (Period(months=18), "18 months"),
        (Period(days=1), "1 day"),
        (Period(years=1, months=6, days=2), "1 year and 6 months and 2 days"),
        (Period(years=2, days=1), "2 years and 1 day"),
        (Period(), "no time"),
    ],
    ids=str,
)
def test_retention_period_is_described_in_words(period: Period, words: str) -> None:
    assert describe_period(period) == words


@pytest.mark.parametrize(
    ("trigger", "period", "kept_until"),
    [
        # 31 January + 1 month: February has no 31st, so never less than the month: 1 March.
        (date(2025, 1, 31), Period(months=1), date(2025, 3, 1)),
        (date(2024, 1, 31), Period(months=1), date(2024, 3, 1)),  # 2024: 29 Feb, then 1 Mar
        (date(2024, 1, 30), Period(months=1), date(2024, 3, 1)),
        (date(2024, 1, 29), Period(months=1), date(2024, 2, 29)),
        (date(2025, 3, 31), Period(months=1), date(2025, 5, 1)),  # April has 30 days
        (date(2025, 8, 31), Period(months=6), date(2026, 3, 1)),  # no 31 Feb 2026: 1 March
        (date(2025, 11, 30), Period(months=2), date(2026, 1, 30)),  # across the year end
        (date(2025, 12, 15), Period(months=1), date(2026, 1, 15)),
        (date(2025, 12, 31), Period(months=14), date(2027, 3, 1)),  # no 31 Feb 2027
        (date(2025, 3, 1), Period(days=30), date(2025, 3, 31)),
        (date(2025, 12, 31), Period(years=1, months=2, days=1), date(2027, 3, 2)),  # 1 Mar + 1
    ],
    ids=str,
)
def test_retention_months_are_never_shorter_than_the_period(
    trigger: date, period: Period, kept_until: date
) -> None:
    rule = camden_policy().retention.rules[0].model_copy(update={"period": period})
    assert destroy_after(rule, trigger) == kept_until


# The property, with an oracle written from the rule above rather than from the code: the
# anniversary ``years`` on, or 1 March where that year has no 29 February.


def _anniversary(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return date(day.year + years, 3, 1)


LEAP_DAYS = [date(year, 2, 29) for year in range(1952, 2031, 4)]
# Any day, or a 29 February or a day either side of one. Statistics (300 examples): 29
# February in 7% and 28 February or 1 March in 13%: that is every one of the 20 leap days
# from 1952 to 2028 (Hypothesis does not repeat an example), so every leap-day branch of
# the oracle runs; the assertion itself runs in every example.
days = st.one_of(
    st.dates(date(1950, 1, 1), date(2030, 12, 31)),
    st.sampled_from(LEAP_DAYS),
    st.sampled_from(LEAP_DAYS).flatmap(
        lambda d: st.sampled_from([d - timedelta(days=1), d + timedelta(days=1)])
    ),
)


def _label(day: date) -> str:
    if (day.month, day.day) == (2, 29):
        return "29 February"
    if (day.month, day.day) in ((2, 28), (3, 1)):
        return "28 February or 1 March"
    return "another day"


@settings(max_examples=300, deadline=None)
@given(born=days)
def test_child_record_is_kept_until_the_25th_birthday_and_no_longer_for_any_birth_date(
    born: date,
) -> None:
    event(_label(born))
    kept_until = retention_rule(camden_policy(), "child").destroy_after(born)
    assert kept_until == _anniversary(born, 25)


@settings(max_examples=300, deadline=None)
@given(last_involvement=days)
def test_adult_record_is_kept_six_years_from_the_last_involvement_for_any_date(
    last_involvement: date,
) -> None:
    event(_label(last_involvement))
    kept_until = retention_rule(camden_policy(), "adult").destroy_after(last_involvement)
    assert kept_until == _anniversary(last_involvement, 6)
