"""The dashboard page and its API: numbers in the HTML, charts fed from the same JSON, drill-down."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.insights.conftest import ON

pytestmark = pytest.mark.django_db


def _data(resp: Any) -> dict[str, Any]:
    m = re.search(r'<script id="insights-data" type="application/json">(.*?)</script>', resp.content.decode(), re.S)
    assert m, "the chart data is embedded in the page"
    return json.loads(m.group(1))


def test_the_dashboard_shows_the_scope_figures_as_numbers_and_as_chart_data(outcomes: Any, client_for: Any) -> None:
    resp = client_for(outcomes.world.street_a_hr).get("/insights/", {"on": ON.isoformat()})
    assert resp.status_code == 200
    html = resp.content.decode()
    data = _data(resp)
    assert data["scope"]["name"] == "槐阳街道" and data["on"] == "2025-06-30"
    assert data["total"]["headcount"] == 4 and data["total"]["age_mean"] == 36.0
    assert "36.0 岁" in html and "2.8 人" in html and "50.0%" in html
    assert "echarts.min.js" in html and "cdn" not in html.lower()
    assert [c["name"] for c in data["children"]] == ["槐阳街道机关", "迎宾社区", "槐阳北社区"]


def test_clicking_a_child_unit_drills_down_into_it(outcomes: Any, client_for: Any) -> None:
    w = outcomes.world
    client = client_for(w.city_admin)
    top = client.get("/insights/", {"on": ON.isoformat()})
    district = next(c for c in _data(top)["children"] if c["name"] == "甲区")
    assert district["drillable"] and f'href="?unit={district["unit_id"]}&amp;on=2025-06-30"' in top.content.decode()
    down = client.get("/insights/", {"unit": district["unit_id"], "on": ON.isoformat()})
    assert [c["name"] for c in _data(down)["children"]] == ["槐阳街道", "东门街道"]


def test_a_bad_date_is_refused_with_a_chinese_message(outcomes: Any, client_for: Any) -> None:
    from shequ.common.params import BAD_DATE

    resp = client_for(outcomes.world.street_a_hr).get("/insights/", {"on": "2025-13-01"})
    assert BAD_DATE.format(label="日期", value="2025-13-01") in resp.content.decode()


def test_the_api_returns_the_same_figures_as_the_page(outcomes: Any, client_for: Any) -> None:
    client = client_for(outcomes.world.street_a_hr)
    page = _data(client.get("/insights/", {"on": ON.isoformat()}))
    api = client.get("/api/v1/insights/dashboard", {"on": ON.isoformat()}).json()
    assert api == page


def test_the_figures_are_cached_until_something_changes(outcomes: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_worker

    client = client_for(outcomes.world.street_a_hr)
    first = client.get("/api/v1/insights/dashboard", {"on": ON.isoformat()}).json()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/api/v1/insights/dashboard", {"on": ON.isoformat()}).json()
    assert again == first
    assert not any("workers_worker w JOIN" in q["sql"] for q in ctx.captured_queries), "served from the cache"
    make_worker(outcomes.world.community_a1, name="又一人")
    fresh = client.get("/api/v1/insights/dashboard", {"on": ON.isoformat()}).json()
    assert fresh["total"]["headcount"] == 5


def test_the_cached_page_is_rendered_again_after_a_change(outcomes: Any, client_for: Any) -> None:
    from tests.factories import make_worker

    client = client_for(outcomes.world.street_a_hr)
    assert _data(client.get("/insights/", {"on": ON.isoformat()}))["total"]["headcount"] == 4
    assert _data(client.get("/insights/", {"on": ON.isoformat()}))["total"]["headcount"] == 4
    make_worker(outcomes.world.community_a2, name="再一人")
    assert _data(client.get("/insights/", {"on": ON.isoformat()}))["total"]["headcount"] == 5


def test_a_role_without_pay_view_sees_no_pay_anywhere_in_insights(outcomes: Any, client_for: Any) -> None:
    """A community's average pay can be one person's pay: the secretary (no pay.view) gets
    every other figure but no pay on the page, in the chart data, the API, compare or exports."""
    w = outcomes.world
    client = client_for(w.secretary_a1)
    resp = client.get("/insights/", {"on": ON.isoformat()})
    html = resp.content.decode()
    data = _data(resp)
    assert data["total"]["headcount"] == 2 and "pay_total" not in data["total"] and data["components"] == []
    assert all("pay_average" not in c for c in data["children"])
    assert "人均月应发" not in html and "chart-pay" not in html and "导出薪酬汇总" not in html
    api = client.get("/api/v1/insights/dashboard", {"on": ON.isoformat()}).json()
    assert "pay_total" not in api["total"]
    compare = client.get("/api/v1/insights/compare", {"a": "2024-06-30", "b": ON.isoformat()}).json()
    assert not any("薪" in line or "月应发" in line for line in compare["lines"])
    assert not any("月应发" in r["label"] or "成本" in r["label"] for r in compare["rows"])
    assert client.get("/insights/export/pay.xlsx").status_code == 403
    assert client.get("/insights/export/stats.xlsx").status_code == 200
    # the street HR (pay.view) still sees pay on the same cached figures
    hr = client_for(w.street_a_hr).get("/insights/", {"unit": w.community_a1.pk, "on": ON.isoformat()})
    assert "pay_total" in _data(hr)["total"] and "人均月应发" in hr.content.decode()
