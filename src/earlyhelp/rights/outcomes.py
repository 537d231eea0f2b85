"""The other rights on a request (issue 15, deliverable 7): correction, erasure, restriction
and objection, each recorded as a ``RightOutcome`` that says what was done and the rule.

Every write here is one transaction with its audit events: the request's
(``rights.services.audit_request``) and, where a person's data changes, one against the
person (their public id). A refusal raises ValueError ("field: rule") and writes nothing.
The words of each outcome come from the policy (the right's name, the purpose's wording,
the project's name, the decision's reason), never from literals here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.audit.log import record as audit_record
from earlyhelp.cases import corrections
from earlyhelp.cases.models import Contact, Correction
from earlyhelp.datamap.registry import (
    ErasureAction,
    Holding,
    Role,
    categories_of,
    holdings,
)
from earlyhelp.extracts.models import Objection
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.facts import FACT_MODELS
from earlyhelp.people.models import Person, PersonAddress, Relationship
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import right_applies
from earlyhelp.policy.decisions.common import Decision
from earlyhelp.policy.describe import article_6_words
from earlyhelp.policy.schema import Policy, Project, Purpose, RightRule
from earlyhelp.rights.models import (
    Disagreement,
    ProcessingRestriction,
    RequestPerson,
    RightOutcome,
    RightsRequest,
)
from earlyhelp.rights.processing import restriction_in_force
from earlyhelp.rights.services import audit_request

TEXT_LIMIT = 4000
# Holdings erasure never touches, whatever a purpose allows: the audit trail is kept.
NEVER_ERASED = ("audit.",)
# Fields that only say where a row came from: neither erased nor a reason to keep a row.
NOT_ERASED_FIELDS = ("source",)

Right = RightsRequest.Right


# --- common ----------------------------------------------------------------------------------


def right_rule(right: str, policy: Policy | None = None) -> RightRule | None:
    """The policy's rule for a right ("erasure"): its name and where it applies."""
    policy = policy or active_policy()
    return next((r for r in policy.rights.rights if r.right == right), None)


def right_name(right: str, policy: Policy | None = None) -> str:
    """The right's name in the policy's words ("The right to erasure")."""
    rule = right_rule(right, policy)
    return rule.name if rule else dict(Right.choices).get(right, right)


def in_scope(rights_request: RightsRequest) -> list[Person]:
    """The person records matched to the request, in the order they were matched."""
    return [
        rp.person
        for rp in RequestPerson.objects.filter(request=rights_request)
        .select_related("person")
        .order_by("pk")
    ]


def refusal(
    rights_request: RightsRequest, person: Person, user: User, right: str | None = None
) -> str | None:
    """Why `user` may not act on `person` through the request, as "field: words", or None.

    The rule of the request's other pages (rights.scope.check_may_change_scope and
    access.rules.person_access): the request is open, `user` handles it, and `person` is in
    its scope; to record something for `right`, the request also asks for it."""
    problem = request_refusal(rights_request, user)
    if problem:
        return problem
    if not RequestPerson.objects.filter(request=rights_request, person=person).exists():
        return f"person: the record is not matched to {rights_request.reference}"
    return _right_refusal(rights_request, right)


def request_refusal(
    rights_request: RightsRequest, user: User, right: str | None = None
) -> str | None:
    """Why `user` may not act on the request as a whole (a subject access bundle), as
    "field: words", or None: the request is open, `user` handles it, and it asks for
    `right` when one is given."""
    if not rights_request.is_open:
        return f"request: {rights_request.reference} is closed, so nothing more is recorded on it"
    handler = rights_request.handled_by
    if handler is None or handler.pk != user.pk:
        name = (handler.get_full_name() or handler.get_username()) if handler else "nobody"
        return (
            f"request: {rights_request.reference} is handled by {name}; only the officer "
            "handling it can act on it"
        )
    return _right_refusal(rights_request, right)


def _right_refusal(rights_request: RightsRequest, right: str | None) -> str | None:
    if right is not None and right not in (rights_request.rights_asked or []):
        return (
            f"request: {rights_request.reference} does not ask for "
            f"{dict(Right.choices)[right].lower()}"
        )
    return None


def _require(rights_request: RightsRequest, person: Person, right: str, user: User) -> None:
    """ValueError unless the request is open, handled by `user`, asks for `right`, and
    `person` is in scope (refusal)."""
    problem = refusal(rights_request, person, user, right)
    if problem:
        raise ValueError(problem)


def _text(name: str, value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError(f"{name}: enter {what}")
    if len(value) > TEXT_LIMIT:
        raise ValueError(f"{name}: at most {TEXT_LIMIT:,} characters")
    return value


def _audit_person(
    request: HttpRequest,
    rights_request: RightsRequest,
    person: Person,
    action: str,
    shown: tuple[type[models.Model], ...],
    what: str,
) -> None:
    """One event against the person, for the request (their data changed)."""
    audit_record(
        request,
        action=action,
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(*shown),
        reason=f"Rights request {rights_request.reference}",
        rule="access:rights-request",
        details={"what": what, "rights_request": str(rights_request.public_id)},
    )


def audit_request_look(
    request: HttpRequest, rights_request: RightsRequest, person: Person, shown, *, page: str
) -> None:
    """A page of the request showing a person's data: one look, with the request as purpose."""
    audit_record(
        request,
        action="view",
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(*shown),
        reason=f"Rights request {rights_request.reference}",
        rule="access:rights-request",
        details={"page": page, "rights_request": str(rights_request.public_id)},
    )


def _outcome(
    request: HttpRequest,
    rights_request: RightsRequest,
    person: Person,
    right: str,
    result: str,
    what_was_done: str,
    rule_ids: list[str],
) -> RightOutcome:
    outcome = RightOutcome.objects.create(
        request=rights_request,
        person=person,
        right=right,
        result=result,
        what_was_done=what_was_done,
        rule_ids=list(rule_ids),
        recorded_by=request.user,
    )
    audit_request(
        request,
        rights_request,
        "change",
        f"outcome recorded: {right}, {result}",
        details={"person": str(person.public_id), "rules": list(rule_ids)},
    )
    return outcome


# --- correction (rectification) --------------------------------------------------------------


@dataclass(frozen=True)
class Correctable:
    """One of the person's records the IG officer may correct on the request."""

    kind: str  # "address", "relationship", a fact's slug, or "contact"
    number: int  # place among the person's records of the kind (0 for a contact)
    record: models.Model
    described: str
    label: str
    struck: str  # the strike-out reason, or ""
    corrected: bool


def _person_rows(person: Person) -> list[tuple[str, models.QuerySet]]:
    rows = [
        ("address", PersonAddress.objects.filter(person=person).select_related("address")),
        ("relationship", Relationship.objects.filter(Q(person=person) | Q(relative=person))),
    ]
    rows += [(slug, model.objects.filter(person=person)) for slug, model in FACT_MODELS.items()]
    return rows


def correctable_records(person: Person) -> list[Correctable]:
    """The person's records a correction can change (cases.corrections.kind_of): addresses,
    relationships, facts, and contacts on their cases, with whether each was struck out or
    corrected before."""
    found = []
    for kind, rows in _person_rows(person):
        for number, record in enumerate(rows.order_by("pk"), start=1):
            struck = corrections.struck_out(record)
            found.append(
                Correctable(
                    kind,
                    number,
                    record,
                    corrections.described(record),
                    str(type(record)._meta.verbose_name).capitalize(),
                    struck.reason if struck else "",
                    corrections.history(record).exists(),
                )
            )
    contacts = (
        Contact.objects.filter(case__members__person=person)
        .select_related("case")
        .distinct()
        .order_by("occurred_at", "pk")
    )
    for contact in contacts:
        struck = corrections.struck_out(contact)
        found.append(
            Correctable(
                "contact",
                0,
                contact,
                corrections.described(contact),
                "Contact",
                struck.reason if struck else "",
                corrections.history(contact).exists(),
            )
        )
    return found


def record_on_request(person: Person, kind: str, number: int) -> models.Model | None:
    """The person's record of `kind` at place `number` (from 1), or None."""
    for slug, rows in _person_rows(person):
        if slug == kind and number >= 1:
            found = list(rows.order_by("pk")[number - 1 : number])
            return found[0] if found else None
    return None


@transaction.atomic
def correct_on_request(
    request: HttpRequest,
    rights_request: RightsRequest,
    person: Person,
    record: models.Model,
    *,
    changes: dict | None,
    reason: str,
) -> None:
    """Correct `record` (or strike it out, when `changes` is None) for the request, through
    the casework correction service; with the request's audit event."""
    _require(rights_request, person, Right.RECTIFICATION, request.user)
    if changes is None:
        written = corrections.strike_out(request, record, reason, rights_request=rights_request)
    else:
        written = corrections.correct(
            request, record, changes, reason, rights_request=rights_request
        )
    audit_request(
        request,
        rights_request,
        "change",
        f"record {written.get_action_display().lower()} on the request",
        details={"person": str(person.public_id), "correction": str(written.public_id)},
    )


def corrections_on_request(rights_request: RightsRequest, person: Person, user: User) -> list[str]:
    """What `user` corrected or struck out of the person's records (and the contacts on
    their cases) since the request was received, in words, oldest first."""
    rows = (
        Correction.objects.filter(
            Q(person=person) | Q(case__members__person=person),
            corrected_by=user,
            corrected_at__date__gte=rights_request.received,
        )
        .distinct()
        .order_by("corrected_at", "pk")
    )
    return [f"{row.get_action_display()}: {row.reason}" for row in rows]


@transaction.atomic
def record_rectification(
    request: HttpRequest,
    rights_request: RightsRequest,
    person: Person,
    *,
    corrected: bool,
    what: str,
    about: str = "",
    statement: str = "",
) -> RightOutcome:
    """The outcome of a request for correction: what was corrected, or why not. When not
    corrected, the person's disagreement is recorded beside the data (``Disagreement``),
    shown on their page to anyone who can see it."""
    _require(rights_request, person, Right.RECTIFICATION, request.user)
    rule = right_rule(Right.RECTIFICATION)
    name = rule.name if rule else right_name(Right.RECTIFICATION)
    if corrected:
        what = _text("what", what, "what was corrected")
        words = f"{name}: we corrected {person.full_name}'s records. {what}"
        result = RightOutcome.Result.DONE
    else:
        what = _text("what", what, "why it was not corrected")
        about = _text("about", about, "which information they say is wrong")
        statement = _text("statement", statement, "what they say, in their words")
        Disagreement.objects.create(
            person=person,
            request=rights_request,
            about=about,
            statement=statement,
            recorded_by=request.user,
        )
        _audit_person(
            request, rights_request, person, "create", (Disagreement,), "disagreement recorded"
        )
        words = (
            f"{name}: we did not correct {person.full_name}'s records. {what} "
            "We have recorded that you disagree, beside the information, so that anyone "
            "who reads it sees your view."
        )
        result = RightOutcome.Result.NOT_DONE
    return _outcome(
        request,
        rights_request,
        person,
        Right.RECTIFICATION,
        result,
        words,
        [f"rights.{Right.RECTIFICATION}"],
    )


# --- erasure ---------------------------------------------------------------------------------


@dataclass
class HeldUnder:
    """What one holding holds about the person in a purpose's erasable categories."""

    holding: Holding
    rows: int
    fields: list[str]  # fields in the erasable categories
    erased_by: str  # "delete", "anonymise" or "keep"
    why_kept: str = ""


@dataclass
class PurposeErasure:
    """Whether erasure applies to a purpose's processing, and what it would erase."""

    purpose: Purpose
    decision: Decision
    applies: bool
    reason: str
    categories: list[str]  # category ids erasure may reach under this purpose
    category_words: list[str]
    held: list[HeldUnder] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(h.rows for h in self.held if h.erased_by != ErasureAction.KEEP)


def erasure_decision(policy: Policy, purpose: Purpose) -> tuple[Decision, bool, str]:
    """right_applies for erasure, and whether it applies without the policy's limitation:
    a purpose resting only on bases where the right is limited (legal obligation, public
    task) keeps its data; the reason is the policy's."""
    decision = right_applies(policy, Right.ERASURE, purpose.id)
    rule = right_rule(Right.ERASURE, policy)
    if not decision.allowed or rule is None:
        return decision, False, decision.reason
    bases = purpose.lawful_basis.article_6
    unlimited = [b for b in bases if b in rule.applies_under and b not in rule.limited_under]
    if unlimited or not rule.limitation:
        return decision, bool(unlimited), decision.reason
    rests_on = article_6_words(bases, name_first=True)
    return decision, False, f"{rule.limitation} This purpose rests on {rests_on}."


def _erasable_categories(policy: Policy) -> dict[str, list[str]]:
    """purpose id -> the categories erasure reaches under it: those of the purpose that no
    purpose keeping its data (erasure not applying) also uses."""
    applying = {p.id: erasure_decision(policy, p)[1] for p in policy.purposes}
    kept = {c for p in policy.purposes if not applying[p.id] for c in p.categories}
    return {
        p.id: [c for c in p.categories if c not in kept] if applying[p.id] else []
        for p in policy.purposes
    }


def _erasable_holdings() -> list[Holding]:
    return [h for h in holdings() if not h.name.startswith(NEVER_ERASED)]


def erasure_plan(person: Person, policy: Policy | None = None) -> list[PurposeErasure]:
    """For each purpose of the policy: whether erasure applies (right_applies over the
    purpose's lawful basis), and what the data map holds about `person` in the categories
    erasure would reach, with each holding's erasure rule."""
    policy = policy or active_policy()
    reach = _erasable_categories(policy)
    plan = []
    for purpose in policy.purposes:
        decision, applies, reason = erasure_decision(policy, purpose)
        wanted = set(reach[purpose.id])
        entry = PurposeErasure(
            purpose,
            decision,
            applies,
            reason,
            sorted(wanted),
            [(policy.category(c).wording if policy.category(c) else c) for c in sorted(wanted)],
        )
        for holding in _erasable_holdings() if wanted else []:
            # The link to the person and where a row came from say nothing of their own.
            said = {
                f: c
                for f, c in holding.categories.items()
                if f not in {*holding.subject_keys(), *NOT_ERASED_FIELDS}
            }
            fields = [f for f, c in said.items() if c in wanted]
            if not fields:
                continue
            rows = holding.rows_about([person], Role.SUBJECT).count()
            if not rows:
                continue
            others = set(said.values()) - wanted
            action = holding.erasure.action
            why = ""
            if action == ErasureAction.KEEP:
                why = holding.erasure.words
            elif others and action == ErasureAction.DELETE:
                # The rows hold other data too, kept for other purposes: only the fields
                # in the erasable categories go.
                action = ErasureAction.ANONYMISE
            entry.held.append(HeldUnder(holding, rows, fields, str(action), why))
        plan.append(entry)
    return plan


@transaction.atomic
def erase_for_purpose(
    request: HttpRequest, rights_request: RightsRequest, person: Person, purpose_id: str
) -> RightOutcome:
    """Erase what the data map holds about `person` under the purpose, by each holding's
    erasure rule (delete the rows, or blank the fields of the erasable categories), where
    the right applies; record the outcome with the rules relied on. Where it does not
    apply, the outcome says so and nothing is erased. The audit trail is never touched."""
    _require(rights_request, person, Right.ERASURE, request.user)
    policy = active_policy()
    plan = {p.purpose.id: p for p in erasure_plan(person, policy)}
    if purpose_id not in plan:
        raise ValueError("purpose: choose a purpose the policy declares")
    entry = plan[purpose_id]
    name = right_name(Right.ERASURE, policy)
    rules = [*entry.decision.rule_ids]
    wording = entry.purpose.wording
    if not entry.applies:
        words = f"{name}, for “{wording}”: we have not erased this information. {entry.reason}"
        return _outcome(
            request,
            rights_request,
            person,
            Right.ERASURE,
            RightOutcome.Result.NOT_DONE,
            words,
            rules,
        )
    done = []
    for held in entry.held:
        rows = held.holding.rows_about([person], Role.SUBJECT)
        label = held.holding.title
        if held.erased_by == ErasureAction.DELETE:
            count = rows.count()
            doomed = held.holding.model._default_manager.filter(
                pk__in=list(rows.values_list("pk", flat=True))
            )
            if held.holding.delete_rows is not None:
                held.holding.delete_rows(doomed)  # with the files the rows stand for
            else:
                doomed.delete()
            done.append(f"{label}: {count} deleted")
        elif held.erased_by == ErasureAction.ANONYMISE:
            blank = {}
            for name_ in held.fields:
                model_field = held.holding.model._meta.get_field(name_)
                if model_field.null:
                    blank[name_] = None
                elif isinstance(model_field, models.CharField | models.TextField):
                    blank[name_] = ""
            count = held.holding.model._default_manager.filter(
                pk__in=list(rows.values_list("pk", flat=True))
            ).update(**blank)
            done.append(f"{label}: {count} anonymised")
        else:
            done.append(f"{label}: kept ({held.why_kept})")
        rules.append(f"datamap:{held.holding.name}")
    if done:
        _audit_person(
            request,
            rights_request,
            person,
            "delete",
            tuple(h.holding.model for h in entry.held),
            f"erasure for purpose {purpose_id}",
        )
        words = (
            f"{name}, for “{wording}”: we have erased the information held for it "
            f"({'; '.join(done)}). {entry.reason}"
        )
        result = RightOutcome.Result.DONE
    else:
        words = (
            f"{name}, for “{wording}”: the right applies, and we hold nothing about "
            f"{person.full_name} under this purpose, so there was nothing to erase."
        )
        result = RightOutcome.Result.DONE
    return _outcome(request, rights_request, person, Right.ERASURE, result, words, rules)


# --- restriction -----------------------------------------------------------------------------


@transaction.atomic
def restrict_processing(
    request: HttpRequest,
    rights_request: RightsRequest,
    person: Person,
    reason: str,
    started_on: date | None = None,
) -> ProcessingRestriction:
    """Restrict processing of the person's data from `started_on` (today): kept, not used."""
    _require(rights_request, person, Right.RESTRICTION, request.user)
    reason = _text("reason", reason, "why processing is restricted")
    today = timezone.localdate()
    started_on = started_on or today
    if started_on > today:
        raise ValueError(f"started_on: {format_day(started_on)} is in the future")
    earlier = restriction_in_force(person)
    if earlier is not None:
        raise ValueError(
            f"person: processing is already restricted since {format_day(earlier.started_on)}"
        )
    restriction = ProcessingRestriction.objects.create(
        person=person,
        request=rights_request,
        reason=reason,
        started_on=started_on,
        created_by=request.user,
    )
    _audit_person(
        request,
        rights_request,
        person,
        "restrict",
        (ProcessingRestriction,),
        "processing restricted",
    )
    name = right_name(Right.RESTRICTION)
    words = (
        f"{name}: from {format_day(started_on)} we keep {person.full_name}'s information "
        "but do not use it: it is not changed, extracted or shared until the restriction "
        "is lifted, and we will tell you before we lift it."
    )
    _outcome(
        request,
        rights_request,
        person,
        Right.RESTRICTION,
        RightOutcome.Result.DONE,
        words,
        [f"rights.{Right.RESTRICTION}"],
    )
    return restriction


def lifting_refusal(
    restriction: ProcessingRestriction, through: RightsRequest, user: User
) -> str | None:
    """Why `user` may not lift `restriction` through the request `through`, or None.

    A restriction is lifted on the request that made it, while that request is open and by
    the officer handling it. Once that request is closed (or it was made without one), it is
    lifted through another open request asking for restriction, handled by `user`, with the
    person in its scope."""
    made_by = restriction.request
    if made_by is not None and made_by.is_open and made_by.pk != through.pk:
        return (
            f"request: the restriction was made on {made_by.reference}, which is open; "
            "it is lifted there, by the officer handling it"
        )
    return refusal(through, restriction.person, user, Right.RESTRICTION)


@transaction.atomic
def lift_restriction(
    request: HttpRequest,
    through: RightsRequest,
    restriction: ProcessingRestriction,
    reason: str,
) -> ProcessingRestriction:
    """Lift a processing restriction in force, through the request `through`
    (lifting_refusal says which may), with the reason; `through` gets an outcome saying so."""
    restriction = ProcessingRestriction.objects.select_for_update().get(pk=restriction.pk)
    problem = lifting_refusal(restriction, through, request.user)
    if problem:
        raise ValueError(problem)
    if restriction.lifted_on is not None:
        raise ValueError(f"restriction: lifted already on {format_day(restriction.lifted_on)}")
    reason = _text("reason", reason, "why the restriction is lifted")
    restriction.lifted_on = timezone.localdate()
    restriction.lifted_reason = reason
    restriction.lifted_by = request.user
    restriction.save(update_fields=["lifted_on", "lifted_reason", "lifted_by"])
    person = restriction.person
    audit_record(
        request,
        action="restrict",
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(ProcessingRestriction),
        reason=f"Rights request {through.reference}",
        rule="access:rights-request",
        details={"what": "processing restriction lifted", "rights_request": str(through.public_id)},
    )
    words = (
        f"{right_name(Right.RESTRICTION)}: the restriction on {person.full_name}'s "
        f"information was lifted on {format_day(restriction.lifted_on)}. {reason}"
    )
    _outcome(
        request,
        through,
        person,
        Right.RESTRICTION,
        RightOutcome.Result.DONE,
        words,
        [f"rights.{Right.RESTRICTION}"],
    )
    return restriction


# --- objection -------------------------------------------------------------------------------


def objection_decision(project: Project, policy: Policy | None = None) -> Decision:
    """Whether the right to object applies to the project: right_applies over its purposes
    (any purpose it applies to), and the project honours objections."""
    policy = policy or active_policy()
    decisions = [right_applies(policy, Right.OBJECT, p) for p in project.purposes]
    applying = [d for d in decisions if d.allowed]
    chosen = applying[0] if applying else decisions[0]
    rules = (*dict.fromkeys(r for d in decisions for r in d.rule_ids), f"project:{project.id}")
    if chosen.allowed and not project.objection_honoured:
        return Decision(
            False,
            rules,
            chosen.lawful_basis,
            f"{chosen.reason} {project.name} does not take objections.",
        )
    return Decision(chosen.allowed, rules, chosen.lawful_basis, chosen.reason)


@transaction.atomic
def record_objection(
    request: HttpRequest, rights_request: RightsRequest, person: Person, project_id: str
) -> Objection | None:
    """The person's objection to the project, received when the request was: the next
    extract leaves them out. Where the right does not apply, the outcome says why and no
    objection is recorded (None)."""
    _require(rights_request, person, Right.OBJECT, request.user)
    policy = active_policy()
    project = policy.project(project_id)
    if project is None:
        raise ValueError("project: choose a project the policy names")
    in_force = Objection.objects.filter(
        person=person, project=project.id, withdrawn__isnull=True
    ).first()
    if in_force is not None:
        raise ValueError(
            f"project: an objection to {project.name} is recorded already, received "
            f"{format_day(in_force.received)}"
        )
    decision = objection_decision(project, policy)
    name = right_name(Right.OBJECT, policy)
    if not decision.allowed:
        _outcome(
            request,
            rights_request,
            person,
            Right.OBJECT,
            RightOutcome.Result.NOT_DONE,
            f"{name}, to {project.name}: we have not recorded an objection. {decision.reason}",
            list(decision.rule_ids),
        )
        return None
    objection = Objection.objects.create(
        person=person,
        project=project.id,
        received=rights_request.received,
        recorded_by=request.user,
        request=rights_request,
    )
    _audit_person(
        request, rights_request, person, "create", (Objection,), f"objection to {project.id}"
    )
    words = (
        f"{name}, to {project.name}: we have recorded {person.full_name}'s objection, "
        f"received on {format_day(rights_request.received)}. Their information is left out "
        f"of every extract for it from then on. {decision.reason}"
    )
    _outcome(
        request,
        rights_request,
        person,
        Right.OBJECT,
        RightOutcome.Result.DONE,
        words,
        list(decision.rule_ids),
    )
    return objection


@transaction.atomic
def withdraw_objection(
    request: HttpRequest, objection: Objection, withdrawn: date | None = None
) -> Objection:
    """The objection withdrawn on `withdrawn` (today): extracts after it include the person.

    One received through a request is withdrawn on it: the request open, handled by the
    user, the person in its scope, and the request asking to object (refusal)."""
    if objection.request is not None:
        _require(objection.request, objection.person, Right.OBJECT, request.user)
    today = timezone.localdate()
    withdrawn = withdrawn or today
    if objection.withdrawn is not None:
        raise ValueError(f"withdrawn: withdrawn already on {format_day(objection.withdrawn)}")
    if withdrawn > today:
        raise ValueError(f"withdrawn: {format_day(withdrawn)} is in the future")
    if withdrawn < objection.received:
        raise ValueError(
            f"withdrawn: the objection was received on {format_day(objection.received)}, "
            "after this date"
        )
    objection.withdrawn = withdrawn
    objection.save(update_fields=["withdrawn"])
    rights_request = objection.request
    project = active_policy().project(objection.project)
    project_name = project.name if project else objection.project
    if rights_request is None:
        audit_record(
            request,
            action="change",
            record_type="person",
            record_id=str(objection.person.public_id),
            categories=categories_of(Objection),
            details={"what": f"objection to {objection.project} withdrawn"},
        )
        return objection
    _audit_person(
        request,
        rights_request,
        objection.person,
        "change",
        (Objection,),
        f"objection to {objection.project} withdrawn",
    )
    _outcome(
        request,
        rights_request,
        objection.person,
        Right.OBJECT,
        RightOutcome.Result.DONE,
        f"{right_name(Right.OBJECT)}, to {project_name}: the objection was withdrawn on "
        f"{format_day(withdrawn)}; extracts after that date include "
        f"{objection.person.full_name} again.",
        [f"rights.{Right.OBJECT}", f"project:{objection.project}"],
    )
    return objection


# --- letters ---------------------------------------------------------------------------------


def outcome_paragraphs(rights_request: RightsRequest) -> list[str]:
    """The outcome letter's paragraphs on the other rights: what was done for each right
    asked and each person, and the rule, in the order recorded."""
    return [
        o.what_was_done
        for o in RightOutcome.objects.filter(request=rights_request).order_by("recorded_at", "pk")
    ]
