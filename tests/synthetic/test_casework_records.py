"""The generator's casework records beyond cases and notes: staff and allocation,
assessments' views and needs, plan actions and reviews, closure with sign-off and
outcomes, who runs sessions and the register."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Count
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.demo import DEMO_ACCOUNTS, DEMO_CASELOAD, ensure_demo_account, join_demo_team
from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.cases.models import (
    Allocation,
    Assessment,
    Attendance,
    Case,
    ClosureRequest,
    GoalProgress,
    GroupSession,
    Need,
    NeedOutcome,
    Plan,
    PlanAction,
    PlanGoal,
    PlanReview,
    Team,
)
from earlyhelp.policy.active import active_policy
from earlyhelp.synthetic import casework_vocabulary as cv
from earlyhelp.synthetic.casework import make_casework
from earlyhelp.synthetic.families import FamilyFactory
from earlyhelp.synthetic.generator import catalogue_for, generate

AS_OF = date(2026, 11, 25)


def casework_policy():
    return active_policy().casework


def role_of(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.django_db
def test_each_team_has_practitioners_and_a_manager_who_cannot_sign_in_made_once():
    generate(10, seed=30, as_of=AS_OF)
    staff = User.objects.filter(username__startswith="synthetic-")
    teams = Team.objects.count()
    assert staff.count() == teams * (cv.PRACTITIONERS_PER_TEAM + 1)
    for team in Team.objects.prefetch_related("members__groups"):
        roles = Counter(g.name for user in team.members.all() for g in user.groups.all())
        assert roles == {
            Role.PRACTITIONER.value: cv.PRACTITIONERS_PER_TEAM,
            Role.TEAM_MANAGER.value: 1,
        }
    for user in staff:
        assert not user.has_usable_password()
        assert user.first_name and user.last_name
        assert not user.is_demo and not user.is_staff and not user.is_superuser
    assert not TOTPDevice.objects.filter(user__in=staff).exists()
    usernames = set(staff.values_list("username", flat=True))
    generate(10, seed=31, as_of=AS_OF)
    assert set(User.objects.values_list("username", flat=True)) == usernames
    assert Team.members.through.objects.count() == len(usernames)


@pytest.mark.django_db
def test_closed_and_most_open_cases_are_allocated_in_their_team_with_history():
    generate(400, seed=32, as_of=AS_OF)
    manager_group = Group.objects.get(name=Role.TEAM_MANAGER.value)
    closed = Case.objects.exclude(ended=None)
    still_open = Case.objects.filter(ended=None)
    assert not closed.filter(allocated_worker=None).exists()
    share = still_open.exclude(allocated_worker=None).count() / still_open.count()
    assert 0.7 <= share <= 0.95
    reallocated = 0
    for case in Case.objects.select_related("team", "allocated_worker").prefetch_related(
        "allocations__worker__groups", "allocations__allocated_by__groups"
    ):
        history = sorted(case.allocations.all(), key=lambda a: a.allocated_at)
        if case.allocated_worker is None:
            assert history == []
            continue
        assert 1 <= len(history) <= 2
        reallocated += len(history) == 2
        assert history[-1].worker == case.allocated_worker
        # On the day the case was opened (a weekend's, the Monday after).
        assert history[0].allocated_at - case.created_at < timedelta(hours=4)
        assert history[0].allocated_at.date() - case.started <= timedelta(days=2)
        for allocation in history:
            assert allocation.reason
            assert allocation.worker.teams.filter(pk=case.team_id).exists()
            assert Role.PRACTITIONER.value in role_of(allocation.worker)
            assert manager_group in allocation.allocated_by.groups.all()
            assert allocation.allocated_by.teams.filter(pk=case.team_id).exists()
            assert allocation.seen_at is None or allocation.seen_at > allocation.allocated_at
        if len(history) == 2:
            assert history[0].worker != history[1].worker
            assert history[1].allocated_at.date() <= (case.ended or AS_OF)
    allocated = Case.objects.exclude(allocated_worker=None).count()
    assert 0.04 <= reallocated / allocated <= 0.18
    assert Allocation.objects.exclude(seen_at=None).count() / Allocation.objects.count() > 0.95


@pytest.mark.django_db
def test_assessments_record_views_agreement_and_needs_classed_by_the_policys_outcomes():
    generate(400, seed=33, as_of=AS_OF)
    outcomes = {outcome.id for outcome in casework_policy().headline_outcomes}
    assessments = Assessment.objects.prefetch_related("found_needs").select_related("reviews")
    agreed = Counter()
    for assessment in assessments:
        assert assessment.child_views and assessment.took_part
        assert assessment.family_agreed is not None
        agreed[assessment.family_agreed] += 1
        assert assessment.started <= assessment.family_agreed_on <= AS_OF
        if assessment.completed:
            assert assessment.family_agreed
            assert assessment.family_agreed_on <= assessment.completed
        needs = list(assessment.found_needs.all())
        assert [f"- {n.description}" for n in needs] == assessment.needs.splitlines() or sorted(
            f"- {n.description}" for n in needs
        ) == sorted(assessment.needs.splitlines())
        assert {need.outcome for need in needs} <= outcomes
        if assessment.kind == "review":
            earlier = assessment.reviews
            assert earlier is not None and earlier.case_id == assessment.case_id
            assert earlier.completed and earlier.completed <= assessment.started
            assert not Assessment.objects.filter(
                case_id=assessment.case_id,
                started__gt=earlier.started,
                started__lt=assessment.started,
            ).exists()
        else:
            assert assessment.reviews is None
    assert agreed[False] and agreed[True] / sum(agreed.values()) > 0.9
    # Needs span the outcomes: housing, health, education and early years at least.
    used = set(Need.objects.values_list("outcome", flat=True))
    assert len(used) >= 6
    need_of = {n.description: n.outcome for n in Need.objects.all()}
    housing = [d for d in need_of if "housing" in d.lower()]
    assert housing and all(
        "housing"
        in next(o.name for o in casework_policy().headline_outcomes if o.id == need_of[d]).lower()
        for d in housing
    )


@pytest.mark.django_db
def test_plan_goals_work_on_the_assessments_needs_with_actions_and_reviews():
    generate(400, seed=34, as_of=AS_OF)
    interval = timedelta(weeks=casework_policy().plan_review_every_weeks)
    goals = PlanGoal.objects.select_related("plan", "need__assessment").prefetch_related(
        "plan_actions"
    )
    assert goals.exists()
    for goal in goals:
        assert goal.need is not None
        assessment = goal.need.assessment
        assert assessment.case_id == goal.plan.case_id
        # The latest assessment completed before the plan was agreed.
        assert assessment.completed <= goal.plan.agreed
        assert not Assessment.objects.filter(
            case_id=assessment.case_id,
            completed__gt=assessment.completed,
            completed__lte=goal.plan.agreed,
        ).exists()
        actions = list(goal.plan_actions.all())
        assert 1 <= len(actions) <= 2
        for action in actions:
            assert action.action and action.who
            assert goal.plan.agreed < action.by_when <= goal.target_date
    reviewed = 0
    for plan in Plan.objects.select_related("case").prefetch_related("reviews__progress", "goals"):
        reviews = list(plan.reviews.all())
        later = Plan.objects.filter(case_id=plan.case_id, agreed__gt=plan.agreed).exists()
        if not reviews:
            assert plan.review_date > (plan.case.ended or AS_OF)
            assert {g.status for g in plan.goals.all()} <= {"not_started", "in_progress"}
            continue
        reviewed += 1
        (review,) = reviews
        assert plan.agreed < review.reviewed_on <= (plan.case.ended or AS_OF)
        assert review.summary
        progress = {p.goal_id: p.status for p in review.progress.all()}
        assert progress == {g.pk: g.status for g in plan.goals.all()}
        if later:
            assert review.next_review is None and "replaced" in review.summary
        elif review.next_review is None:
            assert plan.case.ended and review.reviewed_on + interval > plan.case.ended
        else:
            assert review.next_review == review.reviewed_on + interval == plan.review_date
    assert reviewed and PlanReview.objects.exclude(next_review=None).exists()
    assert GoalProgress.objects.count() == sum(
        Plan.objects.filter(reviews__isnull=False)
        .annotate(n=Count("goals"))
        .values_list("n", flat=True)
    )
    # Review authors are the case's worker at the time, where the case has one.
    authored = PlanReview.objects.exclude(author=None).select_related("plan__case")
    assert authored.exists()
    for review in authored:
        assert review.plan.case.allocations.filter(worker=review.author).exists()


@pytest.mark.django_db
def test_closed_cases_are_signed_off_by_the_manager_with_an_outcome_per_need():
    generate(500, seed=35, as_of=AS_OF)
    policy = casework_policy()
    step_up = {r.id for r in policy.closure_reasons if r.refers_to_social_care}
    needs_met = {r.id for r in policy.closure_reasons if "needs met" in r.name.lower()}
    achieved = {True: Counter(), False: Counter()}
    for case in Case.objects.exclude(ended=None).prefetch_related(
        "closure_requests__outcomes", "assessments__found_needs"
    ):
        (request,) = case.closure_requests.all()
        assert request.decision == "approved"
        assert request.reason == case.closure_reason
        assert request.closing_on == case.ended
        assert request.requested_by == case.allocated_worker
        assert request.decided_by.teams.filter(pk=case.team_id).exists()
        assert Role.TEAM_MANAGER.value in role_of(request.decided_by)
        assert request.requested_at < request.decided_at
        assert case.allocations.latest("allocated_at").allocated_at.date() <= (
            request.requested_at.date()
        )
        assert request.decided_at.date() == case.ended
        assert request.summary
        if case.closure_reason in step_up:
            assert request.referred_to_social_care_on is not None
            assert case.referred_to_social_care_on == request.referred_to_social_care_on
            assert case.started <= case.referred_to_social_care_on <= case.ended
        else:
            assert request.referred_to_social_care_on is None
            assert case.referred_to_social_care_on is None
        with_needs = [a for a in case.assessments.all() if a.found_needs.all()]
        latest = max(with_needs, key=lambda a: a.started, default=None)
        outcomes = list(request.outcomes.all())
        assert {o.need_id for o in outcomes} == (
            {n.pk for n in latest.found_needs.all()} if latest else set()
        )
        for outcome in outcomes:
            assert outcome.evidence
            assert outcome.achieved or not outcome.sustained
            achieved[case.closure_reason in needs_met][outcome.achieved] += 1
    rate = {met: c[True] / sum(c.values()) for met, c in achieved.items()}
    assert rate[True] > 0.7 and rate[False] < 0.4
    assert Case.objects.exclude(referred_to_social_care_on=None).exists()
    for request in ClosureRequest.objects.filter(decision="awaiting").select_related("case"):
        assert request.case.ended is None
        assert request.requested_by == request.case.allocated_worker
        assert request.decided_by is None and request.decided_at is None
        assert request.requested_at.date() <= AS_OF


def test_a_few_open_cases_have_a_closure_request_awaiting_sign_off():
    catalogue = catalogue_for(38, AS_OF)
    factory = FamilyFactory(38, AS_OF)
    open_cases = [
        case
        for _ in range(2500)
        for case in make_casework(factory.family(), catalogue, AS_OF).cases
        if case.ended is None
    ]
    awaiting = [case for case in open_cases if case.closure is not None]
    assert 0.01 <= len(awaiting) / len(open_cases) <= 0.06
    for case in awaiting:
        request = case.closure
        assert request.decision == "awaiting" and request.decided_by is None
        assert request.requested_by == case.allocations[-1].worker
        assert case.started <= request.requested_at.date() <= AS_OF
        assert case.referred_to_social_care_on is None
        assert (request.referred_to_social_care_on is not None) == (
            request.reason in catalogue.refers_to_social_care
        )
    assert any(case.closure.outcomes for case in awaiting)


@pytest.mark.django_db
def test_sessions_are_run_by_workers_of_their_service_and_registers_have_every_status():
    generate(400, seed=36, as_of=AS_OF)
    sessions = GroupSession.objects.prefetch_related("run_by__teams")
    assert sessions.exists()
    for session in sessions:
        workers = list(session.run_by.all())
        assert 1 <= len(workers) <= 2
        for worker in workers:
            assert {team.service for team in worker.teams.all()} == {session.service}
    statuses = Counter(Attendance.objects.values_list("status", flat=True))
    assert set(statuses) == {"attended", "absent", "cancelled"}
    assert statuses["attended"] > statuses["absent"] + statuses["cancelled"]
    walk_ins = Attendance.objects.filter(walk_in=True)
    assert walk_ins.exists()
    assert walk_ins.count() < 0.1 * Attendance.objects.count()
    assert not walk_ins.exclude(status="attended").exists()
    # A walk-in is a family's first time there: never after an earlier session of theirs.
    for row in walk_ins.select_related("session"):
        assert not Attendance.objects.filter(
            person_id=row.person_id, session__held_on__lt=row.session.held_on
        ).exists()


@pytest.mark.django_db
def test_counts_of_the_new_records_match_the_rows_written():
    counts, _ = generate(150, seed=37, as_of=AS_OF)
    assert counts["staff"] == User.objects.filter(username__startswith="synthetic-").count()
    assert counts["allocations"] == Allocation.objects.count()
    assert counts["allocated cases"] == Case.objects.exclude(allocated_worker=None).count()
    assert counts["needs"] == Need.objects.count()
    assert counts["plan actions"] == PlanAction.objects.count()
    assert counts["plan reviews"] == PlanReview.objects.count()
    assert counts["goal progress records"] == GoalProgress.objects.count()
    assert counts["closure requests"] == ClosureRequest.objects.count()
    assert (
        counts["closure requests awaiting sign-off"]
        == ClosureRequest.objects.filter(decision="awaiting").count()
    )
    assert counts["need outcomes"] == NeedOutcome.objects.count()
    assert counts["attendance: absent"] == Attendance.objects.filter(status="absent").count()
    assert (
        counts["attendance: sent apologies"]
        == Attendance.objects.filter(status="cancelled").count()
    )
    assert counts["attendance: walk-ins"] == Attendance.objects.filter(walk_in=True).count()


@pytest.mark.django_db
def test_the_demo_practitioner_gets_a_caseload_with_allocations_leaving_some_unallocated():
    generate(500, seed=1, as_of=AS_OF)
    for account in DEMO_ACCOUNTS:
        ensure_demo_account(account)
    name = join_demo_team()
    team = Team.objects.get(name=name)
    practitioner = User.objects.get(username="practitioner")
    held = Case.objects.filter(allocated_worker=practitioner)
    assert held.count() == DEMO_CASELOAD
    assert not held.exclude(team=team).exists() and not held.exclude(ended=None).exists()
    for case in held:
        latest = case.allocations.order_by("-allocated_at").first()
        assert latest.worker == practitioner and latest.allocated_by.username == "manager"
    assert Allocation.objects.filter(worker=practitioner, seen_at=None).count() == 1
    assert Case.objects.filter(team=team, ended=None, allocated_worker=None).exists()
    # Run again (make demo twice): nothing changes.
    allocations = Allocation.objects.count()
    call_command("demo_users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Allocation.objects.count() == allocations
    assert held.count() == DEMO_CASELOAD


def test_every_need_and_goal_is_classed_by_words_of_a_headline_outcome_of_the_policy():
    names = [outcome.name.lower() for outcome in casework_policy().headline_outcomes]
    needs = {text for texts in cv.NEEDS.values() for text in texts}
    goals = {goal for pairs in cv.GOALS.values() for goal, _ in pairs}
    assert set(cv.NEED_OUTCOME_WORDS) == needs
    assert set(cv.GOAL_OUTCOME_WORDS) == goals
    for words in [*cv.NEED_OUTCOME_WORDS.values(), *cv.GOAL_OUTCOME_WORDS.values()]:
        assert sum(words in name for name in names) == 1, words
    reasons = {reason.id for reason in casework_policy().closure_reasons}
    assert {reason for reason, _ in cv.CLOSURE_REASONS} <= reasons
    assert sum(cv.NEEDS_MET_WORDS in r.name.lower() for r in casework_policy().closure_reasons)
