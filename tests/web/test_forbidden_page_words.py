"""The page that refuses a page by role says whom to ask, worded for the person's role.

The issue: a team manager refused a page was told to "ask your team manager".
"""

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role

pytestmark = pytest.mark.django_db

ROPA = reverse("policy:ropa")  # the information governance officer's only
STAFF = reverse("staff:list")  # the system administrator's only


def refusal(client, make_user, sign_in, url, *roles) -> str:
    sign_in(make_user("someone", *roles))
    response = client.get(url)
    assert response.status_code == 403
    return response.content.decode()


def test_a_team_manager_is_not_told_to_ask_their_team_manager(client, make_user, sign_in):
    page = refusal(client, make_user, sign_in, ROPA, Role.TEAM_MANAGER)
    assert "team manager" not in page.split("<main")[1]
    assert "ask your system administrator to give you the role" in page


def test_a_practitioner_is_told_to_ask_their_team_manager(client, make_user, sign_in):
    page = refusal(client, make_user, sign_in, ROPA, Role.PRACTITIONER)
    assert "If you need it for your work, ask your team manager." in page


@pytest.mark.parametrize("role", [Role.INFORMATION_GOVERNANCE, Role.ANALYST])
def test_other_roles_are_told_to_ask_the_system_administrator(client, make_user, sign_in, role):
    page = refusal(client, make_user, sign_in, STAFF, role)
    assert "ask your system administrator to give you the role" in page
    assert "team manager" not in page.split("<main")[1]


def test_a_system_administrator_is_told_to_ask_another(client, make_user, sign_in):
    page = refusal(client, make_user, sign_in, ROPA, Role.SYSTEM_ADMINISTRATOR)
    assert "ask another system administrator" in page
    assert "nobody changes their own roles" in page


def test_an_account_with_no_role_is_told_so(client, make_user, sign_in):
    page = refusal(client, make_user, sign_in, reverse("web:home"))
    assert "Your account has no role yet" in page
    assert "Your role does not give you access" not in page
