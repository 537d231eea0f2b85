"""Rights requests for `make demo`: the demo information governance officer finds a parent's
subject access request ready for its bundle, and a newer one still to be started.

Everything is written through the rights app's own services, as the officer would at the
desk, so the requests carry the same rows and audit events as ones typed in: each event
names the officer as its actor. The people are synthetic, from the generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.rules import is_restricted_from
from earlyhelp.cases.choices import CaseRole
from earlyhelp.people.models import ContactMethod, Person, PersonAddress, Relationship
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.models import ChildAccessDecision, RequestPerson, RightsRequest
from earlyhelp.rights.scope import add_to_scope, child_age, is_child, record_child_access
from earlyhelp.rights.services import assign_handler, log_request, record_identity_evidence

# The demo's information governance officer (access.demo.DEMO_ACCOUNTS).
DEMO_OFFICER = "governance"
# How long ago the demo's requests arrived, and when the parent's identity evidence did:
# a few days into the first, so its clock shows time used; the second arrived since.
READY_RECEIVED_DAYS_AGO = 6
READY_IDENTITY_DAYS_AFTER = 2
TO_START_RECEIVED_DAYS_AGO = 1
IDENTITY_EVIDENCE = "Passport and a council tax bill seen at the family hub (demo)."


@dataclass(frozen=True)
class DemoRequests:
    """The demo's two requests: one ready for its bundle, one still to be started."""

    ready: RightsRequest
    to_start: RightsRequest | None


def as_officer(officer: User) -> HttpRequest:
    """A request acting as `officer`, for calling services from the command line: their
    audit events name them as the actor, with no address (nothing came over the network)."""
    request = HttpRequest()
    request.user = officer
    return request


def ensure_demo_requests() -> DemoRequests | None:
    """Make the demo's rights requests once; return them, or None when there is no demo
    officer or no family to ask about (generate the synthetic data first).

    1. A parent's subject access request for their child's records, received
       READY_RECEIVED_DAYS_AGO, handled by the demo officer, with identity evidence, the
       child and the parent matched into scope and the parent's access to the child's
       records allowed (the child is under the policy's consent age and not judged
       competent, rights.parental_access): its bundle can be made at once.
    2. A newer request from another parent for their own records, handled by the officer,
       with nothing recorded yet: the bundle page says what it needs first.

    Idempotent: the demo's requests are those the demo officer logged; once any exist,
    nothing more is made (running `demo_users` twice makes nothing twice). Each request is
    one transaction, so a run stopped part way leaves whole requests or none.
    """
    # Today's date, not a chosen one: the services check every date against the clock.
    today = timezone.localdate()
    officer = User.objects.filter(username=DEMO_OFFICER, is_active=True).first()
    if officer is None:
        return None
    logged = RightsRequest.objects.filter(created_by=officer).order_by("received", "pk")
    if logged.exists():
        return _existing(logged)
    family = _parent_and_child(officer, today)
    if family is None:
        return None
    parent, child = family
    ready = _ready_request(officer, parent, child, today)
    other = _other_parent(officer, exclude=(parent, child))
    to_start = _request_to_start(officer, other, today) if other is not None else None
    return DemoRequests(ready=ready, to_start=to_start)


def _existing(logged) -> DemoRequests:
    """The requests made by an earlier run: the first with identity evidence is the one
    ready for a bundle, the newest without it the one still to be started."""
    with_evidence = logged.filter(identity_evidence_received__isnull=False)
    ready = with_evidence.first() or logged.first()
    to_start = logged.filter(identity_evidence_received__isnull=True).exclude(pk=ready.pk).last()
    return DemoRequests(ready=ready, to_start=to_start)


def _youngest_age_without_consent() -> int:
    """A child younger than this needs no consent for a parent's access (unless judged
    competent) and is a child in the policy's terms: rights.parental_access and
    retention.adult_from_age."""
    policy = active_policy()
    return min(policy.rights.parental_access.child_consent_age, policy.retention.adult_from_age)


def _parent_and_child(officer: User, today: date) -> tuple[Person, Person] | None:
    """The first child (by record) on a case with contacts, younger than the consent age,
    with a parent who has parental responsibility recorded and is not a child; neither's
    record restricted from the officer. Deterministic for a seed's data and a day."""
    under = _youngest_age_without_consent()
    children = (
        Person.objects.filter(
            merged_into__isnull=True,
            date_of_birth__isnull=False,
            case_memberships__role=CaseRole.CHILD,
            case_memberships__case__contacts__isnull=False,
            relative_of__has_parental_responsibility=True,
        )
        .distinct()
        .order_by("pk")
    )
    for child in children.iterator():
        age = child_age(child, today)
        if age is None or age >= under or is_restricted_from(officer, child):
            continue
        links = (
            Relationship.objects.filter(
                relative=child, has_parental_responsibility=True, person__merged_into=None
            )
            .select_related("person")
            .order_by("pk")
        )
        for link in links:
            parent = link.person
            if not is_child(parent, today) and not is_restricted_from(officer, parent):
                return parent, child
    return None


def _other_parent(officer: User, exclude: tuple[Person, ...]) -> Person | None:
    """The first other parent with parental responsibility (by record), for the newer
    request, from another family than the first request's."""
    for link in (
        Relationship.objects.filter(has_parental_responsibility=True, person__merged_into=None)
        .exclude(person__in=exclude)
        .exclude(relative__in=exclude)
        .select_related("person")
        .order_by("pk")
    ):
        if not is_restricted_from(officer, link.person):
            return link.person
    return None


def _reply_to(person: Person) -> dict:
    """How to reply to `person`, from their record: their current address by post, else
    their email address, else their telephone (the log form asks for the one chosen)."""
    home = (
        PersonAddress.objects.filter(person=person, moved_out__isnull=True)
        .select_related("address")
        .order_by("-moved_in", "-pk")
        .first()
    )
    if home is not None:
        place = home.address
        parts = (place.line_1, place.line_2, place.town, place.postcode)
        address = "\n".join(part for part in parts if part)
        return {"reply_by": RightsRequest.ReplyBy.POST, "requester_address": address}
    methods = ContactMethod.objects.filter(person=person).order_by("pk")
    email = methods.filter(kind=ContactMethod.Kind.EMAIL).first()
    if email is not None:
        return {"reply_by": RightsRequest.ReplyBy.EMAIL, "requester_email": email.value}
    phone = methods.filter(kind=ContactMethod.Kind.TELEPHONE).first()
    if phone is not None:
        return {"reply_by": RightsRequest.ReplyBy.PHONE, "requester_phone": phone.value}
    return {"reply_by": RightsRequest.ReplyBy.POST}


@transaction.atomic
def _ready_request(officer: User, parent: Person, child: Person, today: date) -> RightsRequest:
    """Request 1: logged from the parent's letter, handled by the officer, identity
    evidence recorded, both records matched and the parent's access to the child allowed."""
    request = as_officer(officer)
    received = today - timedelta(days=READY_RECEIVED_DAYS_AGO)
    rights_request = log_request(
        request,
        kind=RightsRequest.Kind.REQUEST,
        channel=RightsRequest.Channel.LETTER,
        received=received,
        requester_is=RightsRequest.Requester.PARENT,
        requester_name=parent.full_name,
        rights_asked=[RightsRequest.Right.ACCESS],
        subject_name=child.full_name,
        subject_date_of_birth=child.date_of_birth,
        details="A copy of everything the service holds about my child.",
        **_reply_to(parent),
    )
    assign_handler(request, rights_request, officer)
    record_identity_evidence(
        request,
        rights_request,
        received + timedelta(days=READY_IDENTITY_DAYS_AFTER),
        IDENTITY_EVIDENCE,
    )
    add_to_scope(request, rights_request, child, RequestPerson.Role.SUBJECT, officer)
    add_to_scope(request, rights_request, parent, RequestPerson.Role.REQUESTER, officer)
    record_child_access(
        request,
        rights_request,
        child,
        parent=parent,
        # Under the consent age and not judged competent: the policy needs no consent.
        consent=ChildAccessDecision.Consent.NOT_ASKED,
        consent_how="",
        competent=None,
        competence_by=None,
        competence_reasons="",
        allow=True,
        officer_reasons="",
        by=officer,
        today=today,
    )
    rights_request.refresh_from_db()
    return rights_request


@transaction.atomic
def _request_to_start(officer: User, person: Person, today: date) -> RightsRequest:
    """Request 2: a parent's request for their own records by email, handled by the
    officer and nothing more: identity evidence and matching are still to do."""
    request = as_officer(officer)
    rights_request = log_request(
        request,
        kind=RightsRequest.Kind.REQUEST,
        channel=RightsRequest.Channel.EMAIL,
        received=today - timedelta(days=TO_START_RECEIVED_DAYS_AGO),
        requester_is=RightsRequest.Requester.SELF,
        requester_name=person.full_name,
        rights_asked=[RightsRequest.Right.ACCESS],
        subject_name=person.full_name,
        subject_date_of_birth=person.date_of_birth,
        details="Please send me a copy of the information you hold about me.",
        **_reply_to(person),
    )
    assign_handler(request, rights_request, officer)
    rights_request.refresh_from_db()
    return rights_request
