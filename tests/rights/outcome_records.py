"""Rights requests asking for the other rights (correction, erasure, restriction, objection)
with a person in scope, for the outcome tests and the role-by-route matrix."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.extracts.models import Objection
from earlyhelp.people.models import Person
from earlyhelp.rights.models import RequestPerson, RightsRequest
from earlyhelp.rights.services import create_request

ALL_OTHER_RIGHTS = ["rectification", "erasure", "restriction", "object"]


def request_about(
    person: Person,
    by: User,
    *,
    rights: list[str] | None = None,
    received: date | None = None,
) -> RightsRequest:
    """An open request asking for `rights` (all the other rights), with `person` in scope,
    matched by `by` (the RequestPerson written directly)."""
    rights_request = create_request(
        None,
        kind="request",
        channel="letter",
        received=received or timezone.localdate(),
        requester_is=RightsRequest.Requester.PARENT,
        requester_name="Amira Haddad",
        reply_by=RightsRequest.ReplyBy.POST,
        requester_address="12 Malden Road\nLondon NW5 3HS",
        rights_asked=list(ALL_OTHER_RIGHTS if rights is None else rights),
        subject_name=person.full_name,
        handled_by=by,
    )
    RequestPerson.objects.create(request=rights_request, person=person, added_by=by)
    return rights_request


def matrix_outcomes(person: Person, by: User) -> dict:
    """For the role-by-route matrix: a request about `person` and an objection received
    through it; their public ids."""
    rights_request = request_about(person, by)
    objection = Objection.objects.create(
        person=person, project="liia", received=rights_request.received, request=rights_request
    )
    return {"request": rights_request.public_id, "objection": objection.public_id}


def handled_by_asker(records: dict, *more) -> list:
    """For the role-by-route matrix: the outcome request's public id and `more`, the request
    handed first to the user asking (the matrix's "asker"), as only the officer handling a
    request opens its outcome pages."""
    asker = User.objects.filter(username="asker").first()
    if asker is not None:
        RightsRequest.objects.filter(public_id=records["outcomes"]["request"]).update(
            handled_by=asker
        )
    return [records["outcomes"]["request"], *more]
