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


# --- when a person's records fall due (issue 18) ----------------------------------------------


@dataclass(frozen=True)
class History:
    """What retention needs to know of one person, gathered from their records.

    `matching` maps each conditional rule's id (services, referral to children's social
    care) to the latest closure date of the person's cases that match it; a rule whose
    cases match none is absent.
    """

    born: date | None
    last_involvement: date
    child_on_a_case: bool = False
    open_case: bool = False
    matching: dict[str, date] | None = None


@dataclass(frozen=True)
class DueDate:
    """When a person's records may be destroyed, under which rule; or why they cannot be
    planned (`due_on` None, `kept_because` in words)."""

    due_on: date | None
    rule: RetentionRule | None
    subject: str
    kept_because: str = ""


KEPT_OPEN_CASE = "a case is open"
KEPT_NO_BIRTH_DATE = "a child's date of birth is not recorded"


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _anchor(rule: RetentionRule, history: History) -> date | None:
    if rule.trigger == "date_of_birth":
        return history.born
    if rule.trigger == "last_involvement":
        return history.last_involvement
    if rule.trigger == "case_closure":
        return (history.matching or {}).get(rule.id)
    return None  # consent withdrawal and extracts are not a person's case records


_RULES_OF: list = [None, None]  # [the policy's retention section, its rules split]


def _rules_of(policy: Policy) -> tuple[list[RetentionRule], list[RetentionRule]]:
    """The policy's retention rules, split once a policy (due_date runs once a person, a
    million times a plan): the plain ones and the conditional ones, each in the policy's
    order (which breaks a tie between two rules' dates)."""
    if _RULES_OF[0] is not policy.retention:
        rules = policy.retention.rules
        split = ([r for r in rules if not r.conditional], [r for r in rules if r.conditional])
        _RULES_OF[:] = [policy.retention, split]
    return _RULES_OF[1]


def due_date(policy: Policy, history: History) -> DueDate:
    """The date a person's records fall due, by the policy's retention rules.

    The notice's rules (section 6): a child's records are kept until they are 25 (the
    `child` rule from the date of birth); an adult's for six years after the last
    involvement (the `adult` rule). Someone who was a child on a case and an adult at the
    last involvement is under both, and a conditional rule (a case of a service, a case
    referred to children's social care) adds to them: the longest date applies. Nothing is
    due while a case is open; a child's records whose date of birth is unknown cannot be
    planned (kept, and counted, until it is recorded).
    """
    if history.open_case:
        return DueDate(None, None, "", KEPT_OPEN_CASE)
    adult_from = policy.retention.adult_from_age
    age = _age_on(history.born, history.last_involvement) if history.born else None
    subjects = []
    if history.child_on_a_case or (age is not None and age < adult_from):
        subjects.append("child")
    if (age is not None and age >= adult_from) or (age is None and not history.child_on_a_case):
        subjects.append("adult")
    plain, conditional = _rules_of(policy)
    rules = [r for r in plain if r.subject in subjects]
    if history.matching:
        rules += [r for r in conditional if r.id in history.matching]
    best: tuple[date, RetentionRule] | None = None
    for rule in rules:
        anchor = _anchor(rule, history)
        if anchor is None:
            if rule.trigger == "date_of_birth":
                return DueDate(None, rule, rule.subject, KEPT_NO_BIRTH_DATE)
            continue
        due = destroy_after(rule, anchor)
        if best is None or due > best[0]:
            best = (due, rule)
    if best is None:
        return DueDate(None, None, subjects[0] if subjects else "", "no retention rule applies")
    return DueDate(best[0], best[1], best[1].subject)
