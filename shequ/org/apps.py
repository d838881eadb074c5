from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "shequ.org"
    label = "org"
