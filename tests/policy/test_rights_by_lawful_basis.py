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
    assert decision.allowed is False
    assert "legal obligation (6(1)(c))" in decision.reason


def test_right_to_object_applies_to_the_public_task_part_of_camdens_processing(
    camden: Policy,
) -> None:
    decision = right_applies(camden, "object", "monitor-take-up")
    assert decision.allowed
    assert "public task (6(1)(e))" in decision.reason
    assert "does not apply to processing based on legal obligation" in decision.reason


def test_no_portability_unless_the_basis_is_consent_or_contract(camden: Policy) -> None:
    assert right_applies(camden, "portability", "monitor-take-up").allowed is False
    assert right_applies(camden, "portability", "share-in-nursery-life").allowed


def test_erasure_is_limited_under_legal_obligation_and_public_task(camden: Policy) -> None:
    decision = right_applies(camden, "erasure", "best-interests-and-health")
    assert decision.allowed
    assert "legal duty" in decision.reason


def test_consent_can_be_withdrawn_only_where_consent_is_the_basis(camden: Policy) -> None:
    assert right_applies(camden, "withdraw_consent", "share-in-nursery-life").allowed
    assert right_applies(camden, "withdraw_consent", "child-views").allowed is False


def test_right_for_an_unknown_purpose_is_refused_naming_the_rule(camden: Policy) -> None:
    decision = right_applies(camden, "access", "no-such-purpose")
    assert decision.allowed is False and decision.rule_ids == ("rule:declared-purposes-only",)


# The lawful basis as the decisions state it for Camden's statutory purposes: Article 6(1)(c)
# and (e), written out by hand from the policy file.
STATUTORY = "UK GDPR Article 6(1)(c), 6(1)(e)"


def test_right_to_object_to_public_task_processing_is_explained_in_full(camden: Policy) -> None:
    decision = right_applies(camden, "object", "monitor-take-up")
    assert decision.rule_ids == ("rights.object", "purpose:monitor-take-up")
    assert decision.lawful_basis == STATUTORY
    assert decision.reason == (
        "The right to object applies to processing based on public task (6(1)(e)). "
        "It does not apply to processing based on legal obligation (6(1)(c))."
    )


def test_erasure_under_a_statutory_basis_states_its_limitation(camden: Policy) -> None:
    decision = right_applies(camden, "erasure", "best-interests-and-health")
    assert decision.rule_ids == ("rights.erasure", "purpose:best-interests-and-health")
    assert decision.reason == (
        "The right to erasure applies to processing based on legal obligation (6(1)(c)), "
        "public task (6(1)(e)). We do not have to erase information we need to keep to meet a "
        "legal duty or to carry out a public task."
    )


def test_erasure_of_consent_based_data_has_no_limitation(camden: Policy) -> None:
    # Article 17(3)(b) limits erasure for legal obligation and public task, not consent.
    decision = right_applies(camden, "erasure", "share-in-nursery-life")
    assert decision.allowed
    assert decision.lawful_basis == "UK GDPR Article 6(1)(a)"
    assert (
        decision.reason == "The right to erasure applies to processing based on consent (6(1)(a))."
    )


def test_a_right_that_does_not_apply_names_the_basis_it_rests_on(camden: Policy) -> None:
    decision = right_applies(camden, "portability", "monitor-take-up")
    assert decision.allowed is False
    assert decision.rule_ids == ("rights.portability", "purpose:monitor-take-up")
    assert decision.lawful_basis == STATUTORY
    assert decision.reason == (
        "The right to data portability does not apply: this purpose rests on "
        "legal obligation (6(1)(c)), public task (6(1)(e))."
    )


def test_withdrawing_consent_applies_to_the_eylog_purpose_only(camden: Policy) -> None:
    allowed = right_applies(camden, "withdraw_consent", "share-in-nursery-life")
    assert allowed.reason == (
        "The right to withdraw consent applies to processing based on consent (6(1)(a))."
    )


def test_a_right_the_policy_does_not_list_is_refused() -> None:
    policy = policy_from_dict(small_policy_dict())  # lists only access and object
    decision = right_applies(policy, "portability", "casework")
    assert decision.allowed is False
    assert decision.rule_ids == ("rights.rights",)
    assert decision.lawful_basis is None
    assert decision.reason == "The policy says nothing about the right 'portability'."


def test_unknown_purpose_refusal_names_the_purpose(camden: Policy) -> None:
    decision = right_applies(camden, "access", "no-such-purpose")
    assert decision.lawful_basis is None
    assert decision.reason == "'no-such-purpose' is not a purpose the policy declares."


def test_a_limitation_is_stated_only_where_an_applying_basis_is_limited() -> None:
    data = small_policy_dict()
    data["rights"]["rights"][1]["limited_under"] = ["6(1)(f)"]
    data["rights"]["rights"][1]["limitation"] = "Only for legitimate interests."
    decision = right_applies(policy_from_dict(data), "object", "casework")
    assert decision.allowed
    assert "Only for legitimate interests." not in decision.reason
