"""A nursery: Leila on an open case of the nursery service, her key person and manager."""

from datetime import date

import pytest

from earlyhelp.access.roles import Role
from earlyhelp.cases.models import Team
from earlyhelp.cases.services import open_case

NURSERY = "integrated-early-years"


@pytest.fixture
def nursery_team(db):
    return Team.objects.create(name="Kentish Town nursery", service=NURSERY)


@pytest.fixture
def nursery_case(family, nursery_team):
    return open_case(
        service=NURSERY,
        household=family["household"],
        children=[family["leila"]],
        family=[family["mum"]],
        reason="A nursery place",
        team=nursery_team,
        started=date(2026, 9, 1),
        created_by=None,
    )


@pytest.fixture
def key_person(make_user, nursery_team, nursery_case):
    user = make_user("nia", Role.PRACTITIONER)
    user.last_name = "Okafor"
    user.save()
    nursery_team.members.add(user)
    return user


@pytest.fixture
def nursery_manager(make_user, nursery_team, nursery_case):
    user = make_user("maya", Role.TEAM_MANAGER)
    nursery_team.members.add(user)
    return user
