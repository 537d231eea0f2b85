"""Pages for an Early Help assessment: start one from the case, record it with its needs,
complete it, and read it.

Each is open to casework staff who may open the assessment's case (need-to-know, through
the case guards); the pages that write are refused under break-glass. The URLs carry
public ids only.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import (
    audit_look,
    audit_people_shown,
    with_assessment,
    with_assessment_to_change,
    with_case_to_change,
)
from earlyhelp.access.roles import CASEWORK
from earlyhelp.cases import assessments
from earlyhelp.cases.assessment_forms import (
    AssessmentForm,
    CompleteAssessmentForm,
    NeedFormSet,
    StartAssessmentForm,
)
from earlyhelp.cases.choices import service_name
from earlyhelp.cases.models import Assessment, Case
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.models import Person
from earlyhelp.web.forms import refusal_sentence
from earlyhelp.web.once import submitted_once

# What an assessment's pages show, by model: the assessment, its needs, and the case's people.
ASSESSMENT_PAGE = (Case, *assessments.ASSESSMENT_RECORD, Person)


def _audit_assessment(request: HttpRequest, assessment: Assessment, page: str) -> None:
    """The look at the assessment, and at each person on its case, whose assessment it is."""
    access = request.record_access
    shown = categories_of(*ASSESSMENT_PAGE)
    audit_look(request, access, "assessment", assessment.public_id, shown, page=page)
    people = Person.objects.filter(case_memberships__case=assessment.case).distinct()
    audit_people_shown(request, access, people, shown, page)


def _closed(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    messages.info(
        request,
        f"This assessment was completed on {format_day(assessment.completed)} and can no "
        "longer be changed",
    )
    return redirect("cases:assessment", assessment_id=assessment.public_id)


def agreement_words(assessment: Assessment) -> str:
    """The family's answer about working together, in words, with its date."""
    if assessment.family_agreed is None:
        return "Not asked yet"
    on = f" on {format_day(assessment.family_agreed_on)}" if assessment.family_agreed_on else ""
    if assessment.family_agreed:
        return f"The family agreed to work together with the service{on}"
    return f"The family did not agree to work together with the service{on}"


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def start_assessment(request: HttpRequest, case: Case) -> HttpResponse:
    """Start an early help assessment on the case, or a review of a completed one."""
    earlier = list(case.assessments.filter(completed__isnull=False).order_by("-completed", "-pk"))
    form = StartAssessmentForm(request.POST or None, case=case, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessments.start_assessment(
                request, case, started=form.cleaned_data["started"], reviews=form.reviewed()
            )
        except ValueError as problem:
            form.add_error(None, refusal_sentence(problem))
        else:
            messages.success(request, "Assessment started")
            return redirect("cases:edit_assessment", assessment_id=assessment.public_id)
    return render(
        request,
        "cases/start_assessment.html",
        {"case": case, "service": service_name(case.service), "form": form},
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_assessment_to_change
@submitted_once
def edit_assessment(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Record the assessment: views, who took part, strengths, needs by outcome, summary,
    and the family's agreement to work together."""
    if assessment.completed is not None:
        return _closed(request, assessment)
    data = request.POST if request.method == "POST" else None
    form = AssessmentForm(data, assessment=assessment)
    needs = NeedFormSet(data, assessment=assessment, prefix="needs")
    if request.method == "POST" and all([form.is_valid(), needs.is_valid()]):
        try:
            assessments.update_assessment(
                request,
                assessment,
                needs=needs.entries(),
                remove_needs=needs.removed(),
                **form.changes(),
            )
        except ValueError as problem:
            form.add_error(None, refusal_sentence(problem))
        else:
            messages.success(request, "Assessment saved")
            if request.POST.get("then") == "more-needs":
                return redirect("cases:edit_assessment", assessment_id=assessment.public_id)
            return redirect("cases:assessment", assessment_id=assessment.public_id)
    _audit_assessment(request, assessment, "edit_assessment")
    return render(
        request,
        "cases/edit_assessment.html",
        {"assessment": assessment, "case": assessment.case, "form": form, "needs": needs},
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_assessment_to_change
@submitted_once
def complete_assessment(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Complete the assessment: from then on it is read only."""
    if assessment.completed is not None:
        return _closed(request, assessment)
    form = CompleteAssessmentForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            assessments.complete_assessment(
                request, assessment, completed=form.cleaned_data["completed"]
            )
        except ValueError as problem:
            form.add_error(None, refusal_sentence(problem))
        else:
            messages.success(request, "Assessment completed")
            return redirect("cases:assessment", assessment_id=assessment.public_id)
    _audit_assessment(request, assessment, "complete_assessment")
    return render(
        request,
        "cases/complete_assessment.html",
        {"assessment": assessment, "case": assessment.case, "form": form},
    )


@role_required(*CASEWORK)
@require_safe
@with_assessment
def assessment_detail(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """The assessment as recorded, read only."""
    _audit_assessment(request, assessment, "assessment_detail")
    context = {
        "assessment": assessment,
        "case": assessment.case,
        "service": service_name(assessment.case.service),
        "needs": assessments.needs_by_outcome(assessment.found_needs.all()),
        "agreement": agreement_words(assessment),
        "reviewed_by": assessment.review_assessments.order_by("started", "pk"),
    }
    return render(request, "cases/assessment.html", context)
