"""Pages for family composition (people.composition): add a person to a household, found
by search (or made first with the create flow), record the day a member left, and record
a relationship between two people, from the person's and the household's pages.

Each is open to casework staff who may open the household or person (its guard), and
refused under break-glass. A search here is a search like any other: POSTed (no names in
addresses), each person listed looked at under their own access, a restricted match
naming no one. The URLs carry public ids only.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import (
    audit_look,
    audit_people_shown,
    processing_restricted,
    with_household_to_change,
    with_person_to_change,
)
from earlyhelp.access.roles import CASEWORK
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people import composition
from earlyhelp.people.composition_forms import (
    AddMemberForm,
    FindPersonForm,
    LeaveForm,
    RelationshipForm,
)
from earlyhelp.people.models import Household, HouseholdMember, Person, Relationship
from earlyhelp.people.moves import current_households
from earlyhelp.people.views import search_with_access
from earlyhelp.rights.processing import restriction_in_force
from earlyhelp.web.once import submitted_once

# What the pages show, by model: the household and who lives there; a person listed.
HOUSEHOLD_SHOWN = (Household, HouseholdMember, Person)
PERSON_LISTED = (Person,)
FIND, SAVE = "find", "save"


def _matches(request: HttpRequest, find: FindPersonForm) -> list[dict]:
    """The people the search found, each with whether the user may name them; audited as
    any search is (people.views)."""
    if not find.is_bound or not find.is_valid():
        return []
    matches, _ = search_with_access(request, find.cleaned_data, "search")
    for item in matches:
        item["may_name"] = composition.may_name(request, item["match"].person) is None
    return matches


def _find_form(request: HttpRequest, action: str | None) -> FindPersonForm:
    """The search, bound when it was asked for, or when a save came with one (so the list
    the person was chosen from is shown again beside any error)."""
    asked = action == FIND or (
        action == SAVE and any(v.strip() for k, v in request.POST.items() if k.startswith("find-"))
    )
    return FindPersonForm(request.POST if asked else None)


def _chosen(value) -> Person | None:
    """The person a form picked, by public id; one not found is a field error."""
    person = Person.objects.select_related("restriction__created_by").filter(public_id=value)
    return person.first()


def _refusal(form, problem: composition.CompositionRefused, fields: dict[str, str]) -> None:
    """Put a service's refusal ("field: the rule") on the form's field of that name."""
    field, _, words = str(problem).partition(": ")
    form.add_error(fields.get(field, field if field in form.fields else None), words)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_household_to_change
@submitted_once
def add_household_member(request: HttpRequest, household: Household) -> HttpResponse:
    """Find a person (or create them, then find them) and add them to the household."""
    action = request.POST.get("action") if request.method == "POST" else None
    find = _find_form(request, action)
    if action == SAVE and not find.is_bound and not request.POST.get("person"):
        # Saved with the search emptied and no one chosen, so no list to choose from (nor
        # the date they joined): the search is asked for.
        action, find = FIND, FindPersonForm(request.POST)
    form = AddMemberForm(request.POST if action == SAVE else None)
    if action == SAVE and form.is_valid():
        person = _chosen(form.cleaned_data["person"])
        if person is None:
            form.add_error("person", "Choose the person in the list")
        else:
            try:
                composition.add_to_household(
                    request, household, person, joined_on=form.cleaned_data["joined_on"]
                )
            except composition.CompositionRefused as problem:
                _refusal(form, problem, {"person": "person", "joined_on": "joined_on"})
            else:
                messages.success(request, f"{person.full_name} added to the household")
                return redirect("people:household", household_id=household.public_id)
    members = list(household.current_members())
    access = request.record_access
    shown = categories_of(*HOUSEHOLD_SHOWN)
    audit_look(
        request, access, "household", household.public_id, shown, page="add_household_member"
    )
    audit_people_shown(
        request, access, members, categories_of(*PERSON_LISTED), "add_household_member"
    )
    context = {
        "household": household,
        "members": members,
        "find": find,
        "form": form,
        "searched": find.is_bound,
        "matches": _matches(request, find),
    }
    return render(request, "people/add_household_member.html", context)


def _member_of(household: Household, person_id) -> Person:
    """A person living in the household now, by public id; else 404."""
    person = get_object_or_404(Person, public_id=person_id)
    if not HouseholdMember.objects.current().filter(household=household, person=person).exists():
        raise Http404
    return person


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_household_to_change
@submitted_once
def leave_household(request: HttpRequest, household: Household, person_id) -> HttpResponse:
    """Record the day a member left the household: their membership is kept, ended."""
    person = _member_of(household, person_id)
    restriction = restriction_in_force(person)
    if restriction is not None:
        # Their record would change: refused, as on their own pages (rights.processing).
        return processing_restricted(request, person, restriction)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            composition.end_membership(
                request, household, person, left_on=form.cleaned_data["left_on"]
            )
        except composition.CompositionRefused as problem:
            _refusal(form, problem, {"left_on": "left_on"})
        else:
            messages.success(request, f"Recorded that {person.full_name} left the household")
            return redirect("people:household", household_id=household.public_id)
    access = request.record_access
    audit_look(
        request,
        access,
        "household",
        household.public_id,
        categories_of(*HOUSEHOLD_SHOWN),
        page="leave_household",
    )
    audit_people_shown(
        request, access, [person], categories_of(*HOUSEHOLD_SHOWN), "leave_household"
    )
    context = {
        "person": person,
        "form": form,
        "title": f"Record that {person.full_name} left the household at {household.address}",
    }
    return render(request, "people/simple_form.html", context)


def _household_others(person: Person) -> list[Person]:
    """Who lives now in a household with the person: the relatives offered without a search."""
    others: dict[int, Person] = {}
    for household in current_households(person):
        for member in household.current_members().exclude(pk=person.pk):
            others.setdefault(member.pk, member)
    return list(others.values())


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def add_relationship(request: HttpRequest, person: Person) -> HttpResponse:
    """Record how the person is related to someone: a member of their household, or
    someone found by search; with or without parental responsibility."""
    action = request.POST.get("action") if request.method == "POST" else None
    find = _find_form(request, action)
    # Only co-residents the worker may name themselves (not restricted, not another team's).
    others = [p for p in _household_others(person) if composition.may_name(request, p) is None]
    if action == SAVE and not find.is_bound and not others and not request.POST.get("relative"):
        # Saved with the search emptied, no one chosen and no one at home, so no list to
        # choose from (nor the questions about them): the search is asked for.
        action, find = FIND, FindPersonForm(request.POST)
    form = RelationshipForm(request.POST if action == SAVE else None, person=person)
    if action == SAVE and form.is_valid():
        relative = _chosen(form.cleaned_data["relative"])
        if relative is None:
            form.add_error("relative", "Choose the relative in the list")
        else:
            try:
                composition.record_relationship(
                    request,
                    person,
                    relative,
                    kind=form.cleaned_data["kind"],
                    parental_responsibility=form.cleaned_data["parental_responsibility"] == "yes",
                    source=form.cleaned_data["source"],
                )
            except composition.CompositionRefused as problem:
                _refusal(form, problem, {"relative": "relative", "kind": "kind"})
            else:
                messages.success(request, "Relationship recorded")
                return redirect("people:person", person_id=person.public_id)
    access = request.record_access
    audit_look(
        request,
        access,
        "person",
        person.public_id,
        categories_of(Person, Relationship),
        page="add_relationship",
    )
    audit_people_shown(request, access, others, categories_of(*PERSON_LISTED), "add_relationship")
    context = {
        "person": person,
        "others": others,
        "find": find,
        "form": form,
        "searched": find.is_bound,
        "matches": _matches(request, find),
        "chosen": str(request.POST.get("relative", "")),
    }
    return render(request, "people/add_relationship.html", context)
