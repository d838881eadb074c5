"""A-FILE: published results go into the personnel file: one `assessment` event per worker,
written in bulk, with the tier, the points and the policy version."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.assessment.models import Result, Score
from shequ.assessment.services import (
    MISSING_TIERS,
    NOT_DRAFT,
    AssessmentError,
    ScoreEntry,
    breach_record,
    campaign_publish,
    scores_save,
)
from shequ.common.models import AuditEntry
from shequ.workers.models import EventKind, WorkerEvent
from tests.assessment.helpers import bind, campaign
from tests.factories import make_worker


def test_a_file_publishing_writes_one_assessment_event_per_worker_with_tier_points_and_policy(world: Any) -> None:
    label = bind(world, points=[{"tier": "优秀", "min": 90}, {"tier": "称职", "min": 75}, {"tier": "基本称职", "min": 60}],
                 excellent_share_cap=0.5, negative_list=["违反廉洁纪律", "弄虚作假"])
    a = make_worker(world.community_a1, name="甲", post="助理", grade=3)
    b = make_worker(world.community_a2, name="乙", post="主办", grade=5)
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=a.pk, indicators={}, score=92.5), ScoreEntry(worker_id=b.pk, indicators={}, score=80),
        ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, score=91)])
    breach_record(campaign=c, worker=world.worker_a1, reason="违反工作纪律", actor=world.street_a_hr)
    assert campaign_publish(campaign=c, actor=world.street_a_hr) == 3
    events = {e.worker_id: e for e in WorkerEvent.objects.filter(kind=EventKind.ASSESSMENT)}
    assert set(events) == {a.pk, b.pk, world.worker_a1.pk}
    assert events[a.pk].data["after"] == {"year": 2025, "tier": "优秀", "score": 92.5}
    assert events[b.pk].data["after"]["tier"] == "称职"
    assert events[world.worker_a1.pk].data["after"]["tier"] == "不称职"
    assert events[world.worker_a1.pk].data["negative_list"] == ["违反工作纪律"]
    assert {e.policy_version for e in events.values()} == {label}
    assert events[a.pk].cause == "2025年度考核：优秀"
    assert set(Result.objects.filter(year=2025).values_list("worker_id", "tier")) == {
        (a.pk, "优秀"), (b.pk, "称职"), (world.worker_a1.pk, "不称职")}
    assert AuditEntry.objects.filter(action="assessment.result").count() == 3
    c.refresh_from_db()
    assert c.status == "published" and c.policy_version == label
    with pytest.raises(AssessmentError, match=NOT_DRAFT.format(name=c.name, status="结果已公布")):
        scores_save(campaign=c, actor=world.street_a_hr, entries=[ScoreEntry(worker_id=a.pk, indicators={}, score=50)])
    assert Score.objects.get(campaign=c, worker=a).score == 92.5


def test_a_file_nothing_is_published_while_someone_has_no_tier(world: Any) -> None:
    bind(world)
    make_worker(world.community_a1, name="未评", post="助理", grade=3)
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="称职")])
    with pytest.raises(AssessmentError, match=MISSING_TIERS.format(n=1, names="未评")):
        campaign_publish(campaign=c, actor=world.street_a_hr)
    assert not WorkerEvent.objects.filter(kind=EventKind.ASSESSMENT).exists()
    assert not Result.objects.exists()


def test_a_file_someone_hired_after_the_year_is_not_assessed_for_it(world: Any) -> None:
    from datetime import date

    bind(world)
    make_worker(world.community_a1, name="新人", post="助理", grade=1, hired_on=date(2026, 3, 1))
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="称职")])
    assert campaign_publish(campaign=c, actor=world.street_a_hr) == 1
