"""A child aged 13 or over must consent before a parent sees their record."""

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from earlyhelp.policy.decisions import parent_may_access_child_record
from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.schema import Policy

from . import camden_policy, small_policy_dict


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


def test_child_aged_13_must_consent_before_parent_sees_record(camden: Policy) -> None:
    refused = parent_may_access_child_record(camden, child_age=13, child_consented=False)
    assert refused.allowed is False
    assert refused.rule_ids == ("rights.parental_access",)
    assert "aged 13 or over must consent" in refused.reason
    assert parent_may_access_child_record(camden, child_age=13, child_consented=True).allowed


def test_child_under_13_need_not_consent_but_access_is_still_not_automatic(camden: Policy) -> None:
    decision = parent_may_access_child_record(camden, child_age=12, child_consented=False)
    assert decision.allowed
    assert "not automatic" in decision.reason


def test_younger_child_judged_competent_must_consent_too(camden: Policy) -> None:
    decision = parent_may_access_child_record(
        camden, child_age=11, child_consented=False, competence_judgement=True
    )
    assert decision.allowed is False
    assert "judged competent" in decision.reason


def test_younger_child_judged_not_competent_need_not_consent(camden: Policy) -> None:
    assert parent_may_access_child_record(
        camden, child_age=11, child_consented=False, competence_judgement=False
    ).allowed


def test_consent_age_comes_from_the_policy() -> None:
    data = small_policy_dict()
    data["rights"]["parental_access"]["child_consent_age"] = 16
    policy = policy_from_dict(data)
    assert parent_may_access_child_record(policy, child_age=15, child_consented=False).allowed
    assert (
        parent_may_access_child_record(policy, child_age=16, child_consented=False).allowed is False
    )


def test_competence_judgement_is_ignored_where_the_policy_does_not_recognise_it() -> None:
    data = small_policy_dict()
    data["rights"]["parental_access"]["competence_judgement_for_younger"] = False
    policy = policy_from_dict(data)
    assert parent_may_access_child_record(
        policy, child_age=11, child_consented=False, competence_judgement=True
    ).allowed


CAVEAT = " Parental access is not automatic and may still be restricted where appropriate."


def test_reasons_say_which_rule_applied_to_this_child(camden: Policy) -> None:
    def reason(age: int, consented: bool, competent: bool | None = None) -> str:
        decision = parent_may_access_child_record(camden, age, consented, competent)
        # Allowed exactly when consent is given or not needed: True or False, never None.
        assert decision.allowed is (consented or (age < 13 and competent is not True))
        return decision.reason

    assert reason(14, True) == (
        "A child aged 13 or over must consent before a parent sees their record; "
        "this child is 14 and has consented." + CAVEAT
    )
    # A refusal carries no caveat: there is no access to qualify.
    assert reason(14, False) == (
        "A child aged 13 or over must consent before a parent sees their record; "
        "this child is 14 and has not consented."
    )
    assert reason(10, True, True) == (
        "This child is 10, under 13, but has been judged competent to decide, so their "
        "consent is needed; they have consented." + CAVEAT
    )
    assert reason(10, False, True) == (
        "This child is 10, under 13, but has been judged competent to decide, so their "
        "consent is needed; they have not consented."
    )
    assert reason(10, False) == (
        "This child is 10, under 13, and has not been judged competent to decide, so their "
        "consent is not needed." + CAVEAT
    )


def test_no_caveat_where_the_policy_makes_parental_access_automatic() -> None:
    data = small_policy_dict()
    data["rights"]["parental_access"]["automatic"] = True
    policy = policy_from_dict(data)
    for age, consented, competent in ((14, True, None), (10, True, True), (10, False, None)):
        decision = parent_may_access_child_record(policy, age, consented, competent)
        assert decision.allowed
        assert "not automatic" not in decision.reason
        assert decision.reason.endswith(".")


def test_a_negative_age_is_rejected(camden: Policy) -> None:
    with pytest.raises(ValueError, match=r"^child_age cannot be negative$"):
        parent_may_access_child_record(camden, child_age=-1, child_consented=True)
    assert parent_may_access_child_record(camden, child_age=0, child_consented=False).allowed


def test_no_decision_names_a_lawful_basis(camden: Policy) -> None:
    for age in (0, 12, 13, 17):
        for consented in (False, True):
            for competent in (None, False, True):
                decision = parent_may_access_child_record(camden, age, consented, competent)
                assert decision.lawful_basis is None


# The notice: "Where the child is aged 13 and over, they must consent to a parent having
# access." The policy adds that a younger child judged competent must consent too.
CONSENT_AGE = 13


@settings(max_examples=200, deadline=None)
@given(age=st.integers(0, 25), consented=st.booleans(), competent=st.none() | st.booleans())
def test_consent_is_needed_from_13_or_when_a_younger_child_is_judged_competent(
    age: int, consented: bool, competent: bool | None
) -> None:
    decision = parent_may_access_child_record(camden_policy(), age, consented, competent)
    needs_consent = age >= CONSENT_AGE or competent is True
    event(
        f"{'13 or over' if age >= CONSENT_AGE else 'under 13'}, competence {competent}: "
        f"consent {'needed' if needs_consent else 'not needed'}"
    )
    assert decision.reason and decision.rule_ids == ("rights.parental_access",)
    assert decision.allowed == (consented if needs_consent else True)
    if decision.allowed:
        assert "not automatic" in decision.reason
