from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "shequ.assessment"
    label = "assessment"
