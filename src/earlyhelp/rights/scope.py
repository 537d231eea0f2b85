"""The records a rights request is about (its scope), and decisions on a parent's or carer's
access to a child's records. Each write and its audit events in one transaction; a refusal
raises ValueError ("field: rule") and writes nothing.

Adding a record to a request's scope opens it, to read only, to the information governance
officer handling the request while it is open (access.rules.person_access); the first
record added makes the officer adding it the handler when nobody handles it yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import HttpRequest

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import is_restricted_from, who_to_ask
from earlyhelp.audit.log import record as audit_record
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Person, Relationship
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import parent_may_access_child_record
from earlyhelp.policy.decisions.common import Decision
from earlyhelp.rights.models import ChildAccessDecision, RequestPerson, RightsRequest
from earlyhelp.rights.services import audit_request


def _reason(rights_request: RightsRequest) -> str:
    return f"Rights request {rights_request.reference}"


def _audit_person(
    request: HttpRequest | None,
    rights_request: RightsRequest,
    person: Person,
    action: str,
    what: str,
    model: type,
    actor: User,
) -> None:
    """The person-level event: on their record's trail, naming the request."""
    audit_record(
        request,
        action=action,
        record_type="person",
        record_id=person.public_id,
        categories=categories_of(model),
        reason=_reason(rights_request),
        actor=actor,
        details={"what": what, "rights_request": str(rights_request.public_id)},
    )


def check_may_change_scope(rights_request: RightsRequest, by: User) -> None:
    """Raises ValueError unless `by` may change the request's scope: an information
    governance officer, the request open, and handled by them or by nobody yet."""
    if not by.has_role(Role.INFORMATION_GOVERNANCE):
        raise ValueError("person: only an information governance officer matches records")
    if not rights_request.is_open:
        raise ValueError("person: the request is closed, so its records in scope cannot change")
    handler = rights_request.handled_by
    if handler is not None and handler.pk != by.pk:
        name = handler.get_full_name() or handler.get_username()
        raise ValueError(f"person: {name} handles this request; only they can change its records")


@transaction.atomic
def add_to_scope(
    request: HttpRequest | None,
    rights_request: RightsRequest,
    person: Person,
    role: str,
    by: User,
) -> RequestPerson:
    """Match `person` to the request as its subject or the person asking (`role`)."""
    rights_request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    check_may_change_scope(rights_request, by)
    if role not in RequestPerson.Role.values:
        raise ValueError("role: choose whether they are the person the request is about or asking")
    if person.merged_into_id is not None:
        raise ValueError("person: that record was merged into another; add the record it became")
    if is_restricted_from(by, person):
        ask = who_to_ask(person) or "the manager who restricted it"
        raise ValueError(f"person: the record is restricted; ask {ask} if the request needs it")
    if rights_request.people.filter(person=person).exists():
        raise ValueError(f"person: {person.full_name} is already in scope of this request")
    matched = RequestPerson.objects.create(
        request=rights_request, person=person, role=role, added_by=by
    )
    if rights_request.handled_by_id is None:
        rights_request.handled_by = by
        rights_request.save(update_fields=["handled_by"])
    audit_request(
        request,
        rights_request,
        "change",
        f"a record added to the request's scope ({matched.get_role_display().lower()})",
        actor=by,
        details={"person": str(person.public_id)},
    )
    _audit_person(
        request, rights_request, person, "change", "added to a rights request", RequestPerson, by
    )
    return matched


@transaction.atomic
def remove_from_scope(
    request: HttpRequest | None, rights_request: RightsRequest, person: Person, by: User
) -> None:
    """Take `person` out of the request's scope: their record closes to the officer."""
    rights_request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    check_may_change_scope(rights_request, by)
    deleted, _ = rights_request.people.filter(person=person).delete()
    if not deleted:
        raise ValueError(f"person: {person.full_name} is not in scope of this request")
    audit_request(
        request,
        rights_request,
        "change",
        "a record removed from the request's scope",
        actor=by,
        details={"person": str(person.public_id)},
    )
    _audit_person(
        request,
        rights_request,
        person,
        "change",
        "removed from a rights request",
        RequestPerson,
        by,
    )


# --- a parent's or carer's access to a child's records ------------------------------------


def child_age(person: Person, today: date) -> int | None:
    """The person's age today, if known."""
    return person.age_on(today) if person.date_of_birth else None


def is_child(person: Person, today: date) -> bool:
    """Under the age the policy treats as adult (policy retention.adult_from_age)."""
    age = child_age(person, today)
    return age is not None and age < active_policy().retention.adult_from_age


def parental_responsibility(parent: Person | None, child: Person) -> list[Relationship]:
    """The relationships recorded that give `parent` parental responsibility for `child`."""
    if parent is None:
        return []
    return list(
        Relationship.objects.filter(person=parent, relative=child, has_parental_responsibility=True)
    )


@dataclass(frozen=True)
class ChildAccessAnswer:
    """What the rules say: allowed or not, and why in words (one sentence each)."""

    allowed: bool
    reasons: tuple[str, ...]
    decision: Decision | None


def child_access_answer(
    child: Person,
    parent: Person | None,
    today: date,
    consented: bool,
    competent: bool | None,
) -> ChildAccessAnswer:
    """Parental responsibility from the relationships recorded, then the policy's rule on
    the child's consent (parent_may_access_child_record)."""
    reasons = []
    responsibility = parental_responsibility(parent, child)
    if parent is None:
        reasons.append("No record of the person asking is in scope of the request.")
    elif responsibility:
        reasons.append(
            f"{parent.full_name} has parental responsibility for {child.full_name}, as recorded."
        )
    else:
        reasons.append(
            f"No parental responsibility for {child.full_name} is recorded for {parent.full_name}."
        )
    age = child_age(child, today)
    if age is None:
        reasons.append(f"{child.full_name}'s date of birth is not known.")
        return ChildAccessAnswer(False, tuple(reasons), None)
    decision = parent_may_access_child_record(active_policy(), age, consented, competent)
    reasons.append(decision.reason)
    return ChildAccessAnswer(bool(responsibility) and decision.allowed, tuple(reasons), decision)


@transaction.atomic
def record_child_access(
    request: HttpRequest | None,
    rights_request: RightsRequest,
    child: Person,
    *,
    parent: Person | None,
    consent: str,
    consent_how: str,
    competent: bool | None,
    competence_by: User | None,
    competence_reasons: str,
    allow: bool,
    officer_reasons: str,
    by: User,
    today: date,
) -> ChildAccessDecision:
    """Record the decision on a parent's or carer's access to `child`'s records.

    `allow` is the officer's decision; it may be "allowed" only where parental
    responsibility is recorded and the policy's rule on the child's consent allows it. A
    refusal is always possible, with the officer's reasons.
    """
    rights_request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    check_may_change_scope(rights_request, by)
    if not rights_request.people.filter(person=child, role=RequestPerson.Role.SUBJECT).exists():
        raise ValueError("child: the child's record is not in scope of this request")
    if not is_child(child, today):
        raise ValueError(f"child: {child.full_name} is not a child")
    if (
        parent is not None
        and not rights_request.people.filter(
            person=parent, role=RequestPerson.Role.REQUESTER
        ).exists()
    ):
        raise ValueError("parent: the parent's or carer's record is not in scope as the requester")
    if competent is not None and competence_by is None:
        raise ValueError("competence_by: name the worker who judged the child's competence")
    answer = child_access_answer(
        child, parent, today, consent == ChildAccessDecision.Consent.CONSENTED, competent
    )
    if allow and not answer.allowed:
        raise ValueError("allow: " + " ".join(answer.reasons))
    if not allow and not officer_reasons.strip():
        raise ValueError("officer_reasons: say why access is refused")
    reasons = list(answer.reasons)
    if officer_reasons.strip():
        reasons.append(officer_reasons.strip())
    decision = ChildAccessDecision.objects.create(
        request=rights_request,
        child=child,
        parent=parent,
        parental_responsibility=bool(parental_responsibility(parent, child)),
        child_age=child_age(child, today),
        consent=consent,
        consent_how=consent_how,
        competent=competent,
        competence_by=competence_by,
        competence_reasons=competence_reasons,
        allowed=allow,
        reasons="\n".join(reasons),
        decided_by=by,
    )
    outcome = "allowed" if allow else "refused"
    audit_request(
        request,
        rights_request,
        "change",
        f"a parent's or carer's access to a child's records {outcome}",
        actor=by,
        details={"person": str(child.public_id), "rule": list(answer.decision.rule_ids)}
        if answer.decision
        else {"person": str(child.public_id)},
    )
    _audit_person(
        request,
        rights_request,
        child,
        "change",
        f"parental access {outcome}",
        ChildAccessDecision,
        by,
    )
    return decision


def consent_words(decision: ChildAccessDecision) -> str:
    """The child's part in a decision, as a sentence: whether they consented and how, or
    why they were not asked."""
    consent = ChildAccessDecision.Consent
    how = f" ({decision.consent_how})" if decision.consent_how else ""
    if decision.consent == consent.CONSENTED:
        return f"The child consented{how}."
    if decision.consent == consent.REFUSED:
        return f"The child did not consent{how}."
    age = active_policy().rights.parental_access.child_consent_age
    if decision.competent is False:
        return (
            f"The child was not asked for their consent: they were under {age} and judged "
            "not competent to decide, so it was not needed."
        )
    return "The child was not asked for their consent."
