"""How long records are kept, and under which rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from earlyhelp.policy.decisions.common import Decision, add_period
from earlyhelp.policy.describe import describe_period
from earlyhelp.policy.schema import Policy, RetentionRule, RetentionSubject

RULE_RETENTION = "rule:retention-rule-required"


@dataclass(frozen=True)
class RetentionDecision(Decision):
    rule: RetentionRule | None = None

    def destroy_after(self, trigger_date: date) -> date:
        """The last day the record must be kept; it may be destroyed after this date."""
        if self.rule is None:
            raise ValueError(self.reason)
        return destroy_after(self.rule, trigger_date)


def destroy_after(rule: RetentionRule, trigger_date: date) -> date:
    """The last day a record under ``rule`` must be kept, counted from its trigger date."""
    return add_period(trigger_date, rule.period)


def retention_subject_for_age(policy: Policy, age: int) -> RetentionSubject:
    """Whether a person of this age is kept under the child or the adult rule."""
    return "adult" if age >= policy.retention.adult_from_age else "child"


# The records each retention subject (schema.RetentionSubject) covers, in words.
RECORDS_ABOUT = {
    "child": "Records about a child",
    "adult": "Records about an adult",
    "nursery_media": "Nursery photos and videos",
}


def _records_about(subject: str) -> str:
    return RECORDS_ABOUT.get(subject, f"Records about {subject.replace('_', ' ')}")


def retention_rule(policy: Policy, subject: str) -> RetentionDecision:
    """The retention rule for records about this kind of subject."""
    rule = next((r for r in policy.retention.rules if r.subject == subject), None)
    if rule is None:
        return RetentionDecision(
            False,
            (RULE_RETENTION,),
            None,
            f"The policy has no retention rule for {_records_about(subject).lower()}.",
        )
    return RetentionDecision(
        True,
        (f"retention:{rule.id}",),
        None,
        f"{_records_about(subject)} are kept for {describe_period(rule.period)} "
        f"from the {rule.trigger.replace('_', ' ')}.",
        rule=rule,
    )
