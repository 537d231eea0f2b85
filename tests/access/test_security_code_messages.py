"""A wrong security code is called wrong, with the tries left, until the sign-in throttle's
limit: never "too many wrong codes" after one.

The issue: one wrong code, then another typed straight away, got "Too many wrong codes".
django-otp's own delay between wrong codes (1, 2, 4... seconds) refused to check the
second; the real limit is the sign-in throttle's (five failures from one address).
"""

import pytest
from django.urls import reverse

from earlyhelp.access.demo import current_code
from earlyhelp.access.roles import Role
from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("access:login")
CODE = reverse("access:sign_in_code")
HOME = reverse("web:home")
LOCKED = 429


@pytest.fixture
def worker(make_user):
    return make_user("worker", Role.PRACTITIONER)


def codes(user) -> tuple[str, str]:
    """The code the app shows now, and one that is not it (nor the one before or after)."""
    good = current_code(user.totpdevice_set.get())
    return good, f"{(int(good) + 500_000) % 1_000_000:06d}"


def test_a_second_wrong_code_straight_after_the_first_is_called_wrong_not_too_many(
    client, worker, settings
):
    _, wrong = codes(worker)
    client.post(LOGIN, {"username": "worker", "password": STRONG_PASSWORD})

    first = client.post(CODE, {"code": wrong}).content.decode()
    second = client.post(CODE, {"code": wrong}).content.decode()

    assert "Security code is wrong or has expired" in first
    assert "You have 4 more tries before sign-in is locked for 15 minutes" in first
    assert "Security code is wrong or has expired" in second
    assert "You have 3 more tries before sign-in is locked for 15 minutes" in second
    assert "Too many" not in first + second


def test_the_right_code_straight_after_a_wrong_one_signs_in(client, worker):
    good, wrong = codes(worker)
    client.post(LOGIN, {"username": "worker", "password": STRONG_PASSWORD})
    client.post(CODE, {"code": wrong})

    response = client.post(CODE, {"code": good})

    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


def test_each_wrong_code_says_how_many_tries_are_left_until_the_limit_locks(
    client, worker, settings
):
    good, wrong = codes(worker)
    client.post(LOGIN, {"username": "worker", "password": STRONG_PASSWORD})
    left = []
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = client.post(CODE, {"code": wrong}).content.decode()
        assert "Security code is wrong or has expired" in page
        left.append(page.split("You have ")[1].split(" before")[0])
    assert left == ["4 more tries", "3 more tries", "2 more tries", "1 more try"]

    response = client.post(CODE, {"code": wrong})
    assert response.status_code == LOCKED
    assert "Too many attempts to sign in" in response.content.decode()

    # Once locked, not even the right code signs in: the session cannot go on guessing.
    response = client.post(CODE, {"code": good})
    assert response.status_code == LOCKED
    assert client.get(HOME).status_code == 302


def test_wrong_passwords_before_count_towards_the_tries_left(client, worker):
    _, wrong = codes(worker)
    client.post(LOGIN, {"username": "worker", "password": "not-the-password"})
    client.post(LOGIN, {"username": "worker", "password": STRONG_PASSWORD})

    page = client.post(CODE, {"code": wrong}).content.decode()

    assert "You have 3 more tries before sign-in is locked for 15 minutes" in page
