"""The service hashes passwords with Argon2 (the suite uses MD5 for speed: tests/conftest.py)."""

import importlib

import pytest
from django.contrib.auth.hashers import identify_hasher

from earlyhelp.access.models import User


def test_the_service_hashes_passwords_with_argon2_first(settings):
    service_settings = importlib.import_module("earlyhelp.settings")
    assert service_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert not any("MD5" in hasher for hasher in service_settings.PASSWORD_HASHERS)


@pytest.mark.django_db
def test_a_password_set_under_the_service_settings_is_stored_as_argon2(settings):
    settings.PASSWORD_HASHERS = importlib.import_module("earlyhelp.settings").PASSWORD_HASHERS
    user = User.objects.create_user(username="argon", password="correct-horse-battery-staple")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("correct-horse-battery-staple")
