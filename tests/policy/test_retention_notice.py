"""Section 6 of the notice says every retention rule of the policy in a family's words
(issue 18 item 7): the notice's two defaults as the source notice words them, and the rules
councils add (child protection from the case's closure, youth justice naming the service,
an extract's date), each saying when it applies."""

from __future__ import annotations

from typing import Any

import pytest

from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.render import notice_markdown
from earlyhelp.policy.render.common import retention_sentence, retention_sentences
from earlyhelp.policy.schema import Policy

from . import camden_dict, camden_policy

CHILD_PROTECTION = {
    "id": "child-protection",
    "subject": "child",
    "trigger": "case_closure",
    "period": {"years": 35},
    "statutory": False,
    "referred_to_social_care": True,
    "source": "Local Government Association retention guidelines",
}
YOUTH_JUSTICE = {
    "id": "youth-justice",
    "subject": "child",
    "trigger": "case_closure",
    "period": {"years": 6},
    "statutory": True,
    "services": ["youth-justice"],
}


def _with_rules(*rules: dict[str, Any], **changes: Any) -> Policy:
    data = camden_dict()
    # A rule given replaces Camden's rule of the same id.
    replaced = {rule["id"] for rule in rules}
    data["retention"]["rules"] = [
        r for r in data["retention"]["rules"] if r["id"] not in replaced
    ] + list(rules)
    for rule in data["retention"]["rules"]:
        rule.update(changes.get(rule["id"], {}))
    return policy_from_dict(data)


def _rule(policy: Policy, rule_id: str):
    rule = policy.retention_rule(rule_id)
    assert rule is not None
    return rule


def _section_6(policy: Policy) -> str:
    markdown = notice_markdown(policy)
    return markdown.split("## 6.")[1].split("## 7.")[0]


def test_the_notices_two_rules_read_as_the_source_notice_words_them() -> None:
    policy = camden_policy()
    assert retention_sentence(policy, _rule(policy, "child-records")) == (
        "We will keep information until your child is 25 as part of the Council's statutory duty."
    )
    assert retention_sentence(policy, _rule(policy, "adult-records")) == (
        "If you are 18 or over, we will keep any information you share with us for six years "
        "after our last involvement with you."
    )


def test_a_rule_for_cases_referred_to_social_care_says_so_and_counts_from_the_closure() -> None:
    policy = _with_rules(CHILD_PROTECTION)
    assert retention_sentence(policy, _rule(policy, "child-protection")) == (
        "Where your child's case was referred to children's social care, we keep its records "
        "for 35 years after the case closed."
    )


def test_a_youth_justice_rule_names_the_service_as_the_policy_names_it() -> None:
    data = camden_dict()
    iyss = next(s for s in data["services"] if s["id"] == "iyss")
    next(s for s in iyss["sub_services"] if s["id"] == "youth-justice")["name"] = "Camden YOS"
    data["retention"]["rules"].append(YOUTH_JUSTICE)
    policy = policy_from_dict(data)

    assert retention_sentence(policy, _rule(policy, "youth-justice")) == (
        "Where your child's case was with Camden YOS, we keep its records for six years after "
        "the case closed as part of the Council's statutory duty."
    )


def test_a_rule_for_several_services_and_a_referral_names_both_conditions() -> None:
    rule = {
        **YOUTH_JUSTICE,
        "id": "youth-offending",
        "services": ["youth-justice", "engage-youth-diversion"],
        "referred_to_social_care": True,
        "statutory": False,
    }
    policy = _with_rules(rule)
    assert retention_sentence(policy, _rule(policy, "youth-offending")) == (
        "Where your child's case was with Youth Justice or Engage Youth Diversion Project and "
        "was referred to children's social care, we keep its records for six years after the "
        "case closed."
    )


def test_a_conditional_rule_about_adults_speaks_of_the_familys_case() -> None:
    rule = {**CHILD_PROTECTION, "id": "adult-cp", "subject": "adult"}
    policy = _with_rules(rule)
    assert retention_sentence(policy, _rule(policy, "adult-cp")) == (
        "Where your family's case was referred to children's social care, we keep its records "
        "for 35 years after the case closed."
    )


@pytest.mark.parametrize(
    ("subject", "trigger", "period", "sentence"),
    [
        (
            "child",
            "date_of_birth",
            {"years": 21, "months": 6},
            "We will keep information for 21 years and six months from your child's date of birth.",
        ),
        (
            "child",
            "last_involvement",
            {"years": 7},
            "We will keep information for seven years after our last involvement with your child.",
        ),
        (
            "adult",
            "extract_date",
            {"years": 6},
            "If you are 18 or over, we will keep information taken from your records for a "
            "project for six years after the date of the extract.",
        ),
        (
            "adult",
            "consent_withdrawn",
            {"months": 3},
            "If you are 18 or over, we will keep any information you share with us for three "
            "months after you withdraw your consent.",
        ),
    ],
    ids=["child-birth-not-whole-years", "child-last-involvement", "extract-date", "consent"],
)
def test_each_default_rule_reads_as_a_sentence_a_family_can_read(
    subject: str, trigger: str, period: dict, sentence: str
) -> None:
    index = 0 if subject == "child" else 1
    data = camden_dict()
    data["retention"]["rules"][index].update(
        {"subject": subject, "trigger": trigger, "period": period, "statutory": False}
    )
    policy = policy_from_dict(data)
    assert retention_sentence(policy, policy.retention.rules[index]) == sentence


def test_nursery_media_are_kept_until_consent_is_withdrawn_and_the_period_after() -> None:
    rule = {
        "id": "nursery-media",
        "subject": "nursery_media",
        "trigger": "consent_withdrawn",
        "period": {"days": 30},
        "statutory": False,
    }
    policy = _with_rules(rule)
    assert retention_sentence(policy, _rule(policy, "nursery-media")) == (
        "We will keep photos and videos for 30 days after you withdraw your consent."
    )


def test_no_sentence_names_an_id_or_a_code() -> None:
    policy = _with_rules(CHILD_PROTECTION, YOUTH_JUSTICE)
    for sentence in retention_sentences(policy):
        for code in ("youth-justice", "child-protection", "case_closure", "referred_to", "_"):
            assert code not in sentence


def test_section_6_renders_every_rule_from_the_policy_in_its_order() -> None:
    policy = _with_rules(CHILD_PROTECTION, YOUTH_JUSTICE)
    section = _section_6(policy)
    sentences = [retention_sentence(policy, rule) for rule in policy.retention.rules]
    places = [section.index(sentence) for sentence in sentences]
    assert places == sorted(places)
    assert "Where your child's case was with Youth Justice" in section
    assert "referred to children's social care, we keep its records for 35 years" in section


def test_section_6_says_the_latest_date_wins_when_a_conditional_rule_adds_to_a_default() -> None:
    assert "the latest of their dates" in _section_6(_with_rules(CHILD_PROTECTION))
    # Camden's notice states its two rules only, as the source notice does.
    assert "the latest of their dates" not in _section_6(camden_policy())


def test_section_6_changes_when_a_rule_changes() -> None:
    before = _section_6(_with_rules(CHILD_PROTECTION))
    after = _section_6(
        _with_rules(CHILD_PROTECTION, **{"child-protection": {"period": {"years": 40}}})
    )
    assert "for 35 years after the case closed" in before
    assert "for 40 years after the case closed" in after and "35 years" not in after
