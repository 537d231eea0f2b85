from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "earlyhelp.web"
    label = "web"
    verbose_name = "Web shell"

    def ready(self) -> None:
        from earlyhelp.web import checks  # noqa: F401  (registers the checks)
