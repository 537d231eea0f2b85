"""The Team Around the Family plan: its goals, who does what by when, and its reviews.

A plan is agreed on an open case with at least one goal; each goal may be linked to a need
an assessment of that case found, and has one or more actions (what, who, by when). Until
the plan is first reviewed its goals may be added to and changed; a review then records
each goal's progress, a summary and the date of the next review, and the plan's
`review_date` becomes that date. Earlier reviews are kept: each is its own row, with the
progress it found.

The functions without `_as` write without an audit event (the generator and the tests call
them); a page calls the `..._as` function, which writes the same rows and the page's audit
event in one transaction, so a write that fails leaves neither. Every function checks what
it is given and raises ValueError naming the field and the rule, with nothing written.

The interval between reviews is the policy's (`casework.plan_review_every_weeks`), never a
number here. For the work lists, `with_next_review` and `reviews_overdue` give each case's
next plan review from its latest plan.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.audit.log import record
from earlyhelp.cases.choices import GoalStatus
from earlyhelp.cases.models import (
    Case,
    GoalProgress,
    Need,
    Plan,
    PlanAction,
    PlanGoal,
    PlanReview,
)
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.dates import add_months
from earlyhelp.lib.plausible import format_day
from earlyhelp.policy.active import active_policy

# A review is due at most this many months after the plan is agreed or last reviewed: the
# policy's interval is weeks, and a date further off is a slip of the year, not a plan.
LONGEST_MONTHS_TO_REVIEW = 12
# What a plan, a goal and a review write, as the audit event names their categories.
PLAN_WRITES = (Plan, PlanGoal, PlanAction)
GOAL_WRITES = (PlanGoal, PlanAction)
REVIEW_WRITES = (PlanReview, GoalProgress, PlanGoal, Plan)


@dataclass(frozen=True)
class ActionPlanned:
    """Who does what by when, towards a goal."""

    action: str
    who: str
    by_when: date | None = None


@dataclass(frozen=True)
class GoalPlanned:
    """A goal as the family and the professionals agree it, with its actions."""

    goal: str
    actions: Sequence[ActionPlanned]
    need: Need | None = None
    target_date: date | None = None


@dataclass(frozen=True)
class GoalReviewed:
    """A goal's progress as a review found it."""

    goal: PlanGoal
    status: str
    comment: str = ""


@dataclass
class _Checked:
    """What was wrong, field by field, before anything is written."""

    problems: list[str] = field(default_factory=list)

    def add(self, name: str, message: str | None) -> None:
        if message:
            self.problems.append(f"{name}: {message}")

    def raise_any(self) -> None:
        if self.problems:
            raise ValueError("; ".join(self.problems))


def default_next_review(day: date) -> date:
    """The date the next review is due when none is chosen: `day` (the plan agreed or
    reviewed) plus the policy's `casework.plan_review_every_weeks`."""
    return day + timedelta(weeks=active_policy().casework.plan_review_every_weeks)


def latest_next_review(day: date) -> date:
    """The latest plausible next review after `day`: a year after it."""
    return add_months(day, LONGEST_MONTHS_TO_REVIEW)


def next_review_error(
    value: date | None, *, after: date, after_words: str, field: str = "The next review"
) -> str | None:
    """The message if `value` is no plausible next review after `after`, else None.

    A review is after the day the plan was agreed or reviewed (`after_words` says which,
    "the plan was agreed") and no more than a year after it.
    """
    if value is None:
        return None
    if value <= after:
        return f"{field} must be after the date {after_words} ({format_day(after)})"
    latest = latest_next_review(after)
    if value > latest:
        return (
            f"{field} must be no more than a year after the date {after_words} "
            f"({format_day(latest)} at the latest)"
        )
    return None


def goals_in_order(plan: Plan) -> list[PlanGoal]:
    """The plan's goals as they were added: goal 1 first. A goal's number is its place here."""
    return list(plan.goals.order_by("pk"))


def goal_numbered(plan: Plan, number: int) -> PlanGoal | None:
    """Goal `number` (from 1) of the plan, or None if it has no such goal."""
    # Beyond its goals is none (a huge number would overflow the database's offset).
    if not 1 <= number <= plan.goals.count():
        return None
    return plan.goals.order_by("pk")[number - 1 : number].first()


def case_needs(case: Case) -> QuerySet[Need]:
    """The needs the case's assessments found: the ones its goals may be linked to."""
    return Need.objects.filter(assessment__case=case).order_by("assessment__started", "pk")


def outcome_words(need: Need) -> str:
    """The headline outcome a need is classed against, in the policy's words."""
    outcome = active_policy().casework.headline_outcome(need.outcome)
    return outcome.name if outcome is not None else "An outcome the policy no longer has"


def _check_goal(checked: _Checked, case: Case, planned: GoalPlanned, name: str) -> None:
    if not planned.goal.strip():
        checked.add(name, "a goal needs its words")
    if planned.need is not None and (
        planned.need.pk is None
        or not Need.objects.filter(pk=planned.need.pk, assessment__case=case).exists()
    ):
        checked.add(f"{name}.need", "the need must be one an assessment of this case found")
    if not planned.actions:
        checked.add(name, "a goal needs at least one action: what, who and by when")
    for index, action in enumerate(planned.actions, start=1):
        if not action.action.strip():
            checked.add(f"{name}.actions[{index}].action", "say what is to be done")
        if not action.who.strip():
            checked.add(f"{name}.actions[{index}].who", "say who does it")


def _check_open(checked: _Checked, case: Case) -> None:
    if not case.is_open:
        checked.add("case", "the case is closed: plans are agreed and reviewed on open cases")


def _check_not_reviewed(checked: _Checked, plan: Plan) -> None:
    if plan.reviews.exists():
        checked.add(
            "plan",
            "the plan has been reviewed: its goals stay as they were reviewed "
            "(agree a new plan to change them)",
        )


def plan_in_force(case: Case) -> Plan | None:
    """The case's plan in force: the one agreed last (the latest id on a day with two).
    Every earlier plan is superseded by it (with_next_review reads the same order)."""
    return case.plans.order_by("-agreed", "-pk").first()


def _check_in_force(checked: _Checked, plan: Plan) -> None:
    latest = plan_in_force(plan.case)
    if latest is not None and latest.pk != plan.pk:
        checked.add(
            "plan",
            f"the plan agreed {format_day(latest.agreed)} replaced this one: it stays as it "
            "was, and the plan in force is the one reviewed and changed",
        )


def _write_goal(plan: Plan, planned: GoalPlanned) -> PlanGoal:
    goal = PlanGoal.objects.create(
        plan=plan, need=planned.need, goal=planned.goal.strip(), target_date=planned.target_date
    )
    _write_actions(goal, planned.actions)
    return goal


def _write_actions(goal: PlanGoal, actions: Sequence[ActionPlanned]) -> None:
    PlanAction.objects.bulk_create(
        [
            PlanAction(goal=goal, action=a.action.strip(), who=a.who.strip(), by_when=a.by_when)
            for a in actions
        ]
    )


@transaction.atomic
def agree_plan(
    *,
    case: Case,
    author: User | None,
    agreed: date,
    goals: Sequence[GoalPlanned],
    review_date: date | None = None,
) -> Plan:
    """Record a plan agreed on `agreed` for the open `case`, with its goals and actions.

    `review_date` (the first review) defaults to `default_next_review(agreed)`. Raises
    ValueError naming each field that breaks a rule, with nothing written.
    """
    checked = _Checked()
    _check_open(checked, case)
    if agreed < case.started:
        checked.add(
            "agreed", f"a plan is agreed on or after the case started ({format_day(case.started)})"
        )
    if agreed > timezone.localdate():
        checked.add("agreed", "a plan is agreed today or in the past")
    review_date = review_date or default_next_review(agreed)
    checked.add(
        "review_date",
        next_review_error(review_date, after=agreed, after_words="the plan was agreed"),
    )
    if not goals:
        checked.add("goals", "a plan needs at least one goal")
    for index, planned in enumerate(goals, start=1):
        _check_goal(checked, case, planned, f"goals[{index}]")
    checked.raise_any()
    plan = Plan.objects.create(case=case, author=author, agreed=agreed, review_date=review_date)
    for planned in goals:
        _write_goal(plan, planned)
    return plan


@transaction.atomic
def add_goal(plan: Plan, planned: GoalPlanned) -> PlanGoal:
    """Add a goal (with its actions) to a plan not yet reviewed, on an open case."""
    checked = _Checked()
    _check_open(checked, plan.case)
    _check_in_force(checked, plan)
    _check_not_reviewed(checked, plan)
    _check_goal(checked, plan.case, planned, "goal")
    checked.raise_any()
    return _write_goal(plan, planned)


@transaction.atomic
def change_goal(goal: PlanGoal, planned: GoalPlanned) -> PlanGoal:
    """Change a goal of a plan not yet reviewed: its words, need, target date and actions
    (the actions given replace the goal's actions)."""
    plan = goal.plan
    checked = _Checked()
    _check_open(checked, plan.case)
    _check_in_force(checked, plan)
    _check_not_reviewed(checked, plan)
    _check_goal(checked, plan.case, planned, "goal")
    checked.raise_any()
    goal.goal = planned.goal.strip()
    goal.need = planned.need
    goal.target_date = planned.target_date
    goal.save(update_fields=["goal", "need", "target_date"])
    goal.plan_actions.all().delete()
    _write_actions(goal, planned.actions)
    return goal


def last_reviewed(plan: Plan) -> PlanReview | None:
    """The plan's latest review, or None before its first."""
    return plan.reviews.order_by("-reviewed_on", "-pk").first()


@transaction.atomic
def review_plan(
    *,
    plan: Plan,
    author: User | None,
    reviewed_on: date,
    progress: Sequence[GoalReviewed],
    summary: str = "",
    next_review: date | None = None,
) -> PlanReview:
    """Record a review of `plan`: each goal's progress (every goal, once), a summary and the
    next review, which defaults to `default_next_review(reviewed_on)`.

    Each goal's status becomes the one reviewed, and the plan's `review_date` the next
    review; earlier reviews stay as they were. Raises ValueError naming each field that
    breaks a rule, with nothing written.
    """
    checked = _Checked()
    _check_open(checked, plan.case)
    _check_in_force(checked, plan)
    earlier = last_reviewed(plan)
    if reviewed_on < plan.agreed:
        checked.add(
            "reviewed_on",
            f"a review is on or after the plan was agreed ({format_day(plan.agreed)})",
        )
    elif earlier is not None and reviewed_on < earlier.reviewed_on:
        checked.add(
            "reviewed_on",
            f"a review is on or after the last review ({format_day(earlier.reviewed_on)})",
        )
    if reviewed_on > timezone.localdate():
        checked.add("reviewed_on", "a review is recorded today or in the past")
    next_review = next_review or default_next_review(reviewed_on)
    checked.add(
        "next_review",
        next_review_error(next_review, after=reviewed_on, after_words="of the review"),
    )
    goals = {goal.pk: goal for goal in plan.goals.all()}
    seen: set[int] = set()
    for item in progress:
        if item.goal.pk not in goals:
            checked.add("progress", "each goal reviewed must be a goal of this plan")
        elif item.goal.pk in seen:
            checked.add("progress", "each goal is reviewed once")
        seen.add(item.goal.pk)
        if item.status not in GoalStatus.values:
            checked.add(
                "progress.status", "choose not started, in progress, achieved or not achieved"
            )
    if set(goals) - seen:
        checked.add("progress", "every goal of the plan needs its progress")
    checked.raise_any()
    review = PlanReview.objects.create(
        plan=plan,
        author=author,
        reviewed_on=reviewed_on,
        next_review=next_review,
        summary=summary.strip(),
    )
    GoalProgress.objects.bulk_create(
        [
            GoalProgress(
                review=review, goal=item.goal, status=item.status, comment=item.comment.strip()
            )
            for item in progress
        ]
    )
    for item in progress:
        goal = goals[item.goal.pk]
        goal.status = item.status
        goal.save(update_fields=["status"])
    plan.review_date = next_review
    plan.save(update_fields=["review_date"])
    return review


def _audited(request: HttpRequest, action: str, record_type: str, record_id, models, case: Case):
    record(
        request,
        action=action,
        record_type=record_type,
        record_id=str(record_id),
        categories=categories_of(*models),
        details={"case": str(case.public_id)},
    )


@transaction.atomic
def agree_plan_as(request: HttpRequest, case: Case, **fields) -> Plan:
    """agree_plan on `case` by the requesting user: one "create" event against the plan."""
    plan = agree_plan(case=case, author=request.user, **fields)
    _audited(request, "create", "plan", plan.public_id, PLAN_WRITES, case)
    return plan


@transaction.atomic
def add_goal_as(request: HttpRequest, plan: Plan, planned: GoalPlanned) -> PlanGoal:
    """add_goal, by the requesting user: one "change" event against the plan."""
    goal = add_goal(plan, planned)
    _audited(request, "change", "plan", plan.public_id, GOAL_WRITES, plan.case)
    return goal


@transaction.atomic
def change_goal_as(request: HttpRequest, goal: PlanGoal, planned: GoalPlanned) -> PlanGoal:
    """change_goal, by the requesting user: one "change" event against the plan."""
    goal = change_goal(goal, planned)
    _audited(request, "change", "plan", goal.plan.public_id, GOAL_WRITES, goal.plan.case)
    return goal


@transaction.atomic
def review_plan_as(request: HttpRequest, plan: Plan, **fields) -> PlanReview:
    """review_plan, by the requesting user: one "create" event against the review."""
    review = review_plan(plan=plan, author=request.user, **fields)
    _audited(request, "create", "plan-review", review.public_id, REVIEW_WRITES, plan.case)
    return review


# --- For the work lists ------------------------------------------------------------------


def with_next_review(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases`, each annotated with `next_plan_review`: the date the next review of its
    latest plan (the one agreed last) is due, or None for a case without a plan.

    One correlated subquery on the plans' case index, so a list of thousands of cases
    costs one query. The date is the plan's `review_date`, which a review moves on.
    """
    latest = Plan.objects.filter(case=OuterRef("pk")).order_by("-agreed", "-pk")
    return cases.annotate(next_plan_review=Subquery(latest.values("review_date")[:1]))


def reviews_overdue(cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    """The cases of `cases` whose latest plan's next review was due before `today`
    (annotated with `next_plan_review`, as `with_next_review`). A review due today is not
    yet overdue; a case without a plan has no review to be overdue. Pass open cases: a
    closed case's plan is not reviewed again."""
    return with_next_review(cases).filter(review_overdue(today))


def review_overdue(today: date) -> Q:
    """On cases annotated with `next_plan_review`: the latest plan's review was due before
    `today` (as `reviews_overdue`)."""
    return Q(next_plan_review__lt=today)


def is_overdue(review_date: date | None, today: date) -> bool:
    """Whether a review due on `review_date` is overdue on `today` (as `reviews_overdue`)."""
    return review_date is not None and review_date < today
