from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class DatamapConfig(AppConfig):
    name = "earlyhelp.datamap"
    label = "datamap"
    verbose_name = "The data map"

    def ready(self) -> None:
        # Each app's holdings.py registers its models, as admin.py does for the admin.
        autodiscover_modules("holdings")
        from earlyhelp.datamap import checks  # noqa: F401  (registers the start-up check)
