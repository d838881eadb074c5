"""Login failures are counted in the database, so every web process sees the same lockout
(gunicorn runs several; a per-process count would multiply the limit)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client


def _rows() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM shequ_shared_cache")
        return int(cur.fetchone()[0])


def test_failed_logins_are_counted_in_the_shared_database_cache_and_lock_the_account(world: Any, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    assert _rows() == 0
    client = Client()
    for _ in range(3):
        client.post("/accounts/login/", {"username": "street_a_hr", "password": "wrong-password"})
    assert _rows() == 2  # one count for the account, one for the address
    world.street_a_hr.set_password("Huaiyang-2026-春")
    world.street_a_hr.save()
    locked = Client().post("/accounts/login/", {"username": "street_a_hr", "password": "Huaiyang-2026-春"})
    assert locked.status_code == 200 and "登录失败次数过多" in locked.content.decode()
