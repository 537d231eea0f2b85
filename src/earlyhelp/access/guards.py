"""View decorators that open a family record only to those the rules allow, and log the look.

Each resolves the opaque id in the URL to the record, asks access.rules, and
either calls the view with the record or answers 403 with a page that says the
record exists, who holds it, and how to open it in an emergency. Every look
that is allowed leaves an audit event.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from earlyhelp.access.rules import (
    Access,
    case_access,
    holders,
    household_access,
    person_access,
)
from earlyhelp.audit.log import record
from earlyhelp.cases.models import Case
from earlyhelp.people.models import Household, Person


def audit_look(
    request: HttpRequest,
    access: Access,
    record_type: str,
    record_id: object,
    categories: Iterable[str],
    action: str = "view",
) -> None:
    record(
        request,
        action=action,
        record_type=record_type,
        record_id=str(record_id),
        categories=sorted(set(categories)),
        flagged=access.emergency,
        reason="emergency access" if access.emergency else "",
        rule="access:break-glass" if access.emergency else "access:allocation",
    )


def refused(request: HttpRequest, person: Person | None, access: Access) -> HttpResponse:
    context = {
        "person": person,
        "restricted": access.restricted,
        "holders": holders(person) if person and not access.restricted else [],
    }
    return render(request, "access/no_access.html", context, status=403)


def _guarded(view: Callable, id_name: str, load: Callable, check: Callable) -> Callable:
    """Call `view` with the record named by the URL, if `check` allows; else refuse."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        found = load(request, kwargs.pop(id_name))
        if isinstance(found, HttpResponse):
            return found
        access = check(request, found)
        if not access.allowed:
            return refused(request, found if isinstance(found, Person) else None, access)
        request.record_access = access
        return view(request, found, *args, **kwargs)

    return guarded


def _load_person(request: HttpRequest, person_id) -> Person | HttpResponse:
    person = get_object_or_404(Person, public_id=person_id)
    if person.merged_into_id:
        # An old link to a merged record leads to the record it became part of.
        while person.merged_into_id:
            person = person.merged_into
        messages.info(request, "That record was merged into this one")
        return redirect("people:person", person_id=person.public_id)
    return person


def _load_household(request: HttpRequest, household_id) -> Household:
    return get_object_or_404(Household.objects.select_related("address"), public_id=household_id)


def _load_case(request: HttpRequest, case_id) -> Case:
    return get_object_or_404(
        Case.objects.select_related("household__address", "team", "allocated_worker"),
        public_id=case_id,
    )


def with_person(view: Callable) -> Callable:
    return _guarded(view, "person_id", _load_person, person_access)


def with_household(view: Callable) -> Callable:
    return _guarded(view, "household_id", _load_household, household_access)


def with_case(view: Callable) -> Callable:
    return _guarded(view, "case_id", _load_case, case_access)
