from django.apps import AppConfig


class ExtractsConfig(AppConfig):
    name = "earlyhelp.extracts"
    label = "extracts"
    verbose_name = "Pseudonymised extracts for the policy's projects"
