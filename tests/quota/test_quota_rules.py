"""Quota from unit facts through the engine, per locality rule (Q-HC, Q-BH, Q-TR)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.org.models import Unit, UnitFact
from shequ.quota import compute
from shequ.quota.compute import quota_compute
from shequ.quota.models import DecisionSource, DecisionStatus
from shequ.quota.services import quota_propose_recomputed
from tests.factories import make_unit

ON = date(2024, 6, 1)


def _quotas(units: Any, on: date = ON) -> dict[str, int | None]:
    frame, _ = quota_compute(units=units, on=on)
    return dict(zip(frame["unit"].to_list(), frame["quota"].to_list(), strict=True))


def test_q_hc_hunchun_gives_the_base_plus_one_post_per_full_500_households_above_3000(world: Any, bind: Any) -> None:
    """Q-HC: base by population band (assumed) + floor((households - 3000) / 500) for 城市社区/乡镇社区."""
    bind("hunchun")
    street = world.street_a
    for name, households in [("两千户社区", 2000), ("三千户社区", 3000), ("三千四百九十九户社区", 3499),
                             ("三千五百户社区", 3500), ("五千户社区", 5000)]:
        make_unit(name, "城市社区", street, households=households, population=households * 3,
                  urban_population=households * 3)
    q = _quotas(Unit.objects.filter(parent=street))
    assert q["两千户社区"] == 8  # 6,000 residents: the 5,000–7,999 band
    assert q["三千户社区"] == 9
    assert q["三千四百九十九户社区"] == 9
    assert q["三千五百户社区"] == 10
    assert q["五千户社区"] == 14  # 15,000 residents: the 12,000–19,999 band, 10 + 4
    assert q["迎宾社区"] == 10  # 3,600 households
    # Outside the rule's unit types: no quota computed (hunchun covers 城市社区 and 乡镇社区).
    assert q["槐阳北社区"] is None
    assert q["槐阳街道机关"] is None


def test_q_hc_the_base_follows_the_community_population_with_households_on_top(world: Any, bind: Any) -> None:
    """Q-HC: "以社区人口数为基准" — equal households, different populations, different bases."""
    bind("hunchun")
    for name, population in [("小社区", 4000), ("中社区", 9000), ("大社区", 21000)]:
        make_unit(name, "城市社区", world.street_a, households=3600, population=population, urban_population=population)
    q = _quotas(Unit.objects.filter(parent=world.street_a, name__in=["小社区", "中社区", "大社区"]))
    assert q == {"小社区": 7 + 1, "中社区": 9 + 1, "大社区": 11 + 1}


def test_q_hc_uses_the_facts_in_force_on_the_date_asked(world: Any, bind: Any) -> None:
    """Q-HC with ORG-3: households recorded from 2025 change the quota from then on only."""
    bind("hunchun")
    UnitFact.objects.create(unit=world.community_a1, since=date(2025, 1, 1), households=4100, population=9800,
                            urban_population=9500)
    units = Unit.objects.filter(pk=world.community_a1.pk)
    assert _quotas(units, date(2024, 12, 31))["迎宾社区"] == 10
    assert _quotas(units, date(2025, 1, 1))["迎宾社区"] == 11


def test_q_bh_baohe_multiplies_the_base_by_unit_type_by_the_class_coefficient(world: Any, bind: Any) -> None:
    """Q-BH: street office 75, 城市社区 16, 村改社区 20, 行政村 12 × class coefficient
    (一类 1.2, 二类 1.0, 三类 0.8 — assumed in the preset), rounded."""
    bind("baohe")
    make_unit("槐阳村", "行政村", world.street_a, households=800, population=2500, urban_population=0,
              unit_class="一类")
    q = _quotas(Unit.objects.all())
    assert q["槐阳街道机关"] == 75  # no class: coefficient 1
    assert q["迎宾社区"] == 16  # 城市社区 二类
    assert q["槐阳北社区"] == 16  # 村改社区 三类: 20 × 0.8
    assert q["东门社区"] == 19  # 城市社区 一类: 16 × 1.2 = 19.2
    assert q["槐阳村"] == 14  # 行政村 一类: 12 × 1.2 = 14.4
    # Only staffed units get a quota: the city, district and streets are not in the frame.
    assert "槐阳街道" not in q and "示范市" not in q


def test_q_tr_tongren_gives_at_least_18_per_10000_urban_residents(world: Any, bind: Any) -> None:
    """Q-TR: quota = ceil(urban residents × 18 / 10,000) for 城市社区."""
    bind("tongren")
    q = _quotas(Unit.objects.all())
    assert q["迎宾社区"] == 18  # 9,500 → 17.1 → 18
    assert q["东门社区"] == 20  # 10,800 → 19.44 → 20
    make_unit("万人社区", "城市社区", world.street_b, households=3000, population=10000, urban_population=10000)
    assert _quotas(Unit.objects.filter(name="万人社区"))["万人社区"] == 18


def test_units_are_grouped_by_the_policy_that_governs_them_one_engine_call_each(
    world: Any, bind: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Street A under hunchun (Q-HC), street B under baohe (Q-BH), the city default elsewhere:
    one engine call per policy version for the whole scope."""
    bind("baohe")
    bind("hunchun", unit=world.street_a)
    calls: list[int] = []
    real = compute.rules_quota

    def counting(policy: Any, units: Any, on: date) -> Any:
        calls.append(units.height)
        return real(policy, units, on)

    monkeypatch.setattr(compute, "rules_quota", counting)
    frame, policies = quota_compute(units=Unit.objects.all(), on=ON)
    assert len(calls) == 2 and sorted(calls) == [1, 3]
    q = dict(zip(frame["unit"].to_list(), frame["quota"].to_list(), strict=True))
    assert q["迎宾社区"] == 10  # hunchun
    assert q["东门社区"] == 19  # baohe
    labels = dict(zip(frame["unit"].to_list(), frame["policy_version"].to_list(), strict=True))
    assert labels["迎宾社区"].startswith("hunchun@") and labels["东门社区"].startswith("baohe@")


def test_a_binding_takes_effect_from_its_date(world: Any, bind: Any) -> None:
    bind("baohe", since=date(2021, 1, 1))
    bind("hunchun", since=date(2024, 1, 1))
    units = Unit.objects.filter(pk=world.community_b1.pk)
    assert _quotas(units, date(2023, 12, 31))["东门社区"] == 19
    assert _quotas(units, date(2024, 1, 1))["东门社区"] == 11


def test_a_recomputed_proposal_stores_the_engine_explanation_and_policy_version(world: Any, bind: Any) -> None:
    """Q-BH through Q-REV: the proposal keeps its 计算依据 and the deciding version."""
    bind("baohe")
    result = quota_propose_recomputed(root=world.street_b, since=ON, actor=world.street_b_hr)
    (d,) = result.created
    assert d.unit == world.community_b1 and d.quota == 19 and d.status == DecisionStatus.PROPOSED
    assert d.source == DecisionSource.COMPUTED and d.previous_quota is None
    assert d.policy_version.startswith("baohe@")
    assert "Q-BH 核定员额" in d.explanation and "= 19" in d.explanation
    assert "class_coef[一类] = 1.2" in d.explanation
    assert d.facts["households"] == 4200 and d.facts["unit_class"] == "一类"


def test_a_policy_without_a_quota_rule_computes_nothing_and_says_so(world: Any, bind: Any) -> None:
    """dalian sets no [quota]: no quota is invented; a recompute proposes nothing."""
    from shequ.quota.services import NOTHING_TO_PROPOSE, QuotaError

    bind("dalian")
    frame, _ = quota_compute(units=Unit.objects.all(), on=ON)
    assert frame["quota"].null_count() == frame.height == 4
    assert all("政策没有定义员额规则" in e for e in frame["policy_error"].to_list())
    with pytest.raises(QuotaError) as err:
        quota_propose_recomputed(root=world.city, since=ON, actor=world.city_admin)
    assert str(err.value) == NOTHING_TO_PROPOSE


def test_q_hc_each_proposal_explains_its_own_households(world: Any, bind: Any) -> None:
    """Q-HC: explanations are shared only between units with the same inputs the rule reads."""
    bind("hunchun")
    # 迎宾社区: 3,600 households, 9,800 residents; urban residents are not read by Q-HC.
    make_unit("同户数社区", "城市社区", world.street_a, households=3600, population=9800, urban_population=1)
    make_unit("多户数社区", "城市社区", world.street_a, households=4200, population=9800, urban_population=1)
    make_unit("少人口社区", "城市社区", world.street_a, households=3600, population=4000, urban_population=1)
    result = quota_propose_recomputed(root=world.street_a, since=ON, actor=world.city_admin)
    basis = {d.unit.name: d.explanation for d in result.created}
    assert basis["迎宾社区"] == basis["同户数社区"]
    assert basis["多户数社区"] != basis["迎宾社区"]
    assert basis["少人口社区"] != basis["迎宾社区"] and basis["少人口社区"].endswith("= 8")
    assert basis["迎宾社区"].endswith("= 10") and basis["多户数社区"].endswith("= 11")
