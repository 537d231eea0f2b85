"""Start-up checks: the service refuses to start when it would be unsafe."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from earlyhelp.settings import INSECURE_SECRET_KEY


@register(Tags.security)
def secret_key_is_set(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG or settings.SECRET_KEY not in {INSECURE_SECRET_KEY, ""}:
        return []
    return [
        Error(
            "EARLYHELP_SECRET_KEY is not set and there is no secret_key file in "
            f"{settings.KEYS_DIR}.",
            hint="Run `earlyhelp keys init`, or set EARLYHELP_SECRET_KEY.",
            id="earlyhelp.E001",
        )
    ]
