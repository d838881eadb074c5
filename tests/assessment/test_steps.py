"""A-STEP: consequences over the campaign with each worker's results history, applied on
confirmation as events naming the policy version."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.assessment.compute import evaluate
from shequ.assessment.models import Consequence
from shequ.assessment.services import (
    ALREADY_CONFIRMED,
    NOT_PUBLISHED,
    AssessmentError,
    ScoreEntry,
    campaign_confirm,
    campaign_publish,
    scores_save,
)
from shequ.common.models import AuditEntry
from shequ.workers.models import EventKind, WorkerEvent
from tests.assessment.helpers import bind, campaign, history
from tests.factories import make_worker


def _rate(c: Any, world: Any, tiers: dict[Any, str]) -> None:
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=w.pk, indicators={}, tier=t) for w, t in tiers.items()])


def _actions(c: Any) -> dict[int, tuple[list[str], int | None, int | None]]:
    return {r["worker_id"]: (r["actions"], r["grade"], r["new_grade"]) for r in evaluate(c).frame.to_dicts()}


def test_a_step_a_yearly_step_at_competent_or_better_as_baixiang_and_tongren_have_it(world: Any) -> None:
    """A-STEP (002, 004): +1 grade each year rated 合格 (称职) or better."""
    bind(world, step_every_years=1, step_min_tier="称职", excellent_share_cap=1.0)
    c = campaign(world)
    good = make_worker(world.community_a1, name="称职者", post="助理", grade=3)
    best = make_worker(world.community_a1, name="优秀者", post="助理", grade=5)
    weak = make_worker(world.community_a1, name="基本称职者", post="助理", grade=3)
    _rate(c, world, {good: "合格", best: "优秀", weak: "基本称职", world.worker_a1: "称职"})
    acts = _actions(c)
    assert acts[good.pk] == (["晋升一级"], 3, 4)
    assert acts[best.pk] == (["晋升一级"], 5, 6)
    assert acts[weak.pk] == ([], 3, 3)


def test_a_step_baohe_steps_at_the_end_of_each_run_of_three_competent_years(world: Any) -> None:
    """A-STEP (003) read as SPEC says: a step at the end of each run of three consecutive
    years rated 称职 or better since the last step (baohe preset as shipped)."""
    bind(world, excellent_share_cap=1.0)  # baohe: step_every_years = 3
    c = campaign(world)
    three = make_worker(world.community_a1, name="满三年", post="助理", grade=3)
    two = make_worker(world.community_a1, name="两年", post="助理", grade=3)
    four = make_worker(world.community_a1, name="四年", post="助理", grade=3)
    broken = make_worker(world.community_a1, name="中断", post="助理", grade=3)
    six = make_worker(world.community_a1, name="六年", post="助理", grade=3)
    history(three, {2023: "称职", 2024: "优秀"})
    history(two, {2024: "称职"})
    history(four, {2022: "称职", 2023: "称职", 2024: "称职"})
    history(broken, {2023: "称职", 2024: "基本称职"})
    history(six, {2020: "称职", 2021: "称职", 2022: "称职", 2023: "称职", 2024: "称职"})
    _rate(c, world, {three: "称职", two: "称职", four: "称职", broken: "称职", six: "称职", world.worker_a1: "称职"})
    acts = _actions(c)
    assert acts[three.pk] == (["晋升一级"], 3, 4)
    assert acts[two.pk][0] == []
    assert acts[four.pk][0] == []  # stepped at the third year already
    assert acts[broken.pk][0] == []
    assert acts[six.pk] == (["晋升一级"], 3, 4)


def test_a_step_a_grade_never_passes_the_top_of_the_post_range(world: Any) -> None:
    bind(world, step_every_years=1, excellent_share_cap=1.0)
    c = campaign(world)
    top = make_worker(world.community_a1, name="顶格", post="助理", grade=12)  # baohe 助理 1–12
    _rate(c, world, {top: "优秀", world.worker_a1: "称职"})
    assert _actions(c)[top.pk] == ([], 12, 12)


def test_a_step_three_years_running_excellent_puts_a_worker_first_in_line_for_promotion(world: Any) -> None:
    """A-STEP (003): 连续三年优秀 → 优先晋升."""
    bind(world, excellent_share_cap=1.0)
    c = campaign(world)
    star = make_worker(world.community_a1, name="三连优", post="助理", grade=3)
    almost = make_worker(world.community_a1, name="两连优", post="助理", grade=3)
    history(star, {2023: "优秀", 2024: "优秀"})
    history(almost, {2023: "称职", 2024: "优秀"})
    _rate(c, world, {star: "优秀", almost: "优秀", world.worker_a1: "称职"})
    acts = _actions(c)
    assert "优先晋升" in acts[star.pk][0]
    assert "优先晋升" not in acts[almost.pk][0]


def test_a_step_confirmation_applies_the_steps_and_lists_as_events_naming_the_policy_version(world: Any) -> None:
    label = bind(world, step_every_years=1, excellent_share_cap=1.0, promote_years=2)
    c = campaign(world)
    star = make_worker(world.community_a1, name="两连优", post="助理", grade=3)
    history(star, {2024: "优秀"})
    _rate(c, world, {star: "优秀", world.worker_a1: "基本称职"})
    with pytest.raises(AssessmentError, match=NOT_PUBLISHED.format(name=c.name)):
        campaign_confirm(campaign=c, actor=world.city_admin)
    campaign_publish(campaign=c, actor=world.street_a_hr)
    s = campaign_confirm(campaign=c, actor=world.city_admin)
    assert (s.steps, s.promote, s.warn, s.dismiss) == (1, 1, 0, 0)
    star.refresh_from_db()
    assert star.grade == 4
    step = WorkerEvent.objects.get(worker=star, kind=EventKind.GRADE_STEP)
    assert step.data["before"] == {"grade": 3} and step.data["after"] == {"grade": 4}
    assert step.policy_version == label and str(step.effective) == "2026-01-01"
    career = WorkerEvent.objects.get(worker=star, kind=EventKind.CAREER)
    assert "优先晋升" in career.cause and career.policy_version == label
    assert set(Consequence.objects.filter(campaign=c).values_list("action", "status")) == {("晋升一级", "done"), ("优先晋升", "done")}
    assert AuditEntry.objects.filter(action="assessment.consequence", target_id=str(star.pk)).count() == 2
    with pytest.raises(AssessmentError, match=ALREADY_CONFIRMED.format(name=c.name)):
        campaign_confirm(campaign=c, actor=world.city_admin)
    star.refresh_from_db()
    assert star.grade == 4  # confirmed once, stepped once
    # The lists after confirmation are what was decided, not a new run on the moved grade.
    assert _actions(c)[star.pk] == (["晋升一级", "优先晋升"], 3, 4)


def test_a_step_warning_talks_and_dismissal_proposals_are_filed_under_the_assessment(world: Any) -> None:
    """A-PTS last place and the C-EXIT proposal go into the personnel file as assessment
    events. Someone proposed for dismissal is not ranked for the warning talk (engine rule)."""
    label = bind(world, excellent_share_cap=1.0, last_place_warning=True, last_place_scope="unit")
    low = make_worker(world.community_a1, name="末位", post="助理", grade=3)
    out = make_worker(world.community_a1, name="连续不称职", post="助理", grade=3)
    history(out, {2024: "不称职"})
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=low.pk, indicators={}, score=61, tier="基本称职"),
        ScoreEntry(worker_id=out.pk, indicators={}, score=40, tier="不称职"),
        ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, score=80, tier="称职")])
    campaign_publish(campaign=c, actor=world.street_a_hr)
    campaign_confirm(campaign=c, actor=world.city_admin)
    warned = {e.data.get("action"): e for e in WorkerEvent.objects.filter(worker=low, kind=EventKind.ASSESSMENT)}
    assert set(warned) == {None, "约谈提醒"}  # None: the published result itself
    assert warned["约谈提醒"].cause == "2025年度考评末位，约谈提醒" and warned["约谈提醒"].policy_version == label
    proposed = {e.data.get("action"): e for e in WorkerEvent.objects.filter(worker=out, kind=EventKind.ASSESSMENT)}
    assert set(proposed) == {None, "解聘"} and "待二次确认" in proposed["解聘"].cause
    assert not WorkerEvent.objects.filter(kind=EventKind.SANCTION).exists()
