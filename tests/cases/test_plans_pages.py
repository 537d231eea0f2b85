"""The plan's pages: agree a plan, read it, add and change goals before the first review,
review it; each error names the field and its rule, and each page records its look."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import plans
from earlyhelp.cases.models import GoalProgress, Plan, PlanGoal, PlanReview
from earlyhelp.cases.plan_views import PLAN_PAGE
from earlyhelp.cases.plans import GoalReviewed
from earlyhelp.datamap.registry import categories_of
from earlyhelp.policy.active import active_policy
from tests.cases.test_plans import AGREED, agreed_plan, goal, need_on, review_every_nine_weeks  # noqa: F401
from tests.factories import CaseFactory


def day(prefix: str, value: date) -> dict[str, str]:
    """A date as the three boxes of the GOV.UK date input post it."""
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def plan_form(linked=None, **overrides) -> dict:
    data = {
        **day("agreed", AGREED),
        "goal": "Yusuf goes to school every day",
        "need": str(linked.public_id) if linked else "none",
        "action_1": "Walk Yusuf to school on Mondays",
        "who_1": "Amira (mum)",
        **day("by_when_1", AGREED + timedelta(weeks=2)),
        "action_2": "Attendance meeting at school",
        "who_2": "School attendance officer",
        **day("by_when_2", AGREED + timedelta(weeks=1)),
    }
    return {**data, **overrides}


def review_form(plan: Plan, statuses: list[str], **overrides) -> dict:
    data = {
        **day("reviewed_on", AGREED + timedelta(weeks=6)),
        "summary": "Yusuf has missed one Monday since the plan was agreed",
    }
    for n, status in enumerate(statuses, start=1):
        data[f"status_{n}"] = status
        data[f"comment_{n}"] = f"Comment on goal {n}"
    return {**data, **overrides}


def plan_url(plan: Plan) -> str:
    return reverse("cases:plan", args=[plan.case.public_id, plan.public_id])


# --- Agreeing a plan ---------------------------------------------------------------------


def test_a_practitioner_agrees_a_plan_whose_page_shows_the_need_its_outcome_and_actions(
    client, practitioner, case
):
    need = need_on(case, outcome="good-education", description="Misses school on Mondays")
    response = client.post(reverse("cases:agree_plan", args=[case.public_id]), plan_form(need))
    plan = Plan.objects.get()
    assert response.url == plan_url(plan)
    assert (plan.author, plan.agreed) == (practitioner, AGREED)
    weeks = active_policy().casework.plan_review_every_weeks
    assert plan.review_date == AGREED + timedelta(weeks=weeks)
    (only,) = plan.goals.all()
    assert only.need == need
    assert only.plan_actions.count() == 2
    page = client.get(response.url).content.decode()
    assert "Plan agreed" in page
    assert "Misses school on Mondays" in page
    assert active_policy().casework.headline_outcome("good-education").name in page
    assert "Walk Yusuf to school on Mondays" in page and "School attendance officer" in page
    assert "Not reviewed yet" in page


def test_the_agree_form_says_the_policys_interval_and_uses_it(
    client,
    practitioner,
    case,
    review_every_nine_weeks,  # noqa: F811 - the fixture imported above
):
    url = reverse("cases:agree_plan", args=[case.public_id])
    assert "Leave blank for 9 weeks after the plan was agreed" in client.get(url).content.decode()
    client.post(url, plan_form())
    assert Plan.objects.get().review_date == AGREED + timedelta(weeks=9)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"goal": ""}, "Enter the goal"),
        ({"who_1": ""}, "Enter who does action 1"),
        ({"action_2": ""}, "Enter what action 2 is"),
        (
            {"by_when_1_day": "", "by_when_1_month": "", "by_when_1_year": ""},
            "Enter the date action 1 is to be done by",
        ),
        (
            {
                "action_1": "",
                "who_1": "",
                "by_when_1_day": "",
                "by_when_1_month": "",
                "by_when_1_year": "",
                "action_2": "",
                "who_2": "",
                "by_when_2_day": "",
                "by_when_2_month": "",
                "by_when_2_year": "",
            },
            "Enter at least one action: what is to be done, who does it, by when",
        ),
        (
            {"agreed_day": "", "agreed_month": "", "agreed_year": ""},
            "Enter the date the plan was agreed",
        ),
        (
            day("agreed", date(2026, 8, 31)),
            "The date the plan was agreed must be the same as or after the date the case started "
            "(1 September 2026)",
        ),
        (
            day("review_date", AGREED),
            "The date of the first review must be after the date the plan was agreed "
            "(8 September 2026)",
        ),
        (
            day("review_date", date(2027, 9, 9)),
            "The date of the first review must be no more than a year after the date the plan was "
            "agreed (8 September 2027 at the latest)",
        ),
        (
            day("by_when_1", date(2026, 9, 7)),
            "The date action 1 is to be done by must be between 8 September 2026 and",
        ),
        (
            day("target_date", date(2026, 9, 1)),
            "The target date must be between 8 September 2026 and",
        ),
        (
            {"by_when_2_day": "31", "by_when_2_month": "2"},
            "The date action 2 is to be done by must be a real date",
        ),
        ({"need": "not-a-need"}, "Need this goal meets: select one of the options shown"),
    ],
)
def test_a_plan_with_a_broken_rule_names_the_field_and_is_not_saved(
    client, practitioner, case, overrides, message
):
    url = reverse("cases:agree_plan", args=[case.public_id])
    response = client.post(url, plan_form(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert Plan.objects.count() == 0


def test_a_need_of_another_case_is_not_offered_and_cannot_be_posted(client, practitioner, case):
    mine = need_on(case, description="Misses school on Mondays")
    theirs = need_on(CaseFactory(started=date(2026, 1, 5)), description="Another family's need")
    url = reverse("cases:agree_plan", args=[case.public_id])
    page = client.get(url).content.decode()
    assert "Misses school on Mondays" in page and "Another family" not in page
    assert str(mine.public_id) in page
    response = client.post(url, plan_form(theirs))
    assert "Need this goal meets: select one of the options shown" in response.content.decode()
    assert Plan.objects.count() == 0


def test_a_closed_case_has_no_agree_a_plan_link_and_its_form_sends_back_to_the_case(
    client, practitioner, case
):
    case.ended = date(2026, 11, 1)
    case.save()
    assert (
        "Agree a plan"
        not in client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    )
    response = client.post(reverse("cases:agree_plan", args=[case.public_id]), plan_form())
    assert response.url == reverse("cases:case", args=[case.public_id])
    assert Plan.objects.count() == 0


# --- The case page -----------------------------------------------------------------------


def test_the_case_page_lists_plans_with_the_next_review_and_an_overdue_tag_when_past(
    client, practitioner, case
):
    old = agreed_plan(case)
    case_url = reverse("cases:case", args=[case.public_id])
    page = client.get(case_url).content.decode()
    assert plan_url(old) in page
    assert "Review overdue" in page  # agreed on 8 September, due six weeks later: past
    assert reverse("cases:agree_plan", args=[case.public_id]) in page
    Plan.objects.filter(pk=old.pk).update(review_date=date.today())
    page = client.get(case_url).content.decode()
    assert "Review overdue" not in page  # due today is not overdue


# --- Goals -------------------------------------------------------------------------------


def test_a_goal_is_added_and_changed_on_the_plan_before_its_first_review(
    client, practitioner, case
):
    plan = agreed_plan(case)
    add = reverse("cases:add_plan_goal", args=[case.public_id, plan.public_id])
    data = {
        "goal": "Rent arrears paid off",
        "need": "none",
        "action_1": "Apply for a discretionary housing payment",
        "who_1": "Amira with the family support worker",
        **day("by_when_1", date(2026, 12, 1)),
    }
    assert client.post(add, data).url == plan_url(plan)
    second = plans.goal_numbered(plan, 2)
    assert second.goal == "Rent arrears paid off"
    change = reverse("cases:edit_plan_goal", args=[case.public_id, plan.public_id, 2])
    form = client.get(change).content.decode()
    assert "Apply for a discretionary housing payment" in form  # the form shows it as it is
    changed = {**data, "goal": "Rent arrears paid off by March", "action_1": "", "who_1": ""}
    changed |= {"by_when_1_day": "", "by_when_1_month": "", "by_when_1_year": ""}
    changed |= {
        "action_2": "Money advice",
        "who_2": "Citizens Advice",
        **day("by_when_2", date(2026, 12, 14)),
    }
    assert client.post(change, changed).url == plan_url(plan)
    second.refresh_from_db()
    assert second.goal == "Rent arrears paid off by March"
    assert [a.who for a in second.plan_actions.all()] == ["Citizens Advice"]


def test_a_goal_number_the_plan_does_not_have_is_not_found(client, practitioner, case):
    plan = agreed_plan(case)
    url = reverse("cases:edit_plan_goal", args=[case.public_id, plan.public_id, 2])
    assert client.get(url).status_code == 404


def test_after_the_first_review_goals_cannot_be_added_or_changed_from_the_pages(
    client, practitioner, case
):
    plan = agreed_plan(case)
    plans.review_plan(
        plan=plan,
        author=None,
        reviewed_on=AGREED + timedelta(weeks=6),
        progress=[GoalReviewed(g, "in_progress") for g in plan.goals.all()],
    )
    page = client.get(plan_url(plan)).content.decode()
    assert "Add a goal" not in page
    assert reverse("cases:edit_plan_goal", args=[case.public_id, plan.public_id, 1]) not in page
    add = reverse("cases:add_plan_goal", args=[case.public_id, plan.public_id])
    response = client.post(add, {"goal": "Late goal", "action_1": "x", "who_1": "y"}, follow=True)
    assert "This plan has been reviewed, so its goals stay as they were reviewed" in (
        response.content.decode()
    )
    assert PlanGoal.objects.count() == 1


# --- Reviews -----------------------------------------------------------------------------


def test_a_review_sets_each_goals_status_and_the_next_review_and_the_page_keeps_history(
    client, practitioner, case
):
    plan = agreed_plan(case, goals=[goal(None, "School every day"), goal(None, "Better sleep")])
    url = reverse("cases:review_plan", args=[case.public_id, plan.public_id])
    first_on = AGREED + timedelta(weeks=6)
    response = client.post(url, review_form(plan, ["in_progress", "achieved"]))
    assert response.url == plan_url(plan)
    weeks = active_policy().casework.plan_review_every_weeks
    plan.refresh_from_db()
    assert plan.review_date == first_on + timedelta(weeks=weeks)
    second_on = first_on + timedelta(weeks=4)
    client.post(
        url,
        review_form(
            plan,
            ["not_achieved", "achieved"],
            summary="Mondays missed again",
            **day("reviewed_on", second_on),
            **day("next_review", second_on + timedelta(weeks=3)),
        ),
    )
    plan.refresh_from_db()
    assert plan.review_date == second_on + timedelta(weeks=3)
    school, sleep = plans.goals_in_order(plan)
    assert (school.status, sleep.status) == ("not_achieved", "achieved")
    assert PlanReview.objects.filter(plan=plan).count() == 2
    assert GoalProgress.objects.filter(goal=school).count() == 2
    page = client.get(plan_url(plan)).content.decode()
    assert page.index("Mondays missed again") < page.index(
        "Yusuf has missed one Monday since the plan was agreed"
    )  # newest first, the first review kept
    assert "Not achieved" in page and "In progress" in page


def test_the_review_form_offers_each_goal_with_its_current_status(client, practitioner, case):
    plan = agreed_plan(case)
    url = reverse("cases:review_plan", args=[case.public_id, plan.public_id])
    page = client.get(url).content.decode()
    assert "Yusuf goes to school every day" in page
    assert 'value="not_started" checked' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status_1": ""}, "Select the progress on goal 1"),
        ({"status_1": "done"}, "Progress on goal 1: select one of the options shown"),
        ({"summary": ""}, "Enter a summary of the review"),
        (
            day("reviewed_on", AGREED - timedelta(days=1)),
            "The date of the review must be the same as or after the date the plan was agreed "
            "(8 September 2026)",
        ),
        (
            day("reviewed_on", date.today() + timedelta(days=1)),
            "The date of the review must be today or in the past",
        ),
        (
            day("next_review", AGREED + timedelta(weeks=6)),
            "The date of the next review must be after the date of the review (20 October 2026)",
        ),
        (
            day("next_review", date(2027, 10, 21)),
            "The date of the next review must be no more than a year after the date of the review "
            "(20 October 2027 at the latest)",
        ),
    ],
)
def test_a_review_with_a_broken_rule_names_the_field_and_is_not_saved(
    client, practitioner, case, overrides, message
):
    plan = agreed_plan(case)
    url = reverse("cases:review_plan", args=[case.public_id, plan.public_id])
    response = client.post(url, review_form(plan, ["in_progress"], **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert PlanReview.objects.count() == 0
    plan.refresh_from_db()
    assert plans.goals_in_order(plan)[0].status == "not_started"


def test_a_second_review_before_the_last_one_names_the_last_reviews_date(
    client, practitioner, case
):
    plan = agreed_plan(case)
    url = reverse("cases:review_plan", args=[case.public_id, plan.public_id])
    client.post(url, review_form(plan, ["in_progress"], **day("reviewed_on", date(2026, 10, 27))))
    response = client.post(
        url, review_form(plan, ["achieved"], **day("reviewed_on", date(2026, 10, 26)))
    )
    assert (
        "The date of the review must be the same as or after the date of the last review "
        "(27 October 2026)" in response.content.decode()
    )
    assert PlanReview.objects.count() == 1


# --- Audit ---------------------------------------------------------------------------------


def test_the_plan_page_records_a_look_at_the_plan_and_at_each_person_on_the_case(
    client, practitioner, case, family
):
    plan = agreed_plan(case)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    client.get(plan_url(plan))
    looks = AuditEvent.objects.filter(action="view", id__gt=before)
    shown = categories_of(*PLAN_PAGE)
    assert {(e.record_type, e.record_id) for e in looks} == {
        ("plan", str(plan.public_id)),
        *(("person", str(family[n].public_id)) for n in ("yusuf", "leila", "mum")),
    }
    assert all(e.categories == shown and e.details == {"page": "plan_detail"} for e in looks)


def test_a_review_by_the_page_records_a_create_event_naming_the_case(client, practitioner, case):
    plan = agreed_plan(case)
    url = reverse("cases:review_plan", args=[case.public_id, plan.public_id])
    client.post(url, review_form(plan, ["in_progress"]))
    event = AuditEvent.objects.get(action="create", record_type="plan-review")
    assert event.record_id == str(PlanReview.objects.get().public_id)
    assert event.actor == practitioner
    assert event.details == {"case": str(case.public_id)}


def test_a_plan_on_a_case_closed_since_offers_no_review_and_its_form_writes_nothing(
    client, practitioner, case
):
    plan = agreed_plan(case)
    case.ended = date(2026, 11, 1)
    case.save()
    page = client.get(plan_url(plan)).content.decode()
    review = reverse("cases:review_plan", args=[case.public_id, plan.public_id])
    assert review not in page and "Review overdue" not in page
    response = client.post(review, review_form(plan, ["achieved"]))
    assert response.url == reverse("cases:case", args=[case.public_id])
    assert PlanReview.objects.count() == 0


# --- A plan replaced by a later one ------------------------------------------------------


def test_a_superseded_plan_is_neither_reviewed_nor_changed_from_its_pages_or_services(
    client, practitioner, case
):
    old = agreed_plan(case)
    new = plans.agree_plan(
        case=case, author=None, agreed=AGREED + timedelta(weeks=4), goals=[goal(None, "Sleep")]
    )
    page = client.get(plan_url(old)).content.decode()
    assert "Superseded" in page and "Review the plan" not in page and "Add a goal" not in page
    assert "Review the plan" in client.get(plan_url(new)).content.decode()
    review = reverse("cases:review_plan", args=[case.public_id, old.public_id])
    response = client.post(review, review_form(old, ["achieved"]), follow=True)
    assert "The plan agreed 6 October 2026 replaced this one" in response.content.decode()
    add = reverse("cases:add_plan_goal", args=[case.public_id, old.public_id])
    client.post(add, {"goal": "Late goal", "action_1": "x", "who_1": "y"})
    edit = reverse("cases:edit_plan_goal", args=[case.public_id, old.public_id, 1])
    assert client.get(edit).status_code == 302
    assert PlanReview.objects.count() == 0
    assert PlanGoal.objects.filter(plan=old).count() == 1
    assert plans.goals_in_order(old)[0].status == "not_started"
    with pytest.raises(ValueError, match="plan: the plan agreed 6 October 2026 replaced this"):
        plans.review_plan(
            plan=old,
            author=None,
            reviewed_on=AGREED + timedelta(weeks=6),
            progress=[GoalReviewed(g, "achieved") for g in old.goals.all()],
        )
