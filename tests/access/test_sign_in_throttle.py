"""Sign-in throttling: a username from one address, an address, and a username everywhere."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from earlyhelp.access.demo import current_code
from earlyhelp.access.roles import Role
from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("access:login")
CODE = reverse("access:sign_in_code")
HOME = reverse("web:home")
LOCKED = 429


def attempt(username: str, password: str, address: str):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def signs_in(user, address: str) -> bool:
    browser = Client(REMOTE_ADDR=address)
    response = browser.post(LOGIN, {"username": user.username, "password": STRONG_PASSWORD})
    if response.status_code != 302:
        return False
    browser.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    return browser.get(HOME).status_code == 200


def without_nonce(page: str) -> str:
    return re.sub(r'nonce="[^"]+"', 'nonce=""', page)


@pytest.fixture
def worker(make_user):
    return make_user("worker", Role.PRACTITIONER)


def test_limits_are_wider_than_the_per_username_and_address_limit_and_catch_the_issues_attacks(
    settings,
):
    assert settings.AXES_FAILURE_LIMIT < settings.SIGNIN_USERNAME_FAILURE_LIMIT <= 40
    assert settings.AXES_FAILURE_LIMIT < settings.SIGNIN_ADDRESS_FAILURE_LIMIT <= 30


def test_thirty_usernames_tried_from_one_address_lock_that_address(worker):
    # Password spraying: one guess at each of many usernames, real or not.
    for n in range(30):
        attempt(f"staff{n}", "Summer2026!", "203.0.113.7")

    response = attempt("worker", STRONG_PASSWORD, "203.0.113.7")

    assert response.status_code == LOCKED
    assert "Too many attempts to sign in" in response.content.decode()
    assert signs_in(worker, "198.51.100.20"), "other addresses are not locked"


def test_forty_failures_against_one_username_from_ten_addresses_lock_that_username(
    worker, make_user
):
    for n in range(10):
        for _ in range(4):  # under the limit for a username from one address
            attempt("worker", "not-the-password", f"203.0.113.{n + 1}")

    assert attempt("worker", STRONG_PASSWORD, "198.51.100.20").status_code == LOCKED
    assert not signs_in(worker, "198.51.100.21")
    # Only that username: a colleague signs in from the same addresses.
    assert signs_in(make_user("colleague", Role.PRACTITIONER), "203.0.113.1")


def test_a_locked_username_looks_the_same_whether_or_not_anyone_has_it(worker, settings):
    answers = {}
    for username in ("worker", "nobody-by-this-name"):
        for n in range(settings.SIGNIN_USERNAME_FAILURE_LIMIT):
            attempt(username, "not-the-password", f"203.0.113.{n + 1}")
        response = attempt(username, "not-the-password", "198.51.100.20")
        answers[username] = (response.status_code, without_nonce(response.content.decode()))
    assert answers["worker"] == answers["nobody-by-this-name"]
    assert answers["worker"][0] == LOCKED


def test_a_username_tried_under_every_limit_still_signs_in(worker, settings):
    for n in range(settings.SIGNIN_USERNAME_FAILURE_LIMIT - 1):
        attempt("worker", "not-the-password", f"203.0.113.{n + 1}")
    assert signs_in(worker, "198.51.100.20")


def test_one_persons_sign_in_does_not_clear_a_spray_from_their_address(worker, settings):
    for n in range(settings.SIGNIN_ADDRESS_FAILURE_LIMIT - 1):
        attempt(f"staff{n}", "Summer2026!", "203.0.113.7")
    assert signs_in(worker, "203.0.113.7")

    attempt("staff-last", "Summer2026!", "203.0.113.7")

    assert attempt("worker", STRONG_PASSWORD, "203.0.113.7").status_code == LOCKED


def test_wrong_security_codes_count_towards_the_username_limit(worker, settings):
    good = current_code(worker.totpdevice_set.get())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    answers = []
    for n in range(settings.SIGNIN_USERNAME_FAILURE_LIMIT):
        browser = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        browser.post(LOGIN, {"username": "worker", "password": STRONG_PASSWORD})
        answers.append(browser.post(CODE, {"code": wrong}).status_code)
        # As if the guesser waited out the authenticator's own delay between wrong codes.
        worker.totpdevice_set.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert answers[:-1] == [200] * (len(answers) - 1), "wrong code, under the limits"
    assert answers[-1] == LOCKED, "the failure that reaches the limit locks"
    assert attempt("worker", STRONG_PASSWORD, "198.51.100.20").status_code == LOCKED
