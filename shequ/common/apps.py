from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "shequ.common"
    label = "common"
