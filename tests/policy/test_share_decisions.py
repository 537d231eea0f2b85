"""Sharing is allowed only under an agreement in force that covers recipient, purpose and data."""

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from earlyhelp.policy.decisions import decide_share, may_withhold_notice
from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.schema import Policy

from . import STATUTORY_BASIS, TODAY, camden_policy, small_policy_dict

KINDS = ["personal", "special_category", "criminal_offence"]
FIRST_DAY = date(2020, 1, 1)


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


def _subset(draw: Any, items: list[str]) -> list[str]:
    return draw(st.lists(st.sampled_from(items), min_size=1, unique=True))


@st.composite
def policies(draw: Any) -> Policy:
    """Small valid policies with varied categories, purposes, recipients and agreements."""
    data = small_policy_dict()
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=5))
    categories = [f"cat-{i}" for i in range(len(kinds))]
    data["categories"] = [
        {"id": c, "kind": k, "wording": f"Category {c}", "sources": ["family"]}
        for c, k in zip(categories, kinds, strict=True)
    ]
    purposes = []
    for i in range(draw(st.integers(1, 3))):
        used = _subset(draw, categories)
        if i == 0:  # every category must serve a purpose
            used = categories
        purposes.append(
            {
                "id": f"purpose-{i}",
                "wording": f"purpose {i}",
                "consent_based": False,
                "categories": used,
                "data_subjects": ["child"],
                "lawful_basis": STATUTORY_BASIS,
                "laws": ["children-act-1989"],
            }
        )
    data["purposes"] = purposes
    recipients = [f"recipient-{i}" for i in range(draw(st.integers(1, 3)))]
    data["recipients"] = [
        {
            "id": r,
            "name": f"Recipient {r}",
            "kind": "other_public_body",
            "wording": r,
            "in_sharing_list": True,
        }
        for r in recipients
    ]
    agreements = []
    for i in range(draw(st.integers(0, 4))):
        chosen = draw(st.sampled_from(purposes))
        start = FIRST_DAY + timedelta(days=draw(st.integers(0, 2000)))
        length = draw(st.none() | st.integers(1, 1500))
        agreements.append(
            {
                "id": f"agreement-{i}",
                "name": f"Agreement {i}",
                "recipient": draw(st.sampled_from(recipients)),
                "purposes": [chosen["id"]],
                "categories": _subset(draw, chosen["categories"]),
                "valid_from": start,
                "valid_to": None if length is None else start + timedelta(days=length),
                "family_told_by_default": draw(st.booleans()),
            }
        )
    data["agreements"] = agreements
    return policy_from_dict(data)


@st.composite
def share_requests(draw: Any) -> tuple[Policy, str, str, list[str], date]:
    policy = draw(policies())
    recipient = draw(st.sampled_from([r.id for r in policy.recipients] + ["unknown-body"]))
    purpose = draw(st.sampled_from([p.id for p in policy.purposes] + ["unknown-purpose"]))
    categories = draw(
        st.lists(
            st.sampled_from([c.id for c in policy.categories] + ["undeclared-category"]), max_size=4
        )
    )
    on_date = FIRST_DAY + timedelta(days=draw(st.integers(-30, 4000)))
    return policy, recipient, purpose, categories, on_date


@settings(max_examples=300, deadline=None)
@given(share_requests())
def test_a_refusal_always_names_a_rule_and_a_reason(request: Any) -> None:
    decision = decide_share(*request)
    if not decision.allowed:
        assert decision.rule_ids and all(decision.rule_ids)
        assert decision.reason.strip()
        assert decision.lawful_basis is None


@settings(max_examples=300, deadline=None)
@given(share_requests())
def test_an_allowed_share_is_covered_by_one_agreement_in_force_on_the_day(request: Any) -> None:
    policy, recipient, purpose, categories, on_date = request
    decision = decide_share(policy, recipient, purpose, categories, on_date)
    if decision.allowed:
        declared = {c.id for c in policy.categories}
        assert set(categories) <= declared
        agreement = policy.agreement(decision.agreement_id)
        assert f"agreement:{agreement.id}" in decision.rule_ids
        assert agreement.recipient == recipient and purpose in agreement.purposes
        assert set(categories) <= set(agreement.categories)
        assert agreement.valid_from <= on_date
        assert agreement.valid_to is None or on_date <= agreement.valid_to
        assert decision.lawful_basis


@settings(max_examples=300, deadline=None)
@given(share_requests(), st.integers(1, 3000))
def test_nothing_is_shared_after_every_agreement_with_the_recipient_has_ended(
    request: Any, days_after: int
) -> None:
    policy, recipient, purpose, categories, _ = request
    ends = [a.valid_to for a in policy.agreements if a.recipient == recipient]
    if ends and all(ends):
        after = max(ends) + timedelta(days=days_after)
        assert not decide_share(policy, recipient, purpose, categories, after).allowed


@settings(max_examples=200, deadline=None)
@given(policies())
def test_every_category_of_an_agreement_can_be_shared_on_its_first_day(policy: Policy) -> None:
    for agreement in policy.agreements:
        decision = decide_share(
            policy,
            agreement.recipient,
            agreement.purposes[0],
            agreement.categories,
            agreement.valid_from,
        )
        assert decision.allowed, decision.reason


def test_share_with_police_for_crime_prevention_is_allowed_with_its_lawful_basis(
    camden: Policy,
) -> None:
    decision = decide_share(
        camden, "criminal-justice", "prevent-crime-and-fraud", ["offences", "health"], TODAY
    )
    assert decision.allowed
    assert decision.rule_ids == (
        "agreement:notice-criminal-justice",
        "purpose:prevent-crime-and-fraud",
    )
    assert "6(1)(c)" in decision.lawful_basis and "9(2)(g)" in decision.lawful_basis
    assert "Article 10" in decision.lawful_basis
    assert decision.family_told_by_default is True
    assert "asking-police-for-information" in decision.exemptions


def test_share_with_an_undeclared_recipient_is_refused_by_name(camden: Policy) -> None:
    decision = decide_share(
        camden, "a-newspaper", "tell-other-services", ["identity-and-contact"], TODAY
    )
    assert not decision.allowed
    assert decision.rule_ids == ("rule:declared-recipients-only",)
    assert "'a-newspaper' is not a recipient" in decision.reason


def test_share_of_an_undeclared_category_is_refused(camden: Policy) -> None:
    decision = decide_share(camden, "health", "tell-other-services", ["star-sign"], TODAY)
    assert not decision.allowed
    assert decision.rule_ids == ("rule:declared-categories-only",)


def test_share_naming_no_categories_is_refused(camden: Policy) -> None:
    assert not decide_share(camden, "health", "tell-other-services", [], TODAY).allowed


def test_share_of_data_the_purpose_does_not_use_is_refused(camden: Policy) -> None:
    decision = decide_share(
        camden, "criminal-justice", "prevent-crime-and-fraud", ["nursery-media"], TODAY
    )
    assert not decision.allowed
    assert "rule:purpose-limitation" in decision.rule_ids


def test_share_before_any_agreement_is_in_force_is_refused_with_its_dates(camden: Policy) -> None:
    decision = decide_share(camden, "health", "tell-other-services", ["health"], date(2023, 1, 1))
    assert not decision.allowed
    assert "agreement:notice-health" in decision.rule_ids
    assert "runs from 1 November 2023" in decision.reason


def test_share_to_a_recipient_with_no_agreement_for_the_purpose_is_refused(camden: Policy) -> None:
    decision = decide_share(
        camden, "other-nursery-parents", "tell-other-services", ["identity-and-contact"], TODAY
    )
    assert not decision.allowed
    assert "covers the purpose" in decision.reason


def test_eylog_clips_go_to_other_parents_only_with_recorded_consent(camden: Policy) -> None:
    refused = decide_share(
        camden, "other-nursery-parents", "share-in-nursery-life", ["nursery-media"], TODAY
    )
    assert not refused.allowed and "rule:consent-required" in refused.rule_ids
    allowed = decide_share(
        camden,
        "other-nursery-parents",
        "share-in-nursery-life",
        ["nursery-media"],
        TODAY,
        consent_given=True,
    )
    assert allowed.allowed
    assert allowed.lawful_basis == "UK GDPR Article 6(1)(a)"


def test_share_needing_categories_from_two_agreements_is_refused() -> None:
    data = small_policy_dict()
    first = data["agreements"][0]
    data["agreements"] = [
        {**first, "id": "names-only", "categories": ["identity"]},
        {**first, "id": "offences-only", "categories": ["offences"]},
    ]
    policy = policy_from_dict(data)
    decision = decide_share(policy, "police", "casework", ["identity", "offences"], TODAY)
    assert not decision.allowed
    assert "No single agreement" in decision.reason


def test_family_need_not_be_told_only_under_an_exemption_the_agreement_allows(
    camden: Policy,
) -> None:
    assert not may_withhold_notice(camden, "notice-health").allowed
    assert not may_withhold_notice(camden, "notice-health", "asking-police-for-information").allowed
    allowed = may_withhold_notice(
        camden, "notice-criminal-justice", "asking-police-for-information"
    )
    assert allowed.allowed
    assert "exemption:asking-police-for-information" in allowed.rule_ids
    assert not may_withhold_notice(camden, "no-such-agreement", "safeguarding-alert").allowed
