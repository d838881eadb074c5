"""Login (issue 12.3): per-account and per-address throttles counted apart, the admin login
throttled too, sessions ending after inactivity, a scoped 登录日志; the SQLite demo in WAL
(issue 12.6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Shequ-test-2026"


@pytest.fixture(autouse=True)
def _fresh_counts() -> Any:
    caches["shared"].clear()
    yield
    caches["shared"].clear()


def _login(client: Client, username: str, password: str, url: str = "/accounts/login/") -> Any:
    return client.post(url, {"username": username, "password": password})


def test_one_clerks_typos_lock_that_account_not_the_office_behind_the_same_address(world: Any, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    colleague = make_user("colleague_a", "street_hr", world.street_a)
    office = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(3):
        _login(office, "street_a_hr", "wrong-password")
    assert _login(office, "street_a_hr", PASSWORD).status_code == 200  # still locked: the form again
    assert _login(office, colleague.username, PASSWORD).status_code == 302  # the colleague signs in


def test_many_failures_from_one_address_lock_that_address(world: Any, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 100
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    robot = Client(REMOTE_ADDR="10.9.9.9")
    for i in range(4):
        _login(robot, f"guess{i}", "wrong-password")
    assert _login(robot, "street_a_hr", PASSWORD).status_code == 200
    assert _login(Client(REMOTE_ADDR="10.1.2.3"), "street_a_hr", PASSWORD).status_code == 302


def test_wrong_passwords_at_the_admin_login_are_throttled_too(world: Any, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    admin = make_user("root_admin", "bureau_admin", world.city, is_superuser=True, is_staff=True)
    c = Client(REMOTE_ADDR="10.4.4.4")
    for _ in range(3):
        _login(c, admin.username, "wrong-password", url="/admin/login/?next=/admin/")
    page = _login(c, admin.username, PASSWORD, url="/admin/login/?next=/admin/")
    assert page.status_code == 200 and "登录失败次数过多" in page.content.decode()


def test_a_session_lasts_the_configured_idle_time_and_each_request_extends_it(world: Any, settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 20 * 60
    c = Client()
    assert _login(c, "street_a_hr", PASSWORD).status_code == 302
    first = c.get("/")
    assert first.cookies["sessionid"]["max-age"] == 20 * 60  # renewed on this request too


def test_the_login_log_shows_the_streets_own_accounts_only(world: Any, client_for: Any) -> None:
    _login(Client(), "street_a_hr", "wrong-password")
    _login(Client(), "street_b_hr", "wrong-password")
    mine = client_for(world.street_a_hr).get("/accounts/logins/").content.decode()
    assert "street_a_hr" in mine and "登录失败" in mine
    assert "street_b_hr" not in mine


def test_the_sqlite_demo_database_runs_in_wal_mode(tmp_path: Any) -> None:
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from shequ.common.env import database_from_url

    conn = DatabaseWrapper({**database_from_url(f"sqlite:///{tmp_path / 'demo.sqlite3'}", base_dir=tmp_path), "ALIAS": "wal_check",
                            "TIME_ZONE": None, "CONN_HEALTH_CHECKS": False, "CONN_MAX_AGE": 0, "AUTOCOMMIT": True,
                            "ATOMIC_REQUESTS": False, "TEST": {}}, alias="wal_check")
    try:
        with conn.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        conn.close()
