"""Which data subject rights apply depends on the lawful basis of the processing."""

import pytest

from earlyhelp.policy.decisions import right_applies
from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.schema import Policy

from . import camden_policy, small_policy_dict


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


def test_no_right_to_object_where_the_only_basis_is_legal_obligation() -> None:
    data = small_policy_dict()
    data["purposes"][0]["lawful_basis"]["article_6"] = ["6(1)(c)"]
    decision = right_applies(policy_from_dict(data), "object", "casework")
    assert not decision.allowed
    assert "legal obligation (6(1)(c))" in decision.reason


def test_right_to_object_applies_to_the_public_task_part_of_camdens_processing(
    camden: Policy,
) -> None:
    decision = right_applies(camden, "object", "monitor-take-up")
    assert decision.allowed
    assert "public task (6(1)(e))" in decision.reason
    assert "does not apply to processing based on legal obligation" in decision.reason


def test_no_portability_unless_the_basis_is_consent_or_contract(camden: Policy) -> None:
    assert not right_applies(camden, "portability", "monitor-take-up").allowed
    assert right_applies(camden, "portability", "share-in-nursery-life").allowed


def test_erasure_is_limited_under_legal_obligation_and_public_task(camden: Policy) -> None:
    decision = right_applies(camden, "erasure", "best-interests-and-health")
    assert decision.allowed
    assert "legal duty" in decision.reason


def test_consent_can_be_withdrawn_only_where_consent_is_the_basis(camden: Policy) -> None:
    assert right_applies(camden, "withdraw_consent", "share-in-nursery-life").allowed
    assert not right_applies(camden, "withdraw_consent", "child-views").allowed


def test_right_for_an_unknown_purpose_is_refused_naming_the_rule(camden: Policy) -> None:
    decision = right_applies(camden, "access", "no-such-purpose")
    assert not decision.allowed and decision.rule_ids == ("rule:declared-purposes-only",)
