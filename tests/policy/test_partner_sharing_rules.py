"""The policy's rules for partners' requests, the duty to share, transfers by country and
route, and emergency shares (policy.decisions.sharing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.policy.decisions import (
    decide_transfer_to,
    emergency_approval_due,
    not_sharing_reason_needed,
    partner_request_due,
    region_of,
)
from earlyhelp.policy.loader import policy_from_dict

from . import camden_dict, camden_policy

CAMDEN = camden_policy()
ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2025, 2031))


def _camden_with(change) -> object:
    data = camden_dict()
    change(data)
    return policy_from_dict(data)


# --- the time to answer a partner's request ---------------------------------------------------


def test_a_partner_request_is_due_ten_working_days_later_skipping_christmas() -> None:
    # Fri 18 Dec 2026: 21-24 Dec, then 29-31 Dec (25 Dec and the Boxing Day substitute on
    # Mon 28 Dec are bank holidays), then 4, 5 and 6 Jan (1 Jan is one).
    assert partner_request_due(CAMDEN, date(2026, 12, 18)) == date(2027, 1, 6)


def test_a_policy_counting_calendar_days_adds_them_plainly() -> None:
    def calendar_days(data: dict) -> None:
        data["sharing"]["partner_requests"]["days"] = "calendar"
        data["sharing"]["partner_requests"]["answer_within_days"] = 7

    policy = _camden_with(calendar_days)
    assert partner_request_due(policy, date(2026, 12, 18)) == date(2026, 12, 25)


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2029, 12, 31)))
def test_the_due_day_is_a_working_day_with_the_policys_count_of_working_days_before_it(
    received: date,
) -> None:
    due = partner_request_due(CAMDEN, received)
    wanted = CAMDEN.sharing.partner_requests.answer_within_days
    days = [received + timedelta(days=n) for n in range(1, (due - received).days + 1)]
    working = [d for d in days if d.weekday() < 5 and d not in ENGLAND]
    assert due.weekday() < 5 and due not in ENGLAND
    assert len(working) == wanted


def test_without_partner_request_rules_no_due_day_can_be_set() -> None:
    policy = _camden_with(lambda d: d["sharing"].pop("partner_requests"))
    with pytest.raises(ValueError, match=r"^received: .*sharing\.partner_requests"):
        partner_request_due(policy, date(2026, 12, 1))


def test_camden_lists_crime_and_taxation_with_its_law_needing_a_form_and_approval() -> None:
    basis = CAMDEN.sharing.partner_requests.basis("crime-and-taxation")
    assert basis.law.startswith("Data Protection Act 2018 Schedule 2 paragraph 2")
    assert basis.needs_form_reference and basis.needs_approval
    assert not CAMDEN.sharing.partner_requests.basis("child-safeguarding").needs_approval


# --- the duty to share (Children Act 2004 s.16LA) ---------------------------------------------


def test_before_the_duty_commences_any_reason_not_to_share_will_do() -> None:
    starts = CAMDEN.sharing.duty_to_share.in_force_from
    decision = not_sharing_reason_needed(CAMDEN, starts - timedelta(days=1), about_child=True)
    assert decision.allowed is False


def test_from_the_day_the_duty_commences_not_sharing_must_say_it_is_more_detrimental() -> None:
    starts = CAMDEN.sharing.duty_to_share.in_force_from
    decision = not_sharing_reason_needed(CAMDEN, starts, about_child=True)
    assert decision.allowed is True
    assert decision.rule_ids == ("sharing.duty_to_share",)
    assert "more detrimental to the child" in decision.reason


def test_the_duty_is_about_children_only() -> None:
    starts = CAMDEN.sharing.duty_to_share.in_force_from
    assert not not_sharing_reason_needed(CAMDEN, starts, about_child=False).allowed


def test_the_commencement_date_is_the_policys() -> None:
    policy = _camden_with(
        lambda d: d["sharing"]["duty_to_share"].update(in_force_from=date(2027, 1, 1))
    )
    assert not not_sharing_reason_needed(policy, date(2026, 12, 1), about_child=True).allowed


# --- transfers by country and route -----------------------------------------------------------


@pytest.mark.parametrize(("country", "region"), [("GB", "UK"), ("FR", "EU"), ("NO", "EEA")])
def test_a_country_is_in_the_region_the_policy_lists_it_under(country, region) -> None:
    assert region_of(CAMDEN, country) == region


def test_a_country_outside_every_listed_region_has_none() -> None:
    assert region_of(CAMDEN, "CA") is None


def test_a_transfer_outside_the_eea_without_a_recorded_move_is_refused() -> None:
    decision = decide_transfer_to(
        CAMDEN,
        "CA",
        "uk-approval-regulations",
        relocation_recorded=False,
        receiving_authority=False,
    )
    assert decision.allowed is False
    assert decision.rule_ids == ("transfers",)


def test_a_transfer_with_the_move_recorded_names_its_route_and_its_law() -> None:
    decision = decide_transfer_to(
        CAMDEN,
        "CA",
        "appropriate-safeguards",
        relocation_recorded=True,
        receiving_authority=True,
    )
    assert decision.allowed is True
    assert decision.rule_ids == (
        "transfers",
        "transfers.exception:child-relocation",
        "transfers.route:appropriate-safeguards",
    )
    assert decision.lawful_basis == "UK GDPR Articles 46 and 45B (the data protection test)"


def test_a_transfer_must_name_a_route_the_policy_gives() -> None:
    decision = decide_transfer_to(
        CAMDEN, "CA", "because-we-can", relocation_recorded=True, receiving_authority=True
    )
    assert decision.allowed is False
    assert decision.rule_ids == ("transfers.routes",)
    assert "Appropriate safeguards" in decision.reason


def test_a_region_the_notice_permits_needs_no_move_but_still_a_route() -> None:
    allowed = decide_transfer_to(
        CAMDEN,
        "FR",
        "uk-approval-regulations",
        relocation_recorded=False,
        receiving_authority=False,
    )
    assert allowed.allowed is True
    assert allowed.lawful_basis.startswith("UK GDPR Article 45A")


def test_uk_adequacy_covers_only_the_countries_its_regulations_name() -> None:
    def by_adequacy(country: str):
        return decide_transfer_to(
            CAMDEN,
            country,
            "uk-approval-regulations",
            relocation_recorded=True,
            receiving_authority=True,
        )

    assert by_adequacy("NZ").allowed is True
    for country in ("IN", "CA"):  # none for India; Canada's covers only private companies
        refused = by_adequacy(country)
        assert refused.allowed is False
        assert refused.rule_ids[-1] == "transfers.route:uk-approval-regulations"
        assert f"does not cover {country}" in refused.reason
    # A route the regulations do not limit (safeguards) is open to any country.
    assert decide_transfer_to(
        CAMDEN, "IN", "appropriate-safeguards", relocation_recorded=True, receiving_authority=True
    ).allowed


# --- emergencies ------------------------------------------------------------------------------


def test_an_emergency_share_is_due_for_approval_the_policys_hours_later() -> None:
    shared = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    hours = CAMDEN.sharing.emergency_approval_within_hours
    assert emergency_approval_due(CAMDEN, shared) == shared + timedelta(hours=hours)
    policy = _camden_with(lambda d: d["sharing"].update(emergency_approval_within_hours=4))
    assert emergency_approval_due(policy, shared) == datetime(2026, 12, 2, 2, 30, tzinfo=UTC)


def test_without_an_emergency_time_there_is_no_emergency_route() -> None:
    policy = _camden_with(lambda d: d["sharing"].pop("emergency_approval_within_hours"))
    with pytest.raises(ValueError, match=r"^emergency: "):
        emergency_approval_due(policy, datetime(2026, 12, 1, tzinfo=UTC))
