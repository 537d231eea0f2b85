from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "earlyhelp.rights"
    label = "rights"
    verbose_name = "Rights requests and complaints"
