from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "earlyhelp.packages"
    label = "packages"
    verbose_name = "Protected packages: every export of family data, encrypted behind a link"
