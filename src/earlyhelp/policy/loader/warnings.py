"""Things a policy file allows that may no longer be true: ended projects and agreements, a
notice not reviewed for a year, wording from before the Data (Use and Access) Act 2025, a
notice last updated before the time limits and complaint rules now in force, records that
nobody can sign off for destruction.

``check_warnings`` lists them as ``PolicyWarning``s; none stops the policy loading.
``retention_holding_warnings`` checks the data map's record classes against the policy's
retention rules (it is given the holdings, so this module imports no app).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from earlyhelp.lib.dates import add_months
from earlyhelp.lib.words import day_words
from earlyhelp.policy.schema import DeadlineRule, Link, Policy, Schedule1Condition

# Schedule 1 Part 1: the Article 9(2) point each paragraph serves.
_PART_1_PARAGRAPH_POINT = {1: "9(2)(b)", 2: "9(2)(h)", 3: "9(2)(i)", 4: "9(2)(j)"}


@dataclass(frozen=True)
class PolicyWarning:
    """Something allowed by the rules that may no longer be true."""

    code: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


_ARTICLE_22 = re.compile(r"\bart(?:icle|\.)?\s*22(?![a-d])", re.IGNORECASE)


_EU_EEA = re.compile(r"\b(?:EU|EEA)\b")


def check_warnings(policy: Policy, today: date) -> list[PolicyWarning]:
    """Things the file allows that may no longer be true on ``today``."""
    found: list[PolicyWarning] = []
    for i, project in enumerate(policy.projects):
        if project.end is not None and project.end < today:
            found.append(
                PolicyWarning(
                    "project-ended",
                    f"projects[{i}].end",
                    f"project '{project.id}' ended on {day_words(project.end)} but is still "
                    "listed as current; say in the notice that it has ended, or remove it",
                )
            )
    for i, agreement in enumerate(policy.agreements):
        if agreement.valid_to is not None and agreement.valid_to < today:
            found.append(
                PolicyWarning(
                    "agreement-ended",
                    f"agreements[{i}].valid_to",
                    f"agreement '{agreement.id}' ended on {day_words(agreement.valid_to)} but is "
                    "still listed; nothing can be shared under it",
                )
            )
    if add_months(policy.last_updated, 12) < today:
        found.append(
            PolicyWarning(
                "notice-out-of-date",
                "last_updated",
                f"the notice was last updated in {policy.last_updated:%B %Y}, more than a year "
                f"before {day_words(today)}; review it",
            )
        )
    if _ARTICLE_22.search(policy.automated_decisions.statement):
        found.append(
            PolicyWarning(
                "predates-duaa-automated-decisions",
                "automated_decisions.statement",
                "cites Article 22; since the Data (Use and Access) Act 2025 automated decisions "
                "are governed by Articles 22A to 22D",
            )
        )
    if _EU_EEA.search(policy.transfers.statement):
        found.append(
            PolicyWarning(
                "predates-duaa-transfers",
                "transfers.statement",
                "describes transfers in EU/EEA terms; UK transfers follow UK rules (UK adequacy "
                "regulations, and since the Data (Use and Access) Act 2025 the data protection "
                "test), so describe where data may go in those terms",
            )
        )
    found += _sharing_warnings(policy, today)
    if policy.rights.access_bundle is None:
        found.append(
            PolicyWarning(
                "no-access-bundle",
                "rights.access_bundle",
                "the policy says nothing about answering a subject access request (the "
                "exemptions a reviewer may rely on, how long the requester's link works), so "
                "no bundle can be made; add rights.access_bundle",
            )
        )
    if policy.retention.destruction is None:
        found.append(
            PolicyWarning(
                "no-destruction",
                "retention.destruction",
                "the policy says nothing about destroying records past their date (who "
                "reviews and approves a batch, how far ahead the plan looks, the method the "
                "certificate states), so nobody can sign off destruction and nothing is "
                "destroyed; add retention.destruction",
            )
        )
    found += _notice_predates_rules_in_force(policy, today)
    found += _missing_links(policy)
    found += _schedule_1_pairings(policy)
    for i, purpose in enumerate(policy.purposes):
        kinds = {c.kind for c in map(policy.category, purpose.categories) if c is not None}
        if purpose.lawful_basis.article_9 and "special_category" not in kinds:
            found.append(
                PolicyWarning(
                    "article-9-without-special-category",
                    f"purposes[{i}].lawful_basis.article_9",
                    f"purpose '{purpose.id}' cites an Article 9 condition but uses no special "
                    "category data: either it uses special category data the policy does not "
                    "name, or the condition is not needed",
                )
            )
        if not purpose.retention_rules:
            found.append(
                PolicyWarning(
                    "no-retention-rule",
                    f"purposes[{i}].retention_rules",
                    f"purpose '{purpose.id}' names no retention rule, so the notice cannot say how "
                    "long its data is kept",
                )
            )
    return found


def _notice_predates_rules_in_force(policy: Policy, today: date) -> list[PolicyWarning]:
    """The notice's sections 10 and 11 written before the rules in force ``today`` (each
    regime's latest time limit, the complaint handling rule): they describe earlier rules.
    The dates come from the policy's own rules; none is written here."""
    found = []
    current: dict[str, tuple[int, DeadlineRule]] = {}
    for i, rule in enumerate(policy.rights.deadlines):
        if rule.in_force_from <= today and (
            rule.regime not in current or current[rule.regime][1].in_force_from < rule.in_force_from
        ):
            current[rule.regime] = (i, rule)
    for i, rule in sorted(current.values(), key=lambda pair: pair[0]):
        if policy.last_updated < rule.in_force_from:
            found.append(
                PolicyWarning(
                    "notice-predates-law",
                    f"rights.deadlines[{i}].in_force_from",
                    f"the notice was last updated before {rule.law} came into force on "
                    f"{day_words(rule.in_force_from)}; its section 10 describes the earlier "
                    "rules for answering requests",
                )
            )
    handling = policy.complaints.handling
    if handling is None:
        found.append(
            PolicyWarning(
                "no-complaint-handling",
                "complaints.handling",
                "the policy says nothing about how complaints to us are handled (the "
                "acknowledgement and the outcome), so section 11 cannot state the clock the "
                "law now sets; add complaints.handling",
            )
        )
    elif handling.in_force_from <= today and policy.last_updated < handling.in_force_from:
        found.append(
            PolicyWarning(
                "notice-predates-law",
                "complaints.handling.in_force_from",
                f"the notice was last updated before {handling.law} came into force on "
                f"{day_words(handling.in_force_from)}; its section 11 describes the earlier "
                "rules for complaints",
            )
        )
    return found


def _missing_links(policy: Policy) -> list[PolicyWarning]:
    links: list[tuple[str, Link | None]] = [
        ("dpo.contact_link", policy.dpo.contact_link),
        ("sharing.agreements_register", policy.sharing.agreements_register),
        ("rights.request_form", policy.rights.request_form),
    ]
    if policy.sharing.data_matching is not None:
        links.append(
            (
                "sharing.data_matching.more_information",
                policy.sharing.data_matching.more_information,
            )
        )
    links += [
        (f"rights.more_information[{i}]", link)
        for i, link in enumerate(policy.rights.more_information)
    ]
    return [
        PolicyWarning(
            "link-without-address",
            f"{path}.url",
            f"the link '{link.label}' has no web address, so readers cannot follow it",
        )
        for path, link in links
        if link is not None and not link.url
    ]


def _schedule_1_pairings(policy: Policy) -> list[PolicyWarning]:
    """Schedule 1 Part 1 paragraphs each serve one Article 9(2) point; flag mismatches once."""
    seen: dict[tuple[Schedule1Condition, str, str], list[str]] = {}
    for i, purpose in enumerate(policy.purposes):
        for k, condition in enumerate(purpose.lawful_basis.article_9):
            for m, condition_id in enumerate(condition.schedule_1):
                declared = policy.schedule_1_condition(condition_id)
                if declared is None or declared.part != 1:
                    continue
                point = _PART_1_PARAGRAPH_POINT.get(declared.paragraph)
                if point is not None and point != condition.condition:
                    path = f"purposes[{i}].lawful_basis.article_9[{k}].schedule_1[{m}]"
                    seen.setdefault((declared, point, condition.condition), []).append(path)
    warnings = []
    for (declared, point, cited_under), paths in seen.items():
        count = len(paths)
        warnings.append(
            PolicyWarning(
                "schedule-1-pairing",
                paths[0],
                f"Schedule 1 Part 1 paragraph {declared.paragraph} ({declared.title}) is the "
                f"condition for Article {point}, but {count} purpose{'s' if count != 1 else ''} "
                f"cite{'' if count != 1 else 's'} it under Article {cited_under}",
            )
        )
    return warnings


def _sharing_warnings(policy: Policy, today: date) -> list[PolicyWarning]:
    """Sharing rules the notice does not yet reflect, or that the product cannot apply: a
    transfer abroad with no route to name (UK GDPR Chapter V since the Data (Use and
    Access) Act 2025), the duty to share in force after the notice was written (Children Act
    2004 s.16LA), requests from other parties with no rules for answering them."""
    found = []
    if policy.transfers.exceptions and not policy.transfers.routes:
        found.append(
            PolicyWarning(
                "no-transfer-routes",
                "transfers.routes",
                "the policy allows data abroad but names no route (UK approval regulations, "
                "appropriate safeguards, a derogation), so no transfer can name one; add "
                "transfers.routes",
            )
        )
    duty = policy.sharing.duty_to_share
    if (
        duty is not None
        and duty.in_force_from <= today
        and policy.last_updated < duty.in_force_from
    ):
        found.append(
            PolicyWarning(
                "notice-predates-law",
                "sharing.duty_to_share.in_force_from",
                f"the notice was last updated before {duty.law} came into force on "
                f"{day_words(duty.in_force_from)}; its section 5 does not say that "
                f"information about a child is shared unless {duty.reason_words}",
            )
        )
    if policy.sharing.may_request_from_other_parties and policy.sharing.partner_requests is None:
        found.append(
            PolicyWarning(
                "no-partner-requests",
                "sharing.partner_requests",
                "the notice says information may be requested from other parties, but the "
                "policy has no rules for answering partners' requests (time to answer, the "
                "legal bases they may claim), so none can be logged; add "
                "sharing.partner_requests",
            )
        )
    return found


class _Erasure(Protocol):
    action: str
    retention_rules: tuple[str, ...]


class _Holding(Protocol):
    """What these checks read of a data map holding (datamap.registry.Holding)."""

    @property
    def name(self) -> str: ...

    @property
    def title(self) -> str: ...

    erasure: _Erasure


def retention_holding_warnings(policy: Policy, holdings: Iterable[_Holding]) -> list[PolicyWarning]:
    """The data map's record classes against the retention rules, for `policy check`:

    - a class that names no retention rule and is not kept for a stated reason (its erasure
      deletes or anonymises): no date ever falls due, so nothing destroys it;
    - a class naming a rule the policy does not declare: that rule's date cannot be found.
    """
    declared = {rule.id for rule in policy.retention.rules}
    found = []
    for holding in holdings:
        erasure = holding.erasure
        if not erasure.retention_rules and str(erasure.action) != "keep":
            found.append(
                PolicyWarning(
                    "record-class-without-retention-rule",
                    holding.name,
                    f"record class '{holding.title}' has no retention rule and is not kept "
                    "for a stated reason, so nothing says how long it is kept; name the "
                    "retention rules that apply to it where it is registered in the data map, "
                    "or the reason it is kept",
                )
            )
        for rule_id in erasure.retention_rules:
            if rule_id not in declared:
                found.append(
                    PolicyWarning(
                        "record-class-unknown-retention-rule",
                        holding.name,
                        f"record class '{holding.title}' names the retention rule '{rule_id}', "
                        "which the policy does not declare, so its records have no date by "
                        "that rule; declare it under retention.rules or name a declared rule",
                    )
                )
    return found
