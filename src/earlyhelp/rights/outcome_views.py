"""The information governance officer's pages for the other rights on a request:
correction, erasure, restriction and objection, for each person record in scope.

Thin views: the writes and their audit events are in rights.outcomes. Each page showing
a person's data records one look against them, with the request as its purpose.
URLs carry public ids only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import refused
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import is_restricted_from, person_access
from earlyhelp.cases import corrections
from earlyhelp.cases.correction_views import STRIKE, CorrectionForm
from earlyhelp.cases.correction_views import _fields_form as correction_fields_form
from earlyhelp.cases.models import Contact, Correction
from earlyhelp.extracts.models import Objection
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import outcome_forms as f
from earlyhelp.rights import outcomes
from earlyhelp.rights.models import (
    Disagreement,
    ProcessingRestriction,
    RightOutcome,
    RightsRequest,
)
from earlyhelp.rights.processing import restricted_words, restriction_in_force
from earlyhelp.web.forms import add_refusal, refusal_sentence
from earlyhelp.web.once import submitted_once

IG = Role.INFORMATION_GOVERNANCE
Right = RightsRequest.Right


def _load(request_id, person_id) -> tuple[RightsRequest, Person]:
    """The request and the person named; 404 for either not found (whether the person is
    in the request's scope is the rule's to say: _refusal)."""
    rights_request = get_object_or_404(
        RightsRequest.objects.select_related("handled_by"), public_id=request_id
    )
    person = get_object_or_404(Person, public_id=person_id)
    return rights_request, person


def refused_page(request: HttpRequest, rights_request: RightsRequest, problem: str) -> HttpResponse:
    """403 with the refusal ("field: rule") in words and the way back to the request."""
    context = {
        "rights_request": rights_request,
        "why": refusal_sentence(problem),
        "back": reverse("rights:request", args=[rights_request.public_id]),
    }
    return render(request, "rights/outcomes/refused.html", context, status=403)


def _refused(request: HttpRequest, rights_request: RightsRequest, problem: str) -> HttpResponse:
    """A refusal in words: for a closed request a message and back to its page; else 403."""
    if not rights_request.is_open:
        messages.info(request, refusal_sentence(problem))
        return redirect("rights:request", request_id=rights_request.public_id)
    return refused_page(request, rights_request, problem)


def _refusal(
    request: HttpRequest, rights_request: RightsRequest, person: Person, right: str
) -> HttpResponse | None:
    """The rule of every outcome page (outcomes.refusal): the request open, the user handling
    it and the person in its scope, to look; to record (POST), the request asking for
    `right` too. None when allowed."""
    # A record restricted from the officer since it was matched stays closed to them, as
    # every page naming it is, saying whom to ask.
    if is_restricted_from(request.user, person):
        return refused(request, person, person_access(request, person), "person", person.public_id)
    asked = right if request.method == "POST" else None
    problem = outcomes.refusal(rights_request, person, request.user, asked)
    return _refused(request, rights_request, problem) if problem else None


def _context(rights_request: RightsRequest, person: Person, **more) -> dict:
    return {
        "rights_request": rights_request,
        "person": person,
        "outcomes": RightOutcome.objects.filter(request=rights_request, person=person).order_by(
            "recorded_at", "pk"
        ),
        "back": reverse("rights:request", args=[rights_request.public_id]),
        **more,
    }


# --- correction ------------------------------------------------------------------------------


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def correction(request: HttpRequest, request_id, person_id) -> HttpResponse:
    """The person's correctable records, what was corrected on the request, and its outcome
    (corrected, or not, with the person's disagreement recorded beside the data)."""
    rights_request, person = _load(request_id, person_id)
    if refused := _refusal(request, rights_request, person, Right.RECTIFICATION):
        return refused
    form = f.RectificationOutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcomes.record_rectification(
                request,
                rights_request,
                person,
                corrected=data["result"] == f.CORRECTED,
                what=data["what"],
                about=data["about"],
                statement=data["statement"],
            )
        except ValueError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Outcome recorded")
            return redirect("rights:request", request_id=rights_request.public_id)
    records = outcomes.correctable_records(person)
    outcomes.audit_request_look(
        request,
        rights_request,
        person,
        {Person, Correction, Disagreement, *(type(r.record) for r in records)},
        page="rights-correction",
    )
    context = _context(
        rights_request,
        person,
        form=form,
        records=records,
        asked=Right.RECTIFICATION in (rights_request.rights_asked or []),
        done_so_far=outcomes.corrections_on_request(rights_request, person, request.user),
        restriction=restriction_in_force(person),
        right_name=outcomes.right_name(Right.RECTIFICATION),
    )
    return render(request, "rights/outcomes/correction.html", context)


def _correct(request: HttpRequest, rights_request, person, record, done: str) -> HttpResponse:
    """The casework correction page for `record`, corrected on the request."""
    data = request.POST if request.method == "POST" else None
    form = CorrectionForm(data)
    fields = correction_fields_form(record, data, None if isinstance(record, Contact) else person)
    struck = corrections.struck_out(record)
    allowed = corrections.may_correct(request.user, record, rights_request=rights_request)
    if request.method == "POST" and allowed and struck is None and form.is_valid():
        changes = None
        if form.cleaned_data["action"] != STRIKE and fields.is_valid():
            changes = {
                name: fields.cleaned_data[name]
                for name in corrections.fields_of(record)
                if name in fields.cleaned_data
            }
            if isinstance(record, Contact):
                changes["occurred_at"] = corrections.on_day(
                    record.occurred_at, changes["occurred_at"]
                )
        if changes is not None or form.cleaned_data["action"] == STRIKE:
            try:
                outcomes.correct_on_request(
                    request,
                    rights_request,
                    person,
                    record,
                    changes=changes,
                    reason=form.cleaned_data["reason"],
                )
            except ValueError as problem:
                # A changed field's rule goes on that field; any other on the reason or the top.
                if str(problem).partition(": ")[0] in fields.fields:
                    add_refusal(fields, problem)
                else:
                    add_refusal(form, problem)
            else:
                messages.success(request, "Saved. The version before is kept.")
                return redirect(done)
    outcomes.audit_request_look(
        request,
        rights_request,
        person,
        set(corrections.record_models(record)) | {Person},
        page="rights-correct-record",
    )
    context = {
        "record": record,
        "person": person,
        "form": form,
        "fields": fields,
        "struck": struck,
        "allowed": allowed,
        "done": done,
        "what": corrections.kind_of(record).name,
        "described": corrections.described(record),
    }
    return render(request, "cases/correct_record.html", context)


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def correct_record(
    request: HttpRequest, request_id, person_id, record_kind: str, number: int
) -> HttpResponse:
    """Correct or strike out one of the person's facts, addresses or relationships."""
    rights_request, person = _load(request_id, person_id)
    if refused := _refusal(request, rights_request, person, Right.RECTIFICATION):
        return refused
    record = outcomes.record_on_request(person, record_kind, number)
    if record is None:
        raise Http404
    done = reverse("rights_outcomes:correction", args=[rights_request.public_id, person.public_id])
    return _correct(request, rights_request, person, record, done)


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def correct_contact(request: HttpRequest, request_id, person_id, contact_id) -> HttpResponse:
    """Correct or strike out a contact on one of the person's cases."""
    rights_request, person = _load(request_id, person_id)
    if refused := _refusal(request, rights_request, person, Right.RECTIFICATION):
        return refused
    contact = get_object_or_404(
        Contact.objects.filter(case__members__person=person).distinct(), public_id=contact_id
    )
    done = reverse("rights_outcomes:correction", args=[rights_request.public_id, person.public_id])
    return _correct(request, rights_request, person, contact, done)


# --- erasure ---------------------------------------------------------------------------------


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def erasure(request: HttpRequest, request_id, person_id) -> HttpResponse:
    """Per purpose: what is held about the person under it, whether erasure applies (the
    policy's lawful basis and rule), and the button to erase or record why not."""
    rights_request, person = _load(request_id, person_id)
    if refused := _refusal(request, rights_request, person, Right.ERASURE):
        return refused
    form = f.ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.erase_for_purpose(
                request, rights_request, person, form.cleaned_data["purpose"]
            )
        except ValueError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Outcome recorded")
            return redirect(
                "rights_outcomes:erasure",
                request_id=rights_request.public_id,
                person_id=person.public_id,
            )
    plan = outcomes.erasure_plan(person)
    shown = {Person, *(h.holding.model for p in plan for h in p.held)}
    outcomes.audit_request_look(request, rights_request, person, shown, page="rights-erasure")
    context = _context(
        rights_request,
        person,
        form=form,
        plan=plan,
        asked=Right.ERASURE in (rights_request.rights_asked or []),
        right_name=outcomes.right_name(Right.ERASURE),
    )
    return render(request, "rights/outcomes/erasure.html", context)


# --- restriction -----------------------------------------------------------------------------


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def restriction(request: HttpRequest, request_id, person_id) -> HttpResponse:
    """Restrict processing of the person's data, or lift the restriction in force."""
    rights_request, person = _load(request_id, person_id)
    if refused := _refusal(request, rights_request, person, Right.RESTRICTION):
        return refused
    in_force = restriction_in_force(person)
    # Lifting: on the request that made it while that is open, else through this one.
    not_here = outcomes.lifting_refusal(in_force, rights_request, request.user) if in_force else ""
    if request.method == "POST":
        problem = (
            not_here
            if in_force
            else outcomes.refusal(rights_request, person, request.user, Right.RESTRICTION)
        )
        if problem:
            return _refused(request, rights_request, problem)
    data = request.POST if request.method == "POST" else None
    form = f.LiftForm(data) if in_force else f.RestrictForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            if in_force:
                outcomes.lift_restriction(
                    request, rights_request, in_force, form.cleaned_data["reason"]
                )
                messages.success(request, "Restriction lifted")
            else:
                outcomes.restrict_processing(
                    request, rights_request, person, form.cleaned_data["reason"]
                )
                messages.success(request, "Processing restricted")
        except ValueError as error:
            add_refusal(form, error)
        else:
            return redirect(
                "rights_outcomes:restriction",
                request_id=rights_request.public_id,
                person_id=person.public_id,
            )
    outcomes.audit_request_look(
        request, rights_request, person, {Person}, page="rights-restriction"
    )
    context = _context(
        rights_request,
        person,
        form=form,
        in_force=in_force,
        why=restricted_words(in_force) if in_force else "",
        not_here=refusal_sentence(not_here),
        earlier=ProcessingRestriction.objects.filter(person=person, lifted_on__isnull=False),
        asked=Right.RESTRICTION in (rights_request.rights_asked or []),
        right_name=outcomes.right_name(Right.RESTRICTION),
    )
    return render(request, "rights/outcomes/restriction.html", context)


# --- objection -------------------------------------------------------------------------------


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def objection(request: HttpRequest, request_id, person_id) -> HttpResponse:
    """Record the person's objection to one of the policy's projects; their objections."""
    rights_request, person = _load(request_id, person_id)
    if refused := _refusal(request, rights_request, person, Right.OBJECT):
        return refused
    form = f.ObjectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.record_objection(request, rights_request, person, form.cleaned_data["project"])
        except ValueError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Outcome recorded")
            return redirect(
                "rights_outcomes:objection",
                request_id=rights_request.public_id,
                person_id=person.public_id,
            )
    policy = active_policy()
    projects = [(p, outcomes.objection_decision(p, policy)) for p in policy.projects]
    names = {p.id: p.name for p in policy.projects}
    objections = list(Objection.objects.filter(person=person).order_by("received", "pk"))
    for row in objections:
        row.project_name = names.get(row.project, row.project)
    outcomes.audit_request_look(
        request, rights_request, person, {Person, Objection}, page="rights-objection"
    )
    context = _context(
        rights_request,
        person,
        form=form,
        projects=projects,
        objections=objections,
        asked=Right.OBJECT in (rights_request.rights_asked or []),
        right_name=outcomes.right_name(Right.OBJECT),
    )
    return render(request, "rights/outcomes/objection.html", context)


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def withdraw_objection(request: HttpRequest, request_id, objection_id) -> HttpResponse:
    """Record that an objection received through the request was withdrawn, and when."""
    rights_request = get_object_or_404(
        RightsRequest.objects.select_related("handled_by"), public_id=request_id
    )
    found = get_object_or_404(
        Objection.objects.select_related("person"), public_id=objection_id, request=rights_request
    )
    if refused := _refusal(request, rights_request, found.person, Right.OBJECT):
        return refused
    form = f.WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.withdraw_objection(request, found, form.cleaned_data["withdrawn"])
        except ValueError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Withdrawal recorded")
            return redirect(
                "rights_outcomes:objection",
                request_id=rights_request.public_id,
                person_id=found.person.public_id,
            )
    project = active_policy().project(found.project)
    outcomes.audit_request_look(
        request, rights_request, found.person, {Person, Objection}, page="rights-withdraw-objection"
    )
    context = {
        "rights_request": rights_request,
        "person": found.person,
        "objection": found,
        "project_name": project.name if project else found.project,
        "form": form,
    }
    return render(request, "rights/outcomes/withdraw.html", context)
