"""What every area of the decisions shares: the ``Decision`` shape and counting periods."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from earlyhelp.lib.dates import add_months
from earlyhelp.policy.schema import Agreement, Period

# A general rule a refusal can name when no single policy item is at fault.
RULE_DECLARED_PURPOSES = "rule:declared-purposes-only"


@dataclass(frozen=True)
class Decision:
    """An answer: allowed or not, the policy rules relied on (``kind:id`` or ``rule:name``),
    the lawful basis where data moves (else None), and the reason in words."""

    allowed: bool
    rule_ids: tuple[str, ...]
    lawful_basis: str | None
    reason: str


def add_period(start: date, period: Period) -> date:
    """``start`` plus a policy period, never shorter than the period.

    Years and months are counted as calendar months from ``start``; where the target month
    has no such day the day after its last day is taken (``earlyhelp.lib.dates.add_months``
    ``next_day``), then ``period.days`` are added.
    """
    return add_months(start, period.years * 12 + period.months, "next_day") + timedelta(
        days=period.days
    )


def agreement_in_force(agreement: Agreement, on_date: date) -> bool:
    """Whether ``on_date`` falls within the agreement's validity (both ends included)."""
    return agreement.valid_from <= on_date and (
        agreement.valid_to is None or on_date <= agreement.valid_to
    )


def quoted(ids: Iterable[str]) -> str:
    """Ids each in single quotes, comma separated: "'a', 'b'"."""
    return ", ".join(f"'{i}'" for i in ids)
