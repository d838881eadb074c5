"""Policy what-if (P-STATS): one changed value or a draft, on the scope's roster; monthly and
yearly cost by street and who gains or loses how much; nothing stored."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from shequ.insights.whatif import (
    DRAFT_BAD,
    NEEDS_KEY,
    NOT_A_NUMBER,
    UNKNOWN_KEY,
    UNKNOWN_PARAM,
    base_policy_text,
    evaluate_whatif,
    policy_with_value,
)
from shequ.rules import load_policy, load_policy_text, place_and_pay
from shequ.rules.policy import EMPLOYER_BENEFITS, TOTAL
from tests.insights.conftest import ON

pytestmark = pytest.mark.django_db

HAND_WRITTEN = """
[policy]
id = "hand"
name = "手写测算"
source = "测试"
version = "1"
extends = "baohe"
since = 2020-01-01

[params.post_pay]
assumed = true
value = { "主管" = 1800, "副主管" = 1500, "主办" = 1200, "助理" = 1100 }
"""


def _paid(policy: Any, ids: list[int]) -> pl.DataFrame:
    from shequ.workers.models import Worker

    rows = list(Worker.objects.filter(pk__in=ids).values(
        "id", "post", "education", "community_work_start", "certificate", "grade", "category", "birth_date", "sex"))
    frame = pl.DataFrame(rows, schema_overrides={"grade": pl.Int64}).rename({"id": "worker_id"})
    return place_and_pay(policy, frame, ON)


def test_p_stats_one_changed_value_costs_what_the_engine_says_for_exactly_the_workers_it_touches(outcomes: Any) -> None:
    w = outcomes.world
    text, label = base_policy_text(root=w.street_a, on=ON)
    draft, change = policy_with_value(base_text=text, base_label=label, param="post_pay.助理", value=1100, on=ON)
    result = evaluate_whatif(root=w.street_a, on=ON, draft=draft, label=change)
    ids = [w.worker_a1.pk, outcomes.young.pk, outcomes.older.pk, outcomes.new.pk]
    before = _paid(load_policy("baohe"), ids)
    after = _paid(load_policy_text(HAND_WRITTEN), ids)
    monthly = float(after[TOTAL].sum() - before[TOTAL].sum())
    cost = float((after[TOTAL] + after[EMPLOYER_BENEFITS]).sum() - (before[TOTAL] + before[EMPLOYER_BENEFITS]).sum())
    t = result["totals"]
    assert monthly > 0
    assert t["monthly_diff"] == pytest.approx(monthly, abs=0.01)
    assert t["yearly_diff"] == pytest.approx(cost * 12, abs=0.05)
    assert (t["gainers"], t["losers"]) == (3, 0)
    assert sorted(p["name"] for p in result["top"]) == sorted(["刘少萌", "青年甲", "新人丁"])
    assert {p["post"]: p["gainers"] for p in result["by_post"]} == {"主办": 0, "助理": 3}
    assert result["change"] == "post_pay.助理 = 1100"


def test_p_stats_costs_are_given_by_street_for_a_district(outcomes: Any) -> None:
    w = outcomes.world
    text, label = base_policy_text(root=w.district, on=ON)
    draft, change = policy_with_value(base_text=text, base_label=label, param="grade_step", value=200, on=ON)
    result = evaluate_whatif(root=w.district, on=ON, draft=draft, label=change)
    assert result["group_label"] == "街道"
    groups = {g["group"]: g for g in result["groups"]}
    assert set(groups) == {"槐阳街道", "东门街道"}
    assert groups["槐阳街道"]["headcount"] == 4 and groups["东门街道"]["headcount"] == 2
    assert sum(g["yearly_diff"] for g in groups.values()) == pytest.approx(result["totals"]["yearly_diff"], abs=0.05)
    assert result["totals"]["gainers"] == 6  # a bigger step per grade raises everyone's 等级工资


def test_p_stats_a_lower_value_shows_who_loses_and_how_much(outcomes: Any, client_for: Any) -> None:
    resp = client_for(outcomes.world.street_a_hr).get(
        "/insights/whatif/", {"param": "post_pay.主办", "value": "1000", "on": ON.isoformat()})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "老将乙" in html and "-2" in html  # 主办 loses 200 岗位工资 (and its performance share)
    api = client_for(outcomes.world.street_a_hr).get(
        "/api/v1/insights/whatif", {"param": "post_pay.主办", "value": "1000", "on": ON.isoformat()}).json()
    assert api["totals"]["losers"] == 1 and api["totals"]["gainers"] == 0
    assert api["top"][0]["name"] == "老将乙" and api["top"][0]["diff"] < -199


@pytest.mark.parametrize(("param", "value", "message"), [
    ("no_such", "1", UNKNOWN_PARAM.format(name="no_such")),
    ("grade_step", "一百", NOT_A_NUMBER.format(value="一百")),
    ("post_pay", "1", NEEDS_KEY.format(name="post_pay", example="主管")),
    ("post_pay.书记", "1", UNKNOWN_KEY.format(name="post_pay", key="书记")),
])
def test_bad_what_if_input_gets_a_chinese_message_naming_the_field(outcomes: Any, client_for: Any, param: str, value: str, message: str) -> None:
    resp = client_for(outcomes.world.street_a_hr).post("/insights/whatif/", {"param": param, "value": value})
    assert resp.status_code == 400
    assert message in resp.content.decode()


def test_an_uploaded_draft_policy_is_evaluated_and_a_broken_one_refused(outcomes: Any, client_for: Any) -> None:
    client = client_for(outcomes.world.street_a_hr)
    draft = HAND_WRITTEN.replace('"助理" = 1100', '"助理" = 1000').replace("[params.post_pay]", "[params.grade_step]\nassumed = true\nvalue = 200\n\n[params.post_pay]")
    ok = client.post("/insights/whatif/", {"draft": SimpleUploadedFile("草案.toml", draft.encode())})
    assert ok.status_code == 200 and "草案 草案.toml" in ok.content.decode()
    bad = client.post("/insights/whatif/", {"draft": SimpleUploadedFile("坏.toml", b"[policy\nid=")})
    assert bad.status_code == 400
    assert DRAFT_BAD.format(reason="")[:8] in bad.content.decode()


def test_the_what_if_export_prints_scope_date_and_the_same_costs_as_the_page(outcomes: Any, client_for: Any) -> None:
    client = client_for(outcomes.world.street_a_hr)
    params = {"param": "post_pay.助理", "value": "1100", "on": ON.isoformat()}
    api = client.get("/api/v1/insights/whatif", params).json()
    resp = client.get("/insights/whatif/", {**params, "export": "1"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(resp.content))
    rows = book.get_sheet_by_name("按单位").to_python()
    assert "范围：槐阳街道" in rows[1][0] and "数据日期：2025-06-30" in rows[1][0]
    body = {r[0]: r for r in rows[4:]}
    for g in [*api["groups"], api["totals"]]:
        assert body[g["group"]][4] == g["monthly_diff"] and body[g["group"]][7] == g["yearly_diff"]
    people = book.get_sheet_by_name("增减人员").to_python()
    assert sorted(r[0] for r in people[1:]) == sorted(["刘少萌", "青年甲", "新人丁"])


def test_the_what_if_form_posts_its_date_and_lists_the_numeric_parameters(outcomes: Any, client_for: Any) -> None:
    client = client_for(outcomes.world.street_a_hr)
    form = client.get("/insights/whatif/").content.decode()
    assert 'value="post_pay.助理"' in form and 'value="grade_step"' in form
    resp = client.post("/insights/whatif/", {"param": "post_pay.助理", "value": "1100", "on": "2024-06-30"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "按 2024-06-30 在岗人员测算" in html
    assert "新人丁" not in html and "刘少萌" in html  # 新人丁 was hired in 2025


def test_the_api_refuses_bad_what_if_input_with_the_chinese_message(outcomes: Any, client_for: Any) -> None:
    resp = client_for(outcomes.world.street_a_hr).get("/api/v1/insights/whatif", {"param": "no_such", "value": "1"})
    assert resp.status_code == 400
    assert resp.json()["detail"] == UNKNOWN_PARAM.format(name="no_such")
