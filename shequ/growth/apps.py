from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "shequ.growth"
    label = "growth"
