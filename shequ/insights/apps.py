from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "shequ.insights"
    label = "insights"
