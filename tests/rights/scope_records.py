"""Rights requests with records in scope, for the scope and request-scoped access tests and
the role-by-route matrix."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.people.models import Person
from earlyhelp.rights.models import RequestPerson, RightsRequest
from earlyhelp.rights.services import create_request


def a_request(received: date | None = None, **fields) -> RightsRequest:
    """An open request for a copy of a child's records, asked by a parent through the form,
    received today unless said."""
    values = {
        "requester_is": RightsRequest.Requester.PARENT,
        "requester_name": "Amira Haddad",
        "requester_email": "amira@example.org",
        "reply_by": RightsRequest.ReplyBy.EMAIL,
        "rights_asked": [RightsRequest.Right.ACCESS],
        "subject_name": "Yusuf Haddad",
        "subject_address": "12 Malden Road\nLondon NW5 3HS",
        **fields,
    }
    return create_request(
        None,
        kind="request",
        channel="web-form",
        received=received or timezone.localdate(),
        **values,
    )


def in_scope(
    rights_request: RightsRequest,
    person: Person,
    by: User,
    role: str = RequestPerson.Role.SUBJECT,
) -> RequestPerson:
    """`person` matched to the request by `by` (written directly: no audit event)."""
    return RequestPerson.objects.create(
        request=rights_request, person=person, role=role, added_by=by
    )


def matrix_request(records: dict) -> str:
    """For the role-by-route matrix: a request about the family's child, in scope, handled
    by the user asking (the matrix's "asker"), or by another officer; its public id."""
    person = Person.objects.get(public_id=records["person"])
    # The matrix's user asking handles it, as only the handler works on its records; where
    # there is none, another officer does.
    handler = User.objects.filter(username="asker").first() or User.objects.create_user(
        username="handling-officer", first_name="Ines"
    )
    rights_request = a_request(subject_date_of_birth=person.date_of_birth, handled_by=handler)
    in_scope(rights_request, person, handler)
    return rights_request.public_id


def ready_for_a_bundle(
    rights_request: RightsRequest, child: Person, parent: Person | None, by: User
) -> RightsRequest:
    """The request's identity evidence recorded and, for a parent's request, their access to
    `child`'s records allowed (written directly: no audit events), as a bundle needs."""
    from earlyhelp.rights.models import ChildAccessDecision

    RightsRequest.objects.filter(pk=rights_request.pk).update(
        identity_evidence_received=rights_request.received, identity_evidence="Passport seen"
    )
    if parent is not None:
        ChildAccessDecision.objects.create(
            request=rights_request,
            child=child,
            parent=parent,
            parental_responsibility=True,
            child_age=child.age_on(timezone.localdate()) or 0,
            consent=ChildAccessDecision.Consent.NOT_ASKED,
            allowed=True,
            decided_by=by,
        )
    rights_request.refresh_from_db()
    return rights_request
