"""Questions other apps ask the policy, answered from the ``Policy`` object alone.

Every answer is a frozen ``Decision``: whether it is allowed, the rules relied on (policy
items as ``kind:id``, or a general rule as ``rule:name``), the lawful basis where data moves,
and a reason a person can read. No policy value (age, period, recipient, deadline) is
written here; all come from the policy.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Literal

from earlyhelp.policy.schema import (
    Agreement,
    Period,
    Policy,
    ProjectField,
    Purpose,
    RetentionRule,
    RetentionSubject,
    RightKind,
    SmallNumberSuppression,
)

# General rules a refusal can name when no single policy item is at fault.
RULE_DECLARED_RECIPIENTS = "rule:declared-recipients-only"
RULE_DECLARED_PURPOSES = "rule:declared-purposes-only"
RULE_DECLARED_CATEGORIES = "rule:declared-categories-only"
RULE_DECLARED_PROJECTS = "rule:declared-projects-only"
RULE_DECLARED_AGREEMENTS = "rule:declared-agreements-only"
RULE_NAMES_CATEGORIES = "rule:share-names-its-categories"
RULE_PURPOSE_LIMITATION = "rule:purpose-limitation"
RULE_NEEDS_AGREEMENT = "rule:share-needs-agreement"
RULE_CONSENT = "rule:consent-required"
RULE_RETENTION = "rule:retention-rule-required"
RULE_TRANSFERS = "transfers"
RULE_DEADLINE = "rights.deadline"
RULE_PARENTAL_ACCESS = "rights.parental_access"

ARTICLE_6_NAMES = {
    "6(1)(a)": "consent",
    "6(1)(b)": "contract",
    "6(1)(c)": "legal obligation",
    "6(1)(d)": "vital interests",
    "6(1)(e)": "public task",
    "6(1)(f)": "legitimate interests",
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    rule_ids: tuple[str, ...]
    lawful_basis: str | None
    reason: str


@dataclass(frozen=True)
class ShareDecision(Decision):
    """A sharing decision; when allowed, says whether the family is told by default."""

    agreement_id: str | None = None
    family_told_by_default: bool | None = None
    exemptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectDecision(Decision):
    """Whether a project extract may be made now and, if so, the rule for each field."""

    fields: tuple[ProjectField, ...] = ()
    objection_honoured: bool | None = None
    suppression: SmallNumberSuppression | None = None


@dataclass(frozen=True)
class RetentionDecision(Decision):
    rule: RetentionRule | None = None

    def destroy_after(self, trigger_date: date) -> date:
        """The last day the record must be kept; it may be destroyed after this date."""
        if self.rule is None:
            raise ValueError(self.reason)
        return destroy_after(self.rule, trigger_date)


@dataclass(frozen=True)
class Deadline:
    """When a rights request must be answered, and how that date was reached."""

    received: date
    clock_started: date
    due: date
    extended: bool
    tell_extension_by: date | None
    rule_ids: tuple[str, ...]
    reason: str


# --- dates ---------------------------------------------------------------------------------


def add_months(
    start: date, months: int, short_month: Literal["last_day", "next_day"] = "last_day"
) -> date:
    """The corresponding date ``months`` later.

    Where that month has no such day (31 March + 1 month), ``last_day`` gives the month's
    last day, as the ICO counts; ``next_day`` gives the first of the following month, which
    retention uses so that a record is never kept for less than the period.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day)
    if short_month == "last_day":
        return date(year, month, last)
    return date(year, month, last) + timedelta(days=1)


def add_period(start: date, period: Period) -> date:
    """``start`` plus a period, never shorter than the period (see ``add_months``)."""
    return add_months(start, period.years * 12 + period.months, "next_day") + timedelta(
        days=period.days
    )


@cache
def _bank_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    import holidays  # imported here: building the calendar is slow and only needed once

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def is_working_day(policy: Policy, day: date) -> bool:
    """Not a weekend and not a bank holiday in the policy's calendar."""
    cal = policy.rights.deadline.bank_holidays
    return day.weekday() < 5 and day not in _bank_holidays(cal.country, cal.subdivision, day.year)


def next_working_day(policy: Policy, day: date) -> date:
    """``day`` itself if it is a working day, else the next one."""
    while not is_working_day(policy, day):
        day += timedelta(days=1)
    return day


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


# --- lawful basis --------------------------------------------------------------------------


def lawful_basis_text(
    policy: Policy, purpose: Purpose, kinds: Iterable[str] = ("personal",)
) -> str:
    """The lawful basis of a purpose for the given kinds of data, as one line of text."""
    kinds = set(kinds)
    basis = purpose.lawful_basis
    parts = ["UK GDPR Article " + ", ".join(basis.article_6)]
    if "special_category" in kinds:
        for condition in basis.article_9:
            parts.append(
                f"Article {condition.condition}{_schedule_1_text(policy, condition.schedule_1)}"
            )
    if "criminal_offence" in kinds and basis.article_10 is not None:
        route = basis.article_10
        parts.append(f"Article 10{_schedule_1_text(policy, route.schedule_1)}")
    return "; ".join(parts)


def _schedule_1_text(policy: Policy, condition_ids: Iterable[str]) -> str:
    names = []
    for condition_id in condition_ids:
        condition = policy.schedule_1_condition(condition_id)
        if condition is not None:
            names.append(f"Pt {condition.part} para {condition.paragraph}")
    return f" (DPA 2018 Sch 1 {', '.join(names)})" if names else ""


# --- sharing -------------------------------------------------------------------------------


def _in_force(agreement: Agreement, on_date: date) -> bool:
    return agreement.valid_from <= on_date and (
        agreement.valid_to is None or on_date <= agreement.valid_to
    )


def _refuse_share(rule_ids: Iterable[str], reason: str) -> ShareDecision:
    return ShareDecision(False, tuple(rule_ids), None, reason)


def decide_share(
    policy: Policy,
    recipient: str,
    purpose: str,
    categories: Iterable[str],
    on_date: date,
    *,
    consent_given: bool = False,
) -> ShareDecision:
    """May these categories go to this recipient for this purpose on this date?

    Allowed only under one agreement in force that day which covers the recipient, the
    purpose and every category, for a purpose that uses those categories. A consent-based
    purpose also needs ``consent_given`` (everyone the data is about has consented).
    """
    wanted = tuple(dict.fromkeys(categories))
    who = policy.recipient(recipient)
    if who is None:
        return _refuse_share(
            [RULE_DECLARED_RECIPIENTS], f"'{recipient}' is not a recipient the policy declares."
        )
    why = policy.purpose(purpose)
    if why is None:
        return _refuse_share(
            [RULE_DECLARED_PURPOSES], f"'{purpose}' is not a purpose the policy declares."
        )
    if not wanted:
        return _refuse_share(
            [RULE_NAMES_CATEGORIES], "A share must say which categories of information it includes."
        )
    unknown = [c for c in wanted if policy.category(c) is None]
    if unknown:
        return _refuse_share(
            [RULE_DECLARED_CATEGORIES],
            f"The policy declares no category called {_quoted(unknown)}; "
            "only declared categories may be shared.",
        )
    if why.consent_based and not consent_given:
        return _refuse_share(
            [f"purpose:{why.id}", RULE_CONSENT],
            f"'{why.wording}' rests on consent, so it may be shared only when consent is recorded.",
        )
    outside = [c for c in wanted if c not in why.categories]
    if outside:
        return _refuse_share(
            [f"purpose:{why.id}", RULE_PURPOSE_LIMITATION],
            f"The purpose '{why.wording}' does not use {_quoted(outside)}, "
            "so it cannot be shared for it.",
        )
    with_recipient = [a for a in policy.agreements if a.recipient == who.id]
    if not with_recipient:
        return _refuse_share(
            [RULE_NEEDS_AGREEMENT], f"There is no data-sharing agreement with {who.name}."
        )
    in_force = [a for a in with_recipient if _in_force(a, on_date)]
    if not in_force:
        spans = "; ".join(_span(a) for a in with_recipient)
        return _refuse_share(
            [RULE_NEEDS_AGREEMENT, *(f"agreement:{a.id}" for a in with_recipient)],
            f"No agreement with {who.name} is in force on {_day(on_date)} ({spans}).",
        )
    for_purpose = [a for a in in_force if why.id in a.purposes]
    if not for_purpose:
        return _refuse_share(
            [RULE_NEEDS_AGREEMENT, *(f"agreement:{a.id}" for a in in_force)],
            f"No agreement with {who.name} in force on {_day(on_date)} "
            f"covers the purpose '{why.wording}'.",
        )
    for agreement in for_purpose:
        if set(wanted) <= set(agreement.categories):
            kinds = {c.kind for c in map(policy.category, wanted) if c is not None}
            return ShareDecision(
                True,
                (f"agreement:{agreement.id}", f"purpose:{why.id}"),
                lawful_basis_text(policy, why, kinds),
                f"Agreement '{agreement.name}' with {who.name} covers '{why.wording}' and "
                f"{_quoted(wanted)} on {_day(on_date)}.",
                agreement_id=agreement.id,
                family_told_by_default=agreement.family_told_by_default,
                exemptions=tuple(agreement.exemptions),
            )
    closest = min(for_purpose, key=lambda a: len(set(wanted) - set(a.categories)))
    missing = [c for c in wanted if c not in closest.categories]
    return _refuse_share(
        [f"agreement:{closest.id}", RULE_NEEDS_AGREEMENT],
        f"No single agreement with {who.name} covers every category: '{closest.name}' does "
        f"not cover {_quoted(missing)}.",
    )


def _span(agreement: Agreement) -> str:
    end = f" to {_day(agreement.valid_to)}" if agreement.valid_to else " with no end date"
    return f"'{agreement.id}' runs from {_day(agreement.valid_from)}{end}"


def _quoted(ids: Iterable[str]) -> str:
    return ", ".join(f"'{i}'" for i in ids)


def may_withhold_notice(
    policy: Policy, agreement_id: str, exemption: str | None = None
) -> Decision:
    """May a share under this agreement go ahead without telling the family?"""
    agreement = policy.agreement(agreement_id)
    if agreement is None:
        return Decision(
            False,
            (RULE_DECLARED_AGREEMENTS,),
            None,
            f"'{agreement_id}' is not an agreement the policy declares.",
        )
    rule = f"agreement:{agreement.id}"
    if not agreement.family_told_by_default:
        return Decision(
            True, (rule,), None, f"Families are not told of each share under '{agreement.name}'."
        )
    if exemption is None:
        return Decision(
            False,
            (rule,),
            None,
            f"Families are told of shares under '{agreement.name}' unless an exemption applies.",
        )
    if exemption not in agreement.exemptions:
        allowed = _quoted(agreement.exemptions) or "none"
        return Decision(
            False,
            (rule,),
            None,
            f"'{agreement.name}' does not allow the exemption '{exemption}' "
            f"(it allows: {allowed}); the family must be told.",
        )
    wording = next((e.wording for e in policy.sharing.exemptions if e.id == exemption), exemption)
    return Decision(
        True, (rule, f"exemption:{exemption}"), None, f"The family need not be told: {wording}."
    )


def decide_transfer(
    policy: Policy,
    destination_region: str,
    *,
    relocation_recorded: bool = False,
    receiving_authority: bool = False,
) -> Decision:
    """May data go to a country in ``destination_region`` ("UK", "EU", "EEA" or anything else)?"""
    rules = policy.transfers
    if destination_region in rules.permitted_regions:
        return Decision(
            True,
            (RULE_TRANSFERS,),
            None,
            f"Transfers within the {destination_region} are permitted.",
        )
    for exception in rules.exceptions:
        needs_relocation = exception.requires_recorded_relocation and not relocation_recorded
        needs_authority = exception.requires_receiving_authority and not receiving_authority
        if not needs_relocation and not needs_authority:
            return Decision(
                True,
                (RULE_TRANSFERS, f"transfers.exception:{exception.id}"),
                None,
                f"Permitted because {exception.condition}.",
            )
    conditions = "; ".join(e.condition for e in rules.exceptions) or "none"
    return Decision(
        False,
        (RULE_TRANSFERS,),
        None,
        f"Data may leave the {', '.join(rules.permitted_regions)} only in these cases: "
        f"{conditions}. "
        "The relocation must be recorded and the receiving authority involved.",
    )


# --- projects ------------------------------------------------------------------------------


def project_rules(policy: Policy, project_id: str, on_date: date) -> ProjectDecision:
    """May an extract for this project be made on this date, and with which field rules?"""
    project = policy.project(project_id)
    if project is None:
        return ProjectDecision(
            False,
            (RULE_DECLARED_PROJECTS,),
            None,
            f"'{project_id}' is not a project the policy declares.",
        )
    rule = f"project:{project.id}"
    if on_date < project.start:
        return ProjectDecision(
            False,
            (rule,),
            None,
            f"'{project.name}' starts on {_day(project.start)}; "
            "no extract may be made before then.",
        )
    if project.end is not None and on_date > project.end:
        return ProjectDecision(
            False,
            (rule,),
            None,
            f"'{project.name}' ended on {_day(project.end)}; "
            "no extract may be made after it ended.",
        )
    rules = [rule]
    if project.agreement is not None:
        agreement = policy.agreement(project.agreement)
        if agreement is None or not _in_force(agreement, on_date):
            return ProjectDecision(
                False,
                (rule, f"agreement:{project.agreement}"),
                None,
                f"The agreement for '{project.name}' is not in force on {_day(on_date)}.",
            )
        rules.append(f"agreement:{agreement.id}")
    kinds = {
        c.kind
        for f in project.fields
        if f.rule != "drop"
        for c in [policy.category(f.category)]
        if c is not None
    }
    bases = []
    for purpose in map(policy.purpose, project.purposes):
        if purpose is not None:
            rules.append(f"purpose:{purpose.id}")
            text = lawful_basis_text(policy, purpose, kinds)
            if text not in bases:
                bases.append(text)
    kept = [f.name for f in project.fields if f.rule != "drop"]
    return ProjectDecision(
        True,
        tuple(rules),
        " | ".join(bases) or None,
        f"'{project.name}' may be extracted on {_day(on_date)}: {len(kept)} field(s) leave, "
        "each transformed by its rule; fields not listed are never extracted.",
        fields=tuple(project.fields),
        objection_honoured=project.objection_honoured,
        suppression=policy.statistics.small_number_suppression,
    )


# --- retention -----------------------------------------------------------------------------


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


def describe_period(period: Period) -> str:
    parts = [
        f"{count} {unit}{'s' if count != 1 else ''}"
        for count, unit in ((period.years, "year"), (period.months, "month"), (period.days, "day"))
        if count
    ]
    return " and ".join(parts) or "no time"


# --- rights --------------------------------------------------------------------------------


def request_deadline(
    policy: Policy,
    received: date,
    identity_confirmed: date | None = None,
    clarified: date | None = None,
    paused_days: int = 0,
    extended: bool = False,
) -> Deadline:
    """When a rights request must be answered (the ICO's calendar-month rule).

    The clock starts at the latest of the events the policy lists (receipt, identity
    evidence, clarification). ``paused_days`` are days the clock stood still while
    clarification was awaited after it had started. The due date is the corresponding date
    ``months`` later (the month's last day where there is none), plus paused days, moved to
    the next working day; ``extended`` adds the policy's maximum extension.
    """
    rule = policy.rights.deadline
    events = {"receipt": received, "identity_confirmed": identity_confirmed, "clarified": clarified}
    for name, when in events.items():
        if when is not None and when < received:
            raise ValueError(
                f"{name.replace('_', ' ')} ({when.isoformat()}) is before the request was received"
            )
    if paused_days < 0:
        raise ValueError("paused_days cannot be negative")
    if paused_days and not rule.pauses_while_clarification_awaited:
        raise ValueError("this policy does not pause the clock while clarification is awaited")
    if extended and not rule.extension_max_months:
        raise ValueError("this policy allows no extension")
    start = max(
        (
            when
            for name, when in events.items()
            if when is not None and name in rule.clock_starts_at_latest_of
        ),
        default=received,
    )
    months = rule.months + (rule.extension_max_months if extended else 0)
    pause = timedelta(days=paused_days)
    due = next_working_day(policy, add_months(start, months) + pause)
    tell_by = (
        next_working_day(policy, add_months(start, rule.extension_notice_within_months) + pause)
        if extended
        else None
    )
    reason = (
        f"The clock started on {_day(start)}; {months} calendar month(s) later"
        + (f" plus {paused_days} paused day(s)" if paused_days else "")
        + f", moved to a working day in the {rule.bank_holidays.name} calendar, is {_day(due)}."
    )
    return Deadline(received, start, due, extended, tell_by, (RULE_DEADLINE,), reason)


def parent_may_access_child_record(
    policy: Policy, child_age: int, child_consented: bool, competence_judgement: bool | None = None
) -> Decision:
    """Does the child-consent rule let a parent see this child's record?

    ``competence_judgement`` is a recorded judgement that a child below the consent age is
    (True) or is not (False) competent to decide; a competent younger child must consent too.
    Even when this allows access, access is not automatic: other restrictions may apply.
    """
    rule = policy.rights.parental_access
    if child_age < 0:
        raise ValueError("child_age cannot be negative")
    rules = (RULE_PARENTAL_ACCESS,)
    caveat = (
        ""
        if rule.automatic
        else " Parental access is not automatic and may still be restricted where appropriate."
    )
    consented = "consented" if child_consented else "not consented"
    if child_age >= rule.child_consent_age:
        return Decision(
            child_consented,
            rules,
            None,
            f"A child aged {rule.child_consent_age} or over must consent before a parent "
            f"sees their record; this child is {child_age} and has {consented}."
            + (caveat if child_consented else ""),
        )
    if competence_judgement and rule.competence_judgement_for_younger:
        return Decision(
            child_consented,
            rules,
            None,
            f"This child is {child_age}, under {rule.child_consent_age}, but has been judged "
            f"competent to decide, so their consent is needed; they have {consented}."
            + (caveat if child_consented else ""),
        )
    return Decision(
        True,
        rules,
        None,
        f"This child is {child_age}, under {rule.child_consent_age}, and has not been judged "
        "competent to decide, so their consent is not needed." + caveat,
    )


def right_applies(policy: Policy, right: RightKind, purpose_id: str) -> Decision:
    """Does a data subject right apply to processing for this purpose?"""
    purpose = policy.purpose(purpose_id)
    if purpose is None:
        return Decision(
            False,
            (RULE_DECLARED_PURPOSES,),
            None,
            f"'{purpose_id}' is not a purpose the policy declares.",
        )
    rule = next((r for r in policy.rights.rights if r.right == right), None)
    if rule is None:
        return Decision(
            False, ("rights.rights",), None, f"The policy says nothing about the right '{right}'."
        )
    bases = purpose.lawful_basis.article_6
    basis_text = lawful_basis_text(policy, purpose)
    rules = (f"rights.{right}", f"purpose:{purpose.id}")
    applying = [b for b in bases if b in rule.applies_under]
    if not applying:
        return Decision(
            False,
            rules,
            basis_text,
            f"{rule.name} does not apply: this purpose rests on {_basis_names(bases)}.",
        )
    limited = [b for b in applying if b in rule.limited_under]
    reason = f"{rule.name} applies to processing based on {_basis_names(applying)}."
    not_applying = [b for b in bases if b not in applying]
    if not_applying:
        reason += f" It does not apply to processing based on {_basis_names(not_applying)}."
    if limited and rule.limitation:
        reason += f" {rule.limitation}"
    return Decision(True, rules, basis_text, reason)


def _basis_names(bases: Iterable[str]) -> str:
    return ", ".join(f"{ARTICLE_6_NAMES.get(b, b)} ({b})" for b in bases)
