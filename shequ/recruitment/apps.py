from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "shequ.recruitment"
    label = "recruitment"
