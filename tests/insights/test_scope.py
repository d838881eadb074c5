"""Scope: street B's HR never sees street A — on every page, endpoint and export of insights."""

from __future__ import annotations

from typing import Any

import pytest

from tests.insights.conftest import BEFORE, ON

pytestmark = pytest.mark.django_db

PAGES = [
    ("/insights/", {"on": ON.isoformat()}),
    ("/insights/compare/", {"a": BEFORE.isoformat(), "b": ON.isoformat()}),
    ("/insights/whatif/", {"param": "grade_step", "value": "150", "on": ON.isoformat()}),
    ("/insights/whatif/", {"param": "grade_step", "value": "150", "on": ON.isoformat(), "export": "1"}),
    ("/insights/export/stats.xlsx", {"on": ON.isoformat()}),
    ("/insights/export/pay.xlsx", {"on": ON.isoformat()}),
    ("/insights/export/quota.xlsx", {"on": ON.isoformat()}),
    ("/api/v1/insights/dashboard", {"on": ON.isoformat()}),
    ("/api/v1/insights/compare", {"a": BEFORE.isoformat(), "b": ON.isoformat()}),
    ("/api/v1/insights/whatif", {"param": "grade_step", "value": "150", "on": ON.isoformat()}),
]


@pytest.mark.parametrize(("url", "params"), PAGES)
def test_it_refuses_a_street_admin_from_another_street(outcomes: Any, client_for: Any, url: str, params: dict[str, str]) -> None:
    w = outcomes.world
    resp = client_for(w.street_b_hr).get(url, {**params, "unit": w.street_a.pk})
    assert resp.status_code == 404
    assert "槐阳" not in resp.content.decode("utf-8", "replace")


@pytest.mark.parametrize(("url", "params"), PAGES)
def test_every_page_works_for_the_streets_own_hr_and_shows_only_its_street(outcomes: Any, client_for: Any, url: str, params: dict[str, str]) -> None:
    w = outcomes.world
    resp = client_for(w.street_b_hr).get(url, params)
    assert resp.status_code == 200
    if "xlsx" in url or "export" in params:
        import io

        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(resp.content))
        text = str([book.get_sheet_by_name(n).to_python() for n in book.sheet_names])
    elif url.startswith("/api/"):
        import json

        text = json.dumps(resp.json(), ensure_ascii=False)
    else:
        text = resp.content.decode()
    assert "东门" in text
    assert "槐阳" not in text and "迎宾" not in text and "青年甲" not in text


def test_a_street_admin_cannot_drill_above_their_street(outcomes: Any, client_for: Any) -> None:
    w = outcomes.world
    client = client_for(w.street_a_hr)
    assert client.get("/insights/", {"unit": w.district.pk}).status_code == 404
    assert client.get("/insights/", {"unit": w.city.pk}).status_code == 404
    assert client.get("/insights/", {"unit": w.community_a1.pk}).status_code == 200
    page = client.get("/insights/").content.decode()
    assert "甲区" not in page and "示范市" not in page  # breadcrumbs start at the user's own unit


def test_a_secretary_sees_the_dashboard_but_not_the_pay_what_if(outcomes: Any, client_for: Any) -> None:
    w = outcomes.world
    client = client_for(w.secretary_a1)
    assert client.get("/insights/").status_code == 200
    assert client.get("/insights/whatif/").status_code == 403
    assert client.get("/api/v1/insights/whatif", {"param": "grade_step", "value": "150"}).status_code == 403
    assert client.get("/insights/", {"unit": w.street_a.pk}).status_code == 404


def test_anonymous_users_are_sent_to_log_in(outcomes: Any, client: Any) -> None:
    assert client.get("/insights/").status_code in (302, 403)
    assert client.get("/api/v1/insights/dashboard").status_code == 401
