from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "shequ.workers"
    label = "workers"
