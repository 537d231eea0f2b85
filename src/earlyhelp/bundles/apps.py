from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "earlyhelp.bundles"
    label = "bundles"
    verbose_name = "Subject access bundles"
