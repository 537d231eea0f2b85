"""Retention in a reader's words: a rule of the policy as a reviewer reads it (the review
pages, the certificate, the `retention` command)."""

from __future__ import annotations

from earlyhelp.cases.choices import service_name
from earlyhelp.lib.words import join_words
from earlyhelp.policy.describe import describe_period
from earlyhelp.policy.schema import Policy

SUBJECT_WORDS = {
    "child": "A child's records",
    "adult": "An adult's records",
    "nursery_media": "Nursery photos and videos",
}
TRIGGER_WORDS = {
    "last_involvement": "after the last involvement with the service",
    "case_closure": "after the case closed",
    "consent_withdrawn": "after consent was withdrawn",
    "extract_date": "after the extract was made",
}


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def rule_words(policy: Policy, rule_id: str) -> str:
    """A retention rule of the policy as a reviewer reads it: "A child's records: kept until
    the 25th birthday"; a rule the policy no longer has says so."""
    rule = policy.retention_rule(rule_id)
    if rule is None:
        return "A rule the policy no longer has"
    period = rule.period
    if rule.trigger == "date_of_birth" and not (period.months or period.days):
        kept = f"kept until the {_ordinal(period.years)} birthday"
    elif rule.trigger == "date_of_birth":
        kept = f"kept for {describe_period(period)} from the date of birth"
    else:
        kept = f"kept for {describe_period(period)} {TRIGGER_WORDS[rule.trigger]}"
    conditions = []
    if rule.services:
        conditions.append(f"with a case of {join_words(service_name(s) for s in rule.services)}")
    if rule.referred_to_social_care:
        conditions.append("referred to children's social care")
    who = SUBJECT_WORDS.get(rule.subject, "Records")
    if conditions:
        who = f"{who} {' and '.join(conditions)}"
    return f"{who}: {kept}"
