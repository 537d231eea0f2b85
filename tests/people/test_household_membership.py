"""Who lives in a household now is its current members, never those who left: the
household page, the person page, a new case, the chronology and the emergency route all
ask `Household.current_members()` (or `HouseholdMember.objects.current()`)."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.cases.chronology import household_case_ids
from earlyhelp.cases.models import Case
from earlyhelp.cases.services import open_case
from earlyhelp.people.models import HouseholdMember
from tests.factories import HouseholdMemberFactory, PersonFactory, TeamFactory

LEFT = date(2026, 10, 1)


def leaves(family, who: str) -> None:
    HouseholdMember.objects.filter(household=family["household"], person=family[who]).update(
        left_on=LEFT
    )


def test_current_members_leave_out_people_who_left(family):
    leaves(family, "mum")
    household = family["household"]
    assert set(household.current_members()) == {family["yusuf"], family["leila"]}
    assert set(household.members.all()) == {family["mum"], family["yusuf"], family["leila"]}
    current = HouseholdMember.objects.current().filter(household=household)
    assert {m.person for m in current} == {family["yusuf"], family["leila"]}


def test_the_household_page_lists_only_people_living_there_now(client, practitioner, family):
    leaves(family, "yusuf")
    page = client.get(reverse("people:household", args=[family["household"].public_id]))
    living = page.content.decode().split("Living here", 1)[1].split("</table>", 1)[0]
    assert "Leila Haddad" in living
    assert "Yusuf Haddad" not in living


def test_someone_who_left_is_not_in_the_household_column_of_a_relatives_page(
    client, practitioner, family
):
    leaves(family, "yusuf")
    page = client.get(reverse("people:person", args=[family["leila"].public_id])).content.decode()
    row = page.split("Yusuf Haddad</a>", 1)[1].split("</tr>", 1)[0]
    assert "Elsewhere" in row and "In the household" not in row


def test_a_new_case_neither_offers_nor_includes_people_who_left(client, practitioner, family, team):
    leaves(family, "yusuf")
    leaves(family, "mum")
    url = reverse("cases:open_case", args=[family["leila"].public_id])
    page = client.get(url).content.decode()
    assert "Yusuf Haddad" not in page
    response = client.post(
        url,
        {
            "service": "family-support-and-complex-families",
            "team": str(team.pk),
            "children": [str(family["leila"].public_id)],
            "reason": "Nursery attendance",
            "started_day": "2",
            "started_month": "10",
            "started_year": "2026",
        },
    )
    assert response.status_code == 302
    new = Case.objects.latest("pk")
    assert {m.person for m in new.members.all()} == {family["leila"]}


def test_a_former_members_own_posted_child_is_refused_on_a_new_case(
    client, practitioner, family, team
):
    leaves(family, "yusuf")
    response = client.post(
        reverse("cases:open_case", args=[family["leila"].public_id]),
        {
            "service": "family-support-and-complex-families",
            "team": str(team.pk),
            "children": [str(family["yusuf"].public_id)],
            "reason": "Nursery attendance",
            "started_day": "2",
            "started_month": "10",
            "started_year": "2026",
        },
    )
    assert response.status_code == 200
    assert Case.objects.count() == 1


def test_the_family_chronology_keeps_a_former_members_time_but_not_their_life_after(
    family, team, case
):
    leaves(family, "mum")
    before = open_case(
        service="family-support-and-complex-families",
        household=None,
        children=[],
        family=[family["mum"]],
        reason="Before she left",
        team=team,
        started=date(2026, 3, 1),
        created_by=None,
    )
    after = open_case(
        service="family-support-and-complex-families",
        household=None,
        children=[],
        family=[family["mum"]],
        reason="After she left",
        team=team,
        started=date(2026, 10, 20),
        created_by=None,
    )
    ids = household_case_ids(family["household"])
    assert case.pk in ids and before.pk in ids
    assert after.pk not in ids


@pytest.fixture
def stranger(client, make_user, sign_in, family):
    """A practitioner of a team that holds nothing of this family, signed in."""
    user = make_user("olga", Role.PRACTITIONER)
    TeamFactory(name="South", service="family-support-and-complex-families", members=[user])
    sign_in(user)
    return user


def emergency_link(client, family) -> str:
    page = client.get(reverse("people:household", args=[family["household"].public_id]))
    assert page.status_code == 403
    return page.content.decode().split("Open in an emergency", 1)[0].rsplit("href=", 1)[1]


def test_the_household_emergency_route_opens_a_child_living_there_now(
    client, case, stranger, family
):
    # Amira is the first member recorded, but the route is through a child.
    assert str(family["yusuf"].public_id) in emergency_link(client, family)
    leaves(family, "yusuf")
    assert str(family["leila"].public_id) in emergency_link(client, family)


def test_the_household_emergency_route_falls_back_to_an_adult_never_someone_who_left(
    client, case, stranger, family
):
    leaves(family, "yusuf")
    leaves(family, "leila")
    grandad = PersonFactory(
        given_name="Karim", family_name="Haddad", date_of_birth=date(1950, 1, 1)
    )
    HouseholdMemberFactory(household=family["household"], person=grandad)
    # Amira is the first member recorded, and an adult: a current one.
    link = emergency_link(client, family)
    assert str(family["mum"].public_id) in link
    leaves(family, "mum")
    assert str(grandad.public_id) in emergency_link(client, family)
