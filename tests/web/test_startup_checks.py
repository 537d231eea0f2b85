"""The service refuses to start on a weak secret key or without its field-encryption keys."""

import io
import secrets

import pytest
from django.core.management import call_command

from earlyhelp.encryption import KEY_FOLDER
from earlyhelp.settings import INSECURE_SECRET_KEY
from earlyhelp.web.checks import field_keys_are_readable, secret_key_is_set
from tests.cli import earlyhelp

STRONG_KEY = secrets.token_urlsafe(50)


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        ("changeme", "has 8 characters; it needs at least 50"),
        ("django-insecure-abc", "starts with 'django-insecure'"),
        ("django-insecure-" + secrets.token_urlsafe(50), "starts with 'django-insecure'"),
        ("abcd" * 20, "has 4 different characters; it needs at least 5"),
        (INSECURE_SECRET_KEY, "is the published development key"),
    ],
    # Named, not shown: the long key is random, and every xdist worker must collect the
    # same test ids.
    ids=["short", "insecure-prefix", "insecure-prefix-long", "few-characters", "published-key"],
)
def test_weak_secret_key_is_refused_naming_the_variable_and_the_rule(settings, key, rule):
    settings.DEBUG = False
    settings.SECRET_KEY = key
    errors = secret_key_is_set(None)
    assert [error.id for error in errors] == ["earlyhelp.E001"]
    assert rule in errors[0].msg
    assert "EARLYHELP_SECRET_KEY" in errors[0].msg


def test_a_long_random_secret_key_is_accepted(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    assert secret_key_is_set(None) == []


def test_a_developers_machine_may_run_on_the_development_key(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = INSECURE_SECRET_KEY
    assert secret_key_is_set(None) == []


def test_field_keys_made_by_keys_init_pass(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "keys"
    call_command("keys", "init", stdout=io.StringIO())
    assert field_keys_are_readable(None) == []


def test_missing_field_keys_are_refused_naming_the_folder(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "empty"
    errors = field_keys_are_readable(None)
    assert [error.id for error in errors] == ["earlyhelp.E010"]
    assert str(tmp_path / "empty" / KEY_FOLDER) in errors[0].msg
    assert "there is no current key" in errors[0].msg
    assert "earlyhelp keys init" in errors[0].hint


def test_a_current_key_without_its_key_file_is_refused(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "keys"
    call_command("keys", "init", stdout=io.StringIO())
    for key_file in (tmp_path / "keys" / KEY_FOLDER).glob("*.key"):
        key_file.unlink()
    errors = field_keys_are_readable(None)
    assert [error.id for error in errors] == ["earlyhelp.E010"]
    assert "has no file" in errors[0].msg


def test_an_unreadable_key_file_is_refused(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "keys"
    call_command("keys", "init", stdout=io.StringIO())
    for key_file in (tmp_path / "keys" / KEY_FOLDER).glob("*.key"):
        key_file.write_text("not base64 at all!\n")
    errors = field_keys_are_readable(None)
    assert [error.id for error in errors] == ["earlyhelp.E010"]


# -- as an operator starts it -----------------------------------------------------------------


def test_service_refuses_to_start_on_a_short_secret_key(tmp_path):
    keys = tmp_path / "keys"
    assert earlyhelp("keys", "init", EARLYHELP_KEYS_DIR=str(keys)).returncode == 0
    result = earlyhelp("check", EARLYHELP_KEYS_DIR=str(keys), EARLYHELP_SECRET_KEY="changeme")
    assert result.returncode != 0
    assert "earlyhelp.E001" in result.stderr
    assert "EARLYHELP_SECRET_KEY" in result.stderr


def test_service_refuses_to_start_without_field_encryption_keys(tmp_path):
    result = earlyhelp(
        "check", EARLYHELP_KEYS_DIR=str(tmp_path / "none"), EARLYHELP_SECRET_KEY=STRONG_KEY
    )
    assert result.returncode != 0
    assert "earlyhelp.E010" in result.stderr
    assert "earlyhelp.E001" not in result.stderr
