"""The rules as the shipped presets encode them, through whole campaigns: baixiang (A-PTS,
A-STEP yearly, negative list), tongren (A-TIER aliases, A-STEP yearly, C-EXIT), dalian
(A-IND), baohe (A-STEP every three years; cap on 优秀 from base)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.assessment.compute import evaluate
from shequ.assessment.models import Consequence
from shequ.assessment.services import (
    ScoreEntry,
    breach_record,
    campaign_confirm,
    campaign_publish,
    dismissal_decide,
    scores_save,
)
from shequ.workers.models import Status
from tests.assessment.helpers import bind_preset, campaign, history
from tests.factories import make_worker


def _rows(c: Any) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in evaluate(c).frame.to_dicts()}


def test_baixiang_points_yearly_steps_last_place_and_negative_list(world: Any) -> None:
    """A-PTS + A-STEP (002): 量化积分 decides the tier; 合格 or better +1 grade every year;
    the last of each unit gets 约谈提醒; a 负面清单 breach makes the year 不称职."""
    bind_preset(world, "baixiang")
    world.worker_a1.post, world.worker_a1.grade = "一般", 5
    world.worker_a1.save()
    people = {name: make_worker(world.community_a1, name=name, post="一般", grade=g)
              for name, g in [("甲", 3), ("乙", 15), ("丙", 4), ("丁", 6), ("戊", 7), ("己", 2), ("庚", 8), ("辛", 9), ("壬", 3)]}
    c = campaign(world)
    points = {"甲": 91, "乙": 80, "丙": 74.5, "丁": 60, "戊": 85, "己": 88, "庚": 79, "辛": 77, "壬": 76}
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=people[n].pk, indicators={}, score=p) for n, p in points.items()]
                + [ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, score=92)])
    breach_record(campaign=c, worker=people["戊"], reason="违反廉洁自律规定", actor=world.street_a_hr)
    rows = _rows(c)
    assert rows["甲"]["tier"] == "优秀" and rows["甲"]["new_grade"] == 4
    assert rows["乙"]["tier"] == "称职" and rows["乙"]["new_grade"] == 15  # top of 一般 (1–15)
    assert rows["丙"]["tier"] == "基本称职" and rows["丙"]["new_grade"] == 4
    assert rows["丁"]["tier"] == "基本称职" and rows["丁"]["actions"] == ["约谈提醒"]  # last in 迎宾社区
    assert rows["戊"]["tier"] == "不称职" and rows["戊"]["new_grade"] == 7  # negative list, 85 points notwithstanding
    assert rows["戊"]["actions"] == ["解聘"]  # baixiang: 淘汰退出制, after a second confirmation
    ev = evaluate(c)
    assert ev.cap.cap == pytest.approx(0.2) and ev.cap.allowed == 2 and not ev.cap.breached


def test_tongren_aliases_yearly_steps_and_dismissal_after_two_years_unqualified(world: Any) -> None:
    """A-TIER + A-STEP + C-EXIT (004): 合格 and above +1 grade a year; two years 不合格 → 解聘
    after the second confirmation."""
    label = bind_preset(world, "tongren")
    world.worker_a1.post, world.worker_a1.grade = "五岗", 5
    world.worker_a1.save()
    good = make_worker(world.community_a1, name="合格者", post="五岗", grade=3)
    top = make_worker(world.community_a1, name="顶格者", post="五岗", grade=12)
    bad = make_worker(world.community_a1, name="两年不合格", post="四岗", grade=6)
    history(bad, {2024: "不合格"})
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=good.pk, indicators={}, tier="合格"), ScoreEntry(worker_id=top.pk, indicators={}, tier="合格"),
        ScoreEntry(worker_id=bad.pk, indicators={}, tier="不合格"), ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="基本合格")])
    rows = _rows(c)
    assert (rows["合格者"]["tier"], rows["合格者"]["new_grade"]) == ("称职", 4)
    assert rows["顶格者"]["new_grade"] == 12
    assert rows["两年不合格"]["actions"] == ["解聘"]
    assert rows["刘少萌"]["tier"] == "基本称职" and rows["刘少萌"]["actions"] == []
    campaign_publish(campaign=c, actor=world.street_a_hr)
    campaign_confirm(campaign=c, actor=world.city_admin)
    p = Consequence.objects.get(campaign=c, action="解聘")
    assert p.policy_version == label
    dismissal_decide(consequence=p, confirm=True, actor=world.city_admin, on=c.created_at.date())
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Status.LEFT and good.grade == 4


def test_dalian_indicator_weights_make_the_score_and_the_tier(world: Any) -> None:
    """A-IND (001): 任务完成情况、廉洁自律情况、教育培训情况、群众满意度, weighted by the preset."""
    bind_preset(world, "dalian")
    world.worker_a1.post, world.worker_a1.grade = "三档", 3
    world.worker_a1.save()
    c = campaign(world)
    ind = {"任务完成情况": 90, "廉洁自律情况": 100, "教育培训情况": 80, "群众满意度": 85}
    scores_save(campaign=c, actor=world.street_a_hr, entries=[ScoreEntry(worker_id=world.worker_a1.pk, indicators=ind)])
    ev = evaluate(c)
    weights = ev.policy.params(date(2025, 12, 31)).assessment.indicator_weights
    expected = sum(ind[k] * w for k, w in weights.items())
    row = ev.frame.to_dicts()[0]
    assert row["score"] == pytest.approx(expected)
    assert row["tier"] == "称职"  # 89.5 under the preset's 90 for 优秀


def test_baohe_cap_on_excellent_comes_from_the_base_policy(world: Any) -> None:
    bind_preset(world, "baohe")
    ws = [make_worker(world.community_a1, name=f"员工{i}", post="助理", grade=3) for i in range(4)]
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=w.pk, indicators={}, tier="优秀") for w in ws[:2]]
                + [ScoreEntry(worker_id=w.pk, indicators={}, tier="称职") for w in [*ws[2:], world.worker_a1]])
    cap = evaluate(c).cap
    assert (cap.cap, cap.total, cap.allowed, cap.excellent, cap.over) == (0.2, 5, 1, 2, 1)


def test_baixiang_a_negative_list_breach_ends_in_dismissal_after_the_second_confirmation(world: Any) -> None:
    """A-PTS + C-EXIT (002): 负面清单 → 不称职 → 解聘 proposal → second confirmation → left."""
    label = bind_preset(world, "baixiang")
    world.worker_a1.post, world.worker_a1.grade = "一般", 5
    world.worker_a1.save()
    bad = make_worker(world.community_a1, name="有负面清单", post="一般", grade=6)
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=bad.pk, indicators={}, score=88), ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, score=80)])
    breach_record(campaign=c, worker=bad, reason="弄虚作假", actor=world.street_a_hr)
    campaign_publish(campaign=c, actor=world.street_a_hr)
    campaign_confirm(campaign=c, actor=world.city_admin)
    p = Consequence.objects.get(campaign=c, action="解聘")
    assert p.worker == bad and p.status == "proposed"
    dismissal_decide(consequence=p, confirm=True, actor=world.city_admin, on=date(2026, 2, 1))
    bad.refresh_from_db()
    assert bad.status == Status.LEFT and bad.exit_reason == "负面清单情形，解聘"
    from shequ.workers.models import EventKind, WorkerEvent

    assert WorkerEvent.objects.get(worker=bad, kind=EventKind.EXIT).policy_version == label
