from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "earlyhelp.synthetic"
    label = "synthetic"
    verbose_name = "Synthetic data"
