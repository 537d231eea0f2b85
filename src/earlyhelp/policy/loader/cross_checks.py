"""Rules across a shape-valid policy file: ids declared before they are used, lawful bases
that fit the data, agreements and projects that agree with each other.

``validate_policy`` lists every problem as a ``PolicyIssue``; an empty list means usable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from earlyhelp.policy.schema import Agreement, Period, Policy, Project

# Data Protection Act 2018 section 10(2)-(3): which Part of Schedule 1 gives the "basis in
# law" each Article 9(2) condition needs. Conditions not listed need no Schedule 1 condition.
_SCHEDULE_1_PART_FOR_ARTICLE_9 = {
    "9(2)(b)": 1,
    "9(2)(h)": 1,
    "9(2)(i)": 1,
    "9(2)(j)": 1,
    "9(2)(g)": 2,
}


_CONSENT_ARTICLE_6 = "6(1)(a)"


_CONSENT_ARTICLE_9 = "9(2)(a)"


# Bases that rest on a duty or power in law (UK GDPR Article 6(3); DPA 2018 section 10).
_BASES_NEEDING_LAW = {"6(1)(c)", "6(1)(e)", "9(2)(b)", "9(2)(g)", "9(2)(h)", "9(2)(i)", "9(2)(j)"}


# The longest an extract run from the screen may wait on the server to be downloaded, as a
# link to a protected package may (schema: link_expires_hours at most 31 days): a copy
# kept for longer is a second store of the extract, which no project's notice declares. A
# bound on the file, not a value of it: the period itself is the policy's.
HELD_ON_SERVER_AT_MOST_DAYS = 31


def _longest_days(period: Period) -> int:
    """The most days a period can span (a year of 366 days, a month of 31)."""
    return period.years * 366 + period.months * 31 + period.days


@dataclass(frozen=True)
class PolicyIssue:
    """One thing wrong with a policy file."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '(whole file)'}: {self.message}"


Found = Iterator[tuple[str, str]]


def validate_policy(policy: Policy, source: str = "<policy>") -> list[PolicyIssue]:
    """Cross-reference checks on a shape-valid policy; an empty list means it is usable."""
    checks = (
        _unique_ids,
        _purpose_rules,
        _categories_used,
        _service_reveals,
        _agreement_rules,
        _project_rules,
        _consent_rules,
        _retention_rules,
        _sharing_rules,
        _rights_rules,
        _statistics_rules,
    )
    return [
        PolicyIssue(source, path, message) for check in checks for path, message in check(policy)
    ]


def _duplicates(items: Iterable[tuple[str, str]], what: str) -> Found:
    """``items`` are (path, id) pairs; yield an error for every repeat."""
    first: dict[str, str] = {}
    for path, item_id in items:
        if item_id in first:
            yield path, f"{what} '{item_id}' is used more than once (first at {first[item_id]})"
        else:
            first[item_id] = path


def _unique_ids(policy: Policy) -> Found:
    services = []
    for i, service in enumerate(policy.services):
        services.append((f"services[{i}].id", service.id))
        services += [
            (f"services[{i}].sub_services[{j}].id", sub.id)
            for j, sub in enumerate(service.sub_services)
        ]
    yield from _duplicates(services, "the service id")
    lists: list[tuple[str, list[Any], str]] = [
        ("categories", policy.categories, "the category id"),
        ("schedule_1_conditions", policy.schedule_1_conditions, "the Schedule 1 condition id"),
        ("purposes", policy.purposes, "the purpose id"),
        ("laws", policy.laws, "the law id"),
        ("recipients", policy.recipients, "the recipient id"),
        ("agreements", policy.agreements, "the agreement id"),
        ("projects", policy.projects, "the project id"),
        ("retention.rules", policy.retention.rules, "the retention rule id"),
        ("storage.systems", policy.storage.systems, "the storage system id"),
        ("consent_processing", policy.consent_processing, "the consent processing id"),
        ("sharing.exemptions", policy.sharing.exemptions, "the exemption id"),
        ("casework.headline_outcomes", policy.casework.headline_outcomes, "the outcome id"),
        ("casework.closure_reasons", policy.casework.closure_reasons, "the closure reason id"),
    ]
    for prefix, items, what in lists:
        yield from _duplicates(((f"{prefix}[{i}].id", x.id) for i, x in enumerate(items)), what)
    for i, project in enumerate(policy.projects):
        yield from _duplicates(
            ((f"projects[{i}].fields[{j}].name", f.name) for j, f in enumerate(project.fields)),
            "the field name",
        )
    yield from _duplicates(
        ((f"rights.rights[{i}].right", r.right) for i, r in enumerate(policy.rights.rights)),
        "the right",
    )


def _ids(items: Iterable[Any]) -> set[str]:
    return {item.id for item in items}


def _schedule_1_refs(policy: Policy, path: str, ids: list[str]) -> Found:
    declared = _ids(policy.schedule_1_conditions)
    for k, condition_id in enumerate(ids):
        if condition_id not in declared:
            yield (
                f"{path}[{k}]",
                f"'{condition_id}' is not a declared Schedule 1 condition "
                "(see schedule_1_conditions)",
            )


def _purpose_rules(policy: Policy) -> Found:
    categories = {c.id: c for c in policy.categories}
    laws = {law.id: law for law in policy.laws}
    rules = _ids(policy.retention.rules)
    for i, purpose in enumerate(policy.purposes):
        at = f"purposes[{i}]"
        basis = purpose.lawful_basis
        for j, category_id in enumerate(purpose.categories):
            if category_id not in categories:
                yield (
                    f"{at}.categories[{j}]",
                    f"'{category_id}' is not a declared category (see categories)",
                )
        used = [categories[c] for c in purpose.categories if c in categories]
        special = [c.id for c in used if c.kind == "special_category"]
        criminal = [c.id for c in used if c.kind == "criminal_offence"]
        if special and not basis.article_9:
            yield (
                f"{at}.lawful_basis.article_9",
                f"purpose '{purpose.id}' uses special category data ({', '.join(special)}), "
                "so it needs an Article 9(2) condition",
            )
        if criminal and basis.article_10 is None:
            yield (
                f"{at}.lawful_basis.article_10",
                f"purpose '{purpose.id}' uses criminal offence data ({', '.join(criminal)}), "
                "so it needs an Article 10 route",
            )
        for k, condition in enumerate(basis.article_9):
            cpath = f"{at}.lawful_basis.article_9[{k}]"
            yield from _schedule_1_refs(policy, f"{cpath}.schedule_1", condition.schedule_1)
            part = _SCHEDULE_1_PART_FOR_ARTICLE_9.get(condition.condition)
            parts = {
                c.part
                for c in map(policy.schedule_1_condition, condition.schedule_1)
                if c is not None
            }
            if part is not None and part not in parts:
                yield (
                    f"{cpath}.schedule_1",
                    f"Article {condition.condition} needs a condition from Part {part} of "
                    "Schedule 1 to the Data Protection Act 2018 (section 10)",
                )
        if basis.article_10 is not None:
            apath = f"{at}.lawful_basis.article_10"
            yield from _schedule_1_refs(policy, f"{apath}.schedule_1", basis.article_10.schedule_1)
            if basis.article_10.route == "schedule_1_condition" and not basis.article_10.schedule_1:
                yield (
                    f"{apath}.schedule_1",
                    "the Article 10 route 'schedule_1_condition' needs at least one "
                    "Schedule 1 condition",
                )
        consent_bases = [
            (f"{at}.lawful_basis.article_6[{k}]", b)
            for k, b in enumerate(basis.article_6)
            if b == _CONSENT_ARTICLE_6
        ] + [
            (f"{at}.lawful_basis.article_9[{k}].condition", c.condition)
            for k, c in enumerate(basis.article_9)
            if c.condition == _CONSENT_ARTICLE_9
        ]
        if not purpose.consent_based:
            for path, cited in consent_bases:
                yield (
                    path,
                    f"purpose '{purpose.id}' relies on consent ({cited}) but is not declared "
                    "consent_based = true",
                )
        elif not any(cited == _CONSENT_ARTICLE_6 for _, cited in consent_bases):
            yield (
                f"{at}.consent_based",
                f"purpose '{purpose.id}' is declared consent_based but its Article 6 basis is "
                f"not consent ({_CONSENT_ARTICLE_6})",
            )
        cited = set(basis.article_6) | {c.condition for c in basis.article_9}
        if cited & _BASES_NEEDING_LAW and not purpose.laws:
            yield (
                f"{at}.laws",
                f"purpose '{purpose.id}' relies on "
                f"{', '.join(sorted(cited & _BASES_NEEDING_LAW))}, which need a basis in law: "
                "cite at least one law",
            )
        for k, citation in enumerate(purpose.laws):
            law = laws.get(citation.law)
            if law is None:
                yield f"{at}.laws[{k}].law", f"'{citation.law}' is not a declared law (see laws)"
                continue
            for m, section in enumerate(citation.sections):
                if section not in law.sections:
                    yield (
                        f"{at}.laws[{k}].sections[{m}]",
                        f"section '{section}' is not among the sections listed for '{law.id}'",
                    )
        for k, rule_id in enumerate(purpose.retention_rules):
            if rule_id not in rules:
                yield f"{at}.retention_rules[{k}]", f"'{rule_id}' is not a declared retention rule"


def _service_reveals(policy: Policy) -> Found:
    declared = _ids(policy.categories)
    for i, service in enumerate(policy.services):
        for j, sub in enumerate(service.sub_services):
            for k, category_id in enumerate(sub.reveals):
                if category_id not in declared:
                    yield (
                        f"services[{i}].sub_services[{j}].reveals[{k}]",
                        f"'{category_id}' is not a category of this policy",
                    )


def _categories_used(policy: Policy) -> Found:
    used = {c for p in policy.purposes for c in p.categories}
    for i, category in enumerate(policy.categories):
        if category.id not in used:
            yield (
                f"categories[{i}]",
                f"category '{category.id}' is not used by any purpose; every category must "
                "serve at least one purpose",
            )


def _purposes_using(policy: Policy, purpose_ids: Iterable[str]) -> set[str]:
    """Categories used by any of the given (declared) purposes."""
    return {c for p in map(policy.purpose, purpose_ids) if p is not None for c in p.categories}


def _agreement_rules(policy: Policy) -> Found:
    recipients = _ids(policy.recipients)
    purposes = _ids(policy.purposes)
    categories = _ids(policy.categories)
    exemptions = _ids(policy.sharing.exemptions)
    for i, agreement in enumerate(policy.agreements):
        at = f"agreements[{i}]"
        if agreement.recipient not in recipients:
            yield (
                f"{at}.recipient",
                f"'{agreement.recipient}' is not a declared recipient (see recipients)",
            )
        for j, purpose_id in enumerate(agreement.purposes):
            if purpose_id not in purposes:
                yield (
                    f"{at}.purposes[{j}]",
                    f"'{purpose_id}' is not a declared purpose (see purposes)",
                )
        usable = _purposes_using(policy, agreement.purposes)
        for j, category_id in enumerate(agreement.categories):
            if category_id not in categories:
                yield (
                    f"{at}.categories[{j}]",
                    f"'{category_id}' is not a declared category (see categories)",
                )
            elif category_id not in usable:
                yield (
                    f"{at}.categories[{j}]",
                    f"'{category_id}' is not used by any of this agreement's purposes, so it "
                    "could never be shared under it",
                )
        for j, exemption_id in enumerate(agreement.exemptions):
            if exemption_id not in exemptions:
                yield (
                    f"{at}.exemptions[{j}]",
                    f"'{exemption_id}' is not a declared exemption (see sharing.exemptions)",
                )
        if agreement.valid_to is not None and agreement.valid_to <= agreement.valid_from:
            yield (
                f"{at}.valid_to",
                f"must be after valid_from ({agreement.valid_from.isoformat()}); "
                f"got {agreement.valid_to.isoformat()}",
            )


def _project_rules(policy: Policy) -> Found:
    purposes = _ids(policy.purposes)
    categories = _ids(policy.categories)
    services = {s.id for s in policy.services} | {
        sub.id for s in policy.services for sub in s.sub_services
    }
    for i, project in enumerate(policy.projects):
        at = f"projects[{i}]"
        if policy.recipient(project.recipient) is None:
            yield (
                f"{at}.recipient",
                f"'{project.recipient}' is not a declared recipient (see recipients)",
            )
        for j, purpose_id in enumerate(project.purposes):
            if purpose_id not in purposes:
                yield (
                    f"{at}.purposes[{j}]",
                    f"'{purpose_id}' is not a declared purpose (see purposes)",
                )
        if project.end is not None and project.end <= project.start:
            yield (
                f"{at}.end",
                f"must be after start ({project.start.isoformat()}); got {project.end.isoformat()}",
            )
        if project.held_on_server_for == Period():
            yield (
                f"{at}.held_on_server_for",
                "the files must be held for longer than nothing (or leave it out)",
            )
        elif (
            project.held_on_server_for is not None
            and _longest_days(project.held_on_server_for) > HELD_ON_SERVER_AT_MOST_DAYS
        ):
            held = project.held_on_server_for
            yield (
                f"{at}.held_on_server_for",
                f"must be at most {HELD_ON_SERVER_AT_MOST_DAYS} days: the server holds a copy "
                "to download, not a store of extracts; got "
                f"{{ years = {held.years}, months = {held.months}, days = {held.days} }}",
            )
        if project.objection_honoured and project.objection_contact is None:
            yield f"{at}.objection_contact", "is required when objection_honoured is true"
        usable = _purposes_using(policy, project.purposes)
        agreement = policy.agreement(project.agreement) if project.agreement else None
        if project.agreement and agreement is None:
            yield (
                f"{at}.agreement",
                f"'{project.agreement}' is not a declared agreement (see agreements)",
            )
        for j, field in enumerate(project.fields):
            fpath = f"{at}.fields[{j}]"
            if field.category not in categories:
                yield (
                    f"{fpath}.category",
                    f"'{field.category}' is not a declared category (see categories)",
                )
            elif field.rule != "drop" and field.category not in usable:
                yield (
                    f"{fpath}.category",
                    f"'{field.category}' is not used by any of this project's purposes",
                )
            elif field.rule != "drop" and agreement and field.category not in agreement.categories:
                yield (
                    f"{fpath}.category",
                    f"'{field.category}' is not covered by the project's agreement "
                    f"'{agreement.id}'",
                )
            if field.rule == "age_band":
                bands = field.age_bands
                if len(bands) < 2 or any(b <= a for a, b in pairwise(bands)):
                    yield (
                        f"{fpath}.age_bands",
                        "the 'age_band' rule needs at least two ages in increasing order",
                    )
            elif field.age_bands:
                yield f"{fpath}.age_bands", "is only used with the rule 'age_band'"
            if field.rule == "keyed_pseudonym" and field.pseudonym_hex_digits is None:
                yield (
                    f"{fpath}.pseudonym_hex_digits",
                    "is required with the rule 'keyed_pseudonym' (8 to 64)",
                )
            elif field.rule != "keyed_pseudonym" and field.pseudonym_hex_digits is not None:
                yield (
                    f"{fpath}.pseudonym_hex_digits",
                    "is only used with the rule 'keyed_pseudonym'",
                )
        for j, service_id in enumerate(project.cohort.services):
            if service_id not in services:
                yield (
                    f"{at}.cohort.services[{j}]",
                    f"'{service_id}' is not a declared service or sub-service (see services)",
                )
        if agreement is not None:
            yield from _project_within_agreement(at, project, agreement, purposes)


def _project_within_agreement(
    at: str, project: Project, agreement: Agreement, purposes: set[str]
) -> Found:
    if agreement.recipient != project.recipient:
        yield (
            f"{at}.agreement",
            f"agreement '{agreement.id}' is with '{agreement.recipient}', not with this "
            f"project's recipient '{project.recipient}'",
        )
    for j, purpose_id in enumerate(project.purposes):
        # An undeclared purpose has already been reported; say it once.
        if purpose_id in purposes and purpose_id not in agreement.purposes:
            yield (
                f"{at}.purposes[{j}]",
                f"'{purpose_id}' is not covered by agreement '{agreement.id}'",
            )
    if project.start < agreement.valid_from:
        yield (
            f"{at}.start",
            f"is before agreement '{agreement.id}' starts ({agreement.valid_from.isoformat()})",
        )
    if agreement.valid_to is not None and (project.end is None or project.end > agreement.valid_to):
        yield (
            f"{at}.end",
            f"must not be later than the end of agreement '{agreement.id}' "
            f"({agreement.valid_to.isoformat()})",
        )


def _consent_rules(policy: Policy) -> Found:
    for i, processing in enumerate(policy.consent_processing):
        at = f"consent_processing[{i}]"
        for j, purpose_id in enumerate(processing.purposes):
            purpose = policy.purpose(purpose_id)
            if purpose is None:
                yield (
                    f"{at}.purposes[{j}]",
                    f"'{purpose_id}' is not a declared purpose (see purposes)",
                )
            elif not purpose.consent_based:
                yield f"{at}.purposes[{j}]", f"purpose '{purpose_id}' is not declared consent_based"
        if policy.storage_system(processing.system) is None:
            yield (
                f"{at}.system",
                f"'{processing.system}' is not a declared storage system (see storage.systems)",
            )
        if processing.article_6 != _CONSENT_ARTICLE_6:
            yield (
                f"{at}.article_6",
                f"consent-based processing must rest on {_CONSENT_ARTICLE_6} consent",
            )
        if processing.article_9 is not None and processing.article_9 != _CONSENT_ARTICLE_9:
            yield (
                f"{at}.article_9",
                f"consent-based processing must rest on {_CONSENT_ARTICLE_9} explicit consent",
            )
        if not processing.withdrawable:
            yield (
                f"{at}.withdrawable",
                "consent must be as easy to withdraw as to give (UK GDPR Article 7(3))",
            )
        services = {s.id for s in policy.services} | {
            sub.id for s in policy.services for sub in s.sub_services
        }
        for j, service_id in enumerate(processing.services):
            if service_id not in services:
                yield (
                    f"{at}.services[{j}]",
                    f"'{service_id}' is not a declared service or sub-service (see services)",
                )
        yield from _duplicates(
            ((f"{at}.uses[{j}].id", use.id) for j, use in enumerate(processing.uses)),
            "a consent use id",
        )
        if processing.uses and not processing.services:
            yield (
                f"{at}.services",
                "name the services whose children's parents are asked for these consents",
            )
        uses = {use.id for use in processing.uses}
        for j, way in enumerate(processing.shares):
            for field in ("focus_recipient", "others_recipient"):
                recipient = getattr(way, field)
                if recipient is not None and policy.recipient(recipient) is None:
                    yield (
                        f"{at}.shares[{j}].{field}",
                        f"'{recipient}' is not a declared recipient (see recipients)",
                    )
            for field in ("focus_use", "others_use"):
                use_id = getattr(way, field)
                if use_id is not None and use_id not in uses:
                    yield (
                        f"{at}.shares[{j}].{field}",
                        f"'{use_id}' is not one of the processing's uses (see uses)",
                    )
            if (way.focus_use is None) != (way.focus_recipient is None):
                yield (
                    f"{at}.shares[{j}].focus_recipient",
                    "a focus use needs a focus recipient, and a focus recipient a focus use",
                )
        yield from _duplicates(
            ((f"{at}.shares[{j}].id", way.id) for j, way in enumerate(processing.shares)),
            "a consent share id",
        )


def _retention_rules(policy: Policy) -> Found:
    # One default (unconditional) rule a subject; conditional rules add to it.
    yield from _duplicates(
        (
            (f"retention.rules[{i}].subject", r.subject)
            for i, r in enumerate(policy.retention.rules)
            if not r.conditional
        ),
        "a retention rule for the subject",
    )
    services = {s.id for s in policy.services} | {
        sub.id for s in policy.services for sub in s.sub_services
    }
    for i, rule in enumerate(policy.retention.rules):
        at = f"retention.rules[{i}]"
        for k, service in enumerate(rule.services):
            if service not in services:
                yield f"{at}.services[{k}]", f"'{service}' is not a declared service"
        if rule.period == Period():
            yield f"{at}.period", "a retention period must be longer than nothing"
        if rule.conditional and rule.subject == "nursery_media":
            yield f"{at}", "nursery media rules apply to the media, not to people's cases"
        if rule.trigger == "case_closure" and not rule.conditional:
            yield (
                f"{at}.trigger",
                "a rule from case closure needs a condition (services or referred to "
                "social care): the default rules run from birth or last involvement",
            )


def _sharing_rules(policy: Policy) -> Found:
    matching = policy.sharing.data_matching
    if matching is not None and policy.purpose(matching.purpose) is None:
        yield (
            "sharing.data_matching.purpose",
            f"'{matching.purpose}' is not a declared purpose (see purposes)",
        )
    step_up = policy.sharing.step_up
    if step_up is not None:
        if policy.recipient(step_up.recipient) is None:
            yield (
                "sharing.step_up.recipient",
                f"'{step_up.recipient}' is not a declared recipient (see recipients)",
            )
        elif policy.purpose(step_up.purpose) is None:
            yield (
                "sharing.step_up.purpose",
                f"'{step_up.purpose}' is not a declared purpose (see purposes)",
            )
        elif not any(
            a.recipient == step_up.recipient and step_up.purpose in a.purposes
            for a in policy.agreements
        ):
            yield (
                "sharing.step_up",
                f"no agreement with '{step_up.recipient}' covers '{step_up.purpose}', so a "
                "step-up could never be recorded as a disclosure under it",
            )


def _rights_rules(policy: Policy) -> Found:
    known = _holiday_calendars()
    seen_ids: set[str] = set()
    seen_starts: set[tuple[str, object]] = set()
    for n, deadline in enumerate(policy.rights.deadlines):
        at = f"rights.deadlines[{n}]"
        calendar = deadline.bank_holidays
        if deadline.id in seen_ids:
            yield f"{at}.id", f"'{deadline.id}' is used by another time limit"
        seen_ids.add(deadline.id)
        if (deadline.regime, deadline.in_force_from) in seen_starts:
            yield (
                f"{at}.in_force_from",
                f"another {deadline.regime} time limit comes into force on the same day",
            )
        seen_starts.add((deadline.regime, deadline.in_force_from))
        if calendar.country not in known:
            yield (
                f"{at}.bank_holidays.country",
                f"'{calendar.country}' is not a country the holidays package knows",
            )
        elif calendar.subdivision not in known[calendar.country]:
            yield (
                f"{at}.bank_holidays.subdivision",
                f"'{calendar.subdivision}' is not a subdivision of {calendar.country} "
                f"(known: {', '.join(known[calendar.country])})",
            )
        if "receipt" not in deadline.clock_starts_at_latest_of:
            yield (
                f"{at}.clock_starts_at_latest_of",
                "must include 'receipt': the clock never starts before the request arrives",
            )
        if deadline.extension_notice_within_months > deadline.months:
            yield (
                f"{at}.extension_notice_within_months",
                f"must be no more than the time limit itself ({deadline.months} month(s))",
            )
        if deadline.pause_counts_both_ends and not deadline.pauses_while_clarification_awaited:
            yield (
                f"{at}.pause_counts_both_ends",
                "needs pauses_while_clarification_awaited: the clock never pauses otherwise",
            )
    for i, rule in enumerate(policy.rights.rights):
        for j, basis in enumerate(rule.limited_under):
            if basis not in rule.applies_under:
                yield f"rights.rights[{i}].limited_under[{j}]", f"'{basis}' is not in applies_under"
        if rule.limited_under and not rule.limitation:
            yield f"rights.rights[{i}].limitation", "is required when limited_under is given"
    yield from _bundle_rules(policy)


def _bundle_rules(policy: Policy) -> Found:
    bundle = policy.rights.access_bundle
    if bundle is None:
        return
    ids = [e.id for e in bundle.exemptions]
    yield from _duplicates(
        ((f"rights.access_bundle.exemptions[{n}].id", i) for n, i in enumerate(ids)), "exemption"
    )
    yield from _duplicates(
        (
            (f"rights.access_bundle.exemptions[{n}].code", e.code)
            for n, e in enumerate(bundle.exemptions)
        ),
        "exemption code",
    )
    if bundle.third_party_exemption not in ids:
        yield (
            "rights.access_bundle.third_party_exemption",
            f"'{bundle.third_party_exemption}' is not one of the exemptions listed",
        )


def _statistics_rules(policy: Policy) -> Found:
    rule = policy.statistics.small_number_suppression
    if rule.max_count < rule.min_count:
        yield (
            "statistics.small_number_suppression.max_count",
            f"must be at least min_count ({rule.min_count})",
        )


@cache
def _holiday_calendars() -> dict[str, list[str]]:
    import holidays  # imported here: loading the calendars is slow and only needed once

    return holidays.list_supported_countries()
