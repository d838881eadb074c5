from django.apps import AppConfig


class QuotaConfig(AppConfig):
    name = "shequ.quota"
    label = "quota"
