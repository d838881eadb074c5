"""A-TIER, A-IND, A-PTS: tiers from what is entered, the indicators and the points; the cap on
优秀 listed not fixed; the last place gets a warning talk; the negative list disqualifies."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.assessment.compute import evaluate
from shequ.assessment.models import Score
from shequ.assessment.services import (
    ADJUST_NEEDS_REASON,
    CAP_BREACHED,
    NO_NEGATIVE_LIST,
    PARTIAL_INDICATORS,
    UNKNOWN_TIER,
    AssessmentError,
    ScoreEntry,
    breach_record,
    campaign_publish,
    score_adjust,
    scores_save,
)
from tests.assessment.helpers import bind, campaign
from tests.factories import make_worker

POINTS = [{"tier": "优秀", "min": 90}, {"tier": "称职", "min": 75}, {"tier": "基本称职", "min": 60}]
WEIGHTS = {"任务完成情况": 0.4, "廉洁自律情况": 0.2, "教育培训情况": 0.1, "群众满意度": 0.3}


def _tiers(c: Any) -> dict[str, str]:
    return {r["name"]: r["tier"] for r in evaluate(c).frame.to_dicts()}


def _team(world: Any, n: int, unit: Any = None) -> list[Any]:
    return [make_worker(unit or world.community_a1, name=f"员工{i:02d}", post="助理", grade=3) for i in range(n)]


def test_a_tier_the_four_tiers_and_their_aliases_are_read_as_the_policy_says(world: Any) -> None:
    """A-TIER: 优秀/称职/基本称职/不称职; 合格/基本合格/不合格 read as 称职/基本称职/不称职."""
    bind(world, excellent_share_cap=1.0)
    c = campaign(world)
    ws = _team(world, 6)
    given = ["优秀", "合格", "基本合格", "不合格", "称职", "不称职"]
    scores_save(campaign=c, entries=[ScoreEntry(worker_id=w.pk, indicators={}, tier=t) for w, t in zip(ws, given, strict=True)],
                actor=world.street_a_hr)
    tiers = _tiers(c)
    assert [tiers[w.name] for w in ws] == ["优秀", "称职", "基本称职", "不称职", "称职", "不称职"]
    assert tiers["刘少萌"] is None  # the fixture worker has no score yet


def test_a_tier_an_unknown_tier_is_refused_with_the_worker_and_field_and_nothing_is_saved(world: Any) -> None:
    bind(world)
    c = campaign(world)
    a, b = _team(world, 2)
    with pytest.raises(AssessmentError) as exc:
        scores_save(campaign=c, entries=[ScoreEntry(worker_id=a.pk, indicators={}, tier="称职"),
                                         ScoreEntry(worker_id=b.pk, indicators={}, tier="良好")], actor=world.street_a_hr)
    assert f"{b.name}：考核等次：" + UNKNOWN_TIER.format(tier="良好") in str(exc.value)
    assert not Score.objects.filter(campaign=c).exists()


def test_a_ind_the_indicator_weights_of_the_policy_make_the_score(world: Any) -> None:
    """A-IND: task completion, integrity, training, residents' satisfaction, weighted as the policy says."""
    bind(world, indicator_weights=WEIGHTS, points=POINTS, excellent_share_cap=1.0)
    c = campaign(world)
    a, b = _team(world, 2)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=a.pk, indicators={"任务完成情况": 95, "廉洁自律情况": 90, "教育培训情况": 80, "群众满意度": 92}),
        ScoreEntry(worker_id=b.pk, indicators={"任务完成情况": 70, "廉洁自律情况": 100, "教育培训情况": 60, "群众满意度": 50}),
    ])
    rows = {r["name"]: r for r in evaluate(c).frame.to_dicts()}
    assert rows[a.name]["score"] == pytest.approx(95 * 0.4 + 90 * 0.2 + 80 * 0.1 + 92 * 0.3)  # 91.6
    assert rows[a.name]["tier"] == "优秀"
    assert rows[b.name]["score"] == pytest.approx(70 * 0.4 + 100 * 0.2 + 60 * 0.1 + 50 * 0.3)  # 69.0
    assert rows[b.name]["tier"] == "基本称职"


def test_a_ind_other_weights_give_another_score(world: Any) -> None:
    """The weights are policy values, not constants in the code."""
    bind(world, indicator_weights={"任务完成情况": 0.7, "群众满意度": 0.3}, points=POINTS)
    c = campaign(world)
    (a,) = _team(world, 1)
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=a.pk, indicators={"任务完成情况": 80, "群众满意度": 100})])
    assert evaluate(c).frame.filter(evaluate(c).frame["worker_id"] == a.pk)["score"][0] == pytest.approx(86.0)


def test_a_ind_indicators_must_be_all_given_or_none(world: Any) -> None:
    bind(world, indicator_weights=WEIGHTS, points=POINTS)
    c = campaign(world)
    (a,) = _team(world, 1)
    with pytest.raises(AssessmentError) as exc:
        scores_save(campaign=c, actor=world.street_a_hr,
                    entries=[ScoreEntry(worker_id=a.pk, indicators={"任务完成情况": 80, "群众满意度": 100})])
    assert PARTIAL_INDICATORS.format(missing="廉洁自律情况、教育培训情况") in str(exc.value)


def test_a_pts_points_decide_the_tier_on_the_policy_thresholds(world: Any) -> None:
    """A-PTS: 量化积分 decides the tier (thresholds from the policy)."""
    bind(world, points=POINTS, excellent_share_cap=1.0)
    c = campaign(world)
    ws = _team(world, 5)
    pts = [90, 89.99, 75, 60, 59.5]
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=w.pk, indicators={}, score=p) for w, p in zip(ws, pts, strict=True)])
    tiers = _tiers(c)
    assert [tiers[w.name] for w in ws] == ["优秀", "称职", "称职", "基本称职", "不称职"]


def test_a_pts_the_cap_on_excellent_is_listed_for_adjustment_not_silently_fixed(world: Any) -> None:
    """A-PTS: tiers by points under the policy's cap on 优秀; breaches block publishing."""
    bind(world, points=POINTS, excellent_share_cap=0.2)
    c = campaign(world)
    ws = _team(world, 9)  # with 刘少萌 10 people: at most 2 优秀
    pts = [99, 98, 95, 91, 80, 80, 80, 80, 70]
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=w.pk, indicators={}, score=p) for w, p in zip(ws, pts, strict=True)]
                + [ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, score=85)])
    ev = evaluate(c)
    assert (ev.cap.total, ev.cap.excellent, ev.cap.allowed, ev.cap.over) == (10, 4, 2, 2)
    assert [x["name"] for x in ev.cap.candidates] == [ws[3].name, ws[2].name, ws[1].name, ws[0].name]
    assert _tiers(c)[ws[3].name] == "优秀"  # nothing changed by itself
    with pytest.raises(AssessmentError) as exc:
        campaign_publish(campaign=c, actor=world.street_a_hr)
    assert CAP_BREACHED.format(excellent=4, allowed=2, cap=0.2, over=2) in str(exc.value)
    with pytest.raises(AssessmentError, match=ADJUST_NEEDS_REASON):
        score_adjust(campaign=c, worker=ws[3], tier="称职", reason=" ", actor=world.street_a_hr)
    for w in ws[2:4]:
        score_adjust(campaign=c, worker=w, tier="称职", reason="优秀比例控制", actor=world.street_a_hr)
    assert not evaluate(c).cap.breached
    assert campaign_publish(campaign=c, actor=world.street_a_hr) == 10


def test_a_pts_the_last_place_of_each_unit_gets_a_warning_talk(world: Any) -> None:
    """A-PTS: 年度考评末位的进行约谈提醒 (by unit, as the policy says)."""
    bind(world, points=POINTS, excellent_share_cap=1.0, last_place_warning=True, last_place_scope="unit")
    c = campaign(world)
    a = _team(world, 3)
    b = _team(world, 2, unit=world.community_a2)
    pts = {a[0]: 95, a[1]: 71, a[2]: 88, b[0]: 90, b[1]: 92}
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=w.pk, indicators={}, score=p) for w, p in pts.items()])
    warned = {r["worker_id"] for r in evaluate(c).frame.to_dicts() if "约谈提醒" in r["actions"]}
    assert warned == {a[1].pk, b[0].pk}


def test_a_pts_no_warning_talk_where_the_policy_has_none(world: Any) -> None:
    bind(world, points=POINTS, excellent_share_cap=1.0, last_place_warning=False)
    c = campaign(world)
    a = _team(world, 3)
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=w.pk, indicators={}, score=p) for w, p in zip(a, [95, 70, 80], strict=True)])
    assert all("约谈提醒" not in r["actions"] for r in evaluate(c).frame.to_dicts())


def test_a_pts_a_negative_list_breach_disqualifies_whatever_the_points(world: Any) -> None:
    """A-PTS: 负面清单: a breach sets the tier the policy names, with its reason recorded."""
    bind(world, points=POINTS, excellent_share_cap=1.0, negative_list=["违反廉洁纪律", "弄虚作假"])
    c = campaign(world)
    a, b = _team(world, 2)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=a.pk, indicators={}, score=96), ScoreEntry(worker_id=b.pk, indicators={}, score=96)])
    breach_record(campaign=c, worker=a, reason="违反廉洁自律规定", actor=world.street_a_hr)
    tiers = _tiers(c)
    assert tiers[a.name] == "不称职" and tiers[b.name] == "优秀"


def test_a_pts_the_negative_list_needs_a_policy_that_has_one(world: Any) -> None:
    bind(world, points=POINTS)
    c = campaign(world)
    (a,) = _team(world, 1)
    with pytest.raises(AssessmentError, match=NO_NEGATIVE_LIST):
        breach_record(campaign=c, worker=a, reason="违反廉洁自律规定", actor=world.street_a_hr)
