"""Load a policy file, check it, and say plainly what is wrong with it.

``load_policy`` reads a TOML file and returns a ``Policy`` or raises ``PolicyError``. Every
error names the file, the dotted key path (``agreements[2].categories[0]``) and the rule
broken, in words; pydantic's own report is translated, never shown raw.

``check_warnings`` lists things that are allowed but may no longer be true.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from earlyhelp.lib.dates import add_months
from earlyhelp.lib.words import day_words
from earlyhelp.policy.schema import (
    EMAIL_PATTERN,
    ID_PATTERN,
    Agreement,
    Link,
    Policy,
    Project,
    Schedule1Condition,
)

# Data Protection Act 2018 section 10(2)-(3): which Part of Schedule 1 gives the "basis in
# law" each Article 9(2) condition needs. Conditions not listed need no Schedule 1 condition.
_SCHEDULE_1_PART_FOR_ARTICLE_9 = {
    "9(2)(b)": 1,
    "9(2)(h)": 1,
    "9(2)(i)": 1,
    "9(2)(j)": 1,
    "9(2)(g)": 2,
}
# Schedule 1 Part 1: the Article 9(2) point each paragraph serves.
_PART_1_PARAGRAPH_POINT = {1: "9(2)(b)", 2: "9(2)(h)", 3: "9(2)(i)", 4: "9(2)(j)"}
_CONSENT_ARTICLE_6 = "6(1)(a)"
_CONSENT_ARTICLE_9 = "9(2)(a)"
# Bases that rest on a duty or power in law (UK GDPR Article 6(3); DPA 2018 section 10).
_BASES_NEEDING_LAW = {"6(1)(c)", "6(1)(e)", "9(2)(b)", "9(2)(g)", "9(2)(h)", "9(2)(i)", "9(2)(j)"}


@dataclass(frozen=True)
class PolicyIssue:
    """One thing wrong with a policy file."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '(whole file)'}: {self.message}"


class PolicyError(Exception):
    """A policy file could not be used. ``errors`` lists every problem found."""

    def __init__(self, errors: Iterable[PolicyIssue]) -> None:
        self.errors: list[PolicyIssue] = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        heading = f"{count} problem{'s' if count != 1 else ''} in the policy:"
        return "\n".join([heading, *(f"  {error}" for error in self.errors)])


@dataclass(frozen=True)
class PolicyWarning:
    """Something allowed by the rules that may no longer be true."""

    code: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def load_policy(path: str | Path) -> Policy:
    """Read, shape-check and cross-check a policy file."""
    file = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise PolicyError([PolicyIssue(file, "", "the file does not exist")]) from None
    except UnicodeDecodeError:
        raise PolicyError([PolicyIssue(file, "", "the file is not UTF-8 text")]) from None
    except OSError as exc:
        raise PolicyError(
            [PolicyIssue(file, "", f"the file cannot be read ({exc.strerror})")]
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError([PolicyIssue(file, "", f"the file is not valid TOML: {exc}")]) from None
    return policy_from_dict(data, source=file)


def policy_from_dict(data: dict[str, Any], source: str = "<policy>") -> Policy:
    """Build a policy from already-parsed data, with the same checks as ``load_policy``."""
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(
            PolicyIssue(source, _dotted(error["loc"]), _explain(error)) for error in exc.errors()
        ) from None
    issues = validate_policy(policy, source)
    if issues:
        raise PolicyError(issues)
    return policy


# --- translating pydantic's errors -------------------------------------------------------


def _dotted(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _shown(value: Any) -> str:
    if isinstance(value, str | int | float | bool | date):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return ""


def _explain(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = _shown(error.get("input"))
    got_text = f" (got {got})" if got else ""
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return _unknown_key(error["loc"])
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}{got_text}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == ID_PATTERN:
            return (
                "must be a kebab-case id: lower-case letters and digits joined by single "
                f"hyphens, e.g. 'family-support'{got_text}"
            )
        if ctx.get("pattern") == EMAIL_PATTERN:
            return f"must be an email address{got_text}"
        return f"is not in the expected form{got_text}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        minimum = ctx.get("min_length", 1)
        return f"must list at least {minimum} item{'s' if minimum != 1 else ''}"
    if kind == "string_type":
        return f"must be text in quotes{got_text}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"must be a whole number{got_text}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false{got_text}"
    if kind.startswith("date"):
        return f"must be a date written like 2025-03-31, without quotes{got_text}"
    if kind in {"list_type", "tuple_type"}:
        return "must be a list, written [ ... ]"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"must be a table{got_text}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}{got_text}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']}{got_text}"


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    key = str(loc[-1])
    model = _model_at(loc[:-1])
    if model is None:
        return f"'{key}' is not a key this policy format knows"
    known = list(model.model_fields)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
    return f"'{key}' is not a key allowed here{hint}"


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class found by walking ``loc`` down from ``Policy``."""
    current: Any = Policy
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """Unwrap list[...] and ``X | None`` down to a model class, if there is one."""
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation


# --- rules across the file -----------------------------------------------------------------


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


def _retention_rules(policy: Policy) -> Found:
    yield from _duplicates(
        (
            (f"retention.rules[{i}].subject", r.subject)
            for i, r in enumerate(policy.retention.rules)
        ),
        "a retention rule for the subject",
    )


def _sharing_rules(policy: Policy) -> Found:
    matching = policy.sharing.data_matching
    if matching is not None and policy.purpose(matching.purpose) is None:
        yield (
            "sharing.data_matching.purpose",
            f"'{matching.purpose}' is not a declared purpose (see purposes)",
        )


def _rights_rules(policy: Policy) -> Found:
    deadline = policy.rights.deadline
    calendar = deadline.bank_holidays
    known = _holiday_calendars()
    at = "rights.deadline.bank_holidays"
    if calendar.country not in known:
        yield f"{at}.country", f"'{calendar.country}' is not a country the holidays package knows"
    elif calendar.subdivision not in known[calendar.country]:
        yield (
            f"{at}.subdivision",
            f"'{calendar.subdivision}' is not a subdivision of {calendar.country} "
            f"(known: {', '.join(known[calendar.country])})",
        )
    if "receipt" not in deadline.clock_starts_at_latest_of:
        yield (
            "rights.deadline.clock_starts_at_latest_of",
            "must include 'receipt': the clock never starts before the request arrives",
        )
    if deadline.extension_notice_within_months > deadline.months:
        yield (
            "rights.deadline.extension_notice_within_months",
            f"must be no more than the time limit itself ({deadline.months} month(s))",
        )
    for i, rule in enumerate(policy.rights.rights):
        for j, basis in enumerate(rule.limited_under):
            if basis not in rule.applies_under:
                yield f"rights.rights[{i}].limited_under[{j}]", f"'{basis}' is not in applies_under"
        if rule.limited_under and not rule.limitation:
            yield f"rights.rights[{i}].limitation", "is required when limited_under is given"


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


# --- warnings ------------------------------------------------------------------------------

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
