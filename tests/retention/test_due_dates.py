"""When a person's records fall due: the notice's two rules, conditional rules, the longest
date, and what cannot be planned (policy.decisions.retention.due_date)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.policy.decisions.retention import (
    KEPT_NO_BIRTH_DATE,
    KEPT_OPEN_CASE,
    History,
    due_date,
)
from earlyhelp.policy.loader import policy_from_dict
from tests.policy import camden_dict, camden_policy

POLICY = camden_policy()


def with_rules(*rules: dict):
    data = camden_dict()
    data["retention"]["rules"] = [*data["retention"]["rules"], *rules]
    return policy_from_dict(data)


def test_a_child_born_on_29_february_2004_is_due_on_1_march_2029():
    due = due_date(POLICY, History(born=date(2004, 2, 29), last_involvement=date(2015, 6, 1)))
    assert due.due_on == date(2029, 3, 1)
    assert due.rule.id == "child-records"


def test_an_adult_is_due_six_years_after_the_last_involvement():
    due = due_date(POLICY, History(born=date(1980, 1, 2), last_involvement=date(2019, 7, 31)))
    assert due.due_on == date(2025, 7, 31)
    assert due.rule.id == "adult-records"


def test_an_adult_with_no_date_of_birth_is_kept_by_the_adult_rule():
    due = due_date(POLICY, History(born=None, last_involvement=date(2019, 7, 31)))
    assert (due.due_on, due.rule.id) == (date(2025, 7, 31), "adult-records")


def test_a_child_on_a_case_with_no_date_of_birth_cannot_be_planned():
    due = due_date(
        POLICY, History(born=None, last_involvement=date(2010, 1, 1), child_on_a_case=True)
    )
    assert due.due_on is None
    assert due.kept_because == KEPT_NO_BIRTH_DATE


def test_nothing_is_due_while_a_case_is_open():
    due = due_date(
        POLICY, History(born=date(1950, 1, 1), last_involvement=date(1990, 1, 1), open_case=True)
    )
    assert due.due_on is None
    assert due.kept_because == KEPT_OPEN_CASE


def test_a_child_on_a_case_who_was_an_adult_at_the_last_involvement_gets_the_longer_date():
    # A young person on a youth case at 20: child rule to 25 (2029), adult rule to 2030.
    history = History(
        born=date(2004, 3, 10), last_involvement=date(2024, 5, 1), child_on_a_case=True
    )
    due = due_date(POLICY, history)
    assert (due.due_on, due.rule.id) == (date(2030, 5, 1), "adult-records")


def test_a_conditional_rule_from_case_closure_applies_when_it_is_the_longest():
    policy = with_rules(
        {
            "id": "child-protection",
            "subject": "child",
            "trigger": "case_closure",
            "period": {"years": 35},
            "statutory": False,
            "referred_to_social_care": True,
        }
    )
    history = History(
        born=date(2010, 1, 1),
        last_involvement=date(2015, 1, 1),
        child_on_a_case=True,
        matching={"child-protection": date(2014, 12, 31)},
    )
    due = due_date(policy, history)
    assert (due.due_on, due.rule.id) == (date(2049, 12, 31), "child-protection")
    # Without a matching case, the notice's rule applies.
    plain = due_date(policy, History(born=date(2010, 1, 1), last_involvement=date(2015, 1, 1)))
    assert (plain.due_on, plain.rule.id) == (date(2035, 1, 1), "child-records")


@given(
    born=st.dates(date(1940, 1, 1), date(2025, 12, 31)),
    gap_days=st.integers(0, 365 * 30),
    child=st.booleans(),
)
def test_the_due_date_is_never_before_any_applicable_rule_would_keep_the_records(
    born, gap_days, child
):
    last = min(date.fromordinal(born.toordinal() + gap_days), date(2026, 12, 1))
    last = max(last, born)
    due = due_date(POLICY, History(born=born, last_involvement=last, child_on_a_case=child))
    age = last.year - born.year - ((last.month, last.day) < (born.month, born.day))
    # Kept to the 25th birthday whenever they were a child; six years from the last
    # involvement whenever they were an adult then (the oracle: the notice's words).
    twenty_fifth = date(born.year + 25, born.month, 1)
    if child or age < 18:
        assert due.due_on >= twenty_fifth
    if age >= 18:
        assert due.due_on >= date(last.year + 6, last.month, 1)
    assert due.due_on > last
