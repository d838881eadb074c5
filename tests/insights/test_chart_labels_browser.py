"""Charts read like the tables (issue 14.6): thousands separators on bars and in axes, no
axis label cut at the chart's edge, values on the bars — at 1366 px and on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-quota", "chart-ratio", "chart-age", "chart-pay", "chart-cert")

# Every <text> of a chart: its string and whether it lies inside the chart's box.
TEXTS = """(id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  return [...document.querySelectorAll('#' + id + ' svg text')].map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5];
  });
}"""


def _check(page: Any) -> dict[str, list[str]]:
    seen = {}
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} svg text")
        texts = page.evaluate(TEXTS, chart)
        cut = [t for t, inside in texts if not inside]
        assert not cut, f"{chart}: cut at the edge: {cut}"
        bare = [t for t, _ in texts if re.search(r"\d{4,}", t.replace("年", "")) and not re.fullmatch(r"20\d\d", t)]
        assert not bare, f"{chart}: numbers without separators: {bare}"
        seen[chart] = [t for t, _ in texts]
    return seen


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_dashboard_charts_show_separated_values_on_bars_and_uncut_axes(outcomes: Any, live_server: Any, page: Any,
                                                                          width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, "city_admin")
    page.goto(f"{live_server.url}/insights/?on=2025-06-30")
    seen = _check(page)
    pay_values = page.evaluate("""() => { const f = JSON.parse(document.getElementById('insights-data').textContent);
                                          return f.components.map(c => f.total.components[c]); }""")
    big = [v for v in pay_values if v and v >= 1000]
    assert big, "the test population should have a pay component of 1,000 元 or more"
    for v in big:  # each amount is written on its bar, rounded to the yuan, with separators
        assert f"{round(v):,}" in seen["chart-pay"], (v, seen["chart-pay"])
    age_bars = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('chart-age')).getOption().series[0].data")
    for n in age_bars:
        assert f"{n:,}" in seen["chart-age"]
    shot(page, f"insights-charts-{width}")
