"""Sharing a person's information with a partner, as the policy allows, and the log of it.

The policy decides (`earlyhelp.policy.decisions.sharing.decide_share`): a recipient the
policy declares, under an agreement in force that day which covers the purpose and every
category of the records chosen. Before it is asked, two things refuse a share whatever the
policy says: a member of staff without need-to-know access to the person (the rule of the
person's page, access.rules.person_access; a record open only by break-glass or for a
rights request is read, never shared), and a person whose processing is restricted by a
rights request (UK GDPR Article 18; rights.processing.restriction_in_force).

Telling the family (notice section 5: "where possible we will tell you what data is being
shared and why"): by default the disclosure records that the family is told, with the
letter made from the policy's words. Not telling them needs an exemption the agreement
allows (policy.sharing.exemptions), the reason, and a team manager's approval before the
information leaves: the disclosure waits, a manager who did not make it approves or refuses
it, and only then is it recorded as sent.

Every disclosure, and every decision not to share with its reason (Children Act 2004
s.16LA: sharing would be more detrimental to the child), is a row of the log
(sharing.models) and an audit event against the person, citing the agreement relied on.
A share the policy refuses is an audit event too, citing the rule.

Refusals raise ShareRefused("field: words"), naming the form's field and the rule in words.
Each write is one transaction with its audit event.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.access.rules import (
    allocated_person_ids,
    is_restricted_from,
    may_see_sensitive,
    person_access,
    restricted_from,
)
from earlyhelp.audit.log import record
from earlyhelp.datamap.export import records_of
from earlyhelp.datamap.registry import Role as Reach
from earlyhelp.datamap.registry import (
    categories_of,
    entries_about,
    holdings,
    is_record_link,
    value_words,
)
from earlyhelp.lib.plausible import format_day
from earlyhelp.lib.words import join_words
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.common import RULE_DECLARED_PURPOSES
from earlyhelp.policy.decisions.sharing import (
    RULE_CONSENT,
    RULE_DECLARED_CATEGORIES,
    RULE_NAMES_CATEGORIES,
    RULE_PURPOSE_LIMITATION,
    ShareDecision,
    decide_share,
    may_withhold_notice,
    not_sharing_reason_needed,
)
from earlyhelp.policy.describe import ARTICLE_6_NAMES, schedule_1_words
from earlyhelp.policy.schema import Policy
from earlyhelp.rights.processing import restricted_words, restriction_in_force
from earlyhelp.sharing import identifier, words
from earlyhelp.sharing.models import DisclosedItem, Disclosure

RECORD_TYPE = "person"
# The kinds of data that need an Article 9 condition or Article 10 authority to share, and
# are shown only to staff with need-to-know (access.rules.may_see_sensitive).
SENSITIVE_KINDS = frozenset({"special_category", "criminal_offence"})
# What a person's own records are, for choosing what to share: the casework apps' holdings.
SHAREABLE_APPS = ("people.", "cases.")
# Rows of those apps that are the service's bookkeeping, not information about the person:
# merges, search keys, allocations to workers, corrections of other rows, case membership.
NOT_SHAREABLE = frozenset(
    {
        "people.PersonMerge",
        "people.NameKey",
        "cases.Allocation",
        "cases.Correction",
        "cases.CaseMember",
    }
)
# Longest a reason or note may be; a reference is a partner's or email's reference.
TEXT_LIMIT = 4000
REFERENCE_LIMIT = 200
# Where a refusal of the policy belongs on the form, by the rule it names.
ITEM_RULES = frozenset({RULE_DECLARED_CATEGORIES, RULE_NAMES_CATEGORIES, RULE_PURPOSE_LIMITATION})
PURPOSE_RULES = frozenset({RULE_DECLARED_PURPOSES, RULE_CONSENT})
# A method with no reference of its own (handed over at a meeting) may leave it blank.
REFERENCE_OPTIONAL = frozenset({Disclosure.Method.IN_PERSON})
# What the log's pages and events show, by model (their audit events record these).
LOG_SHOWS = (Disclosure, DisclosedItem)


class ShareRefused(ValueError):
    """The share (or its approval, or sending) is refused; the message is "field: words"."""


# --- what may be chosen ---------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One of the person's own records, as the share form lists it.

    `key` is "<model label>:<row id>"; `categories` the policy categories its fields hold;
    `sensitive` when any is special category or criminal offence data."""

    key: str
    model: str
    pk: str
    label: str
    day: date | None
    summary: str
    categories: tuple[str, ...]
    sensitive: bool


def items_of(person: Person, user: User | None = None) -> list[Item]:
    """The person's own records (rows the data map reaches with the person as subject, in
    the casework apps, their merged records' included), in data map order then by row.

    With `user`, records holding special category or criminal offence data are left out
    unless the user has need-to-know for them (access.rules.may_see_sensitive)."""
    policy = active_policy()
    kinds = {c.id: c.kind for c in policy.categories}
    sees_sensitive = user is None or may_see_sensitive(user, person)
    people = records_of(person)
    found = []
    for holding in holdings():
        if not holding.name.startswith(SHAREABLE_APPS) or holding.name in NOT_SHAREABLE:
            continue
        for entry, _row in entries_about(holding, people):
            if entry.role != Reach.SUBJECT or not entry.categories:
                continue
            sensitive = any(kinds.get(c) in SENSITIVE_KINDS for c in entry.categories)
            if sensitive and not sees_sensitive:
                continue
            # The first value that says something: never a link to another record by its id.
            summary = next(
                (value_words(v) for _label, v, _c in entry.fields if v and not is_record_link(v)),
                "",
            )
            found.append(
                Item(
                    key=f"{entry.model}:{entry.pk}",
                    model=entry.model,
                    pk=str(entry.pk),
                    label=entry.label,
                    day=entry.date,
                    summary=summary[:120],
                    categories=tuple(entry.categories),
                    sensitive=sensitive,
                )
            )
    return found


def recipient_choices(policy: Policy) -> list[tuple[str, str]]:
    """(id, name) of the recipients of the notice's sharing list that have an agreement."""
    with_agreement = {a.recipient for a in policy.agreements}
    return [
        (r.id, r.name) for r in policy.recipients if r.in_sharing_list and r.id in with_agreement
    ]


def purpose_choices(policy: Policy) -> list[tuple[str, str]]:
    """(id, wording) of the purposes some agreement shares for, in the policy's order."""
    named = {p for a in policy.agreements for p in a.purposes}
    return [(p.id, words.purpose_words(policy, p.id)) for p in policy.purposes if p.id in named]


def exemption_choices(policy: Policy) -> list[tuple[str, str]]:
    """(id, words) of the cases in which the family need not be told."""
    return [(e.id, words.exemption_words(policy, e.id)) for e in policy.sharing.exemptions]


def conditions(policy: Policy) -> list[dict]:
    """For each purpose some agreement shares for, the condition the policy names for
    special category data (Article 9 and DPA 2018 Schedule 1) and for criminal offence data
    (Article 10): [{"purpose": words, "special": words, "criminal": words}]."""
    found = []
    for purpose_id, purpose_text in purpose_choices(policy):
        basis = policy.purpose(purpose_id).lawful_basis
        special = "; ".join(
            f"UK GDPR Article {c.condition}"
            + (f", {schedule_1_words(policy, c.schedule_1)}" if c.schedule_1 else "")
            for c in basis.article_9
        )
        criminal = ""
        if basis.article_10 is not None:
            cited = schedule_1_words(policy, basis.article_10.schedule_1)
            criminal = f"UK GDPR Article 10{f', {cited}' if cited else ''}: " + (
                basis.article_10.explanation
            )
        found.append(
            {
                "purpose": purpose_text,
                "special": special or "None named: it cannot be shared for this purpose",
                "criminal": criminal or "None named: it cannot be shared for this purpose",
            }
        )
    return found


NOTICE_POINTER = re.compile(r"\bsection \d+|\blisted (?:below|above)\b", re.IGNORECASE)


def letter_text(
    policy: Policy,
    person: Person,
    recipient: str,
    purpose: str,
    categories: Sequence[str],
    lawful_basis: str,
) -> str:
    """What the family is told, from the policy's words: what is shared, with whom, why,
    and the lawful basis. Paragraphs are separated by a blank line."""
    what = "; ".join(words.categories_words(policy, categories))
    # A principle that points elsewhere in the notice ("section 3", "listed below") means
    # nothing in a letter: only those that stand alone are quoted.
    principles = " ".join(p for p in policy.sharing.principles if not NOTICE_POINTER.search(p))
    why = policy.purpose(purpose)
    # The bases by name ("legal obligation and public task"); their articles follow.
    bases = (
        join_words([ARTICLE_6_NAMES.get(b, b) for b in why.lawful_basis.article_6])
        if why is not None
        else ""
    )
    return "\n\n".join(
        [
            f"We are writing to tell you that {policy.service_name} is sharing information "
            f"about {person.full_name} with {words.recipient_words(policy, recipient)}.",
            f"What we are sharing: {what}.",
            *identifier.letter_paragraph(policy, person, _today()),
            f"Why: {words.purpose_words(policy, purpose).rstrip('.')}.",
            (
                f"The law that allows it: we share it as part of our {bases} under data "
                f"protection law ({lawful_basis})."
                if bases
                else f"The law that allows it: {lawful_basis}."
            ),
            principles,
            f"You can read how we use information in our privacy notice, or ask "
            f"{policy.dpo.email} about it.",
        ]
    )


# --- the checks every share passes ------------------------------------------------------------


def access_problem(request: HttpRequest, person: Person) -> str | None:
    """ "person: why" when the user may not share the person's information, or None.

    Casework staff with need-to-know only: the rule of the person's page, opened by
    allocation (not by break-glass, not for a rights request: those only read)."""
    user = request.user
    if not user.has_role(*CASEWORK):
        return "person: only practitioners and team managers share a family's information"
    access = person_access(request, person)
    if not access.allowed or access.read_only:
        return (
            "person: you do not have need-to-know access to this person's record, so you "
            "cannot share their information; ask the worker or team that holds their case"
        )
    return None


def restriction_problem(person: Person) -> str | None:
    """ "person: why" when the person's processing is restricted by a rights request."""
    restriction = restriction_in_force(person)
    if restriction is None:
        return None
    whose = f"{person.full_name}'s record"
    return f"person: {restricted_words(restriction, whose)}"


def _chosen(person: Person, user: User, keys: Iterable[str]) -> list[Item]:
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise ShareRefused("items: choose at least one record to share")
    listed = {item.key: item for item in items_of(person)}
    unknown = [k for k in keys if k not in listed]
    if unknown:
        raise ShareRefused("items: choose from the records listed for this person")
    chosen = [listed[k] for k in keys]
    if any(item.sensitive for item in chosen) and not may_see_sensitive(user, person):
        raise ShareRefused(
            "items: special category and criminal offence records are shared only by the "
            "worker allocated to the person's open case or a manager of its team"
        )
    return chosen


def _field_of(decision: ShareDecision) -> str:
    rules = set(decision.rule_ids)
    if rules & ITEM_RULES or (decision.rule_ids and decision.rule_ids[0].startswith("agreement:")):
        return "items"
    if rules & PURPOSE_RULES:
        return "purpose"
    return "recipient"


def _decide(
    request: HttpRequest,
    person: Person,
    recipient: str,
    purpose: str,
    categories: Sequence[str],
    on: date,
) -> ShareDecision:
    """Ask the policy; a refusal is recorded in the audit trail (with the rule it names)
    and raised as ShareRefused. The refusal's event stands even when the caller's
    transaction rolls back: it is recorded in its own."""
    policy = active_policy()
    decision = decide_share(policy, recipient, purpose, categories, on)
    if decision.allowed:
        return decision
    reason = words.reason_in_words(policy, decision.reason)
    with transaction.atomic():
        record(
            request,
            action="share",
            record_type=RECORD_TYPE,
            record_id=person.public_id,
            categories=[c for c in categories if policy.category(c) is not None],
            purpose=purpose if policy.purpose(purpose) else "",
            rule=decision.rule_ids[0] if decision.rule_ids else "",
            reason="Share refused by the policy",
            details={"refused": True, "rules": list(decision.rule_ids)},
        )
    raise ShareRefused(f"{_field_of(decision)}: {reason}")


def _check_person_access(request: HttpRequest, person: Person) -> None:
    problem = access_problem(request, person)
    if problem:
        raise ShareRefused(problem)


def _check_person(request: HttpRequest, person: Person) -> None:
    problem = access_problem(request, person) or restriction_problem(person)
    if problem:
        raise ShareRefused(problem)


def _text(value: str, field: str, required: str, limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if not value and required:
        raise ShareRefused(f"{field}: {required}")
    if len(value) > limit:
        raise ShareRefused(f"{field}: at most {limit:,} characters")
    return value


# Makes a protected package of a disclosure as it leaves and returns its reference
# (sharing.packages: the one export mechanism).
PackageMaker = Callable[[Disclosure], str]


def _how(method: str, reference: str, package: PackageMaker | None = None) -> tuple[str, str]:
    if package is not None:
        # The package's reference is set when it is made, never typed.
        return Disclosure.Method.PROTECTED_PACKAGE, ""
    if method not in Disclosure.Method.values:
        raise ShareRefused("method: choose how the information is sent")
    if method == Disclosure.Method.PROTECTED_PACKAGE:
        raise ShareRefused(
            "method: a protected package is recorded only by making one; choose another "
            "method, or send it as a protected package"
        )
    required = (
        ""
        if method in REFERENCE_OPTIONAL
        else ("give the reference of the email or of the upload to the partner's portal")
    )
    return method, _text(reference, "reference", required, REFERENCE_LIMIT)


def _audit(
    request: HttpRequest,
    disclosure: Disclosure,
    action: str,
    what: str,
    **details: object,
) -> None:
    """One event against the person the disclosure is about, citing the agreement."""
    record(
        request,
        action=action,
        record_type=RECORD_TYPE,
        record_id=disclosure.person.public_id,
        categories=disclosure.categories,
        purpose=disclosure.purpose,
        rule=f"agreement:{disclosure.agreement}" if disclosure.agreement else "",
        reason=f"Disclosure {disclosure.public_id}",
        details={
            "what": what,
            "disclosure": str(disclosure.public_id),
            "status": disclosure.status,
            "items": [[item.record_model, item.record_id] for item in disclosure.items.all()][:50],
            **details,
        },
    )


def _today() -> date:
    return timezone.localdate()


# For the disclosure's other writes (sharing.packages: its link withdrawn or made again).
checked_text = _text
audit_disclosure = _audit


def decide_again(request: HttpRequest, disclosure: Disclosure) -> ShareDecision:
    """Ask the policy again, today, about a disclosure whose information leaves again; a
    refusal is audited and raised as ShareRefused (see `_decide`)."""
    return _decide(
        request,
        disclosure.person,
        disclosure.recipient,
        disclosure.purpose,
        disclosure.categories,
        _today(),
    )


# --- writes -----------------------------------------------------------------------------------


def share(
    request: HttpRequest,
    person: Person,
    *,
    recipient: str,
    purpose: str,
    item_keys: Iterable[str],
    tell_family: bool = True,
    exemption: str = "",
    exemption_reason: str = "",
    method: str = "",
    reference: str = "",
    package: PackageMaker | None = None,
    restriction_reason: str = "",
) -> Disclosure:
    """Share the records `item_keys` (Item.key) of `person` with `recipient` (a policy
    recipient id) for `purpose` (a policy purpose id).

    `restriction_reason` (a step-up only, sharing.step_up): why a referral to children's
    social care cannot wait for the person's restriction of processing to be lifted. With
    it, the step-up's recipient and purpose, and the policy's ground for that
    (`sharing.step_up.while_restricted`, UK GDPR Article 18(2)), a restricted person's
    records are shared; the disclosure keeps the ground and the reason, and its audit
    event names the restricting request. To anyone else, or for another purpose, a
    restriction refuses the share whatever the reason.

    `package` (sharing.packages): when the information leaves now, it leaves as a protected
    package, made in the same transaction; the disclosure records the method "protected
    package" and the package's reference (a typed reference is ignored).

    Telling the family (the default): the disclosure is recorded as sent by `method`
    (Disclosure.Method) with its `reference`, and keeps the letter to the family. Not
    telling them, where the agreement tells families by default: `exemption` (a policy
    exemption the agreement allows) and `exemption_reason` are needed, and the disclosure
    waits for a team manager's approval (`decide_approval`) before it may leave
    (`record_sent`). Where the agreement does not tell families of each share, nothing
    waits.

    Raises ShareRefused("field: words") for no access, a restriction of processing, a
    record not the person's, a refusal of the policy (no agreement for the purpose, a
    category not covered, an agreement expired ...), a missing exemption or reason.
    """
    _check_person_access(request, person)
    ground, restricted_by = _while_restricted(person, recipient, purpose, restriction_reason)
    items = _chosen(person, request.user, item_keys)
    categories = sorted({c for item in items for c in item.categories})
    decision = _decide(request, person, recipient, purpose, categories, _today())
    policy = active_policy()
    letter, waiting = "", False
    exemption = exemption if not tell_family else ""
    if tell_family:
        letter = letter_text(
            policy, person, recipient, purpose, categories, decision.lawful_basis or ""
        )
        exemption_reason = ""
    elif decision.family_told_by_default:
        if not exemption:
            raise ShareRefused(
                "exemption: families are told of shares under this agreement; choose the "
                "exemption that allows not telling them"
            )
        allowed = may_withhold_notice(policy, decision.agreement_id or "", exemption)
        if not allowed.allowed:
            raise ShareRefused(f"exemption: {words.reason_in_words(policy, allowed.reason)}")
        exemption_reason = _text(
            exemption_reason, "exemption_reason", "say why the family is not told"
        )
        waiting = True
    else:
        # The agreement does not tell families of each share: no exemption is relied on.
        exemption = ""
        exemption_reason = _text(exemption_reason, "exemption_reason", "")
    if not waiting:
        method, reference = _how(method, reference, package)
    else:
        method, reference = "", ""
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            person=person,
            status=Disclosure.Status.WAITING if waiting else Disclosure.Status.SHARED,
            recipient=recipient,
            agreement=decision.agreement_id or "",
            purpose=purpose,
            lawful_basis=decision.lawful_basis or "",
            rule_ids=list(decision.rule_ids),
            categories=categories,
            policy_version=policy.version,
            family_told=tell_family,
            letter=letter,
            exemption=exemption,
            exemption_reason=exemption_reason,
            restriction_ground=ground,
            restriction_reason=restriction_reason.strip() if ground else "",
            method=method,
            reference=reference,
            created_by=request.user,
            sent_by=None if waiting else request.user,
            sent_at=None if waiting else timezone.now(),
        )
        DisclosedItem.objects.bulk_create(
            DisclosedItem(
                disclosure=disclosure,
                record_model=item.model,
                record_id=item.pk,
                label=item.label,
                day=item.day,
                categories=list(item.categories),
            )
            for item in items
        )
        if not waiting and package is not None:
            disclosure.reference = package(disclosure)
            disclosure.save(update_fields=["reference"])
        restricted = {"while_restricted_by": restricted_by or "a restriction"} if ground else {}
        if waiting:
            _audit(
                request, disclosure, "create", "waiting for a team manager's approval", **restricted
            )
        else:
            _audit(request, disclosure, "share", "shared", method=method, **restricted)
    return disclosure


def while_restricted_ground() -> str | None:
    """The policy's words for a step-up going ahead while a member's processing is
    restricted (`sharing.step_up.while_restricted`, UK GDPR Article 18(2)), or None (also
    for words of only spaces): a restriction then stops the step-up."""
    setting = active_policy().sharing.step_up
    ground = (setting.while_restricted or "").strip() if setting is not None else ""
    return ground or None


def _while_restricted(person: Person, recipient: str, purpose: str, reason: str) -> tuple[str, str]:
    """("", "") when `person`'s processing is not restricted. When it is, a share goes
    ahead only as a step-up: to the recipient for the purpose the policy's `sharing.step_up`
    names, the policy giving the ground (`while_restricted`, UK GDPR Article 18(2)) and
    `reason` saying why it cannot wait; then (the ground's words, the restricting request's
    reference or ""). Raises ShareRefused("person: ...") naming the restriction otherwise,
    or ("restriction_reason: ...") for a reason too long."""
    restriction = restriction_in_force(person)
    if restriction is None:
        return "", ""
    step_up = active_policy().sharing.step_up
    ground = while_restricted_ground()
    if (
        ground is None
        or step_up is None
        or not reason.strip()
        or (recipient, purpose) != (step_up.recipient, step_up.purpose)
    ):
        raise ShareRefused(restriction_problem(person) or "person: restricted from processing")
    _text(reason, "restriction_reason", "")
    return ground, restriction.request.reference if restriction.request_id else ""


@transaction.atomic
def record_not_sharing(
    request: HttpRequest,
    person: Person,
    *,
    recipient: str,
    purpose: str,
    reason: str,
    item_keys: Iterable[str] = (),
    more_detrimental: bool = False,
) -> Disclosure:
    """Record a decision not to share with `recipient` for `purpose`, and why (Children Act
    2004 s.16LA: sharing would be more detrimental to the child). `item_keys`, if any, are
    the records considered. Raises ShareRefused for no access, an unknown recipient or
    purpose, a missing reason, or, about a child once s.16LA is in force,
    ("more_detrimental: ...") without `more_detrimental` (see `not_sharing_reason`)."""
    problem = access_problem(request, person)
    if problem:
        raise ShareRefused(problem)
    policy = active_policy()
    if policy.recipient(recipient) is None:
        raise ShareRefused("recipient: choose a recipient the policy lists")
    if policy.purpose(purpose) is None:
        raise ShareRefused("purpose: choose a purpose the policy lists")
    reason = not_sharing_reason(person, reason, more_detrimental=more_detrimental)
    keys = list(item_keys)
    items = _chosen(person, request.user, keys) if keys else []
    disclosure = Disclosure.objects.create(
        person=person,
        status=Disclosure.Status.NOT_SHARED,
        recipient=recipient,
        purpose=purpose,
        categories=sorted({c for item in items for c in item.categories}),
        policy_version=policy.version,
        family_told=False,
        not_shared_reason=reason,
        created_by=request.user,
    )
    DisclosedItem.objects.bulk_create(
        DisclosedItem(
            disclosure=disclosure,
            record_model=item.model,
            record_id=item.pk,
            label=item.label,
            day=item.day,
            categories=list(item.categories),
        )
        for item in items
    )
    _audit(request, disclosure, "create", "decided not to share")
    return disclosure


def approval_problem(user: User, disclosure: Disclosure) -> str | None:
    """ "field: why" when `user` may not approve or refuse the disclosure, or None.

    A team manager whose team holds a case of the person, who did not make the disclosure
    themself (separation of duties), while it waits."""
    if not user.has_role(Role.TEAM_MANAGER):
        return "decision: only a team manager approves a disclosure the family is not told of"
    if disclosure.created_by_id == user.pk:
        return "decision: you made this disclosure; another team manager must approve it"
    if disclosure.status != Disclosure.Status.WAITING:
        return f"decision: this disclosure is not waiting: {disclosure.get_status_display()}"
    if not allocated_person_ids(user).filter(pk=disclosure.person_id).exists():
        return "decision: only a manager of a team holding the person's case approves it"
    if is_restricted_from(user, disclosure.person):
        return "decision: the person's record is restricted; a manager it names approves it"
    return None


def decide_approval(
    request: HttpRequest, disclosure: Disclosure, *, approve: bool, note: str = ""
) -> Disclosure:
    """A team manager approves (the information may then leave: `record_sent`) or refuses
    (it never leaves; `note` says why) a disclosure the family is not told of. Approval
    asks the policy again, and the restriction of processing, on the day.

    Raises ShareRefused("decision: ...") when the user may not decide it, or the policy or
    a restriction now refuses it; ("note: ...") when refusing without a reason."""
    with transaction.atomic():
        disclosure = (
            Disclosure.objects.select_for_update().select_related("person").get(pk=disclosure.pk)
        )
        problem = approval_problem(request.user, disclosure)
        if problem:
            raise ShareRefused(problem)
        note = _text(note, "note", "" if approve else "say why the disclosure is refused")
    if approve:
        person = disclosure.person
        if problem := restriction_problem(person):
            raise ShareRefused(problem)
        _decide(
            request,
            person,
            disclosure.recipient,
            disclosure.purpose,
            disclosure.categories,
            _today(),
        )
    with transaction.atomic():
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if disclosure.status != Disclosure.Status.WAITING:
            raise ShareRefused("decision: someone else decided it meanwhile")
        disclosure.status = (
            Disclosure.Status.APPROVED if approve else Disclosure.Status.APPROVAL_REFUSED
        )
        disclosure.decided_by = request.user
        disclosure.decided_at = timezone.now()
        disclosure.decision_note = note
        disclosure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _audit(
            request,
            disclosure,
            "change",
            "approved by a team manager" if approve else "approval refused by a team manager",
        )
    return disclosure


def record_sent(
    request: HttpRequest,
    disclosure: Disclosure,
    *,
    method: str,
    reference: str = "",
    package: PackageMaker | None = None,
) -> Disclosure:
    """Record that an approved disclosure has left, how and with what reference. The
    policy and the restriction of processing are asked again, on the day. `package`
    (sharing.packages): it leaves as a protected package made now, whose reference is
    recorded.

    Raises ShareRefused("status: ...") for a disclosure not approved (one that waits cannot
    leave before a manager approves it), and the refusals of `share`."""
    person = disclosure.person
    _check_person(request, person)
    if disclosure.status != Disclosure.Status.APPROVED:
        raise ShareRefused(
            "status: the information may leave only once a team manager has approved it; "
            f"this disclosure is: {disclosure.get_status_display().lower()}"
        )
    method, reference = _how(method, reference, package)
    _decide(
        request, person, disclosure.recipient, disclosure.purpose, disclosure.categories, _today()
    )
    with transaction.atomic():
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if disclosure.status != Disclosure.Status.APPROVED:
            raise ShareRefused("status: it was recorded as sent meanwhile")
        disclosure.status = Disclosure.Status.SHARED
        if package is not None:
            reference = package(disclosure)
        disclosure.method, disclosure.reference = method, reference
        disclosure.sent_by, disclosure.sent_at = request.user, timezone.now()
        disclosure.save(update_fields=["status", "method", "reference", "sent_by", "sent_at"])
        _audit(request, disclosure, "share", "shared after approval", method=method)
    return disclosure


def record_family_told(
    request: HttpRequest, disclosure: Disclosure, *, how: str, on: date | None
) -> Disclosure:
    """Record how and when the family was told of a disclosure they are to be told of (the
    letter posted, an email, in person): the notice's "we will tell you what data is being
    shared and why". `on`: the day, not before the disclosure was made nor after today.

    Raises ShareRefused("field: words") for a disclosure the family is not told of, one that
    has not left, one already recorded, an unknown way or an implausible day; and the
    access refusals of `share` (a restriction of processing does not stop telling them)."""
    _check_person_access(request, disclosure.person)
    if not disclosure.family_told or disclosure.status != Disclosure.Status.SHARED:
        raise ShareRefused(
            "disclosure: only a disclosure that has left, and that the family is to be told "
            "of, is recorded as told"
        )
    ways = dict(Disclosure._meta.get_field("family_told_how").choices)
    if how not in ways:
        raise ShareRefused("how: choose how the family was told")
    made_on = timezone.localdate(disclosure.created_at)
    if on is None or not made_on <= on <= _today():
        raise ShareRefused(
            f"on: the day they were told must be between {format_day(made_on)}, when it was "
            "shared, and today"
        )
    with transaction.atomic():
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if disclosure.family_told_on is not None:
            raise ShareRefused("disclosure: the family has already been recorded as told")
        disclosure.family_told_how, disclosure.family_told_on = how, on
        disclosure.family_told_recorded_by = request.user
        disclosure.save(
            update_fields=["family_told_how", "family_told_on", "family_told_recorded_by"]
        )
        _audit(request, disclosure, "change", "family told", how=how, on=on.isoformat())
    return disclosure


# --- reading ----------------------------------------------------------------------------------


def log_of(person: Person) -> QuerySet[Disclosure]:
    """The person's disclosures and decisions not to share, newest first (their merged
    records' included)."""
    return (
        Disclosure.objects.filter(person__in=records_of(person))
        .select_related("created_by", "decided_by", "sent_by")
        .prefetch_related("items")
    )


def waiting_for(user: User) -> QuerySet[Disclosure]:
    """Disclosures waiting for `user`'s approval: about people on their teams' cases, made
    by someone else, oldest first. Empty for anyone but a team manager."""
    if not user.has_role(Role.TEAM_MANAGER):
        return Disclosure.objects.none()
    return (
        Disclosure.objects.filter(
            status=Disclosure.Status.WAITING, person__in=allocated_person_ids(user)
        )
        .exclude(created_by=user)
        .exclude(person__in=restricted_from(user))
        .select_related("person", "created_by")
        .order_by("created_at", "pk")
    )


def log_categories() -> list[str]:
    """The categories a page showing the log shows (for its audit event)."""
    return categories_of(*LOG_SHOWS)


def not_sharing_reason(person: Person, reason: str, *, more_detrimental: bool) -> str:
    """The reason a decision not to share records. About a child (the policy's age) on or
    after the day Children Act 2004 s.16LA is in force (policy sharing.duty_to_share), it
    must be that sharing would be more detrimental to the child (`more_detrimental`), and
    it is recorded in the policy's words with `reason` as the why; before that day, or for
    an adult, any reason.

    Raises ShareRefused("reason: ...") for none, ("more_detrimental: ...") where the duty
    needs that reason and it is not given."""
    reason = _text(reason, "reason", "say why the information is not shared")
    policy, today = active_policy(), _today()
    about_child = identifier.is_child(policy, person, today)
    needed = not_sharing_reason_needed(policy, today, about_child=about_child)
    if needed.allowed and not more_detrimental:
        raise ShareRefused(f"more_detrimental: {needed.reason}")
    duty = policy.sharing.duty_to_share
    if more_detrimental and duty is not None:
        return f"{duty.reason_words[:1].upper()}{duty.reason_words[1:]}: {reason}"
    return reason
