"""Pages for closing a case: request closure (with every need's outcome), read a closure
request, sign it off or return it (a team manager of the case's team, never the person who
asked), and reopen a closed case.

Every page is reached through its case (`with_case` / `with_case_to_change`), so the case's
need-to-know rule, restrictions and break-glass (read only) apply; a closure request is
found only among its own case's requests. Each page records the look with the categories
of what it shows, against the case or the request and each person on the case. A page
asked for when it does not apply (closing a closed case, deciding a decided request) says
why and offers no form.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import (
    audit_case_page,
    refused,
    with_case,
    with_case_to_change,
)
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.access.rules import Access, manages_team_of, works_in_team_of
from earlyhelp.cases import caseload, closure
from earlyhelp.cases.choices import ClosureDecision, closure_reason_name
from earlyhelp.cases.closure_forms import DecideClosureForm, ReopenForm, RequestClosureForm
from earlyhelp.cases.models import Case, ClosureRequest, Need, NeedOutcome, Reopening
from earlyhelp.cases.plans import outcome_words
from earlyhelp.cases.views import _rows
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing import step_up
from earlyhelp.sharing.services import while_restricted_ground
from earlyhelp.web.forms import add_refusal
from earlyhelp.web.once import submitted_once

# What each page shows, by model: its audit events record these models' categories.
REQUEST_FORM = (Case, Need)
CLOSURE_PAGE = (Case, ClosureRequest, NeedOutcome, Need)
REOPEN_FORM = (Case, ClosureRequest, Reopening)
# A returned request on the home page: the children, the case and the manager's comment.
RETURNED_ROW = (Person, Case, ClosureRequest)


def _closure_of(case: Case, closure_id) -> ClosureRequest:
    # Only among this case's requests: another case's is not found through this one.
    return get_object_or_404(
        ClosureRequest.objects.select_related("requested_by", "decided_by"),
        case=case,
        public_id=closure_id,
    )


def _not_now(
    request: HttpRequest, case: Case, page: str, heading: str, why: str, awaiting=None
) -> HttpResponse:
    """The page for a form that does not apply to the case as it is now: why, no form."""
    audit_case_page(request, case, "case", case.public_id, (Case, ClosureRequest), page)
    context = {"case": case, "heading": heading, "why": why, "awaiting": awaiting}
    return render(request, "cases/closure_not_now.html", context)


def _posted(request: HttpRequest):
    """The form's data on a POST, even an empty one (which `request.POST or None` would
    take for a first look at the form)."""
    return request.POST if request.method == "POST" else None


def _on(closure_request: ClosureRequest) -> str:
    """ " on 27 November 2026": the day it was decided, if known."""
    if closure_request.decided_at is None:
        return ""
    return f" on {format_day(timezone.localtime(closure_request.decided_at).date())}"


def _outcome_rows(closure_request: ClosureRequest) -> list[dict]:
    outcomes = closure_request.outcomes.select_related("need").order_by(
        "need__assessment__started", "need__pk"
    )
    return [
        {"number": n, "outcome": item, "words": outcome_words(item.need)}
        for n, item in enumerate(outcomes, start=1)
    ]


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def request_closure(request: HttpRequest, case: Case) -> HttpResponse:
    """Ask to close an open case: reason, summary, closing date and every need's outcome."""
    if not case.is_open:
        return _not_now(
            request,
            case,
            "request_closure",
            "This case is closed",
            f"It closed on {format_day(case.ended)}"
            + (f": {closure_reason_name(case.closure_reason)}." if case.closure_reason else "."),
        )
    awaiting = closure.awaiting_request(case)
    if awaiting is not None:
        return _not_now(
            request,
            case,
            "request_closure",
            "Closure awaiting sign-off",
            "A request to close this case already awaits a manager's sign-off.",
            awaiting=awaiting,
        )
    needs = list(closure.needs_at_closure(case))
    returned = closure.returned_request(case)
    initial = RequestClosureForm.initial_from(returned, needs) if returned else None
    form = RequestClosureForm(_posted(request), case=case, needs=needs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = closure.request_closure(
                request,
                case,
                reason=data["reason"],
                summary=data["summary"],
                closing_on=data["closing_on"],
                referred_to_social_care_on=data["referred_to_social_care_on"],
                outcomes=form.outcomes(),
            )
        except ValueError as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Closure requested. A manager of the team signs it off.")
            return redirect("cases:closure", case_id=case.public_id, closure_id=made.public_id)
    audit_case_page(request, case, "case", case.public_id, REQUEST_FORM, "request_closure")
    context = {"case": case, "form": form, "returned": returned}
    return render(request, "cases/closure_request_form.html", context)


@role_required(*CASEWORK)
@require_safe
@with_case
def closure_detail(request: HttpRequest, case: Case, closure_id) -> HttpResponse:
    """A closure request, read only: reason, summary, dates, outcomes and the decision."""
    closure_request = _closure_of(case, closure_id)
    audit_case_page(
        request, case, "closure-request", closure_request.public_id, CLOSURE_PAGE, "closure_detail"
    )
    awaiting = closure_request.decision == ClosureDecision.AWAITING
    context = {
        "case": case,
        "closure": closure_request,
        "reason": closure_reason_name(closure_request.reason),
        "outcomes": _outcome_rows(closure_request),
        "awaiting": awaiting,
        "can_decide": (
            awaiting
            and case.is_open
            and not request.record_access.emergency
            and closure.may_decide(request.user, closure_request)
        ),
        "own_request": closure_request.requested_by_id == request.user.pk,
    }
    return render(request, "cases/closure_detail.html", context)


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def decide_closure(request: HttpRequest, case: Case, closure_id) -> HttpResponse:
    """A manager of the case's team signs the closure off or returns it with a comment.

    The manager who asked to close the case is refused (separation of duties): another
    manager of the team decides.
    """
    if not manages_team_of(request.user, case):
        return refused(request, None, Access(False), "case", case.public_id, case=case)
    closure_request = _closure_of(case, closure_id)
    if closure_request.decision != ClosureDecision.AWAITING:
        return _not_now(
            request,
            case,
            "decide_closure",
            "This closure request has been decided",
            f"It was {closure_request.get_decision_display().lower()}{_on(closure_request)}.",
        )
    if closure_request.requested_by_id == request.user.pk:
        return _not_now(
            request,
            case,
            "decide_closure",
            "You asked to close this case",
            "Another manager of the team signs it off: no one signs off their own request.",
        )
    restricted = step_up.restricted_members(case) if _shares(closure_request) else []
    ground = while_restricted_ground() if restricted else None
    form = DecideClosureForm(_posted(request), restricted=bool(restricted and ground))
    if request.method == "POST" and form.is_valid():
        try:
            closure.decide_closure(
                request,
                closure_request,
                approve=form.approves(),
                comment=form.cleaned_data["manager_comment"],
                restriction_reason=form.restriction_reason_given(),
            )
        except ValueError as problem:
            add_refusal(form, problem)
        else:
            said = (
                "Closure signed off: the case is closed"
                if form.approves()
                else ("Closure returned to the worker with your comment")
            )
            messages.success(request, said)
            return redirect(
                "cases:closure", case_id=case.public_id, closure_id=closure_request.public_id
            )
    audit_case_page(
        request, case, "closure-request", closure_request.public_id, CLOSURE_PAGE, "decide_closure"
    )
    context = {
        "case": case,
        "closure": closure_request,
        "reason": closure_reason_name(closure_request.reason),
        "outcomes": _outcome_rows(closure_request),
        "form": form,
        "restricted": restricted,
        "restriction_ground": ground,
    }
    return render(request, "cases/closure_decide.html", context)


def _shares(closure_request: ClosureRequest) -> bool:
    """Whether signing `closure_request` off shares the members' records: a step-up the
    policy records as a disclosure (sharing.step_up)."""
    return (
        closure.refers_to_social_care(closure_request.reason)
        and active_policy().sharing.step_up is not None
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def reopen_case(request: HttpRequest, case: Case) -> HttpResponse:
    """A worker or manager of the case's team reopens a closed case, with a reason."""
    if case.is_open:
        return _not_now(
            request, case, "reopen_case", "This case is open", "Only a closed case is reopened."
        )
    if not works_in_team_of(request.user, case):
        return refused(request, None, Access(False), "case", case.public_id, case=case)
    form = ReopenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            closure.reopen_case(request, case, reason=form.cleaned_data["reason"])
        except ValueError as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Case reopened")
            return redirect("cases:case", case_id=case.public_id)
    audit_case_page(request, case, "case", case.public_id, REOPEN_FORM, "reopen_case")
    context = {"case": case, "form": form, "reason": closure_reason_name(case.closure_reason)}
    return render(request, "cases/closure_reopen.html", context)


def returned_closures_context(request: HttpRequest) -> list[dict]:
    """The reader's closure requests returned to them, each under the case rule."""
    returned = list(caseload.returned_closures(request.user)[: caseload.PAGE_SIZE])
    rows = _rows(request, [c.case for c in returned], RETURNED_ROW, "returned-closures")
    for row, closure_request in zip(rows, returned, strict=True):
        row["closure"] = closure_request
    return rows
