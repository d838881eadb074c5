"""Without SHEQU_PROVINCES nothing of the province machinery shows (ADR 0008): one database,
the login page as before, every command working on 本库."""

from __future__ import annotations

from typing import Any

from django.test import Client

from shequ.common import provinces


def test_a_single_database_login_page_asks_no_province(db: Any) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "所属省份" not in page and "<select" not in page


def test_a_single_database_deployment_routes_everything_to_default(db: Any) -> None:
    assert not provinces.multi()
    assert provinces.current() == provinces.NATIONAL
    assert provinces.database_label(provinces.current()) == "本库"
