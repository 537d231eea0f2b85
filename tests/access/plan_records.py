"""A plan on a case, for the tests that visit every route with real records."""

from earlyhelp.cases.models import Case, Plan
from earlyhelp.cases.plans import ActionPlanned, GoalPlanned, agree_plan


def plan_on(case: Case) -> Plan:
    """A plan agreed the day `case` started, with one goal and one action: not yet reviewed,
    so every plan route (its goals' forms too) opens on it."""
    return agree_plan(
        case=case,
        author=None,
        agreed=case.started,
        goals=[
            GoalPlanned(
                goal="Yusuf goes to school every day",
                actions=[ActionPlanned("Walk Yusuf to school", "Amira", case.started)],
            )
        ],
    )
