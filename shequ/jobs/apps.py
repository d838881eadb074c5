from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "shequ.jobs"
    label = "jobs"
    verbose_name = "后台任务"
