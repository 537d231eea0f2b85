"""Need-to-know on the plan's pages: another team, break-glass and a restriction are refused
every write, which writes nothing; a plan is reached only through its own case."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import plans
from earlyhelp.cases.models import Plan
from tests.access.test_refused_writes import BREAK_GLASS_REASON, _changed, snapshot
from tests.cases.test_plans import agreed_plan
from tests.cases.test_plans_pages import day, plan_form
from tests.factories import CaseFactory, RestrictionFactory, TeamFactory


def _writes(plan: Plan) -> dict[str, tuple[str, dict]]:
    """Each write route of the plan, with data its own team could save."""
    case_id, plan_id = plan.case.public_id, plan.public_id
    goal = {k: v for k, v in plan_form().items() if not k.startswith("agreed")}
    return {
        "agree": (reverse("cases:agree_plan", args=[case_id]), plan_form()),
        "add goal": (reverse("cases:add_plan_goal", args=[case_id, plan_id]), goal),
        "change goal": (reverse("cases:edit_plan_goal", args=[case_id, plan_id, 1]), goal),
        "review": (
            reverse("cases:review_plan", args=[case_id, plan_id]),
            {
                **day("reviewed_on", date(2026, 10, 20)),
                "status_1": "achieved",
                "summary": "Going every day",
            },
        ),
    }


WRITES = ["agree", "add goal", "change goal", "review"]


def _no_writes_recorded(before_id: int) -> bool:
    return not AuditEvent.objects.filter(id__gt=before_id, action__in=["create", "change"]).exists()


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize("write", WRITES)
def test_a_practitioner_of_another_team_is_refused_every_plan_write_and_nothing_is_written(
    client, make_user, sign_in, case, write
):
    plan = agreed_plan(case)
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    sign_in(outsider)
    url, data = _writes(plan)[write]
    before, last = snapshot(), _last_event_id()
    assert client.post(url, data).status_code == 403
    assert _changed(before, snapshot()) == {}
    assert _no_writes_recorded(last)


@pytest.mark.parametrize("write", WRITES)
def test_break_glass_reads_the_plan_but_is_refused_every_write_and_nothing_is_written(
    client, make_user, sign_in, case, family, write
):
    plan = agreed_plan(case)
    outsider = make_user("olu", Role.TEAM_MANAGER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    sign_in(outsider)
    glass = reverse("people:break_glass", args=[family["yusuf"].public_id])
    assert client.post(glass, {"reason": BREAK_GLASS_REASON}).status_code == 302
    assert (
        client.get(reverse("cases:plan", args=[case.public_id, plan.public_id])).status_code == 200
    )
    url, data = _writes(plan)[write]
    before, last = snapshot(), _last_event_id()
    assert client.post(url, data).status_code == 403
    assert _changed(before, snapshot()) == {}
    assert _no_writes_recorded(last)


def test_under_break_glass_the_pages_offer_no_plan_writes(client, make_user, sign_in, case, family):
    plan = agreed_plan(case)
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    sign_in(outsider)
    glass = reverse("people:break_glass", args=[family["yusuf"].public_id])
    client.post(glass, {"reason": BREAK_GLASS_REASON})
    case_page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert reverse("cases:plan", args=[case.public_id, plan.public_id]) in case_page
    assert reverse("cases:agree_plan", args=[case.public_id]) not in case_page
    page = client.get(reverse("cases:plan", args=[case.public_id, plan.public_id])).content.decode()
    assert "Emergency access" in page
    for route, args in (
        ("cases:review_plan", [case.public_id, plan.public_id]),
        ("cases:add_plan_goal", [case.public_id, plan.public_id]),
        ("cases:edit_plan_goal", [case.public_id, plan.public_id, 1]),
    ):
        assert reverse(route, args=args) not in page, route


@pytest.mark.parametrize("write", WRITES)
def test_a_restriction_refuses_the_familys_own_manager_every_plan_write(
    client, make_user, manager, case, family, write
):
    plan = agreed_plan(case)
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["yusuf"], reason="Works here", created_by=keeper)
    url, data = _writes(plan)[write]
    before, last = snapshot(), _last_event_id()
    assert client.post(url, data).status_code == 403
    assert _changed(before, snapshot()) == {}
    assert _no_writes_recorded(last)


@pytest.mark.parametrize("write", WRITES)
def test_the_same_writes_by_the_familys_own_practitioner_are_saved(
    client, practitioner, case, write
):
    """The control for the refusals above: the data posted is valid."""
    plan = agreed_plan(case)
    url, data = _writes(plan)[write]
    before = snapshot()
    assert client.post(url, data).status_code == 302
    assert _changed(before, snapshot())


def test_a_plan_is_not_found_through_another_case(client, practitioner, case, team):
    """Another case of the same team, open to the same worker: its id does not reach this
    case's plan, so a plan's case is always the one whose rule was checked."""
    plan = agreed_plan(case)
    other = CaseFactory(team=team, started=date(2026, 1, 5))
    for route, args in (
        ("cases:plan", [other.public_id, plan.public_id]),
        ("cases:review_plan", [other.public_id, plan.public_id]),
        ("cases:add_plan_goal", [other.public_id, plan.public_id]),
        ("cases:edit_plan_goal", [other.public_id, plan.public_id, 1]),
    ):
        assert client.get(reverse(route, args=args)).status_code == 404, route
    assert plans.goal_numbered(plan, 1).plan_actions.count() == 2
