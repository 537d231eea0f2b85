"""Information sent abroad: only when the policy's transfer rule allows it (notice section 8:
when a child goes to live abroad, through the authority there), by a route UK law gives
(UK GDPR Chapter V as the Data (Use and Access) Act 2025 made it: regulations approving the
country, appropriate safeguards meeting the data protection test, or a derogation).

The child's move is recorded first (`record_relocation`: the country, the receiving
authority, the day). A transfer (`share_abroad`) names the move and the route; the policy
decides (policy.decisions.decide_transfer_to: the country's region, the exception's
conditions, the route), then sharing.services.share makes the disclosure as for any
recipient, and a Transfer row records it as a transfer. A refused transfer leaves an audit
event citing the rule, and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from earlyhelp.audit.log import record
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import decide_transfer_to, region_of
from earlyhelp.policy.decisions.sharing import RULE_TRANSFER_ROUTES, RULE_TRANSFERS
from earlyhelp.policy.schema import Policy
from earlyhelp.sharing import countries, services
from earlyhelp.sharing.models import Disclosure, Relocation, Transfer
from earlyhelp.sharing.services import ShareRefused

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
NAME_LIMIT = 200


def _country_in_words(reason: str, country: str) -> str:
    """A decision's reason with the country's code (which the policy's rules use) put as
    its name, for a page."""
    if not countries.is_country(country):
        return reason
    name = countries.country_name(country)
    return re.sub(rf"\b{country}\b", lambda _: name, reason)


def route_choices(policy: Policy) -> list[tuple[str, str]]:
    """(id, "name (law)") of the routes the policy gives for a transfer abroad."""
    return [(r.id, f"{r.name} ({r.law})") for r in policy.transfers.routes]


def relocations_of(person: Person) -> QuerySet[Relocation]:
    """The person's recorded moves abroad, latest first."""
    return Relocation.objects.filter(person=person)


def record_relocation(
    request: HttpRequest,
    person: Person,
    *,
    country: str,
    receiving_authority: str,
    moved_on: date,
    country_name: str = "",
) -> Relocation:
    """Record that `person` has gone to live in `country` (ISO 3166-1 alpha-2 code) on
    `moved_on`, and the authority there the council liaises with. The country's name is
    the ISO 3166 list's (sharing.countries); a `country_name` given must be one of its
    names.

    Raises ShareRefused("field: words") for no casework access, a code not of two capital
    letters or not in the ISO 3166 list, a country in the UK, a name not the country's, a
    missing authority."""
    problem = services.access_problem(request, person)
    if problem:
        raise ShareRefused(problem)
    country = (country or "").strip().upper()
    if not COUNTRY_CODE.match(country):
        raise ShareRefused("country: give the country's two-letter ISO code, such as CA for Canada")
    if not countries.is_country(country):
        raise ShareRefused(
            f"country: {country} is not a country's ISO 3166 code; choose the country from the list"
        )
    policy = active_policy()
    if country in countries.home_countries(policy) or region_of(policy, country) == "UK":
        raise ShareRefused("country: a move within the United Kingdom is not a move abroad")
    named = countries.country_name(country)
    if (country_name or "").strip() and country_name.strip().casefold() not in (
        countries.names_of(country)
    ):
        raise ShareRefused(f"country_name: {country_name.strip()} is not a name of {named}")
    country_name = named
    receiving_authority = services._text(
        receiving_authority,
        "receiving_authority",
        "name the authority in that country the council liaises with",
        NAME_LIMIT,
    )
    with transaction.atomic():
        relocation = Relocation.objects.create(
            person=person,
            country=country,
            country_name=country_name,
            receiving_authority=receiving_authority,
            moved_on=moved_on,
            recorded_by=request.user,
        )
        record(
            request,
            action="create",
            record_type=services.RECORD_TYPE,
            record_id=person.public_id,
            categories=["identity-and-contact"],
            rule=RULE_TRANSFERS,
            reason=f"Relocation {relocation.public_id}",
            details={"what": "move abroad recorded", "country": country},
        )
    return relocation


def share_abroad(
    request: HttpRequest,
    person: Person,
    *,
    country: str,
    route: str,
    relocation: Relocation | None,
    recipient: str,
    purpose: str,
    item_keys: Iterable[str],
    tell_family: bool = True,
    exemption: str = "",
    exemption_reason: str = "",
    method: str = "",
    reference: str = "",
) -> Disclosure:
    """Share `person`'s records with an authority in `country` (ISO code) by `route` (a
    policy transfer route id), relying on the recorded `relocation` (the person's, to that
    country) where the policy's exception needs it; recorded as a transfer.

    Raises ShareRefused("relocation: ...") for a transfer the policy's rule does not allow
    (no move recorded, or none to that country), ("route: ...") for a route it does not
    give, and the refusals of sharing.services.share."""
    problem = services.access_problem(request, person)
    if problem:
        raise ShareRefused(problem)
    country = (country or "").strip().upper()
    if relocation is not None and (
        relocation.person_id != person.pk or relocation.country != country
    ):
        raise ShareRefused("relocation: choose a move of this person's to that country")
    policy = active_policy()
    decision = decide_transfer_to(
        policy,
        country,
        route,
        relocation_recorded=relocation is not None,
        receiving_authority=relocation is not None and bool(relocation.receiving_authority),
    )
    if not decision.allowed:
        with transaction.atomic():
            record(
                request,
                action="share",
                record_type=services.RECORD_TYPE,
                record_id=person.public_id,
                rule=decision.rule_ids[0] if decision.rule_ids else RULE_TRANSFERS,
                reason="Transfer abroad refused by the policy",
                details={"refused": True, "rules": list(decision.rule_ids), "country": country},
            )
        field = "route" if RULE_TRANSFER_ROUTES in decision.rule_ids else "relocation"
        raise ShareRefused(f"{field}: {_country_in_words(decision.reason, country)}")
    refusal = None
    with transaction.atomic():
        try:
            disclosure = services.share(
                request,
                person,
                recipient=recipient,
                purpose=purpose,
                item_keys=item_keys,
                tell_family=tell_family,
                exemption=exemption,
                exemption_reason=exemption_reason,
                method=method,
                reference=reference,
            )
        except ShareRefused as refused:
            refusal = refused  # its audit event stands; nothing else was written
        else:
            Transfer.objects.create(
                disclosure=disclosure,
                relocation=relocation,
                country=country,
                region=region_of(policy, country) or "",
                route=route,
                route_law=decision.lawful_basis or "",
                rule_ids=list(decision.rule_ids),
            )
            services._audit(
                request,
                disclosure,
                "change",
                "recorded as a transfer abroad",
                country=country,
                route=route,
                transfer_rules=list(decision.rule_ids),
            )
    if refusal is not None:
        raise refusal
    return disclosure
