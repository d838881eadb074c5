"""Report sheets: roster statistics by unit, pay summary, quota ledger — scope and date
printed, and the same numbers as the dashboard's chart data."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from shequ.insights.exports import QUOTA_HEADERS, TOTAL_LABEL, pay_headers, stats_headers
from tests.insights.conftest import ON

pytestmark = pytest.mark.django_db


def _sheet(resp: Any) -> list[list[Any]]:
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(resp.content))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def _chart_data(client: Any) -> dict[str, Any]:
    html = client.get("/insights/", {"on": ON.isoformat()}).content.decode()
    m = re.search(r'<script id="insights-data" type="application/json">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def _table(rows: list[list[Any]], headers: list[str]) -> dict[str, dict[str, Any]]:
    start = next(i for i, r in enumerate(rows) if list(r[: len(headers)]) == headers)
    return {r[0]: dict(zip(headers, r, strict=False)) for r in rows[start + 1 :] if r and r[0] != ""}


def test_every_export_prints_its_scope_and_date(outcomes: Any, client_for: Any) -> None:
    client = client_for(outcomes.world.street_a_hr)
    for url in ("stats", "pay", "quota"):
        rows = _sheet(client.get(f"/insights/export/{url}.xlsx", {"on": ON.isoformat()}))
        assert "范围：槐阳街道" in rows[1][0] and "数据日期：2025-06-30" in rows[1][0]


def test_the_numbers_in_the_charts_equal_those_in_the_roster_statistics_export(outcomes: Any, client_for: Any) -> None:
    """S-AGE, S-EDU, S-RATIO, S-CERT: chart JSON == Excel, per child unit and in total."""
    client = client_for(outcomes.world.street_a_hr)
    data = _chart_data(client)
    table = _table(_sheet(client.get("/insights/export/stats.xlsx", {"on": ON.isoformat()})), stats_headers(data))
    for c in [*data["children"], {**data["total"], "name": TOTAL_LABEL}]:
        row = table[c["name"]]
        assert row["在岗人数"] == c["headcount"] and row["核定员额"] == c["quota"] and row["空编"] == c["vacant"]
        assert row["占编人数"] == c["filled"] and row["未核定单位数"] == c["unset"] and row["按政策测算员额"] == c["computed_quota"]
        assert (row["每万城镇常住人口配比"] or None) == c["per_10k"]
        assert (row["平均年龄"] or None) == c["age_mean"]
        assert row["35岁以下占比(%)"] == c["under35_share"]
        assert row["本科及以上占比(%)"] == c["bachelor_plus_share"] and row["大专及以上占比(%)"] == c["college_plus_share"]
        assert row["持证占比(%)"] == c["certified_share"] and row["本年培训人次"] == c["trained"]
        assert row["后备人才"] == c["reserves"] and row["后备人才45岁以下占比(%)"] == c["reserves_under45_share"]
        for band in data["age_bands"]:
            assert row[band] == c["age_bands"][band]
        for edu in data["educations"]:
            assert row[edu] == c["education"][edu]
    assert table[TOTAL_LABEL]["在岗人数"] == 4


def test_the_numbers_in_the_charts_equal_those_in_the_pay_summary_export(outcomes: Any, client_for: Any) -> None:
    """S-PAY: average, total, employer and yearly cost and every component."""
    client = client_for(outcomes.world.street_a_hr)
    data = _chart_data(client)
    rows = _sheet(client.get("/insights/export/pay.xlsx", {"on": ON.isoformat()}))
    assert any("按政策测算" in str(r[0]) for r in rows[:4])
    table = _table(rows, pay_headers(data))
    for c in [*data["children"], {**data["total"], "name": TOTAL_LABEL}]:
        row = table[c["name"]]
        assert row["月应发合计(元)"] == c["pay_total"] and row["人均月应发(元)"] == c["pay_average"]
        assert row["年度成本(元)"] == c["annual_cost"]
        for comp in data["components"]:
            assert row[comp] == c["components"][comp]
        assert row["已锁定核算人数"] == c["locked_headcount"] and row["已锁定应发合计(元)"] == c["locked_pay_total"]
    assert table[TOTAL_LABEL]["月应发合计(元)"] > 0


def test_the_quota_ledger_lists_every_staffed_unit_with_quota_and_headcount(outcomes: Any, client_for: Any) -> None:
    """Q-USE: one row per staffed unit (approved and computed quota); totals equal the dashboard's."""
    client = client_for(outcomes.world.street_a_hr)
    data = _chart_data(client)
    table = _table(_sheet(client.get("/insights/export/quota.xlsx", {"on": ON.isoformat()})), QUOTA_HEADERS)
    assert set(table) == {"槐阳街道机关", "迎宾社区", "槐阳北社区", TOTAL_LABEL}
    assert table["迎宾社区"]["核定员额"] == 16 and table["迎宾社区"]["在岗人数"] == 2 and table["迎宾社区"]["空编"] == 14
    assert table["槐阳北社区"]["核定员额"] == "未核定" and table["槐阳北社区"]["按政策测算员额"] == 16
    assert table["迎宾社区"]["每万城镇常住人口配比"] == round(2 * 10000 / 9500, 1)
    assert table[TOTAL_LABEL]["核定员额"] == data["total"]["quota"] == 86
    assert table[TOTAL_LABEL]["按政策测算员额"] == data["total"]["computed_quota"] == 107
    assert table[TOTAL_LABEL]["在岗人数"] == data["total"]["headcount"]
