"""Pages for the Team Around the Family plan: agree it, read it, change its goals before
its first review, and review it.

Every page is reached through its case (`with_case` / `with_case_to_change`), so the case's
need-to-know rule, restrictions and break-glass apply; a plan is found only among its own
case's plans. Each page records the look with the categories of what it shows, against
the plan (or the case) and each person on the case.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import audit_case_page, with_case, with_case_to_change
from earlyhelp.access.roles import CASEWORK
from earlyhelp.cases import plans
from earlyhelp.cases.models import (
    Case,
    GoalProgress,
    Need,
    Plan,
    PlanAction,
    PlanGoal,
    PlanReview,
)
from earlyhelp.cases.plan_forms import ACTION_ROWS, AgreePlanForm, GoalForm, ReviewForm
from earlyhelp.lib.plausible import format_day
from earlyhelp.lib.words import day_words
from earlyhelp.web.once import submitted_once

# What each page shows, by model: its audit events record these models' categories.
PLAN_PAGE = (Case, Plan, PlanGoal, PlanAction, Need, PlanReview, GoalProgress)
# Agreeing a plan offers the needs the case's assessments found.
AGREE_FORM = (Case, Need)
# Changing a goal or reviewing the plan shows its goals, their needs and actions.
PLAN_FORM = (Case, Plan, PlanGoal, PlanAction, Need)


def _plan_of(case: Case, plan_id) -> Plan:
    # Only among this case's plans: another case's plan is not found through this one.
    return get_object_or_404(Plan.objects.select_related("author"), case=case, public_id=plan_id)


def _closed(request: HttpRequest, case: Case) -> HttpResponse:
    messages.info(request, "This case is closed: plans are agreed and reviewed on open cases")
    return redirect("cases:case", case_id=case.public_id)


def _reviewed(request: HttpRequest, case: Case, plan: Plan) -> HttpResponse:
    messages.info(
        request,
        "This plan has been reviewed, so its goals stay as they were reviewed. "
        "Agree a new plan to change them.",
    )
    return redirect("cases:plan", case_id=case.public_id, plan_id=plan.public_id)


def _superseded(request: HttpRequest, case: Case, plan: Plan) -> HttpResponse | None:
    """The plan page, saying the plan was replaced, when a later plan is in force; else None."""
    latest = plans.plan_in_force(case)
    if latest is None or latest.pk == plan.pk:
        return None
    messages.info(
        request,
        f"The plan agreed {format_day(latest.agreed)} replaced this one, so this plan stays as "
        "it was. Review or change the plan in force.",
    )
    return redirect("cases:plan", case_id=case.public_id, plan_id=plan.public_id)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def agree_plan(request: HttpRequest, case: Case) -> HttpResponse:
    """Agree a plan on an open case, with its first goal and that goal's actions."""
    if not case.is_open:
        return _closed(request, case)
    needs = list(plans.case_needs(case))
    form = AgreePlanForm(request.POST or None, case=case, needs=needs)
    if request.method == "POST" and form.is_valid():
        plan = plans.agree_plan_as(
            request,
            case,
            agreed=form.cleaned_data["agreed"],
            review_date=form.first_review(),
            goals=[form.planned()],
        )
        messages.success(request, "Plan agreed. Add any other goals below.")
        return redirect("cases:plan", case_id=case.public_id, plan_id=plan.public_id)
    audit_case_page(request, case, "case", case.public_id, AGREE_FORM, "agree_plan")
    context = {"case": case, "form": form, "needs": needs}
    return render(request, "cases/agree_plan.html", context)


@role_required(*CASEWORK)
@require_safe
@with_case
def plan_detail(request: HttpRequest, case: Case, plan_id) -> HttpResponse:
    """The plan: its goals with their needs and actions, and its reviews, newest first."""
    plan = _plan_of(case, plan_id)
    goals = list(plan.goals.select_related("need").prefetch_related("plan_actions").order_by("pk"))
    number = {goal.pk: n for n, goal in enumerate(goals, start=1)}
    reviews = list(
        plan.reviews.select_related("author")
        .prefetch_related("progress")
        .order_by("-reviewed_on", "-pk")
    )
    history = [
        {
            "review": review,
            "progress": sorted(
                (
                    {
                        "number": number[item.goal_id],
                        "status": item.get_status_display(),
                        "comment": item.comment,
                    }
                    for item in review.progress.all()
                ),
                key=lambda row: row["number"],
            ),
        }
        for review in reviews
    ]
    today = timezone.localdate()
    latest = plans.plan_in_force(case)
    audit_case_page(request, case, "plan", plan.public_id, PLAN_PAGE, "plan_detail")
    context = {
        "case": case,
        "plan": plan,
        "goals": [
            {
                "number": n,
                "goal": goal,
                "outcome": plans.outcome_words(goal.need) if goal.need_id else "",
                "actions": sorted(goal.plan_actions.all(), key=lambda action: action.pk),
            }
            for n, goal in enumerate(goals, start=1)
        ],
        "history": history,
        "is_latest": latest == plan,
        # A plan replaced by one agreed later is marked "Superseded", naming that one.
        "latest": latest,
        "overdue": case.is_open and plans.is_overdue(plan.review_date, today),
        "can_change_goals": case.is_open and not reviews and latest == plan,
        "can_review": case.is_open and latest == plan,
        "action_rows": ACTION_ROWS,
    }
    return render(request, "cases/plan.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def add_plan_goal(request: HttpRequest, case: Case, plan_id) -> HttpResponse:
    """Add a goal, with its actions, to a plan not yet reviewed."""
    plan = _plan_of(case, plan_id)
    if not case.is_open:
        return _closed(request, case)
    if superseded := _superseded(request, case, plan):
        return superseded
    if plan.reviews.exists():
        return _reviewed(request, case, plan)
    form = GoalForm(request.POST or None, needs=plans.case_needs(case), starts=plan.agreed)
    if request.method == "POST" and form.is_valid():
        plans.add_goal_as(request, plan, form.planned())
        messages.success(request, "Goal added")
        return redirect("cases:plan", case_id=case.public_id, plan_id=plan.public_id)
    audit_case_page(request, case, "plan", plan.public_id, PLAN_FORM, "add_plan_goal")
    context = {"case": case, "plan": plan, "form": form, "number": plan.goals.count() + 1}
    return render(request, "cases/plan_goal.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def edit_plan_goal(request: HttpRequest, case: Case, plan_id, goal_number: int) -> HttpResponse:
    """Change goal `goal_number` of a plan not yet reviewed: its words, need, target date
    and actions (an action row left empty is taken off the goal)."""
    plan = _plan_of(case, plan_id)
    goal = plans.goal_numbered(plan, goal_number)
    if goal is None:
        raise Http404("The plan has no such goal")
    if not case.is_open:
        return _closed(request, case)
    if superseded := _superseded(request, case, plan):
        return superseded
    if plan.reviews.exists():
        return _reviewed(request, case, plan)
    initial = GoalForm.initial_for(goal)
    rows = goal.plan_actions.count() + 1
    form = GoalForm(
        request.POST or None,
        initial=initial,
        needs=plans.case_needs(case),
        rows=max(rows, ACTION_ROWS),
        starts=plan.agreed,
    )
    if request.method == "POST" and form.is_valid():
        plans.change_goal_as(request, goal, form.planned())
        messages.success(request, f"Goal {goal_number} changed")
        return redirect("cases:plan", case_id=case.public_id, plan_id=plan.public_id)
    audit_case_page(request, case, "plan", plan.public_id, PLAN_FORM, "edit_plan_goal")
    context = {"case": case, "plan": plan, "form": form, "number": goal_number, "goal": goal}
    return render(request, "cases/plan_goal.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def review_plan(request: HttpRequest, case: Case, plan_id) -> HttpResponse:
    """Review the plan: progress on each goal, a summary and the next review."""
    plan = _plan_of(case, plan_id)
    if not case.is_open:
        return _closed(request, case)
    if superseded := _superseded(request, case, plan):
        return superseded
    goals = list(plan.goals.select_related("need").order_by("pk"))
    earlier = plans.last_reviewed(plan)
    if earlier is not None:
        after, words = earlier.reviewed_on, "date of the last review"
    else:
        after, words = plan.agreed, "date the plan was agreed"
    form = ReviewForm(request.POST or None, goals=goals, after=after, after_words=words)
    if request.method == "POST" and form.is_valid():
        review = plans.review_plan_as(
            request,
            plan,
            reviewed_on=form.cleaned_data["reviewed_on"],
            progress=form.progress(),
            summary=form.cleaned_data["summary"],
            next_review=form.cleaned_data["next_review"],
        )
        messages.success(request, f"Review recorded. Next review {day_words(review.next_review)}")
        return redirect("cases:plan", case_id=case.public_id, plan_id=plan.public_id)
    audit_case_page(request, case, "plan", plan.public_id, PLAN_FORM, "review_plan")
    context = {"case": case, "plan": plan, "form": form}
    return render(request, "cases/review_plan.html", context)
