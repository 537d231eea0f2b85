"""The Team Around the Family plan's services (cases.plans): the rules a plan, its goals and
its reviews keep, what a review changes, the audit events, and the work lists' query."""

from datetime import date, timedelta

import pytest

from earlyhelp.audit.models import AuditEvent
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
from earlyhelp.cases.plans import ActionPlanned, GoalPlanned, GoalReviewed
from earlyhelp.datamap.registry import categories_of
from earlyhelp.policy.active import active_policy
from tests.factories import AssessmentFactory, CaseFactory, PlanFactory
from tests.policy import camden_dict, write_policy

PLAN_TABLES = (Plan, PlanGoal, PlanAction, PlanReview, GoalProgress)
AGREED = date(2026, 9, 8)  # a week after the `case` fixture's case started


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in PLAN_TABLES}


def need_on(case: Case, outcome: str = "good-education", description: str = "") -> Need:
    """A need an early help assessment of `case` found."""
    assessment = AssessmentFactory(case=case, started=case.started)
    return Need.objects.create(
        assessment=assessment,
        outcome=outcome,
        description=description or "Yusuf misses school most Mondays",
    )


def goal(need: Need | None = None, words: str = "Yusuf goes to school every day") -> GoalPlanned:
    return GoalPlanned(
        goal=words,
        need=need,
        target_date=AGREED + timedelta(weeks=12),
        actions=[
            ActionPlanned("Walk Yusuf to school", "Amira (mum)", AGREED + timedelta(weeks=2)),
            ActionPlanned("Attendance meeting", "School attendance officer", AGREED + timedelta(7)),
        ],
    )


def agreed_plan(case: Case, author=None, **fields) -> Plan:
    fields.setdefault("goals", [goal(need_on(case))])
    return plans.agree_plan(case=case, author=author, agreed=AGREED, **fields)


@pytest.fixture
def review_every_nine_weeks(settings, tmp_path):
    """The Camden policy with one change: a plan is reviewed every nine weeks."""
    data = camden_dict()
    data["casework"]["plan_review_every_weeks"] = 9
    settings.POLICY_PATH = write_policy(tmp_path, data)
    assert active_policy().casework.plan_review_every_weeks == 9


# --- Agreeing a plan ---------------------------------------------------------------------


def test_a_plan_is_agreed_with_goals_linked_to_the_cases_needs_and_their_actions(case):
    need = need_on(case)
    plan = agreed_plan(case, goals=[goal(need), goal(None, "Amira sleeps better")])
    first, second = plans.goals_in_order(plan)
    assert (first.need, second.need) == (need, None)
    assert [a.who for a in first.plan_actions.order_by("pk")] == [
        "Amira (mum)",
        "School attendance officer",
    ]
    assert first.status == "not_started"
    assert first.target_date == AGREED + timedelta(weeks=12)


def test_the_first_review_defaults_to_the_interval_in_the_policy(case):
    weeks = active_policy().casework.plan_review_every_weeks
    assert agreed_plan(case).review_date == AGREED + timedelta(weeks=weeks)


def test_the_default_interval_follows_the_policy_when_the_policy_changes(
    case, review_every_nine_weeks
):
    plan = agreed_plan(case)
    assert plan.review_date == AGREED + timedelta(weeks=9)
    review = plans.review_plan(
        plan=plan,
        author=None,
        reviewed_on=AGREED + timedelta(weeks=6),
        progress=[GoalReviewed(g, "in_progress") for g in plan.goals.all()],
    )
    assert review.next_review == AGREED + timedelta(weeks=15)


def test_a_goal_linked_to_a_need_of_another_case_is_refused_naming_the_field(case):
    other_need = need_on(CaseFactory(started=date(2026, 1, 5)))
    with pytest.raises(ValueError, match=r"goals\[1\]\.need: the need must be one an assessment"):
        agreed_plan(case, goals=[goal(other_need)])
    assert set(rows().values()) == {0}


def test_a_plan_without_a_goal_or_a_goal_without_an_action_is_refused_and_nothing_written(case):
    with pytest.raises(ValueError, match=r"goals: a plan needs at least one goal"):
        agreed_plan(case, goals=[])
    bare = GoalPlanned(goal="Yusuf goes to school", actions=[])
    with pytest.raises(ValueError, match=r"goals\[1\]: a goal needs at least one action"):
        agreed_plan(case, goals=[bare])
    half = GoalPlanned(goal="Yusuf goes to school", actions=[ActionPlanned("Walk him", " ")])
    with pytest.raises(ValueError, match=r"goals\[1\]\.actions\[1\]\.who: say who does it"):
        agreed_plan(case, goals=[half])
    assert set(rows().values()) == {0}


def test_a_later_goal_that_breaks_a_rule_leaves_no_half_written_plan(case):
    good, other_need = goal(need_on(case)), need_on(CaseFactory(started=date(2026, 1, 5)))
    with pytest.raises(ValueError, match=r"goals\[2\]\.need"):
        agreed_plan(case, goals=[good, goal(other_need)])
    assert set(rows().values()) == {0}


def test_a_plan_on_a_closed_case_is_refused(case):
    case.ended = date(2026, 10, 1)
    case.save()
    with pytest.raises(ValueError, match=r"case: the case is closed"):
        agreed_plan(case)
    assert set(rows().values()) == {0}


def test_a_plan_agreed_before_the_case_started_or_after_today_is_refused(case):
    with pytest.raises(ValueError, match=r"agreed: a plan is agreed on or after the case started"):
        plans.agree_plan(case=case, author=None, agreed=date(2026, 8, 31), goals=[goal()])
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValueError, match=r"agreed: a plan is agreed today or in the past"):
        plans.agree_plan(case=case, author=None, agreed=tomorrow, goals=[goal()])
    assert set(rows().values()) == {0}


@pytest.mark.parametrize(
    ("review_date", "rule"),
    [
        (AGREED, "must be after the date the plan was agreed"),
        (AGREED - timedelta(days=1), "must be after the date the plan was agreed"),
        (date(2027, 9, 9), "must be no more than a year after the date the plan was agreed"),
    ],
)
def test_a_first_review_not_after_the_plan_or_more_than_a_year_ahead_is_refused(
    case, review_date, rule
):
    with pytest.raises(ValueError, match=f"review_date: The next review {rule}"):
        agreed_plan(case, review_date=review_date)
    assert set(rows().values()) == {0}


def test_a_first_review_a_year_after_the_plan_is_accepted(case):
    assert agreed_plan(case, review_date=date(2027, 9, 8)).review_date == date(2027, 9, 8)


# --- Goals before the first review -------------------------------------------------------


def test_a_goal_is_added_and_changed_before_the_first_review(case):
    plan = agreed_plan(case)
    added = plans.add_goal(plan, goal(None, "The family's rent arrears are paid off"))
    assert plans.goal_numbered(plan, 2) == added
    changed = GoalPlanned(
        goal="Rent arrears paid by March",
        actions=[ActionPlanned("Apply for discretionary housing payment", "Amira", None)],
    )
    plans.change_goal(added, changed)
    added.refresh_from_db()
    assert added.goal == "Rent arrears paid by March"
    assert [(a.action, a.who) for a in added.plan_actions.all()] == [
        ("Apply for discretionary housing payment", "Amira")
    ]


def test_a_changed_goal_may_not_be_linked_to_another_cases_need(case):
    plan = agreed_plan(case)
    first = plans.goal_numbered(plan, 1)
    other_need = need_on(CaseFactory(started=date(2026, 1, 5)))
    with pytest.raises(ValueError, match=r"goal\.need: the need must be one"):
        plans.change_goal(first, goal(other_need, "Changed"))
    first.refresh_from_db()
    assert first.goal == "Yusuf goes to school every day"
    assert first.plan_actions.count() == 2


def test_goals_are_not_added_or_changed_once_the_plan_has_been_reviewed(case):
    plan = agreed_plan(case)
    first = plans.goal_numbered(plan, 1)
    plans.review_plan(
        plan=plan,
        author=None,
        reviewed_on=AGREED + timedelta(weeks=6),
        progress=[GoalReviewed(first, "in_progress")],
    )
    before = rows()
    with pytest.raises(ValueError, match=r"plan: the plan has been reviewed"):
        plans.add_goal(plan, goal(None, "Another goal"))
    with pytest.raises(ValueError, match=r"plan: the plan has been reviewed"):
        plans.change_goal(first, goal(None, "Changed"))
    assert rows() == before
    first.refresh_from_db()
    assert first.goal == "Yusuf goes to school every day"


def test_goal_numbers_count_from_one_in_the_order_goals_were_added(case):
    plan = agreed_plan(case, goals=[goal(None, "First"), goal(None, "Second")])
    assert plans.goal_numbered(plan, 2).goal == "Second"
    assert plans.goal_numbered(plan, 3) is None
    assert plans.goal_numbered(plan, 0) is None


# --- Reviews -----------------------------------------------------------------------------


def test_a_review_sets_each_goals_status_and_the_next_review_and_keeps_earlier_reviews(case):
    plan = agreed_plan(case, goals=[goal(None, "School"), goal(None, "Sleep")])
    school, sleep = plans.goals_in_order(plan)
    first = plans.review_plan(
        plan=plan,
        author=None,
        reviewed_on=date(2026, 10, 20),
        progress=[GoalReviewed(school, "in_progress", "Better"), GoalReviewed(sleep, "achieved")],
        summary="Good progress",
        next_review=date(2026, 11, 17),
    )
    plan.refresh_from_db()
    assert plan.review_date == date(2026, 11, 17)
    second = plans.review_plan(
        plan=plan,
        author=None,
        reviewed_on=date(2026, 11, 17),
        progress=[
            GoalReviewed(school, "not_achieved", "Missed Mondays again"),
            GoalReviewed(sleep, "achieved"),
        ],
    )
    plan.refresh_from_db()
    school.refresh_from_db()
    sleep.refresh_from_db()
    weeks = active_policy().casework.plan_review_every_weeks
    assert second.next_review == date(2026, 11, 17) + timedelta(weeks=weeks)
    assert plan.review_date == second.next_review
    assert (school.status, sleep.status) == ("not_achieved", "achieved")
    # The first review is kept as it was, with the progress it found.
    assert list(plan.reviews.order_by("reviewed_on")) == [first, second]
    kept = {p.goal_id: (p.status, p.comment) for p in first.progress.all()}
    assert kept == {school.pk: ("in_progress", "Better"), sleep.pk: ("achieved", "")}


def test_a_review_must_give_every_goal_its_progress_once_and_writes_nothing_otherwise(case):
    plan = agreed_plan(case, goals=[goal(None, "School"), goal(None, "Sleep")])
    school, sleep = plans.goals_in_order(plan)
    on = AGREED + timedelta(weeks=6)
    before = rows()
    with pytest.raises(ValueError, match=r"progress: every goal of the plan needs its progress"):
        plans.review_plan(
            plan=plan, author=None, reviewed_on=on, progress=[GoalReviewed(school, "achieved")]
        )
    with pytest.raises(ValueError, match=r"progress: each goal is reviewed once"):
        plans.review_plan(
            plan=plan,
            author=None,
            reviewed_on=on,
            progress=[
                GoalReviewed(school, "achieved"),
                GoalReviewed(school, "achieved"),
                GoalReviewed(sleep, "achieved"),
            ],
        )
    with pytest.raises(
        ValueError, match=r"progress\.status: choose not started, in progress, achieved or not"
    ):
        plans.review_plan(
            plan=plan,
            author=None,
            reviewed_on=on,
            progress=[GoalReviewed(school, "done"), GoalReviewed(sleep, "achieved")],
        )
    other_goal = plans.goals_in_order(agreed_plan(case))[0]
    with pytest.raises(ValueError, match=r"progress: each goal reviewed must be a goal of this"):
        plans.review_plan(
            plan=plan,
            author=None,
            reviewed_on=on,
            progress=[
                GoalReviewed(school, "achieved"),
                GoalReviewed(sleep, "achieved"),
                GoalReviewed(other_goal, "achieved"),
            ],
        )
    assert PlanReview.objects.count() == GoalProgress.objects.count() == 0
    school.refresh_from_db()
    assert school.status == "not_started"
    assert rows()["PlanGoal"] == before["PlanGoal"] + 1  # only the other plan's goal


@pytest.mark.parametrize(
    ("reviewed_on", "next_review", "rule"),
    [
        (AGREED - timedelta(days=1), None, "reviewed_on: a review is on or after the plan was"),
        (date.today() + timedelta(days=1), None, "reviewed_on: a review is recorded today or in"),
        (AGREED + timedelta(weeks=6), AGREED + timedelta(weeks=6), "next_review: The next review"),
        (date(2026, 10, 20), date(2027, 10, 21), "next_review: .*no more than a year after"),
    ],
)
def test_a_review_with_an_implausible_date_is_refused(case, reviewed_on, next_review, rule):
    plan = agreed_plan(case)
    progress = [GoalReviewed(g, "achieved") for g in plan.goals.all()]
    with pytest.raises(ValueError, match=rule):
        plans.review_plan(
            plan=plan,
            author=None,
            reviewed_on=reviewed_on,
            progress=progress,
            next_review=next_review,
        )
    assert PlanReview.objects.count() == 0
    plan.refresh_from_db()
    assert plan.review_date == AGREED + timedelta(
        weeks=active_policy().casework.plan_review_every_weeks
    )


def test_a_review_before_the_last_review_is_refused(case):
    plan = agreed_plan(case)
    progress = [GoalReviewed(g, "in_progress") for g in plan.goals.all()]
    plans.review_plan(plan=plan, author=None, reviewed_on=date(2026, 10, 20), progress=progress)
    with pytest.raises(ValueError, match=r"reviewed_on: a review is on or after the last review"):
        plans.review_plan(plan=plan, author=None, reviewed_on=date(2026, 10, 19), progress=progress)
    assert PlanReview.objects.count() == 1


def test_a_plan_on_a_case_closed_since_is_not_reviewed(case):
    plan = agreed_plan(case)
    case.ended = date(2026, 11, 1)
    case.save()
    with pytest.raises(ValueError, match=r"case: the case is closed"):
        plans.review_plan(
            plan=plan,
            author=None,
            reviewed_on=date(2026, 10, 20),
            progress=[GoalReviewed(g, "achieved") for g in plan.goals.all()],
        )
    assert PlanReview.objects.count() == 0


# --- Audit ---------------------------------------------------------------------------------


def test_agreeing_a_plan_records_one_create_event_naming_the_plan_and_the_case(
    case, make_user, request_as
):
    worker = make_user("priya")
    plan = plans.agree_plan_as(request_as(worker), case, agreed=AGREED, goals=[goal(need_on(case))])
    event = AuditEvent.objects.get(record_type="plan")
    assert (event.action, event.record_id, event.actor) == ("create", str(plan.public_id), worker)
    assert event.categories == categories_of(Plan, PlanGoal, PlanAction)
    assert event.details == {"case": str(case.public_id)}
    assert plan.author == worker


def test_goal_changes_and_reviews_each_record_their_event(case, make_user, request_as):
    request = request_as(make_user("priya"))
    plan = agreed_plan(case)
    added = plans.add_goal_as(request, plan, goal(None, "Sleep"))
    plans.change_goal_as(request, added, goal(None, "Sleep through the night"))
    review = plans.review_plan_as(
        request,
        plan,
        reviewed_on=AGREED + timedelta(weeks=6),
        progress=[GoalReviewed(g, "in_progress") for g in plan.goals.all()],
    )
    events = list(AuditEvent.objects.filter(record_type__startswith="plan").order_by("id"))
    assert [(e.action, e.record_type, e.record_id) for e in events] == [
        ("change", "plan", str(plan.public_id)),
        ("change", "plan", str(plan.public_id)),
        ("create", "plan-review", str(review.public_id)),
    ]
    assert events[2].categories == categories_of(PlanReview, GoalProgress, PlanGoal, Plan)
    assert all(e.details == {"case": str(case.public_id)} for e in events)


def test_a_refused_write_records_no_event(case, make_user, request_as):
    other_need = need_on(CaseFactory(started=date(2026, 1, 5)))
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError):
        plans.agree_plan_as(
            request_as(make_user("priya")), case, agreed=AGREED, goals=[goal(other_need)]
        )
    assert AuditEvent.objects.count() == before
    assert set(rows().values()) == {0}


# --- For the work lists ------------------------------------------------------------------


def test_reviews_overdue_are_the_cases_whose_latest_plans_review_was_due_before_today(team):
    today = date(2026, 11, 30)
    overdue = CaseFactory(team=team)
    PlanFactory(case=overdue, agreed=date(2026, 9, 1), review_date=date(2026, 11, 29))
    due_today = CaseFactory(team=team)
    PlanFactory(case=due_today, agreed=date(2026, 9, 1), review_date=today)
    replaced = CaseFactory(team=team)  # its old plan's review passed, its new plan's has not
    PlanFactory(case=replaced, agreed=date(2026, 6, 1), review_date=date(2026, 7, 13))
    PlanFactory(case=replaced, agreed=date(2026, 11, 2), review_date=date(2026, 12, 14))
    no_plan = CaseFactory(team=team)
    cases = Case.objects.filter(team=team)
    assert list(plans.reviews_overdue(cases, today)) == [overdue]
    annotated = {c.pk: c.next_plan_review for c in plans.with_next_review(cases)}
    assert annotated == {
        overdue.pk: date(2026, 11, 29),
        due_today.pk: today,
        replaced.pk: date(2026, 12, 14),
        no_plan.pk: None,
    }


def test_a_review_moves_a_case_off_the_overdue_list(case):
    plan = agreed_plan(case)
    later = plan.review_date + timedelta(days=3)
    assert list(plans.reviews_overdue(Case.objects.all(), later)) == [case]
    plans.review_plan(
        plan=plan,
        author=None,
        reviewed_on=plan.review_date,
        progress=[GoalReviewed(g, "in_progress") for g in plan.goals.all()],
    )
    assert list(plans.reviews_overdue(Case.objects.all(), later)) == []


def test_the_next_review_of_every_case_in_a_list_comes_in_one_query(
    team, django_assert_num_queries
):
    for started in (date(2026, 9, 1), date(2026, 9, 2), date(2026, 9, 3)):
        PlanFactory(case=CaseFactory(team=team), agreed=started)
    with django_assert_num_queries(1):
        dates = [c.next_plan_review for c in plans.with_next_review(Case.objects.all())]
    assert len(dates) == 3 and all(dates)
