"""Start-up check: without the audit key no event can be recorded, so the service must not start."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from earlyhelp.audit.keys import MissingAuditKey, load


@register(Tags.security)
def audit_key_is_there(app_configs, **kwargs) -> list[Error]:
    """earlyhelp.audit.E001 when KEYS_DIR holds no readable current audit key."""
    try:
        # Read afresh (not the cached ring), so the check sees the folder as it is now.
        load(settings.KEYS_DIR)
    except (MissingAuditKey, ValueError, OSError) as error:
        return [
            Error(
                f"The audit key cannot be read: {error}",
                hint="Run `earlyhelp keys init`, or restore the keys folder from its backup.",
                id="audit.E001",
            )
        ]
    return []
