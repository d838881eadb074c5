"""The dashboard in a real browser: charts drawn from the embedded data, a click on a bar
drills down, a street HR stays inside their street. Screenshots in artifacts/screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _click_bar(pg: Any, chart_id: str, index: int) -> None:
    """Click in the column of category `index` (half-way up the axis), located by ECharts."""
    x, y = pg.evaluate(
        """([id, i]) => {
            const el = document.getElementById(id);
            const c = echarts.getInstanceByDom(el);
            const top = c.getModel().getComponent("yAxis", 0).axis.scale.getExtent()[1];
            const p = c.convertToPixel({seriesIndex: 0}, [i, top / 2]);
            const r = el.getBoundingClientRect();
            return [r.left + p[0], r.top + p[1]];
        }""",
        [chart_id, index],
    )
    pg.mouse.click(x, y)


def test_the_dashboard_draws_its_charts_and_a_bar_click_drills_down(outcomes: Any, live_server: Any, page: Any) -> None:
    login(page, live_server, "city_admin")
    page.goto(f"{live_server.url}/insights/")
    page.wait_for_selector("#chart-quota svg")
    for chart in ("chart-quota", "chart-ratio", "chart-age", "chart-edu", "chart-pay", "chart-cert"):
        assert page.locator(f"#{chart} svg").count() == 1, chart
    assert "示范市" in page.inner_text("h1")
    assert "6 / 72" in page.inner_text("#cards")  # today the 2026 decision (迎宾社区 1) is in force
    shot(page, "insights-dashboard-city")

    page.locator("#chart-quota").scroll_into_view_if_needed()
    _click_bar(page, "chart-quota", 0)  # 甲区
    page.wait_for_url("**unit=*")
    page.wait_for_selector("#chart-quota svg")
    assert "甲区" in page.inner_text("h1")
    assert "槐阳街道" in page.inner_text("#by-unit") and "东门街道" in page.inner_text("#by-unit")

    page.click("#by-unit >> text=槐阳街道")
    page.wait_for_selector("#chart-quota svg")
    assert "槐阳街道" in page.inner_text("h1")
    assert "迎宾社区" in page.inner_text("#by-unit")
    shot(page, "insights-dashboard-street")


def test_a_street_hr_sees_only_their_street_in_the_browser(outcomes: Any, live_server: Any, page: Any) -> None:
    login(page, live_server, "street_b_hr")
    page.goto(f"{live_server.url}/insights/")
    page.wait_for_selector("#chart-quota svg")
    body = page.inner_text("body")
    assert "东门街道" in body and "槐阳" not in body and "甲区" not in body
    resp = page.goto(f"{live_server.url}/insights/?unit={outcomes.world.street_a.pk}")
    assert resp is not None and resp.status == 404
    page.goto(f"{live_server.url}/insights/compare/?a=2024-06-30&b=2025-06-30")
    shot(page, "insights-compare-street-b")
    page.goto(f"{live_server.url}/insights/whatif/?param=grade_step&value=200&on=2025-06-30")
    page.wait_for_selector("#whatif-groups")
    shot(page, "insights-whatif-street-b")
