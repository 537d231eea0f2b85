"""Rules and looks the mutation run of 30 November found untested in tests/access.

Each expected answer is written out by hand: a household whose people no case holds is
open to casework staff (access/rules.py's docstring); only a manager of the case's own team
manages it; a page about one record of a case records a look against the record and
against every person on the case, naming the page; an assessment is loaded by its own id.
"""

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from earlyhelp.access.guards import restricted_match
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import household_access, manages_team_of
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import CaseMember
from tests.factories import (
    AssessmentFactory,
    CaseFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PersonFactory,
    PlanFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def asking(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return request


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.PRACTITIONER, True), (Role.TEAM_MANAGER, True), (Role.ANALYST, False),
     (Role.SYSTEM_ADMINISTRATOR, False)],
)  # fmt: skip
def test_a_household_whose_people_no_case_holds_is_open_to_casework_staff(make_user, role, allowed):
    household = HouseholdFactory()
    for given in ("Ada", "Ben"):
        HouseholdMemberFactory(
            household=household,
            person=PersonFactory(
                given_name=given, family_name="Okoro", date_of_birth=date(2015, 1, 1)
            ),
        )
    access = household_access(asking(make_user("someone", role)), household)
    assert (access.allowed, access.emergency) == (allowed, False)


def test_only_a_manager_of_the_cases_own_team_manages_it(make_user, team, case):
    other = TeamFactory(name="South youth", service="iyss")
    manager, practitioner, elsewhere = (
        make_user("mt", Role.TEAM_MANAGER),
        make_user("pt", Role.PRACTITIONER),
        make_user("mo", Role.TEAM_MANAGER),
    )
    team.members.add(manager, practitioner)
    other.members.add(elsewhere)
    assert manages_team_of(manager, case) is True
    assert manages_team_of(practitioner, case) is False  # in the team, not its manager
    assert manages_team_of(elsewhere, case) is False  # a manager, of another team


def test_a_restricted_match_is_recorded_naming_the_page(family):
    assert restricted_match(family["yusuf"], "session") == {
        "action": "view",
        "record_type": "person",
        "record_id": str(family["yusuf"].public_id),
        "rule": "access:restricted-match",
        "details": {"page": "session"},
    }


def test_a_plan_page_records_a_look_at_the_plan_and_at_everyone_on_the_case(
    client, sign_in, make_user, team, case
):
    worker = make_user("pt", Role.PRACTITIONER)
    team.members.add(worker)
    plan = PlanFactory(case=case)
    sign_in(worker)
    response = client.get(reverse("cases:plan", args=[case.public_id, plan.public_id]))
    assert response.status_code == 200
    looks = AuditEvent.objects.filter(actor=worker, action="view")
    on_case = {str(member.person.public_id) for member in CaseMember.objects.filter(case=case)}
    assert on_case
    assert {e.record_id for e in looks.filter(record_type="person")} == on_case
    assert looks.filter(record_type="plan", record_id=str(plan.public_id)).exists()
    assert {e.details["page"] for e in looks} == {"plan_detail"}


def test_an_assessment_page_shows_the_assessment_asked_for(client, sign_in, make_user, team, case):
    worker = make_user("pt", Role.PRACTITIONER)
    team.members.add(worker)
    first = AssessmentFactory(case=case, summary="First: housing and school attendance")
    second = AssessmentFactory(
        case=CaseFactory(team=team, household=case.household),
        summary="Second: a parenting programme",
    )
    sign_in(worker)
    for assessment, words in ((first, "housing and school"), (second, "parenting programme")):
        response = client.get(reverse("cases:assessment", args=[assessment.public_id]))
        assert response.status_code == 200
        assert words in response.content.decode()
