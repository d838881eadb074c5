from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "shequ.common"
    label = "common"

    def ready(self) -> None:
        from django.urls import register_converter

        from shequ.common.urlconv import IdConverter

        register_converter(IdConverter, "id")
