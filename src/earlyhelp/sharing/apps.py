from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "earlyhelp.sharing"
    label = "sharing"
    verbose_name = "Sharing: disclosures to partners and their log"
