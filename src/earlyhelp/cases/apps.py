from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "earlyhelp.cases"
    label = "cases"
    verbose_name = "Cases: episodes of work with a family"
