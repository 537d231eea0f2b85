"""Settings come from the environment; these run the console script as an operator would."""

import json
import sys

from tests.cli import earlyhelp, run

PRINT_SETTINGS = (
    "import django, json; from django.conf import settings; django.setup(); print(json.dumps({"
    "'debug': settings.DEBUG, 'session_secure': settings.SESSION_COOKIE_SECURE,"
    "'csrf_secure': settings.CSRF_COOKIE_SECURE, 'hsts': settings.SECURE_HSTS_SECONDS,"
    "'engine': settings.DATABASES['default']['ENGINE'], 'keys': str(settings.KEYS_DIR),"
    "'policy': str(settings.POLICY_PATH)}))"
)


def test_service_refuses_to_start_without_a_secret_key(tmp_path):
    result = earlyhelp("check", EARLYHELP_KEYS_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "earlyhelp.E001" in result.stderr
    assert "EARLYHELP_SECRET_KEY" in result.stderr


def test_service_refuses_to_start_on_the_published_development_key(tmp_path):
    from earlyhelp.settings import INSECURE_SECRET_KEY

    result = earlyhelp(
        "check", EARLYHELP_KEYS_DIR=str(tmp_path), EARLYHELP_SECRET_KEY=INSECURE_SECRET_KEY
    )
    assert result.returncode != 0
    assert "earlyhelp.E001" in result.stderr


def test_keys_init_makes_a_private_secret_key_once(tmp_path):
    keys = tmp_path / "keys"
    assert earlyhelp("keys", "init", EARLYHELP_KEYS_DIR=str(keys)).returncode == 0
    secret = (keys / "secret_key").read_text()
    assert earlyhelp("keys", "init", EARLYHELP_KEYS_DIR=str(keys)).returncode == 0
    assert (keys / "secret_key").read_text() == secret
    assert (keys / "secret_key").stat().st_mode & 0o077 == 0
    assert earlyhelp("check", EARLYHELP_KEYS_DIR=str(keys)).returncode == 0


def test_defaults_are_debug_off_with_secure_cookies_and_hsts(tmp_path):
    result = run([sys.executable, "-c", PRINT_SETTINGS], EARLYHELP_SECRET_KEY="x" * 50)
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["session_secure"] is True
    assert values["csrf_secure"] is True
    assert values["hsts"] >= 31_536_000
    assert values["engine"] == "django.db.backends.sqlite3"


def test_configuration_comes_from_the_environment(tmp_path):
    result = run(
        [sys.executable, "-c", PRINT_SETTINGS],
        EARLYHELP_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://someone@127.0.0.1:5432/earlyhelp",
        EARLYHELP_KEYS_DIR=str(tmp_path / "k"),
        EARLYHELP_POLICY=str(tmp_path / "p.toml"),
    )
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["keys"] == str(tmp_path / "k")
    assert values["policy"] == str(tmp_path / "p.toml")


def test_a_malformed_setting_is_named(tmp_path):
    result = run([sys.executable, "-c", PRINT_SETTINGS], EARLYHELP_DEBUG="maybe")
    assert result.returncode != 0
    assert "EARLYHELP_DEBUG must be true or false" in result.stderr


def test_console_script_wraps_manage_py():
    result = earlyhelp("help", EARLYHELP_SECRET_KEY="x" * 50)
    assert result.returncode == 0
    for command in ("migrate", "runserver", "generate", "demo_users", "keys"):
        assert command in result.stdout
