"""Data subject rights: when a request is due, parental access, which rights apply."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from earlyhelp.lib.dates import add_months, next_working_day
from earlyhelp.lib.dates import is_working_day as working_day
from earlyhelp.lib.words import day_words, number_words
from earlyhelp.policy.decisions.common import RULE_DECLARED_PURPOSES, Decision
from earlyhelp.policy.describe import article_6_words, lawful_basis_text
from earlyhelp.policy.schema import (
    BankHolidayCalendar,
    ComplaintHandling,
    DeadlineRule,
    Policy,
    RequestRegime,
    RightKind,
)

RULE_PARENTAL_ACCESS = "rights.parental_access"


@dataclass(frozen=True)
class Deadline:
    """When a rights request must be answered, and how that date was reached.

    ``due`` counts paused days up to ``today`` while clarification is still awaited
    (``paused_since``): it moves on by a day for each day the council waits.
    """

    received: date
    clock_started: date
    due: date
    extended: bool
    tell_extension_by: date | None
    rule_ids: tuple[str, ...]
    reason: str
    paused_days: int = 0
    paused_since: date | None = None


@dataclass(frozen=True)
class Pause:
    """Clarification asked for on ``asked`` and received on ``answered`` (None: awaited)."""

    asked: date
    answered: date | None = None


@cache
def _bank_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    import holidays  # imported here: building the calendar is slow and only needed once

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


@dataclass(frozen=True)
class _PolicyCalendar:
    """The policy's bank holidays, each year's read when a day of it is asked about."""

    calendar: BankHolidayCalendar

    def __contains__(self, day: date) -> bool:
        cal = self.calendar
        return day in _bank_holidays(cal.country, cal.subdivision, day.year)


def is_working_day(rule: DeadlineRule, day: date) -> bool:
    """Whether ``day`` is neither a weekend nor a bank holiday in the rule's calendar."""
    return working_day(day, _PolicyCalendar(rule.bank_holidays))


def deadline_rule(
    policy: Policy, received: date, regime: RequestRegime = "uk-gdpr"
) -> DeadlineRule:
    """The policy's time limit for ``regime`` in force on ``received``: of its rules for the
    regime, the one with the latest ``in_force_from`` on or before that day.

    Raises ValueError when the policy has no rule for the regime in force that day.
    """
    rules = [
        r for r in policy.rights.deadlines if r.regime == regime and r.in_force_from <= received
    ]
    if not rules:
        raise ValueError(
            f"received: the policy has no time limit for {regime} requests in force on "
            f"{day_words(received)}"
        )
    return max(rules, key=lambda r: r.in_force_from)


def request_deadline(
    policy: Policy,
    received: date,
    identity_confirmed: date | None = None,
    clarified: date | None = None,
    paused_days: int = 0,
    extended: bool = False,
    regime: RequestRegime = "uk-gdpr",
) -> Deadline:
    """When a request received on ``received`` must be answered under the policy's rule in
    force that day for ``regime`` (see ``deadline_under``). ``paused_days`` are whole days
    the clock stood still, already counted."""
    rule = deadline_rule(policy, received, regime)
    return deadline_under(
        rule,
        received,
        identity_confirmed=identity_confirmed,
        clarified=clarified,
        paused_days=paused_days,
        extended=extended,
    )


def deadline_under(
    rule: DeadlineRule,
    received: date,
    *,
    identity_confirmed: date | None = None,
    fee_paid: date | None = None,
    clarified: date | None = None,
    pauses: Iterable[Pause] = (),
    paused_days: int = 0,
    extended: bool = False,
    today: date | None = None,
) -> Deadline:
    """When a rights request must be answered under ``rule`` (the ICO's calendar-month rule;
    UK GDPR Articles 12(3) and 12A, DPA 2018 s.54).

    The clock starts at receipt, or at the latest of the later events the rule lists
    (identity evidence, any fee, clarification), none of which may come before receipt.
    ``pauses`` are clarifications asked for: where the rule pauses the clock, the days from
    each asking (or the clock's start, if later) to its answer do not count, both ends
    included where the rule says so; one still awaited counts up to ``today``.
    ``paused_days`` adds days already counted. The due date is the corresponding date
    ``months`` later (the month's last day where there is none), plus paused days, moved to
    the next working day; ``extended`` adds the rule's maximum extension.

    Raises ValueError (naming the field) for an event before receipt, a negative pause, an
    answer before its question, or a pause or extension the rule does not allow.
    """
    events = {
        "identity_confirmed": identity_confirmed,
        "fee_paid": fee_paid,
        "clarified": clarified,
    }
    for name, when in events.items():
        if when is not None and when < received:
            raise ValueError(
                f"{name.replace('_', ' ')} ({when.isoformat()}) is before the request was received"
            )
    pauses = list(pauses)
    if paused_days < 0:
        raise ValueError("paused_days cannot be negative")
    if (paused_days or pauses) and not rule.pauses_while_clarification_awaited:
        raise ValueError("this policy does not pause the clock while clarification is awaited")
    if extended and not rule.extension_max_months:
        raise ValueError("this policy allows no extension")
    start = max(
        [
            received,
            *(
                when
                for name, when in events.items()
                if when is not None and name in rule.clock_starts_at_latest_of
            ),
        ]
    )
    today = today or date.today()
    paused_since = None
    for pause in pauses:
        if pause.asked < received:
            raise ValueError(
                f"clarification asked ({pause.asked.isoformat()}) "
                "is before the request was received"
            )
        if pause.answered is not None and pause.answered < pause.asked:
            raise ValueError(
                f"clarification received ({pause.answered.isoformat()}) is before it was asked for"
            )
        end = pause.answered
        if end is None:
            paused_since = pause.asked
            end = max(today, pause.asked)
        begin = max(pause.asked, start)
        if end >= begin:
            paused_days += (end - begin).days + (1 if rule.pause_counts_both_ends else 0)
    months = rule.months + (rule.extension_max_months if extended else 0)
    pause = timedelta(days=paused_days)
    bank_holidays = _PolicyCalendar(rule.bank_holidays)
    due = next_working_day(add_months(start, months) + pause, bank_holidays)
    tell_by = (
        next_working_day(
            add_months(start, rule.extension_notice_within_months) + pause, bank_holidays
        )
        if extended
        else None
    )
    month_words = f"{number_words(months)} calendar month{'' if months == 1 else 's'} later"
    stopped = (
        f", plus {paused_days} day{'' if paused_days == 1 else 's'} the clock was stopped"
        if paused_days
        else ""
    )
    reason = (
        f"The clock started on {day_words(start)}; {month_words}{stopped}, "
        f"moved to a working day in the {rule.bank_holidays.name} calendar, "
        f"is {day_words(due)}."
    )
    return Deadline(
        received,
        start,
        due,
        extended,
        tell_by,
        (f"rights.deadlines:{rule.id}",),
        reason,
        paused_days,
        paused_since,
    )


def complaint_acknowledge_by(
    policy_handling: ComplaintHandling | None, received: date
) -> date | None:
    """The last day to acknowledge a complaint received on ``received`` (DPA 2018 s.164A:
    within the policy's number of days of receipt), or None where no statutory rule applied
    on that day."""
    if policy_handling is None or received < policy_handling.in_force_from:
        return None
    return received + timedelta(days=policy_handling.acknowledge_within_days)


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
    return article_6_words(bases, name_first=True, last=None)
