import time

import pytest
from django.urls import reverse

from earlyhelp.access.demo import current_code
from earlyhelp.access.roles import Role
from earlyhelp.access.views import PENDING_SECONDS, PENDING_SINCE
from tests.conftest import STRONG_PASSWORD

LOGIN = reverse("access:login")
CODE = reverse("access:sign_in_code")
HOME = reverse("web:home")


def pass_password_step(client, username="worker", password=STRONG_PASSWORD, next_url=""):
    url = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return client.post(url, {"username": username, "password": password})


@pytest.mark.django_db
def test_password_then_authenticator_code_signs_in(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    response = pass_password_step(client)
    assert response.url == CODE
    response = client.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    assert response.url == HOME
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_password_alone_does_not_sign_in(client, make_user):
    make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    make_user("worker", Role.PRACTITIONER)
    response = pass_password_step(client, password="not-the-password")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_empty_form_names_each_missing_field(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    page = response.content.decode()
    assert "Enter your username" in page
    assert "Enter your password" in page
    assert 'href="#id_username"' in page


@pytest.mark.django_db
def test_account_without_second_factor_cannot_sign_in(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    user.totpdevice_set.all().delete()
    response = pass_password_step(client)
    assert response.status_code == 200
    assert "no second factor" in response.content.decode()


@pytest.mark.django_db
def test_wrong_security_code_is_refused(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    good = current_code(user.totpdevice_set.get())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(CODE, {"code": wrong})
    assert "Security code is wrong or has expired" in response.content.decode()
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_malformed_security_code_names_the_rule(client, make_user):
    make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    response = client.post(CODE, {"code": "12ab"})
    assert "Security code must be 6 digits" in response.content.decode()


@pytest.mark.django_db
def test_code_step_without_password_step_goes_back_to_sign_in(client):
    response = client.get(CODE)
    assert response.url == LOGIN


@pytest.mark.django_db
def test_password_step_expires_after_a_few_minutes(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    session = client.session
    session[PENDING_SINCE] = time.time() - PENDING_SECONDS - 1
    session.save()
    response = client.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    assert response.url == LOGIN
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_sign_in_returns_to_the_page_asked_for(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client, next_url="/privacy-notice")
    response = client.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    assert response.url == "/privacy-notice"


@pytest.mark.django_db
def test_sign_in_never_redirects_to_another_site(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client, next_url="https://evil.example/")
    response = client.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    assert response.url == HOME


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_from_that_address(client, make_user, settings):
    make_user("worker", Role.PRACTITIONER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        pass_password_step(client, password="not-the-password")
    response = pass_password_step(client)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


@pytest.mark.django_db
def test_sign_out_needs_a_post_and_ends_the_session(client, make_user, sign_in):
    sign_in(make_user("worker", Role.PRACTITIONER))
    assert client.get(reverse("access:logout")).status_code == 405
    response = client.post(reverse("access:logout"))
    assert response.url == reverse("access:signed_out")
    assert client.get(HOME).status_code == 302
