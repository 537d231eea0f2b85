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
    """One rule in words a family can read.

    A default rule (no condition) says how long, from when, for whom: "We will keep
    information until your child is 25 as part of the Council's statutory duty." A
    conditional rule says first when it applies, naming the services as the policy names
    them: "Where your child's case was referred to children's social care, we keep its
    records for 35 years after the case closed."
    """
    period = describe_period(rule.period, prose=True)
    duty = " as part of the Council's statutory duty" if rule.statutory else ""
    when = _how_long(rule, period)
    if rule.conditional:
        return f"Where {_condition(policy, rule)}, we keep its records {when}{duty}."
    what = {
        "nursery_media": "photos and videos",
        "adult": "any information you share with us",
    }.get(rule.subject, "information")
    if rule.trigger == "extract_date":
        what = "information taken from your records for a project"
    if rule.subject == "adult":
        who = f"If you are {policy.retention.adult_from_age} or over, we"
    else:
        who = "We"
    return f"{who} will keep {what} {when}{duty}."


def retention_sentences(policy: Policy) -> list[str]:
    """Every rule of the policy in words, in its order (the notice's section 6); when a
    conditional rule adds to a default, a last sentence says the latest date wins."""
    sentences = [retention_sentence(policy, rule) for rule in policy.retention.rules]
    if any(rule.conditional for rule in policy.retention.rules):
        sentences.append(
            "Where more than one of these applies to a record, we keep it until the latest "
            "of their dates."
        )
    return sentences


# Whose life or case a rule's dates belong to, by the rule's subject.
_WHOSE = {"child": "your child's", "adult": "your", "nursery_media": "your child's"}


def _how_long(rule: RetentionRule, period: str) -> str:
    """ "until your child is 25", "for six years after our last involvement with you"."""
    match rule.trigger:
        case "date_of_birth":
            whole_years = not (rule.period.months or rule.period.days)
            if rule.subject == "adult":
                return (
                    f"until you are {rule.period.years}"
                    if whole_years
                    else f"for {period} from your date of birth"
                )
            return (
                f"until your child is {rule.period.years}"
                if whole_years
                else f"for {period} from your child's date of birth"
            )
        case "last_involvement":
            whom = "you" if rule.subject == "adult" else "your child"
            return f"for {period} after our last involvement with {whom}"
        case "case_closure":
            return f"for {period} after the case closed"
        case "consent_withdrawn":
            return f"for {period} after you withdraw your consent"
        case "extract_date":
            return f"for {period} after the date of the extract"
    return f"for {period}"


def _condition(policy: Policy, rule: RetentionRule) -> str:
    """When a conditional rule applies, as the end of "Where ...": "your child's case was
    with Youth Justice", "your child's case was referred to children's social care"."""
    case = f"{_WHOSE[rule.subject]} case" if rule.subject != "adult" else "your family's case"
    parts = []
    if rule.services:
        names = [service_name(policy, service_id) for service_id in rule.services]
        parts.append(f"was with {join_words(names, 'or')}")
    if rule.referred_to_social_care:
        parts.append("was referred to children's social care")
    return f"{case} {' and '.join(parts)}"


def service_name(policy: Policy, service_id: str) -> str:
    """A service or sub-service by the name the policy gives it; one the policy does not
    declare (the loader refuses such a rule) as "a service no longer offered"."""
    for service in policy.services:
        if service.id == service_id:
            return service.name
        for sub in service.sub_services:
            if sub.id == service_id:
                return sub.name
    return "a service no longer offered"


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
