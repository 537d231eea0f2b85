"""Wording the notice and the Article 30 record share: sources, laws, retention rules."""

from __future__ import annotations

from earlyhelp.lib.words import join_words
from earlyhelp.policy.describe import describe_period
from earlyhelp.policy.schema import Policy, RetentionRule

# Where the policy says data comes from (a category's sources), as the notice names them.
SOURCE_WORDS = {
    "family": "you and your family",
    "carer": "carers",
    "child": "children and young people themselves",
    "gp": "GPs",
    "school_nurse": "school nurses",
    "health_professional": "other health professionals",
    "police": "the police",
    "school": "schools",
    "other_agency": "other organisations",
    "council_service": "other council services",
    "council_staff": "council staff",
}


def retention_sentence(policy: Policy, rule: RetentionRule) -> str:
    """One rule in words a family can read."""
    period = describe_period(rule.period, prose=True)
    duty = " as part of the Council's statutory duty" if rule.statutory else ""
    if rule.trigger == "date_of_birth":
        age = rule.period.years if not (rule.period.months or rule.period.days) else None
        until = (
            f"until your child is {age}"
            if age is not None
            else f"for {period} from your child's date of birth"
        )
        return f"We will keep information {until}{duty}."
    if rule.trigger == "last_involvement":
        who = (
            f"If you are {policy.retention.adult_from_age} or over, we"
            if rule.subject == "adult"
            else "We"
        )
        return (
            f"{who} will keep any information you share with us for {period} "
            f"after our last involvement with you{duty}."
        )
    what = "photos and videos" if rule.subject == "nursery_media" else "information"
    return f"We will keep {what} for {period} after you withdraw your consent{duty}."


def law_text(policy: Policy, law_id: str) -> str:
    """A declared law with its sections and other provisions: "Children Act 1989 sections
    17 and 47"; an id the policy does not declare is shown as itself."""
    law = policy.law(law_id)
    if law is None:
        return law_id
    parts = []
    if law.sections:
        parts.append(f"section{'s' if len(law.sections) > 1 else ''} {join_words(law.sections)}")
    parts += law.other_provisions
    return f"{law.title} {join_words(parts)}".strip() if parts else law.title
