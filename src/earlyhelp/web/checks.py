"""Start-up checks: the service refuses to start when it would be unsafe."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.encryption import KEY_FOLDER, key_ring
from earlyhelp.settings import INSECURE_SECRET_KEY

# Django's own rule for a secret key (check security.W009), made an error here.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
INSECURE_PREFIX = "django-insecure"
FIELD_KEY_BYTES = 32  # AES-256


def secret_key_problem(key: str) -> str | None:
    """Why `key` must not sign sessions, or None when it will do."""
    if not key:
        return "is not set"
    if key == INSECURE_SECRET_KEY:
        return (
            "is the published development key, used when EARLYHELP_SECRET_KEY is not set "
            "and there is no secret_key file"
        )
    if key.startswith(INSECURE_PREFIX):
        return f"starts with '{INSECURE_PREFIX}', as Django's generated development keys do"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"has {len(key)} characters; it needs at least {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (
            f"has {len(set(key))} different characters; "
            f"it needs at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS}"
        )
    return None


@register(Tags.security)
def secret_key_is_set(app_configs, **kwargs) -> list[Error]:
    # A developer's machine (DEBUG on) may run on the development key.
    if settings.DEBUG:
        return []
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem is None:
        return []
    return [
        Error(
            f"The secret key {problem}: EARLYHELP_SECRET_KEY (or the secret_key file in "
            f"{settings.KEYS_DIR}) must be at least {SECRET_KEY_MIN_LENGTH} random characters, "
            f"with at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones, not starting "
            f"with '{INSECURE_PREFIX}', and not the published development key.",
            hint="Run `earlyhelp keys init` to make one, or set EARLYHELP_SECRET_KEY to a new "
            "random value, such as the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
            id="earlyhelp.E001",
        )
    ]


@register(Tags.security)
def field_keys_are_readable(app_configs, **kwargs) -> list[Error]:
    """Without the current field key, every page with special category data would fail."""
    folder = settings.KEYS_DIR / KEY_FOLDER
    try:
        # The loader itself, uncached: the check reads what is on disk now.
        ring = key_ring.__wrapped__(str(settings.KEYS_DIR))
        problem = None
        if ring.current_id not in ring.keys:
            problem = f"the current key {ring.current_id!r} has no file {ring.current_id}.key"
        elif len(ring.keys[ring.current_id]) != FIELD_KEY_BYTES:
            problem = f"the current key {ring.current_id!r} is not a {FIELD_KEY_BYTES}-byte key"
    except ImproperlyConfigured:
        problem = "there is no current key"
    except (OSError, ValueError) as error:  # binascii.Error is a ValueError
        problem = f"a key file cannot be read ({type(error).__name__}: {error})"
    if problem is None:
        return []
    return [
        Error(
            f"Field encryption keys in {folder}: {problem}. Special category and criminal "
            "offence data can be neither read nor written without it.",
            hint="Run `earlyhelp keys init` for a new installation; otherwise restore the keys "
            "folder from its backup (EARLYHELP_KEYS_DIR).",
            id="earlyhelp.E010",
        )
    ]
