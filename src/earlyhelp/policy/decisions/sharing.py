"""Sharing: may data go to a recipient, must the family be told, may it leave the UK."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from earlyhelp.lib.dates import is_working_day as working_day
from earlyhelp.lib.words import day_words
from earlyhelp.policy.decisions.common import (
    RULE_DECLARED_PURPOSES,
    Decision,
    agreement_in_force,
    quoted,
)
from earlyhelp.policy.decisions.rights import _PolicyCalendar  # the policy's bank holidays
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
    # An agreement made for a project ends with it, whatever its own dates say.
    ended = {
        p.agreement: p
        for p in policy.projects
        if p.agreement is not None and p.end is not None and on_date > p.end
    }
    if all(a.id in ended for a in for_purpose):
        project = ended[for_purpose[0].id]
        return _refuse_share(
            [f"project:{project.id}", *(f"agreement:{a.id}" for a in for_purpose)],
            f"'{for_purpose[0].name}' served the project '{project.name}', which ended on "
            f"{day_words(project.end)}; nothing is shared under it after the project ended.",
        )
    for_purpose = [a for a in for_purpose if a.id not in ended]
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


# --- requests from partners, the duty to share, transfers by country, emergencies ------------

RULE_PARTNER_REQUESTS = "sharing.partner_requests"
RULE_DUTY_TO_SHARE = "sharing.duty_to_share"
RULE_EMERGENCY = "sharing.emergency_approval_within_hours"
RULE_TRANSFER_ROUTES = "transfers.routes"


def partner_request_due(policy: Policy, received: date) -> date:
    """The last day to answer a partner's request received on ``received``: the policy's
    ``answer_within_days`` after it, counted in working days of its calendar (weekends and
    bank holidays skipped) or in calendar days, as ``days`` says. No statute sets this
    time; it is the service's own standard, held in the policy.

    Raises ValueError("received: ...") when the policy says nothing about partner requests.
    """
    rules = policy.sharing.partner_requests
    if rules is None:
        raise ValueError(
            "received: the policy says nothing about requests from partners "
            "(sharing.partner_requests), so no time to answer can be set"
        )
    if rules.days == "calendar":
        return received + timedelta(days=rules.answer_within_days)
    holidays = _PolicyCalendar(rules.bank_holidays)
    day, left = received, rules.answer_within_days
    while left:
        day += timedelta(days=1)
        if working_day(day, holidays):
            left -= 1
    return day


def not_sharing_reason_needed(policy: Policy, on_date: date, *, about_child: bool) -> Decision:
    """Must a decision on ``on_date`` not to share a child's information say why sharing
    would be more detrimental to the child (Children Act 2004 s.16LA, from the date the
    policy gives)? ``allowed`` is True when that reason is needed; the reason in words says
    which reason and from when."""
    duty = policy.sharing.duty_to_share
    if duty is None:
        return Decision(False, (), None, "The policy names no duty to share.")
    if not about_child:
        return Decision(False, (RULE_DUTY_TO_SHARE,), None, f"{duty.law} is about children only.")
    if on_date < duty.in_force_from:
        return Decision(
            False,
            (RULE_DUTY_TO_SHARE,),
            None,
            f"{duty.law} is in force from {day_words(duty.in_force_from)}; before it, any "
            "reason may be given.",
        )
    return Decision(
        True,
        (RULE_DUTY_TO_SHARE,),
        None,
        f"Since {day_words(duty.in_force_from)} {duty.law} requires information about a "
        f"child to be shared unless {duty.reason_words}; say why that is so.",
    )


def region_of(policy: Policy, country: str) -> str | None:
    """The policy region (``transfers.region_countries``) a country (ISO 3166-1 alpha-2
    code) is in: the first of the permitted regions that lists it, else of any region, else
    None (a country outside every region the policy names)."""
    listed = policy.transfers.region_countries
    for region in [*policy.transfers.permitted_regions, *listed]:
        if country in listed.get(region, ()):
            return region
    return None


def decide_transfer_to(
    policy: Policy,
    country: str,
    route: str,
    *,
    relocation_recorded: bool,
    receiving_authority: bool,
) -> Decision:
    """May information go to an authority in ``country`` (ISO 3166-1 alpha-2 code) by
    ``route`` (a policy transfer route id)? The country's region decides as
    ``decide_transfer`` does (a region the policy permits, else one of its exceptions: the
    child's move recorded, the receiving authority involved); the route must be one the
    policy names (UK GDPR Chapter V as amended by the Data (Use and Access) Act 2025: every
    transfer names its route). The lawful basis returned is the route's law."""
    region = region_of(policy, country)
    decision = decide_transfer(
        policy,
        region or country,
        relocation_recorded=relocation_recorded,
        receiving_authority=receiving_authority,
    )
    if not decision.allowed:
        return decision
    chosen = policy.transfers.route(route)
    if chosen is None:
        names = "; ".join(r.name for r in policy.transfers.routes) or "none"
        return Decision(
            False,
            (RULE_TRANSFER_ROUTES,),
            None,
            f"A transfer abroad must name a route the policy gives ({names}).",
        )
    if chosen.countries and country.upper() not in chosen.countries:
        return Decision(
            False,
            (RULE_TRANSFER_ROUTES, f"transfers.route:{chosen.id}"),
            None,
            f"'{chosen.name}' does not cover {country.upper()}: the regulations name the "
            "countries they approve; choose another route.",
        )
    return Decision(
        True,
        (*decision.rule_ids, f"transfers.route:{chosen.id}"),
        chosen.law,
        f"{decision.reason} Route: {chosen.name} ({chosen.law}).",
    )


def emergency_approval_due(policy: Policy, shared_at: datetime) -> datetime:
    """When a team manager's approval of a share made first in a safeguarding emergency is
    due: the policy's ``emergency_approval_within_hours`` after ``shared_at``.

    Raises ValueError("emergency: ...") when the policy sets no such time (then there is no
    emergency route)."""
    hours = policy.sharing.emergency_approval_within_hours
    if hours is None:
        raise ValueError(
            "emergency: the policy sets no time for a team manager's approval of an "
            "emergency share (sharing.emergency_approval_within_hours), so information "
            "cannot be shared before approval"
        )
    return shared_at + timedelta(hours=hours)
