from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shequ.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from shequ.accounts.signals import on_login, on_login_failed

        user_logged_in.connect(on_login, dispatch_uid="shequ.audit.login")
        user_login_failed.connect(on_login_failed, dispatch_uid="shequ.audit.login_failed")
