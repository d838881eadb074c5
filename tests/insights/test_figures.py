"""The outcome figures of a scope (S-AGE, S-EDU, S-RATIO, S-CERT, S-PAY, Q-USE)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from shequ.insights.figures import compute_figures
from shequ.rules import load_policy, pay_summary, place_and_pay
from tests.insights.conftest import BEFORE, ON

pytestmark = pytest.mark.django_db


def _child(fig: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in fig["children"] if c["name"] == name)


def test_s_age_gives_mean_age_bands_and_under_35_share_on_the_date(outcomes: Any) -> None:
    """S-AGE: ages 35, 30, 54, 25 on 2025-06-30 → mean 36.0, under 35: 2 of 4."""
    t = compute_figures(root=outcomes.world.street_a, on=ON)["total"]
    assert t["headcount"] == 4
    assert t["age_mean"] == 36.0
    assert t["under35"] == 2 and t["under35_share"] == 50.0
    assert t["age_bands"] == {"35岁以下": 2, "35-44岁": 1, "45-54岁": 1, "55岁及以上": 0}


def test_s_age_counts_the_age_reached_on_the_birthday_not_before(outcomes: Any) -> None:
    """S-AGE: 老将乙 born 1970-07-01 is 54 on 2025-06-30 and 55 a day later."""
    a = compute_figures(root=outcomes.world.community_a2, on=date(2025, 6, 30))["total"]["age_bands"]
    b = compute_figures(root=outcomes.world.community_a2, on=date(2025, 7, 1))["total"]["age_bands"]
    assert a["45-54岁"] == 1 and a["55岁及以上"] == 0
    assert b["45-54岁"] == 0 and b["55岁及以上"] == 1


def test_s_edu_gives_the_education_mix_and_bachelor_and_college_shares(outcomes: Any) -> None:
    """S-EDU: 本科 2, 大专 1, 高中 1 → bachelor+ 50%, 大专+ 75%."""
    t = compute_figures(root=outcomes.world.street_a, on=ON)["total"]
    assert t["education"]["本科"] == 2 and t["education"]["大专"] == 1 and t["education"]["高中"] == 1
    assert sum(t["education"].values()) == 4
    assert t["bachelor_plus_share"] == 50.0
    assert t["college_plus_share"] == 75.0


def test_s_ratio_divides_headcount_by_the_urban_residents_of_the_communities(outcomes: Any) -> None:
    """S-RATIO: 4 workers, urban residents 9,500 + 5,000 → 2.8 per 10,000 (rounded half up)."""
    fig = compute_figures(root=outcomes.world.street_a, on=ON)
    assert fig["total"]["urban_population"] == 14500
    assert fig["total"]["per_10k"] == 2.8
    assert _child(fig, "迎宾社区")["per_10k"] == round(2 * 10000 / 9500, 1)


def test_s_ratio_falls_back_to_the_units_own_figure_when_its_communities_record_none(outcomes: Any) -> None:
    """S-RATIO: 东门社区 has 10,800 urban residents; the street's own 13,000 is not added on top."""
    fig = compute_figures(root=outcomes.world.district, on=ON)
    assert _child(fig, "东门街道")["urban_population"] == 10800


def test_s_cert_gives_the_certified_share_and_trained_person_times_this_year(outcomes: Any) -> None:
    """S-CERT: 1 of 4 certified; one training event in 2025 (the 2024 one does not count)."""
    t = compute_figures(root=outcomes.world.street_a, on=ON)["total"]
    assert t["certified"] == 1 and t["certified_share"] == 25.0
    assert t["trained"] == 1


def test_roster_on_a_date_counts_who_was_hired_and_not_yet_gone(outcomes: Any) -> None:
    """On 2024-06-30 离职丙 still worked and 新人丁 was not yet hired."""
    before = compute_figures(root=outcomes.world.community_a2, on=BEFORE)["total"]
    after = compute_figures(root=outcomes.world.community_a2, on=ON)["total"]
    assert before["headcount"] == 2 and after["headcount"] == 2
    assert before["education"]["中专"] == 1 and after["education"]["中专"] == 0
    assert after["education"]["本科"] == 1 and before["education"]["本科"] == 0


def test_s_pay_equals_the_engine_pay_summary_on_the_same_workers(outcomes: Any) -> None:
    """S-PAY / P-STATS: total, average and employer cost are the engine's, by component too."""
    from shequ.workers.models import Worker

    ids = [outcomes.world.worker_a1.pk, outcomes.young.pk, outcomes.older.pk, outcomes.new.pk]
    rows = list(Worker.objects.filter(pk__in=ids).values(
        "id", "post", "education", "community_work_start", "certificate", "grade", "category", "birth_date", "sex"))
    frame = pl.DataFrame(rows, schema_overrides={"grade": pl.Int64}).rename({"id": "worker_id"})
    paid = place_and_pay(load_policy("baohe"), frame, ON)
    expected = pay_summary(paid)
    fig = compute_figures(root=outcomes.world.street_a, on=ON)
    t = fig["total"]
    assert t["pay_total"] == expected["total"] and t["pay_total"] > 0
    assert t["pay_average"] == expected["average"]
    assert t["employer_cost"] == expected["employer_cost"]
    assert t["annual_cost"] == expected["annual_cost"]
    for c in fig["components"]:
        assert t["components"][c] == pytest.approx(float(paid[c].sum()), abs=0.01)
    assert fig["basis"] == "按政策测算"


def test_q_use_sets_the_approved_quota_in_force_against_the_places_filled(outcomes: Any) -> None:
    """Q-USE: approved decisions in force on the date (office 70, 迎宾社区 16; the 2026 change
    not yet); 槐阳北社区 has only a proposal → 未核定, no vacancies counted there."""
    fig = compute_figures(root=outcomes.world.street_a, on=ON)
    assert _child(fig, "槐阳街道机关")["quota"] == 70 and _child(fig, "槐阳街道机关")["vacant"] == 70
    a1 = _child(fig, "迎宾社区")
    assert (a1["quota"], a1["filled"], a1["vacant"], a1["over"], a1["unset"]) == (16, 2, 14, 0, 0)
    a2 = _child(fig, "槐阳北社区")
    assert (a2["quota"], a2["vacant"], a2["over"], a2["unset"]) == (0, 0, 0, 1)
    t = fig["total"]
    assert (t["quota"], t["vacant"], t["over"], t["unset"]) == (86, 84, 0, 1)
    later = compute_figures(root=outcomes.world.community_a1, on=date(2026, 1, 1))["total"]
    assert (later["quota"], later["over"]) == (1, 1)


def test_q_use_shows_the_quota_the_policy_computes_beside_the_approved_one(outcomes: Any) -> None:
    """Q-BH (baohe): office 75, 城市社区 二类 16×1.0, 村改社区 三类 20×0.8 = 16."""
    fig = compute_figures(root=outcomes.world.street_a, on=ON)
    assert [_child(fig, n)["computed_quota"] for n in ("槐阳街道机关", "迎宾社区", "槐阳北社区")] == [75, 16, 16]
    assert fig["total"]["computed_quota"] == 107


def test_q_use_dispatch_workers_are_counted_but_hold_no_quota_place(outcomes: Any) -> None:
    """E-DISP: 东门社区 has 2 on the roster, 1 filling its quota of 1 — not over quota."""
    t = compute_figures(root=outcomes.world.street_b, on=ON)["total"]
    assert (t["headcount"], t["filled"], t["quota"], t["over"], t["vacant"]) == (2, 1, 1, 0, 0)


def test_children_sum_to_the_scope_total(outcomes: Any) -> None:
    fig = compute_figures(root=outcomes.world.city, on=ON)
    district = compute_figures(root=outcomes.world.district, on=ON)
    assert sum(c["headcount"] for c in district["children"]) == district["total"]["headcount"] == 6
    assert sum(c["pay_total"] for c in district["children"]) == pytest.approx(district["total"]["pay_total"])
    assert sum(c["quota"] for c in district["children"]) == district["total"]["quota"] == 87
    assert fig["total"]["headcount"] == 6


def test_a_street_bound_to_another_policy_is_paid_by_that_policy(outcomes: Any) -> None:
    """Policy bindings are honoured per unit: street B bound to a version paying 主办 1,300,
    street A on the default baohe (1,200)."""
    from shequ.policy.services import policy_bind, policy_version_store
    from shequ.rules.loader import read_source

    text = read_source("baohe").text.replace('"主办" = 1200', '"主办" = 1300').replace('version = "1.0.0"', 'version = "1.0.1"')
    w = outcomes.world
    version = policy_version_store(text=text, actor=w.city_admin)
    policy_bind(unit=w.street_b, version=version, since=date(2020, 1, 1), actor=w.city_admin)
    fig = compute_figures(root=w.district, on=ON)
    assert len(fig["policies"]) == 2
    assert _child(fig, "东门街道")["components"]["岗位工资"] == 1300 + 1000  # 宋大哥 主办, 派遣戊 助理
    street_a = compute_figures(root=w.street_a, on=ON)
    assert street_a["total"]["components"]["岗位工资"] == 1000 * 3 + 1200


def test_s_age_gives_the_share_under_45_among_reserves_in_the_pool_on_the_date(outcomes: Any) -> None:
    """S-AGE (seed 004: 94.52% of reserves under 45): on ON 1 of 2 → 50%; on BEFORE 2 of 3."""
    now = compute_figures(root=outcomes.world.street_a, on=ON)
    assert (now["total"]["reserves"], now["total"]["reserves_under45"], now["total"]["reserves_under45_share"]) == (2, 1, 50.0)
    assert _child(now, "迎宾社区")["reserves"] == 2
    then = compute_figures(root=outcomes.world.street_a, on=BEFORE)["total"]
    assert (then["reserves"], then["reserves_under45_share"]) == (3, 66.67)
    assert compute_figures(root=outcomes.world.street_b, on=ON)["total"]["reserves"] == 0


def test_s_ratio_is_judged_against_the_q_tr_standard_of_the_scopes_policy(outcomes: Any, client_for: Any) -> None:
    """Q-TR/S-RATIO: under tongren (≥ 18 per 10,000 urban residents) street A's 2.8 falls short;
    baohe sets no standard, so none is shown."""
    from shequ.policy.services import policy_bind, policy_version_from_preset

    w = outcomes.world
    assert compute_figures(root=w.street_a, on=ON)["ratio_target"] is None
    version = policy_version_from_preset(preset="tongren", actor=w.city_admin)
    policy_bind(unit=w.street_a, version=version, since=date(2022, 1, 1), actor=w.city_admin)
    fig = compute_figures(root=w.street_a, on=ON)
    assert fig["ratio_target"] == 18 and fig["total"]["per_10k"] == 2.8
    html = client_for(w.street_a_hr).get("/insights/", {"on": ON.isoformat()}).content.decode()
    assert "标准 不少于 18 人 · <strong>未达标</strong>" in html
    # tongren has no post 助理/主办: pay cannot be computed, and the page says so instead of failing
    assert fig["errors"] and fig["errors"][0].startswith("薪酬测算失败（tongren")
    assert "薪酬测算失败（tongren" in html


def test_s_pay_shows_the_locked_pay_run_of_the_month_beside_the_policy_figures(outcomes: Any) -> None:
    """S-PAY as paid: a locked run of 2025-06 for street A gives people, total and average of
    its own lines; a draft run would not count; the computed figures stay as they were."""
    from shequ.pay.models import PayLine
    from shequ.pay.services import payrun_approve, payrun_compute, payrun_create, payrun_lock

    w = outcomes.world
    before = compute_figures(root=w.street_a, on=ON)["total"]
    assert before["locked_headcount"] == 0 and before["locked_pay_average"] is None
    run, _ = payrun_create(unit=w.street_a, month=date(2025, 6, 1), actor=w.city_admin)
    payrun_compute(run=run, actor=w.city_admin)
    draft = compute_figures(root=w.street_a, on=ON)["total"]
    assert draft["locked_headcount"] == 0
    payrun_approve(run=run, actor=w.city_admin)
    payrun_lock(run=run, actor=w.city_admin)
    lines = list(PayLine.objects.filter(run=run, kind="regular", for_month=date(2025, 6, 1)))
    fig = compute_figures(root=w.street_a, on=ON)
    t = fig["total"]
    assert t["locked_headcount"] == len(lines) > 0
    assert t["locked_pay_total"] == pytest.approx(float(sum(ln.gross for ln in lines)), abs=0.01)
    assert t["pay_total"] == before["pay_total"]
    assert sum(c["locked_headcount"] for c in fig["children"]) == t["locked_headcount"]
    assert compute_figures(root=w.street_a, on=date(2025, 7, 1))["total"]["locked_headcount"] == 0


def test_s_age_and_s_edu_cut_offs_are_the_policys_not_the_codes(outcomes: Any) -> None:
    """S-AGE / S-EDU: a policy that reports under-30s and counts only 硕士+ as 'bachelor+'
    changes the figures and the export's headers, with no code change."""
    from shequ.insights.exports import stats_headers
    from shequ.policy.services import policy_bind, policy_version_store

    text = (
        '[policy]\nid = "stats-test"\nname = "统计口径测试"\nsource = "测试"\nversion = "1.0.0"\nextends = "baohe"\n\n'
        '[statistics]\nsource = "测试"\nsince = 2000-01-01\nyoung_age = 30\nbachelor_plus = ["硕士研究生", "博士研究生"]\n'
    )
    world = outcomes.world
    version = policy_version_store(text=text, actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2000, 1, 1), actor=world.city_admin)
    fig = compute_figures(root=world.street_a, on=ON)
    t = fig["total"]
    assert fig["young_age"] == 30
    assert t["under35"] == 1  # only the 25-year-old is under 30 (ages 35, 30, 54, 25)
    assert t["bachelor_plus_share"] == 0  # nobody holds a master's degree
    assert "30岁以下占比(%)" in stats_headers(fig)
