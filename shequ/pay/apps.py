from django.apps import AppConfig


class PayConfig(AppConfig):
    name = "shequ.pay"
    label = "pay"
