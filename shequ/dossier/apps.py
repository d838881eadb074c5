from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "shequ.dossier"
    label = "dossier"
    verbose_name = "人员档案"
