"""Before and after (S-AGE, S-EDU, S-RATIO, S-PAY change): two dates on the same figures,
the differences written the way the seeds write them."""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import Any

import pytest

from shequ.insights.compare import change_lines
from tests.insights.conftest import BEFORE, ON


def _fig(**total: Any) -> dict[str, Any]:
    base = {
        "headcount": 100, "age_mean": 40.5, "under35_share": 20.0, "bachelor_plus_share": 30.0,
        "college_plus_share": 79.79, "per_10k": 10.1, "certified_share": 10.0, "pay_average": 2616.99,
        "annual_cost": 10_000_000.0,
    }
    base.update(total)
    return {"total": base, "basis": "按政策测算", "young_age": 35}


def test_the_seed_sentences_come_out_as_the_seeds_write_them() -> None:
    """S-AGE 36.8 −3.7; S-EDU +10.4 points, 大专+ 88.89%; S-RATIO 10.1 → 18.6; S-PAY +51.4%."""
    a = _fig()
    b = _fig(age_mean=36.8, bachelor_plus_share=40.4, college_plus_share=88.89, per_10k=18.6, pay_average=3962.09,
             annual_cost=11_000_000.0, headcount=180)
    lines = change_lines(a, b)
    assert "平均年龄36.8岁，下降了3.7岁" in lines
    assert "本科及以上占比40.40%，提升了10.4个百分点" in lines
    assert "大专及以上占比88.89%，提升了9.1个百分点" in lines
    assert "每万城镇常住人口配比由10.1人提升到18.6人" in lines
    assert "人均月应发3,962.09元，提高了51.4%（按政策测算）" in lines
    assert "年度人员成本增加100.00万元（按政策测算）" in lines
    assert "在岗人数由100人变为180人，增加了80人" in lines


def test_falls_and_rises_are_worded_the_other_way_round() -> None:
    a = _fig(age_mean=36.8, per_10k=18.6, bachelor_plus_share=40.4)
    b = deepcopy(_fig())
    lines = change_lines(a, b)
    assert "平均年龄40.5岁，上升了3.7岁" in lines
    assert "每万城镇常住人口配比由18.6人下降到10.1人" in lines
    assert "本科及以上占比30.00%，下降了10.4个百分点" in lines


@pytest.mark.django_db
def test_the_compare_page_shows_both_dates_for_the_scope(outcomes: Any, client_for: Any) -> None:
    """On BEFORE street A had worker_a1 (34), 青年甲 (29), 老将乙 (53), 离职丙 (36);
    on ON 离职丙 left and 新人丁 (25) came: mean 38.0 → 36.0."""
    client = client_for(outcomes.world.street_a_hr)
    resp = client.get("/insights/compare/", {"a": BEFORE.isoformat(), "b": ON.isoformat()})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "平均年龄36.0岁，下降了2.0岁" in html
    assert "本科及以上占比50.00%，提升了25.0个百分点" in html
    api = client.get("/api/v1/insights/compare", {"a": BEFORE.isoformat(), "b": ON.isoformat()}).json()
    assert "平均年龄36.0岁，下降了2.0岁" in api["lines"]
    age = next(r for r in api["rows"] if r["label"] == "平均年龄")
    assert (age["a"], age["b"], age["diff"]) == (38.0, 36.0, -2.0)


def test_an_unchanged_ratio_is_said_to_hold() -> None:
    assert "每万城镇常住人口配比保持10.1人" in change_lines(_fig(), _fig())


@pytest.mark.django_db
def test_each_date_uses_the_unit_facts_in_force_on_it(outcomes: Any, client_for: Any) -> None:
    """S-RATIO on two dates: 迎宾社区's urban residents fall from 9,500 to 4,500 on 2025-01-01,
    so street A's ratio rises from 2.8 to 4.2 with the same four workers."""
    from shequ.org.models import UnitFact

    UnitFact.objects.create(unit=outcomes.world.community_a1, since=date(2025, 1, 1), households=3600,
                            population=9800, urban_population=4500, unit_class="二类")
    api = client_for(outcomes.world.street_a_hr).get(
        "/api/v1/insights/compare", {"a": BEFORE.isoformat(), "b": ON.isoformat()}).json()
    assert "每万城镇常住人口配比由2.8人提升到4.2人" in api["lines"]


def test_two_dates_compare_the_workers_and_the_policy_as_they_were_on_each_s_pay(world) -> None:
    """S-PAY / S-AGE (000: pay +51.4%): a raised anchor adopted from 2025 and a grade step on the
    same day; the figures of 2024-06-30 and 2025-06-30 read each date's state and policy, so the
    rise shows instead of "与前持平"."""
    import polars as pl
    from django.conf import settings

    from shequ.insights.figures import compute_figures
    from shequ.policy.services import policy_bind, policy_version_from_preset, policy_version_store
    from shequ.rules import load_policy_text, pay, place
    from shequ.workers.services import worker_update
    from tests.factories import make_worker

    old = policy_version_from_preset(preset="hunchun", actor=world.city_admin)
    policy_bind(unit=world.city, version=old, since=date(2020, 1, 1), actor=world.city_admin)
    text = (settings.POLICY_DIR / "hunchun.toml").read_text(encoding="utf-8")
    raised = text.replace('version = "2.0.0"', 'version = "2.1.0"', 1).replace(
        '[params.anchor_pay]\n# P-BASE：以正职十级社区工作者岗位每月 4700 元为基数（000）\nsource = "000"\nvalue = 4700',
        '[params.anchor_pay]\n# 测试：基数调为 4800\nsource = "测试"\nvalue = 4800')
    assert raised != text
    policy_bind(unit=world.city, version=policy_version_store(text=raised, actor=world.city_admin),
                since=date(2025, 1, 1), actor=world.city_admin)
    w = make_worker(world.community_a2, name="正职甲", post="正职", grade=10, education="高中", certificate="无",
                    hired_on=date(2015, 3, 1), community_work_start=date(2015, 3, 1))
    worker_update(worker=w, changes={"grade": 11}, effective=date(2025, 1, 1), actor=world.street_a_hr,
                  cause="等级晋升")
    for other in world.community_a2.workers.exclude(pk=w.pk):
        other.delete()
    before, after = date(2024, 6, 30), date(2025, 6, 30)
    a, b = compute_figures(root=world.community_a2, on=before), compute_figures(root=world.community_a2, on=after)

    def engine_pay(policy_text: str, grade: int, on: date) -> float:
        frame = pl.DataFrame({"worker_id": [w.pk], "post": ["正职"], "grade": [grade], "education": ["高中"],
                              "certificate": ["无"], "community_work_start": [date(2015, 3, 1)]})
        policy = load_policy_text(policy_text)
        return float(pay(policy, place(policy, frame, on), on)["应发合计"][0])

    pay_a, pay_b = engine_pay(text, 10, before), engine_pay(raised, 11, after)
    assert (a["total"]["pay_average"], b["total"]["pay_average"]) == (pay_a, pay_b)
    assert pay_b > pay_a
    rise = f"{round((pay_b - pay_a) * 100 / pay_a, 1):.1f}"
    assert f"人均月应发{pay_b:,.2f}元，提高了{rise}%（{b['basis']}）" in change_lines(a, b)
