from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "earlyhelp.policy"
    label = "policy"
    verbose_name = "Policy: the privacy notice as code"

    def ready(self) -> None:
        from earlyhelp.policy import checks  # noqa: F401  (registers the start-up check)
