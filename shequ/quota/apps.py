from django.apps import AppConfig


class QuotaConfig(AppConfig):
    name = "shequ.quota"
    label = "quota"
    verbose_name = "员额"

    def ready(self) -> None:
        # Q-USE: every hire or transfer in passes the unit's approved quota.
        from shequ.quota.services import quota_admission_check
        from shequ.workers.services import register_admission_check

        register_admission_check(quota_admission_check)
