import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from earlyhelp.access.roles import Role


@pytest.mark.django_db
def test_404_page_does_not_echo_the_address_asked_for(client):
    response = client.get("/people/Jo-Bloggs-2014-03-02")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "Bloggs" not in page


@pytest.mark.django_db
def test_500_page_leaks_nothing_of_the_failure(settings):
    settings.ROOT_URLCONF = "tests.web.failing_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/fail")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    for secret in ("hunter2", "Bloggs", "RuntimeError", "Traceback"):
        assert secret not in page


@pytest.mark.django_db
def test_500_page_names_the_service_in_its_navigation_link(settings):
    from earlyhelp.policy.active import active_policy

    settings.ROOT_URLCONF = "tests.web.failing_urls"
    response = Client(raise_request_exception=False).get("/fail")
    page = response.content.decode()
    name = active_policy().service_name
    assert f'class="govuk-service-navigation__link">{name}</a>' in page


@pytest.mark.django_db
def test_500_page_still_renders_when_the_policy_is_what_failed(settings, monkeypatch):
    def broken():
        raise RuntimeError("policy file unreadable")

    monkeypatch.setattr("earlyhelp.policy.active.active_policy", broken)
    settings.ROOT_URLCONF = "tests.web.failing_urls"
    response = Client(raise_request_exception=False).get("/fail")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert 'class="govuk-service-navigation__link"></a>' not in page


@pytest.mark.django_db
def test_403_page_says_what_to_do_and_names_no_record(client, make_user, sign_in, monkeypatch):
    sign_in(make_user("worker", Role.PRACTITIONER))

    def refuse(request, *args, **kwargs):
        raise PermissionDenied("case 42 belongs to Team B")

    monkeypatch.setattr("earlyhelp.web.views.render", refuse)
    response = client.get(reverse("web:home"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot see this page" in page
    assert "Team B" not in page


@pytest.mark.django_db
def test_form_posted_without_csrf_token_gets_the_expired_form_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("access:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()
