"""Taking someone off a session's list (POST `remove` to session_expected) follows the
person rule: a reader who may not open the person (restricted from them, or held by
another team) cannot take them off, and no message names them."""

from datetime import date

from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.cases import sessions
from earlyhelp.cases.models import Attendance
from earlyhelp.cases.services import open_case
from tests.cases.test_session_pages import FAMILY_SUPPORT
from tests.cases.test_session_pages import session as session  # the fixture, used by name
from tests.factories import HouseholdFactory, PersonFactory, RestrictionFactory, TeamFactory


def test_a_restricted_person_cannot_be_taken_off_by_someone_the_restriction_excludes(
    client, practitioner, session, family, request_as, make_user
):
    sessions.set_expected(request_as(practitioner), session, add=[family["leila"]])
    keeper = make_user("kim", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["leila"], created_by=keeper)
    page = client.get(reverse("cases:session", args=[session.public_id])).content.decode()
    assert "Leila" not in page  # the page does not name her, nor offer to take her off
    url = reverse("cases:session_expected", args=[session.public_id])
    response = client.post(url, {"remove": str(family["leila"].public_id)}, follow=True)
    body = response.content.decode()
    assert "Leila" not in body, "the message names a restricted person"
    assert Attendance.objects.filter(session=session, person=family["leila"]).exists()


def test_someone_held_by_another_team_cannot_be_taken_off_nor_named(
    client, practitioner, session, request_as, make_user
):
    other_worker = make_user("oti", Role.PRACTITIONER)
    other_team = TeamFactory(name="South family support", service=FAMILY_SUPPORT)
    other_team.members.add(other_worker)
    child = PersonFactory(given_name="Zaynab", family_name="Okafor")
    open_case(
        service=FAMILY_SUPPORT,
        household=HouseholdFactory(),
        children=[child],
        family=[],
        reason="Support",
        team=other_team,
        started=date(2026, 9, 1),
        created_by=None,
    )
    sessions.set_expected(request_as(other_worker), session, add=[child])
    page = client.get(reverse("cases:session", args=[session.public_id])).content.decode()
    assert "Zaynab" not in page  # "Someone whose record is not open to you"
    url = reverse("cases:session_expected", args=[session.public_id])
    response = client.post(url, {"remove": str(child.public_id)}, follow=True)
    body = response.content.decode()
    assert "Zaynab" not in body, "the message names someone the reader may not open"
    assert Attendance.objects.filter(session=session, person=child).exists()
