"""The information governance officer's pages for a request's records: finding the person
with the practitioners' search and duplicate check, adding records to the request's scope
and taking them out, and a parent's or carer's access to a child's records.

Every search is audited as a search for the request; every person shown is a look, under
the person rule (a record in scope of a request the officer handles is opened for it).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import audit_looks, look, refused, restricted_match
from earlyhelp.access.models import User
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.access.rules import person_access
from earlyhelp.audit.log import record_search
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.forms import SearchForm
from earlyhelp.people.identifiers import postcode_district, postcode_is_valid
from earlyhelp.people.models import Person, Relationship
from earlyhelp.people.search import PersonQuery, duplicates_of, find_people
from earlyhelp.people.views import matches_with_access
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import scope
from earlyhelp.rights.models import ChildAccessDecision, RequestPerson, RightsRequest
from earlyhelp.rights.scope_forms import AddToScopeForm, ChildAccessForm, role_for
from earlyhelp.web.forms import refusal_sentence
from earlyhelp.web.once import submitted_once

SEARCH_FIELDS = ("name", "date_of_birth", "born", "postcode", "nhs_number", "upn")
RESULTS_SHOWN = 25
# A person listed (a search result, a duplicate): their name, age and area.
PERSON_LISTED = (Person,)
# The child access page: the child, and the relationships that give responsibility.
CHILD_PAGE = (Person, Relationship, ChildAccessDecision)


def _rights_request(request_id) -> RightsRequest:
    return get_object_or_404(
        RightsRequest.objects.select_related("handled_by"), public_id=request_id
    )


def _person(person_id) -> Person:
    return get_object_or_404(
        Person.objects.select_related("restriction__created_by"),
        public_id=person_id,
        merged_into__isnull=True,
    )


def _reason(rights_request: RightsRequest) -> str:
    return f"Rights request {rights_request.reference}"


def postcode_in(address: str) -> str:
    """The first postcode in an address as typed (a whole line, or its last two words)."""
    for line in reversed([part.strip() for part in address.replace(",", "\n").splitlines()]):
        words = line.split()
        for candidate in (line, " ".join(words[-2:])):
            if candidate and postcode_is_valid(candidate):
                return candidate.upper()
    return ""


def _prefilled(rights_request: RightsRequest) -> dict:
    """The search terms the request gives: the name, date of birth and postcode typed."""
    return {
        "name": rights_request.subject_name,
        "date_of_birth": rights_request.subject_date_of_birth,
        "postcode": postcode_in(rights_request.subject_address),
    }


def _not_theirs(request: HttpRequest, rights_request: RightsRequest) -> HttpResponse | None:
    """Back to the request's page, saying why, unless the user may work on its records: the
    request open, and handled by them or by nobody yet (rights.scope.check_may_change_scope).
    Searching and showing people for a request is working on it."""
    try:
        scope.check_may_change_scope(rights_request, request.user)
    except ValueError as problem:
        messages.error(request, refusal_sentence(problem))
        return redirect("rights:request", request_id=rights_request.public_id)
    return None


def _matched(rights_request: RightsRequest, person_id, **role) -> RequestPerson:
    """The request's record in scope with this person's public id (and ``role=``, if
    given), with what a restriction page needs; 404 if it is not in scope."""
    return get_object_or_404(
        RequestPerson.objects.select_related("person__restriction__created_by"),
        request=rights_request,
        person__public_id=person_id,
        **role,
    )


def _audit_listed(
    request: HttpRequest,
    rights_request: RightsRequest,
    items: list[dict],
    page: str,
    found: int | None = None,
) -> None:
    """A search for the request: one search event naming the request as its reason, and a
    look at each person listed (a restricted match recorded as matched, never shown)."""
    reason = _reason(rights_request)
    shown = [item for item in items if not item["restricted"]]
    listed = categories_of(*PERSON_LISTED)
    record_search(
        request,
        shown=[item["match"].person.public_id for item in shown],
        results=len(items) if found is None else found,
        categories=listed,
        reason=reason,
    )
    looks = [
        {
            **look(i["access"], "person", i["match"].person.public_id, listed, page=page),
            "reason": reason,
        }
        for i in shown
    ]
    looks += [
        {**restricted_match(i["match"].person, page), "reason": reason}
        for i in items
        if i["restricted"]
    ]
    audit_looks(request, looks)


@role_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
def find_records(request: HttpRequest, request_id) -> HttpResponse:
    """Search person records for the request, prefilled from what the requester typed."""
    rights_request = _rights_request(request_id)
    if (elsewhere := _not_theirs(request, rights_request)) is not None:
        return elsewhere
    # POSTed, so that names and dates of birth never sit in an address.
    if request.method == "POST":
        form = SearchForm(request.POST, only=SEARCH_FIELDS)
    else:
        form = SearchForm(initial=_prefilled(rights_request), only=SEARCH_FIELDS)
    matches, found = None, None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        found = find_people(
            PersonQuery(
                name=data.get("name", ""),
                date_of_birth=data.get("date_of_birth"),
                postcode=data.get("postcode", ""),
                nhs_number=data.get("nhs_number", ""),
                upn=data.get("upn", ""),
                born_between=data.get("born"),
            ),
            limit=RESULTS_SHOWN,
        )
        matches = matches_with_access(request, found.matches)
        _audit_listed(request, rights_request, matches, "rights-find-records", found=found.total)
    in_scope = set(rights_request.people.values_list("person_id", flat=True))
    return render(
        request,
        "rights/scope/find.html",
        {
            "rights_request": rights_request,
            "form": form,
            "matches": matches,
            "found": found,
            "in_scope": in_scope,
            "scope": scope_items(request, rights_request),
        },
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def add_record(request: HttpRequest, request_id, person_id) -> HttpResponse:
    """Add a record found to the request's scope, after seeing its possible duplicates."""
    rights_request = _rights_request(request_id)
    if (elsewhere := _not_theirs(request, rights_request)) is not None:
        return elsewhere
    person = _person(person_id)
    access = person_access(request, person)
    if access.restricted:
        return refused(request, person, access, "person", person.public_id)
    form = AddToScopeForm(request.POST or None, initial={"role": role_for(person, rights_request)})
    if request.method == "POST" and form.is_valid():
        try:
            scope.add_to_scope(
                request, rights_request, person, form.cleaned_data["role"], request.user
            )
        except ValueError as refusal:
            form.add_error("role", refusal_sentence(refusal))
        else:
            messages.success(request, f"{person.full_name}'s record is in scope of the request")
            return redirect("rights_scope:find_records", request_id=rights_request.public_id)
    duplicates = matches_with_access(request, duplicates_of(person))
    _audit_listed(request, rights_request, duplicates, "rights-duplicates")
    reason = _reason(rights_request)
    audit_looks(
        request,
        [
            {
                **look(
                    access,
                    "person",
                    person.public_id,
                    categories_of(*PERSON_LISTED),
                    page="rights-add-record",
                ),
                "reason": reason,
            }
        ],
    )
    return render(
        request,
        "rights/scope/add.html",
        {
            "rights_request": rights_request,
            "person": person,
            "age": person.age_on(date.today()) if person.date_of_birth else None,
            "districts": sorted(
                {
                    postcode_district(link.address.postcode)
                    for link in person.addresses.filter(moved_out__isnull=True).select_related(
                        "address"
                    )
                }
            ),
            "already": rights_request.people.filter(person=person).first(),
            "form": form,
            "duplicates": duplicates,
        },
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def remove_record(request: HttpRequest, request_id, person_id) -> HttpResponse:
    """Take a record out of the request's scope (it closes to the officer)."""
    rights_request = _rights_request(request_id)
    if (elsewhere := _not_theirs(request, rights_request)) is not None:
        return elsewhere
    matched = _matched(rights_request, person_id)
    person = matched.person
    access = person_access(request, person)
    if access.restricted:
        return refused(request, person, access, "person", person.public_id)
    error = ""
    if request.method == "POST":
        try:
            scope.remove_from_scope(request, rights_request, person, request.user)
        except ValueError as refusal:
            error = refusal_sentence(refusal)
        else:
            messages.success(request, f"{person.full_name}'s record is no longer in scope")
            return redirect("rights_scope:find_records", request_id=rights_request.public_id)
    audit_looks(
        request,
        [
            {
                **look(
                    access,
                    "person",
                    person.public_id,
                    categories_of(*PERSON_LISTED),
                    page="rights-remove-record",
                ),
                "reason": _reason(rights_request),
            }
        ],
    )
    return render(
        request,
        "rights/scope/remove.html",
        {"rights_request": rights_request, "matched": matched, "person": person, "error": error},
    )


def _staff() -> list[User]:
    """Who may be named as judging a child's competence or taking their answer: active
    staff who work with families or handle requests, by full name."""
    roles = [role.value for role in (*CASEWORK, Role.INFORMATION_GOVERNANCE)]
    return list(
        User.objects.filter(is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def child_access(request: HttpRequest, request_id, person_id) -> HttpResponse:
    """Record the decision on a parent's or carer's access to a child's records."""
    rights_request = _rights_request(request_id)
    if (elsewhere := _not_theirs(request, rights_request)) is not None:
        return elsewhere
    matched = _matched(rights_request, person_id, role=RequestPerson.Role.SUBJECT)
    child = matched.person
    access = person_access(request, child)
    if access.restricted:
        return refused(request, child, access, "person", child.public_id)
    today = date.today()
    rule = active_policy().rights.parental_access
    age = scope.child_age(child, today)
    is_child = scope.is_child(child, today)
    at_consent_age = age is not None and age >= rule.child_consent_age
    parents = [
        rp.person
        for rp in rights_request.people.filter(role=RequestPerson.Role.REQUESTER).select_related(
            "person"
        )
    ]
    form = ChildAccessForm(
        request.POST or None, parents=parents, staff=_staff(), at_consent_age=at_consent_age
    )
    if request.method == "POST" and is_child and form.is_valid():
        consent, how = form.child_answer()
        competent, competence_by, competence_reasons = form.competence_judgement()
        try:
            scope.record_child_access(
                request,
                rights_request,
                child,
                parent=form.chosen_parent(),
                consent=consent,
                consent_how=how,
                competent=competent,
                competence_by=competence_by,
                competence_reasons=competence_reasons,
                allow=form.cleaned_data["decision"] == "allow",
                officer_reasons=form.cleaned_data["reasons"],
                by=request.user,
                today=today,
            )
        except ValueError as refusal:
            field, _, message = str(refusal).partition(": ")
            form.add_error({"allow": "decision", "officer_reasons": "reasons"}.get(field), message)
        else:
            messages.success(request, "The decision on parental access is recorded")
            return redirect("rights:request", request_id=rights_request.public_id)
    responsibility = [
        {"parent": parent, "relationships": scope.parental_responsibility(parent, child)}
        for parent in parents
    ]
    decisions = list(
        rights_request.child_decisions.filter(child=child).select_related(
            "parent", "decided_by", "competence_by"
        )
    )
    for decision in decisions:
        decision.consent_words = scope.consent_words(decision)
    reason = _reason(rights_request)
    audit_looks(
        request,
        [
            {
                **look(
                    access,
                    "person",
                    child.public_id,
                    categories_of(*CHILD_PAGE),
                    page="rights-child-access",
                ),
                "reason": reason,
            }
        ]
        + [
            {
                **look(
                    person_access(request, parent),
                    "person",
                    parent.public_id,
                    categories_of(Person, Relationship),
                    page="rights-child-access",
                ),
                "reason": reason,
            }
            for parent in parents
        ],
    )
    return render(
        request,
        "rights/scope/child_access.html",
        {
            "rights_request": rights_request,
            "child": child,
            "age": age,
            "is_child": is_child,
            "consent_age": rule.child_consent_age,
            "at_consent_age": at_consent_age,
            "competence_for_younger": rule.competence_judgement_for_younger,
            "responsibility": responsibility,
            "form": form,
            "decisions": decisions,
        },
    )


def scope_items(request: HttpRequest, rights_request: RightsRequest) -> dict:
    """What the request page shows of its scope (rights/_records_in_scope.html): each record
    in scope (a restricted one without its name), whether a child's access can be decided
    for it, and the decisions recorded. Records a look at each person named."""
    today = date.today()
    matched = list(
        rights_request.people.select_related("person__restriction__created_by", "added_by")
        .filter(Q(person__merged_into__isnull=True))
        .order_by("role", "added_at")
    )
    items, looks = [], []
    reason = _reason(rights_request)
    for rp in matched:
        access = person_access(request, rp.person)
        items.append(
            {
                "matched": rp,
                "person": rp.person,
                "restricted": access.restricted,
                "ask": access.ask,
                "child": rp.role == RequestPerson.Role.SUBJECT and scope.is_child(rp.person, today),
            }
        )
        if access.restricted:
            looks.append({**restricted_match(rp.person, "rights-request"), "reason": reason})
        else:
            looks.append(
                {
                    **look(
                        access,
                        "person",
                        rp.person.public_id,
                        categories_of(Person),
                        page="rights-request",
                    ),
                    "reason": reason,
                }
            )
    decisions = list(
        rights_request.child_decisions.select_related("child", "parent", "decided_by").order_by(
            "decided_at"
        )
    )
    for decision in decisions:
        decision.consent_words = scope.consent_words(decision)
    looks += [
        {
            **look(
                person_access(request, d.child),
                "person",
                d.child.public_id,
                categories_of(ChildAccessDecision),
                page="rights-request",
            ),
            "reason": reason,
        }
        for d in decisions
    ]
    audit_looks(request, looks)
    return {"records": items, "decisions": decisions}
