"""Pages for merging two records of one person, and undoing a merge (people.merge does it,
people.services records it against both records).

A team manager who may change a record chooses the other record of the same person: a
likely duplicate the system found, or one they find by search (name and date of birth,
POSTed so that nothing searched for sits in an address, each person listed looked at under
their own access). Only records they may open, never by break-glass, are offered: merging
would show the other record's contents under this one. The two records are then shown side
by side (people.compare), differences in words, and merged with a reason; every look at
either record is recorded against that person. The URLs carry public ids only.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import (
    audit_look,
    audit_looks,
    audit_people_shown,
    look,
    processing_restricted,
    read_only,
    refused,
    restricted_match,
    with_person_to_change,
)
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import Access, is_restricted_from, person_access
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people import services
from earlyhelp.people.compare import compare_records
from earlyhelp.people.composition_forms import FindPersonForm
from earlyhelp.people.forms import MergeForm, UndoMergeForm
from earlyhelp.people.models import Person, PersonMerge
from earlyhelp.people.search import duplicates_of
from earlyhelp.people.views import (
    MERGED_SHOWN,
    PERSON_LISTED,
    matches_with_access,
    search_with_access,
)
from earlyhelp.rights.processing import ProcessingRestricted, restriction_in_force
from earlyhelp.web.once import submitted_once

# The page name the comparison's looks are recorded under (the guard's, by the view's name).
COMPARE_PAGE = "compare_for_merge"


def may_merge_with(access: Access) -> bool:
    """Whether a record opened with `access` may be merged with another: opened by the
    rules, never by break-glass or for a rights request (read only)."""
    return access.allowed and not access.read_only


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def merge_person(request: HttpRequest, person: Person) -> HttpResponse:
    """Choose the record to merge into this one: a likely duplicate, or one found by search.
    Either opens the two side by side (compare_for_merge); nothing is merged here."""
    listed = matches_with_access(request, duplicates_of(person))
    candidates = [item["match"] for item in listed if may_merge_with(item["access"])]
    # The page is about `person`: recorded here, as the guard would only if nothing were.
    audit_look(
        request,
        request.record_access,
        "person",
        person.public_id,
        categories_of(*PERSON_LISTED),
        page="merge_person",
    )
    # Each likely duplicate named under its own access (held by the manager's team, or on
    # no case); a restricted one is only counted, but that it matched says something (as
    # on the search page): recorded against them.
    listed_shown = categories_of(*PERSON_LISTED)
    audit_looks(
        request,
        [
            look(item["access"], "person", item["match"].person.public_id, listed_shown,
                 page="merge-candidates")
            for item in listed
            if may_merge_with(item["access"])
        ]
        + [restricted_match(item["match"].person, "merge-candidates")
           for item in listed if item["restricted"]],
    )  # fmt: skip
    find = FindPersonForm(request.POST if request.method == "POST" else None)
    matches = None
    if find.is_bound and find.is_valid():
        # A search like any other (people.views.search_with_access): audited, each person
        # listed under their own access, a restricted match naming no one.
        matches, _ = search_with_access(request, find.cleaned_data, "merge-search")
        for item in matches:
            item["this_record"] = item["match"].person.pk == person.pk
            item["mergeable"] = not item["this_record"] and may_merge_with(item["access"])
    context = {
        "person": person,
        "candidates": candidates,
        "not_open": len(listed) - len(candidates),
        "find": find,
        "matches": matches,
    }
    return render(request, "people/merge.html", context)


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def compare_for_merge(request: HttpRequest, person: Person, other_id) -> HttpResponse:
    """The two records side by side, differences in words; merged into `person` with a
    reason. The other record is asked the same rules as a page changing it would ask:
    refused if it is closed to the manager, read only by break-glass, or restricted from
    processing."""
    other = get_object_or_404(
        Person.objects.select_related("restriction__created_by"),
        public_id=other_id,
        merged_into=None,
    )
    if other.pk == person.pk:
        raise Http404("A record is not compared with itself")
    access = person_access(request, other)
    if not access.allowed:
        return refused(request, other, access, "person", other.public_id)
    if access.read_only:
        return read_only(request, other, access.rights_request)
    restriction = restriction_in_force(other)
    if restriction is not None:
        return processing_restricted(request, other, restriction)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.merge_records(request, person, other, form.cleaned_data["reason"])
        except ProcessingRestricted as refusal:
            form.add_error(None, str(refusal).partition(": ")[2] or str(refusal))
        except ValueError as refusal:
            field, _, words = str(refusal).partition(": ")
            form.add_error("reason" if field == "reason" else None, words or str(refusal))
        else:
            messages.success(request, f"{other.full_name}'s record is merged into this one")
            return redirect("people:person", person_id=person.public_id)
    # Said on opening, not only once a reason is typed: the two records' restrictions.
    try:
        services.refuse_if_restriction_widened(person, other)
    except ValueError as refusal:
        blocked = str(refusal).partition(": ")[2]
    else:
        blocked = ""
    comparison = compare_records(request, person, other)
    # Each person's data is looked at under their own access, with what was shown of them.
    audit_people_shown(
        request, request.record_access, [person], comparison.this_categories, COMPARE_PAGE
    )
    audit_people_shown(request, access, [other], comparison.other_categories, COMPARE_PAGE)
    context = {
        "person": person,
        "other": other,
        "comparison": comparison,
        "form": form,
        "blocked": blocked,
        # Keeping the other record instead: the same comparison, the other way round.
        "swap": reverse(
            "people:compare_for_merge",
            kwargs={"person_id": other.public_id, "other_id": person.public_id},
        ),
    }
    return render(request, "people/merge_compare.html", context)


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def undo_person_merge(request: HttpRequest, merge_id) -> HttpResponse:
    """Separate two merged records again: a manager who may open the kept record, with a reason."""
    merge = get_object_or_404(
        PersonMerge.objects.select_related("kept__restriction__created_by", "merged"),
        public_id=merge_id,
    )
    access = person_access(request, merge.kept)
    if not access.allowed:
        return refused(request, merge.kept, access, "person", merge.kept.public_id)
    if access.read_only:
        return read_only(request, merge.kept, access.rights_request)
    form = UndoMergeForm(request.POST or None)
    if request.method == "POST" and merge.undone_at is None and form.is_valid():
        try:
            services.undo_records_merge(request, merge, form.cleaned_data["reason"])
        except ProcessingRestricted as refusal:
            messages.info(request, str(refusal).partition(": ")[2])
        except ValueError as refusal:
            messages.info(request, str(refusal).partition(": ")[2] or str(refusal))
        else:
            messages.success(request, "The merge is undone: the two records are separate again")
        return redirect("people:person", person_id=merge.kept.public_id)
    shown = categories_of(*MERGED_SHOWN)
    audit_people_shown(request, access, [merge.kept], shown, "undo-merge")
    # The merged record under its own access: while merged it is read through the kept one;
    # undone, it is a record of its own again, which may since be held elsewhere or
    # restricted. A restriction closing it to the reader leaves it unnamed, as everywhere.
    own = access if merge.undone_at is None else person_access(request, merge.merged)
    restricted = is_restricted_from(request.user, merge.merged)
    if restricted:
        audit_looks(request, [restricted_match(merge.merged, "undo-merge")])
    else:
        audit_looks(
            request, [look(own, "person", merge.merged.public_id, shown, page="undo-merge")]
        )
    context = {
        "merge": merge,
        "form": form,
        "merged_name": "a restricted record" if restricted else merge.merged.full_name,
    }
    return render(request, "people/undo_merge.html", context)
