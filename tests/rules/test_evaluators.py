"""Evaluators on frames: quota, placement, pay, assessment, and their explanations."""

import datetime as dt

import polars as pl
import pytest

from shequ.rules import (
    PolicyError,
    assess,
    explain,
    load_policy,
    load_policy_text,
    pay,
    place,
    quota,
)

ON = dt.date(2025, 1, 1)


@pytest.fixture(scope="module")
def baohe():
    return load_policy("baohe")


@pytest.fixture(scope="module")
def hunchun():
    return load_policy("hunchun")


def workers(**cols):
    n = len(next(iter(cols.values())))
    base = {"worker_id": list(range(1, n + 1)), "education": ["高中"] * n, "certificate": ["无"] * n,
            "community_work_start": [dt.date(2024, 1, 1)] * n}
    base.update(cols)
    return pl.DataFrame(base)


def test_quota_combines_two_rules_by_the_larger(hunchun):
    text = """
[policy]
id = "combo"
name = "两规则取大"
source = "测试"
version = "0.1.0"
extends = "hunchun"
since = 2021-01-01

[params.tr_per_10k]
source = "004"
value = 18

[quota]
spec = "Q-HC"
source = "000、004"
applies_to = ["城市社区"]
formula = "max(by_households, by_population)"

[quota.rules.by_households]
spec = "Q-HC"
source = "000"
formula = "band(hc_base_by_population, population) + max(0, floor((households - hc_threshold) / hc_step))"

[quota.rules.by_population]
spec = "Q-TR"
source = "004"
formula = "ceil(urban_population * tr_per_10k / 10000)"
"""
    p = load_policy_text(text)
    units = pl.DataFrame({"unit_type": ["城市社区", "城市社区"], "households": [4100, 3000],
                          "population": [9800, 9800], "urban_population": [5000, 9000]})
    assert quota(p, units, ON)["quota"].to_list() == [11, 17]
    lines = explain(p, "quota", units.slice(1, 1), ON)
    assert any("by_population" in ln and "= 17" in ln for ln in lines)


def test_quota_is_null_for_unit_types_outside_the_rule(baohe):
    units = pl.DataFrame({"unit_type": ["网格", "城市社区"], "unit_class": [None, "二类"]})
    assert quota(baohe, units, ON)["quota"].to_list() == [None, 16]


def test_quota_reports_a_missing_column(hunchun):
    with pytest.raises(PolicyError, match="缺少列：households"):
        quota(hunchun, pl.DataFrame({"unit_type": ["城市社区"]}), ON)


def test_place_keeps_a_given_grade_and_places_the_rest(baohe):
    w = workers(post=["主办", "主办"], education=["本科", "本科"], grade=[9, None],
                community_work_start=[dt.date(2018, 1, 1)] * 2)
    out = place(baohe, w, dt.date(2024, 6, 1))
    assert out["grade"].to_list() == [9, 7]
    assert out["years"].to_list() == [6, 6]


def test_years_count_only_completed_anniversaries(baohe):
    w = workers(post=["助理"] * 3, community_work_start=[dt.date(2022, 1, 2), dt.date(2022, 1, 1), dt.date(2021, 12, 31)])
    assert place(baohe, w, dt.date(2025, 1, 1))["years"].to_list() == [2, 3, 3]


def test_place_rejects_an_unknown_post(baohe):
    with pytest.raises(PolicyError, match="未定义的岗位「村长」"):
        place(baohe, workers(post=["村长"]), ON)


def test_pay_adds_each_component_total_and_benefits(hunchun):
    out = pay(hunchun, place(hunchun, workers(post=["正职"], grade=[10]), ON), ON)
    assert out.columns[-7:] == ["岗位工资", "级别工资", "学历津贴", "职业资格津贴", "应发合计", "单位五险一金", "个人五险一金"]
    row = out.row(0, named=True)
    assert row["应发合计"] == row["岗位工资"] + row["级别工资"] + row["学历津贴"] + row["职业资格津贴"] == 4700
    assert row["单位五险一金"] == pytest.approx(4700 * 0.359)


def test_a_one_row_frame_gives_exactly_the_population_row(baohe):
    w = workers(post=["主管", "副主管", "主办", "助理"], education=["本科", "大专", "高中", "硕士研究生"],
                certificate=["社会工作师", "无", "助理社会工作师", "无"],
                community_work_start=[dt.date(2001, 3, 4), dt.date(2010, 7, 1), dt.date(2019, 9, 9), dt.date(2024, 2, 29)])
    whole = pay(baohe, place(baohe, w, ON), ON)
    for i in range(w.height):
        one = pay(baohe, place(baohe, w.slice(i, 1), ON), ON)
        assert one.row(0) == whole.row(i)


def test_explain_pay_names_rule_inputs_parameters_and_results(hunchun):
    lines = explain(hunchun, "pay", workers(post=["正职"], grade=[10]), ON)
    text = "\n".join(lines)
    assert "P-BASE 级别工资" in text and "anchor_pay = 4700（来源 000" in text
    assert "应发合计 = 岗位工资 + 级别工资 + 学历津贴 + 职业资格津贴 = 4,700" in text


def test_assess_steps_promotes_and_dismisses_per_baohe(baohe):
    w = pl.DataFrame({"worker_id": [1, 2, 3, 4], "post": ["主办", "主办", "助理", "助理"], "grade": [5, 5, 3, 12]})
    r = pl.DataFrame({
        "worker_id": [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4],
        "year": [2022, 2023, 2024, 2022, 2023, 2024, 2023, 2024, 2022, 2023, 2024],
        "tier": ["合格", "优秀", "称职", "优秀", "优秀", "优秀", "不合格", "不称职", "称职", "称职", "称职"],
    })
    out = assess(baohe, w, r, 2024)
    assert out["处理"].to_list() == ["晋升一级", "晋升一级；优先晋升", "解聘", "无"]
    assert out["new_grade"].to_list() == [6, 6, 3, 12]
    assert out["tier"].to_list() == ["称职", "优秀", "不称职", "称职"]


def test_assess_rejects_an_unknown_tier(baohe):
    w = pl.DataFrame({"worker_id": [1], "post": ["主办"], "grade": [5]})
    r = pl.DataFrame({"worker_id": [1], "year": [2024], "tier": ["很好"]})
    with pytest.raises(PolicyError, match="不认识的考核等次「很好」"):
        assess(baohe, w, r, 2024)


def test_pay_rejects_an_unknown_post(hunchun):
    w = pl.DataFrame({"worker_id": [1], "post": ["村长"], "grade": [3], "years": [1], "education": ["高中"], "certificate": ["无"]})
    with pytest.raises(PolicyError, match="未定义的岗位「村长」"):
        pay(hunchun, w, ON)


def test_place_rejects_an_unknown_post_even_with_a_given_grade(baohe):
    with pytest.raises(PolicyError, match="未定义的岗位「村长」"):
        place(baohe, workers(post=["村长"], grade=[3]), ON)


def test_place_and_pay_in_one_pass_equals_place_then_pay(baohe):
    w = workers(post=["主管", "助理", "主办"], education=["本科", "高中", "博士研究生"], grade=[None, 4, None],
                community_work_start=[dt.date(2001, 3, 4), dt.date(2020, 1, 1), dt.date(1980, 1, 1)])
    from shequ.rules import place_and_pay

    assert place_and_pay(baohe, w, ON).equals(pay(baohe, place(baohe, w, ON), ON))
    with pytest.raises(PolicyError, match="未定义的岗位「村长」"):
        place_and_pay(baohe, workers(post=["村长"], grade=[3]), ON)


def test_excellent_share_is_measured_against_the_policy_cap(baohe):
    from shequ.rules import can_hire, excellent_share

    r = pl.DataFrame({"worker_id": [1, 2, 3, 4, 5], "year": [2024] * 5, "tier": ["优秀", "优秀", "称职", "合格", "不合格"]})
    assert excellent_share(baohe, r, 2024) == (0.4, 0.2)
    assert can_hire(16, 15) and not can_hire(16, 16) and not can_hire(None, 0)


def test_a_policy_without_a_rule_says_so():
    from shequ.rules import dispatch_conversion
    from shequ.rules import errors as E

    bare = load_policy("base")
    with pytest.raises(PolicyError) as exc:
        quota(bare, pl.DataFrame({"unit_type": ["城市社区"]}), ON)
    assert exc.value.reason == E.NO_QUOTA_RULE
    with pytest.raises(PolicyError) as exc:
        place(bare, workers(post=["主管"]), ON)
    assert exc.value.reason == E.NO_PLACEMENT_RULE
    with pytest.raises(PolicyError) as exc:
        dispatch_conversion(bare, pl.DataFrame({"worker_id": [1], "unit": ["甲"], "street_work_start": [dt.date(2020, 1, 1)]}), ON)
    assert exc.value.reason == E.NO_DISPATCH_RULE
