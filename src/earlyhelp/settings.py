"""Settings, all from the environment, with defaults that are safe rather than convenient.

EARLYHELP_DEBUG           "true" only on a developer's machine (default false)
EARLYHELP_SECRET_KEY      Django's secret; else the file secret_key in EARLYHELP_KEYS_DIR
EARLYHELP_KEYS_DIR        folder of keys, outside git and the database (default ./.keys)
EARLYHELP_POLICY          path of the policy file (default policies/camden.toml)
DATABASE_URL              e.g. postgres://user@127.0.0.1:5432/earlyhelp (default SQLite in var/)
EARLYHELP_ALLOWED_HOSTS   comma-separated host names (default localhost,127.0.0.1)
EARLYHELP_HTTPS           "false" only to serve over plain http on loopback, as `make demo` does
EARLYHELP_SESSION_MINUTES minutes of inactivity before a session expires (default 30)
EARLYHELP_RIGHTS_FORM_LIMIT_PER_HOUR  rights form submissions an hour per address (default 5)
EARLYHELP_SYNTHETIC_DATA  "true" only where every record is made up: the demo, the tests, CI
                          (default false); only then are NHS test numbers (999...) accepted
EARLYHELP_EMAIL_HOST      SMTP server for reminders (`earlyhelp requests remind`); unset, email
                          is written to the console, as in the demo. With it:
                          EARLYHELP_EMAIL_PORT (587), EARLYHELP_EMAIL_HOST_USER,
                          EARLYHELP_EMAIL_HOST_PASSWORD, EARLYHELP_EMAIL_USE_TLS (true)
EARLYHELP_EMAIL_FROM      the sender of reminders (default earlyhelp@localhost)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.keys import SECRET_KEY_FILE, read_key_file

BASE_DIR = Path(__file__).resolve().parents[2]

# Django's own placeholder and ours: a server that would sign sessions with a
# published key must not start.
INSECURE_SECRET_KEY = "earlyhelp-insecure-development-key"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("EARLYHELP_DEBUG", False)
KEYS_DIR = Path(os.environ.get("EARLYHELP_KEYS_DIR") or BASE_DIR / ".keys")
# EARLYHELP_AUDIT_ANCHOR_DIR: signed anchors of the audit chain's end (audit/anchors.py),
# outside the database; in production on storage its users cannot rewrite (append-only).
AUDIT_ANCHOR_DIR = Path(os.environ.get("EARLYHELP_AUDIT_ANCHOR_DIR") or KEYS_DIR / "audit-anchors")
POLICY_PATH = Path(os.environ.get("EARLYHELP_POLICY") or BASE_DIR / "policies" / "camden.toml")

SECRET_KEY = (
    os.environ.get("EARLYHELP_SECRET_KEY")
    or read_key_file(KEYS_DIR, SECRET_KEY_FILE)
    or INSECURE_SECRET_KEY
)
# With DEBUG off, the system check earlyhelp.E001 refuses to start on this key, or on any
# weak one (web/checks.py); `earlyhelp keys init` makes a real one.

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("EARLYHELP_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "earlyhelp.web",
    "earlyhelp.policy",
    "earlyhelp.access",
    "earlyhelp.audit",
    "earlyhelp.people",
    "earlyhelp.cases",
    "earlyhelp.synthetic",
    "earlyhelp.extracts",
    "earlyhelp.datamap",
    "earlyhelp.rights",
    "earlyhelp.packages",
    "earlyhelp.bundles",
    "earlyhelp.sharing",
    "earlyhelp.retention",
    "earlyhelp.consent",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A temporary password is changed before any other page opens.
    "earlyhelp.access.middleware.PasswordChangeRequiredMiddleware",
    # No copy of a signed-in page (family data) in the browser's or a proxy's cache.
    "earlyhelp.web.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "earlyhelp.urls"
WSGI_APPLICATION = "earlyhelp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "earlyhelp.web.context_processors.service",
            ],
        },
    },
]

DATA_DIR = BASE_DIR / "var"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'earlyhelp.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the one writer work at once; IMMEDIATE avoids
        # "database is locked" when a read transaction later writes. A 64 MiB page cache
        # (the default is 2 MiB): disposal's deletes walk the large name and audit indexes,
        # and re-reading their pages from disk took most of their time (NameKey's delete
        # for 3,000 people 3.2 s -> 1.3 s).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# True only where the data is synthetic (`make demo`, the tests, CI): numbers from the NHS
# test range (999 000 0000 - 999 999 9999), which no person has, are accepted only then.
SYNTHETIC_DATA = env_bool("EARLYHELP_SYNTHETIC_DATA", False)

# Uploaded documents live outside the database, named by content hash.
DOCUMENTS_DIR = Path(os.environ.get("EARLYHELP_DOCUMENTS_DIR") or DATA_DIR / "documents")
DOCUMENT_MAX_BYTES = env_int("EARLYHELP_DOCUMENT_MAX_MB", 20) * 1024 * 1024
# A nursery photo or short video (consent.media).
MEDIA_MAX_BYTES = env_int("EARLYHELP_MEDIA_MAX_MB", 50) * 1024 * 1024
# What a Word (DOCX) upload may expand to when unzipped: more is refused as a zip bomb.
DOCUMENT_MAX_EXPANDED_BYTES = env_int("EARLYHELP_DOCUMENT_MAX_EXPANDED_MB", 50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "web:home"

# Sign-in throttling (access/throttle.py): within the cool-off window, five failures lock a
# username from that address; 20 lock an address whatever the usernames (password spraying);
# 20 lock a username whatever the addresses (distributed guessing).
AXES_FAILURE_LIMIT = env_int("EARLYHELP_SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("EARLYHELP_SIGNIN_ADDRESS_LIMIT", 20)
SIGNIN_USERNAME_FAILURE_LIMIT = env_int("EARLYHELP_SIGNIN_USERNAME_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("EARLYHELP_SIGNIN_COOLOFF_MINUTES", 15))
AXES_HANDLER = "earlyhelp.access.throttle.SignInThrottle"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address the audit trail records: behind the proxy, the one it added.
AXES_CLIENT_IP_CALLABLE = "earlyhelp.audit.log.client_ip"
AXES_LOCKOUT_TEMPLATE = "access/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The public rights and complaints form (rights/public.py): submissions an hour from one
# address, counted in the audit trail, before it asks them to wait or to write instead.
RIGHTS_FORM_LIMIT_PER_HOUR = env_int("EARLYHELP_RIGHTS_FORM_LIMIT_PER_HOUR", 5)
# Axes logs usernames at INFO; usernames are staff identifiers, not family data.
OTP_TOTP_ISSUER = "earlyhelp"

SESSION_COOKIE_AGE = 60 * env_int("EARLYHELP_SESSION_MINUTES", 30)
SESSION_SAVE_EVERY_REQUEST = True  # so the age above counts from the last request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "earlyhelp.web.views.csrf_failure"

HTTPS = env_bool("EARLYHELP_HTTPS", not DEBUG)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("EARLYHELP_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    },
}

# Email (reminders): SMTP where a host is configured, else the console (the demo).
EMAIL_HOST = os.environ.get("EARLYHELP_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EARLYHELP_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EARLYHELP_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EARLYHELP_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EARLYHELP_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("EARLYHELP_EMAIL_FROM") or "earlyhelp@localhost"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# `make assets` builds the stylesheet and copies GOV.UK Frontend's files here.
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("EARLYHELP_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry URLs only; URLs carry opaque ids only (see web/urls).
        "django.server": {"level": "INFO"},
        # At DEBUG the template engine logs each failed lookup with the whole page
        # context: the POSTed search, the people on the page. Never below INFO.
        "django.template": {"level": "INFO"},
    },
}
