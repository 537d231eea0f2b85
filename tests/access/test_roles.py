import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from earlyhelp.access.roles import Role

HOME = reverse("web:home")


@pytest.mark.django_db
def test_every_role_is_a_group_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_its_own_home_page(client, make_user, sign_in, role):
    sign_in(make_user("worker", role))
    response = client.get(HOME)
    assert response.status_code == 200
    assert response.templates[0].name == f"web/home/{role.value}.html"
    assert role.label in response.content.decode()


@pytest.mark.django_db
def test_staff_without_a_role_cannot_use_the_service(client, make_user, sign_in):
    sign_in(make_user("worker"))
    response = client.get(HOME)
    assert response.status_code == 403


@pytest.mark.django_db
def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("access:login"))
