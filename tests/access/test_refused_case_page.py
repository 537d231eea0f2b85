"""A case or household one may not open says what a person's page says: who holds it,
and the emergency route; after break-glass the case opens with the emergency banner."""

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from tests.factories import TeamFactory


@pytest.fixture
def outsider(client, make_user, sign_in, case):
    """A practitioner in another team."""
    user = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(user)
    sign_in(user)
    return user


def test_another_teams_case_says_who_holds_it_and_how_to_open_it_in_an_emergency(
    client, outsider, case, family
):
    response = client.get(reverse("cases:case", args=[case.public_id]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "North family support (allocated worker: not allocated), case open" in page
    # Break-glass on Yusuf, the first child the case is about, then back to this case.
    emergency = reverse("people:break_glass", args=[family["yusuf"].public_id])
    assert f"{emergency}?case={case.public_id}" in page
    assert "School attendance" not in page and "Haddad" not in page


def test_another_teams_household_says_who_holds_it(client, outsider, case, family):
    response = client.get(reverse("people:household", args=[family["household"].public_id]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "North family support" in page
    # Through a child living there (Yusuf), not the first member recorded (Amira).
    assert reverse("people:break_glass", args=[family["yusuf"].public_id]) in page


def test_break_glass_from_a_refused_case_comes_back_to_it_with_the_banner(
    client, outsider, case, family
):
    emergency = reverse("people:break_glass", args=[family["yusuf"].public_id])
    response = client.post(
        f"{emergency}?case={case.public_id}", {"reason": "Police at school, worker off sick"}
    )
    assert response.status_code == 302
    assert response.url == reverse("cases:case", args=[case.public_id])
    page = client.get(response.url).content.decode()
    assert "You opened this record in an emergency" in page
    assert "School attendance" in page
    looked = AuditEvent.objects.filter(action="view", record_type="case").last()
    assert looked.flagged


@pytest.mark.parametrize("other", ["not-a-uuid", "6f1b7a4e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", ""])
def test_break_glass_goes_back_only_to_a_case_the_person_is_on(client, outsider, family, other):
    emergency = reverse("people:break_glass", args=[family["yusuf"].public_id])
    response = client.post(f"{emergency}?case={other}", {"reason": "Police at school"})
    assert response.url == reverse("people:person", args=[family["yusuf"].public_id])


def test_the_emergency_route_goes_through_a_child_of_this_case_not_of_another(
    client, outsider, case, family
):
    from datetime import date

    from earlyhelp.cases.services import open_case

    # Amira is family on this case, and (as a young carer once) a child on another.
    other_team = TeamFactory(name="West youth", service="iyss")
    open_case(
        service="iyss",
        household=None,
        children=[family["mum"]],
        reason="Young carers group",
        team=other_team,
        started=date(2026, 1, 5),
        created_by=None,
    )
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert reverse("people:break_glass", args=[family["yusuf"].public_id]) in page
    assert reverse("people:break_glass", args=[family["mum"].public_id]) not in page
