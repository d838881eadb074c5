from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "shequ.common"
    label = "common"

    def ready(self) -> None:
        from django.urls import register_converter

        from shequ.common.urlconv import IdConverter

        register_converter(IdConverter, "id")

        from django.db.backends.signals import connection_created

        connection_created.connect(_sqlite_wal)


def _sqlite_wal(sender: object, connection: object, **kwargs: object) -> None:
    """The SQLite demo under concurrent writes: with WAL, readers never wait for a writer
    and writers (IMMEDIATE transactions, shequ.common.env) queue for the lock instead of
    failing with "database is locked". An in-memory test database has no journal file."""
    if getattr(connection, "vendor", "") != "sqlite":
        return
    name = str(getattr(connection, "settings_dict", {}).get("NAME", ""))
    if not name or name == ":memory:" or "mode=memory" in name:
        return
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("PRAGMA journal_mode=WAL")
