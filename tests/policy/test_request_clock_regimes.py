"""Which time limit a request is answered under, and how clarification stops its clock
(UK GDPR Article 12A from 5 February 2026; DPA 2018 s.54; s.164A for complaints)."""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from earlyhelp.lib.dates import add_months
from earlyhelp.policy.decisions import (
    Pause,
    complaint_acknowledge_by,
    deadline_rule,
    deadline_under,
)
from earlyhelp.policy.schema import Policy

from . import camden_policy

ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2018, 2061))


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


def _first_working_day_from(day: date) -> date:
    while day.weekday() >= 5 or day in ENGLAND:
        day += timedelta(days=1)
    return day


def test_a_request_received_before_5_february_2026_is_answered_under_article_12(
    camden: Policy,
) -> None:
    assert deadline_rule(camden, date(2026, 2, 4)).id == "uk-gdpr-article-12"
    assert deadline_rule(camden, date(2026, 2, 5)).id == "uk-gdpr-article-12a"


def test_youth_justice_law_enforcement_requests_follow_section_54(camden: Policy) -> None:
    rule = deadline_rule(camden, date(2026, 3, 3), "law-enforcement")
    assert rule.regime == "law-enforcement" and "section 54" in rule.law
    # The same clock: due Tuesday 7 April 2026 (Easter Monday is 6 April).
    assert deadline_under(rule, date(2026, 3, 3)).due == date(2026, 4, 7)


def test_a_request_received_before_any_time_limit_is_refused_naming_the_field(
    camden: Policy,
) -> None:
    with pytest.raises(ValueError, match=r"^received: the policy has no time limit"):
        deadline_rule(camden, date(2018, 5, 24))


@pytest.mark.parametrize(
    ("received", "due", "extended_due"),
    [
        (date(2026, 1, 31), date(2026, 3, 2), date(2026, 4, 30)),
        (date(2026, 3, 3), date(2026, 4, 7), None),
        (date(2026, 11, 28), date(2026, 12, 29), None),
    ],
    ids=str,
)
def test_the_issues_worked_examples_under_the_rule_in_force_on_receipt(
    camden: Policy, received: date, due: date, extended_due: date | None
) -> None:
    rule = deadline_rule(camden, received)
    assert deadline_under(rule, received, today=received).due == due
    if extended_due:
        assert deadline_under(rule, received, extended=True, today=received).due == extended_due


def test_a_fee_starts_the_clock_under_article_12a_only(camden: Policy) -> None:
    new = deadline_rule(camden, date(2026, 3, 3))
    old = deadline_rule(camden, date(2026, 1, 5))
    assert deadline_under(new, date(2026, 3, 3), fee_paid=date(2026, 3, 10)).clock_started == date(
        2026, 3, 10
    )
    assert deadline_under(old, date(2026, 1, 5), fee_paid=date(2026, 1, 12)).clock_started == date(
        2026, 1, 5
    )


def test_under_article_12a_the_day_asked_and_the_day_answered_both_stand_still(
    camden: Policy,
) -> None:
    rule = deadline_rule(camden, date(2026, 3, 3))
    # Asked 10 March, answered 12 March: 10, 11 and 12 March do not count (3 days).
    # 3 March + 1 month = 3 April; + 3 days = Monday 6 April, Easter Monday: 7 April 2026.
    deadline = deadline_under(
        rule, date(2026, 3, 3), pauses=[Pause(date(2026, 3, 10), date(2026, 3, 12))]
    )
    assert deadline.paused_days == 3
    assert deadline.due == date(2026, 4, 7)


def test_clarification_asked_before_the_clock_started_only_counts_from_its_start(
    camden: Policy,
) -> None:
    rule = deadline_rule(camden, date(2026, 3, 3))
    # Identity arrives 20 March; the clarification asked on 5 March is answered 22 March:
    # only 20-22 March (3 days) stand still.
    deadline = deadline_under(
        rule,
        date(2026, 3, 3),
        identity_confirmed=date(2026, 3, 20),
        pauses=[Pause(date(2026, 3, 5), date(2026, 3, 22))],
    )
    assert deadline.clock_started == date(2026, 3, 20)
    assert deadline.paused_days == 3


def test_an_awaited_clarification_moves_the_due_date_on_each_day_it_waits(
    camden: Policy,
) -> None:
    rule = deadline_rule(camden, date(2026, 3, 3))
    waiting = [Pause(date(2026, 3, 10))]
    first = deadline_under(rule, date(2026, 3, 3), pauses=waiting, today=date(2026, 3, 10))
    week_on = deadline_under(rule, date(2026, 3, 3), pauses=waiting, today=date(2026, 3, 17))
    assert first.paused_since == date(2026, 3, 10)
    assert (first.paused_days, week_on.paused_days) == (1, 8)
    assert week_on.due > first.due


def test_an_answer_before_its_question_is_refused(camden: Policy) -> None:
    rule = deadline_rule(camden, date(2026, 3, 3))
    with pytest.raises(ValueError, match=r"^clarification received \(2026-03-09\) is before"):
        deadline_under(rule, date(2026, 3, 3), pauses=[Pause(date(2026, 3, 10), date(2026, 3, 9))])


@settings(max_examples=300, deadline=None)
@given(
    received=st.dates(date(2026, 2, 5), date(2059, 1, 1)),
    ask_after=st.integers(0, 40),
    wait=st.integers(0, 40),
)
def test_a_pause_adds_exactly_its_days_both_ends_included_under_article_12a(
    received: date, ask_after: int, wait: int
) -> None:
    rule = deadline_rule(camden_policy(), received)
    asked = received + timedelta(days=ask_after)
    deadline = deadline_under(rule, received, pauses=[Pause(asked, asked + timedelta(days=wait))])
    assert deadline.paused_days == wait + 1
    expected = _first_working_day_from(add_months(received, 1) + timedelta(days=wait + 1))
    assert deadline.due == expected


@settings(max_examples=200, deadline=None)
@given(
    received=st.dates(date(2026, 2, 5), date(2059, 1, 1)),
    ask_after=st.integers(0, 40),
    days=st.lists(st.integers(0, 60), min_size=2, max_size=2),
)
def test_while_clarification_is_awaited_the_due_date_never_moves_back(
    received: date, ask_after: int, days: list[int]
) -> None:
    rule = deadline_rule(camden_policy(), received)
    asked = received + timedelta(days=ask_after)
    earlier, later = sorted(days)
    due = [
        deadline_under(rule, received, pauses=[Pause(asked)], today=asked + timedelta(days=d)).due
        for d in (earlier, later)
    ]
    assert due[0] <= due[1]


def test_a_complaint_is_acknowledged_within_30_days_from_19_june_2026(camden: Policy) -> None:
    handling = camden.complaints.handling
    assert complaint_acknowledge_by(handling, date(2026, 6, 19)) == date(2026, 7, 19)
    assert complaint_acknowledge_by(handling, date(2026, 11, 2)) == date(2026, 12, 2)
    # Before section 164A came into force there was no statutory date.
    assert complaint_acknowledge_by(handling, date(2026, 6, 18)) is None
    assert complaint_acknowledge_by(None, date(2026, 11, 2)) is None
