from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "shequ.policy"
    label = "policy"
