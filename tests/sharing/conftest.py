"""Staff for the sharing tests: the family's own worker and two managers of their team."""

import pytest

from earlyhelp.access.roles import Role
from tests.factories import AssessmentFactory


@pytest.fixture
def worker(make_user, team, case):
    """A practitioner of the team holding the family's case, allocated to it."""
    user = make_user("wren", Role.PRACTITIONER)
    team.members.add(user)
    case.allocated_worker = user
    case.save(update_fields=["allocated_worker"])
    return user


@pytest.fixture
def boss(make_user, team, case):
    """A team manager of the family's team."""
    user = make_user("bea", Role.TEAM_MANAGER)
    team.members.add(user)
    return user


@pytest.fixture
def assessment(case):
    """An early help assessment on the family's case (about Yusuf and Leila)."""
    return AssessmentFactory(case=case, started=case.started)


@pytest.fixture
def assessment_key(assessment) -> str:
    return f"cases.Assessment:{assessment.pk}"
