from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "earlyhelp.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # Sign-in, failed sign-in and sign-out arrive as Django's auth signals; the checks
        # refuse to start the service without the audit key.
        from earlyhelp.audit import checks, signals  # noqa: F401
