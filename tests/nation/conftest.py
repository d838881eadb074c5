"""Province databases on the one local PostgreSQL server: h_nation_t_<alias>, created and
migrated once for the module, dropped after. Skipped when no PostgreSQL answers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

SERVER = os.environ.get("SHEQU_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
PREFIX = "h_nation_t_"


def server_or_skip() -> Any:
    try:
        import psycopg

        return psycopg.connect(SERVER, connect_timeout=3, autocommit=True)
    except Exception:  # no server, no driver, refused: all mean "not here"
        pytest.skip("需要 PostgreSQL（SHEQU_TEST_POSTGRES，默认 127.0.0.1:5432）")


def database_url(name: str) -> str:
    return urlparse(SERVER)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def provinces_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """{alias: database name} for guizhou and anhui, each migrated, both in settings.PROVINCES."""
    from django.core.management import call_command
    from django.db import connections
    from django.test import override_settings

    from shequ.common import provinces
    from shequ.common.env import database_from_url

    server = server_or_skip()
    names = {"guizhou": f"{PREFIX}guizhou", "anhui": f"{PREFIX}anhui"}
    for name in names.values():
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    urls = {alias: database_url(name) for alias, name in names.items()}
    override = override_settings(PROVINCES=urls)
    override.enable()
    from django.conf import settings

    for alias, url in urls.items():
        cfg = {"default": settings.DATABASES["default"], alias: database_from_url(url, base_dir=settings.BASE_DIR)}
        connections.settings[alias] = connections.configure_settings(cfg)[alias]
    try:
        with django_db_blocker.unblock():
            for alias in urls:
                with provinces.use(alias):
                    call_command("migrate", database=alias, verbosity=0, interactive=False)
                    call_command("createcachetable", database=alias, verbosity=0)
        yield names
    finally:
        for alias in urls:
            connections[alias].close()
            del connections.settings[alias]
            local = connections._connections  # type: ignore[attr-defined]
            if hasattr(local, alias):
                delattr(local, alias)
        override.disable()
        for name in names.values():
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()
