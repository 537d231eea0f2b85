"""Sharing: may data go to a recipient, must the family be told, may it leave the UK."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from earlyhelp.lib.words import day_words
from earlyhelp.policy.decisions.common import (
    RULE_DECLARED_PURPOSES,
    Decision,
    agreement_in_force,
    quoted,
)
from earlyhelp.policy.describe import lawful_basis_text
from earlyhelp.policy.schema import Agreement, Policy

# General rules a refusal can name when no single policy item is at fault.
RULE_DECLARED_RECIPIENTS = "rule:declared-recipients-only"
RULE_DECLARED_CATEGORIES = "rule:declared-categories-only"
RULE_DECLARED_AGREEMENTS = "rule:declared-agreements-only"
RULE_NAMES_CATEGORIES = "rule:share-names-its-categories"
RULE_PURPOSE_LIMITATION = "rule:purpose-limitation"
RULE_NEEDS_AGREEMENT = "rule:share-needs-agreement"
RULE_CONSENT = "rule:consent-required"
RULE_TRANSFERS = "transfers"


@dataclass(frozen=True)
class ShareDecision(Decision):
    """A sharing decision; when allowed, says whether the family is told by default."""

    agreement_id: str | None = None
    family_told_by_default: bool | None = None
    exemptions: tuple[str, ...] = ()


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
            f"The policy declares no category called {quoted(unknown)}; "
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
            f"The purpose '{why.wording}' does not use {quoted(outside)}, "
            "so it cannot be shared for it.",
        )
    with_recipient = [a for a in policy.agreements if a.recipient == who.id]
    if not with_recipient:
        return _refuse_share(
            [RULE_NEEDS_AGREEMENT], f"There is no data-sharing agreement with {who.name}."
        )
    in_force = [a for a in with_recipient if agreement_in_force(a, on_date)]
    if not in_force:
        spans = "; ".join(_span(a) for a in with_recipient)
        return _refuse_share(
            [RULE_NEEDS_AGREEMENT, *(f"agreement:{a.id}" for a in with_recipient)],
            f"No agreement with {who.name} is in force on {day_words(on_date)} ({spans}).",
        )
    for_purpose = [a for a in in_force if why.id in a.purposes]
    if not for_purpose:
        return _refuse_share(
            [RULE_NEEDS_AGREEMENT, *(f"agreement:{a.id}" for a in in_force)],
            f"No agreement with {who.name} in force on {day_words(on_date)} "
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
                f"{quoted(wanted)} on {day_words(on_date)}.",
                agreement_id=agreement.id,
                family_told_by_default=agreement.family_told_by_default,
                exemptions=tuple(agreement.exemptions),
            )
    closest = min(for_purpose, key=lambda a: len(set(wanted) - set(a.categories)))
    missing = [c for c in wanted if c not in closest.categories]
    return _refuse_share(
        [f"agreement:{closest.id}", RULE_NEEDS_AGREEMENT],
        f"No single agreement with {who.name} covers every category: '{closest.name}' does "
        f"not cover {quoted(missing)}.",
    )


def _span(agreement: Agreement) -> str:
    end = f" to {day_words(agreement.valid_to)}" if agreement.valid_to else " with no end date"
    return f"'{agreement.id}' runs from {day_words(agreement.valid_from)}{end}"


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
        allowed = quoted(agreement.exemptions) or "none"
        return Decision(
            False,
            (rule,),
            None,
            f"'{agreement.name}' does not allow the exemption '{exemption}' "
            f"(it allows: {allowed}); the family must be told.",
        )
    # The loader refuses an agreement naming an exemption the policy does not declare.
    wording = {e.id: e.wording for e in policy.sharing.exemptions}[exemption]
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
