"""One transaction per confirmation: two confirmations of the same campaign at once apply
the consequences once (PostgreSQL row lock on the campaign)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from shequ.assessment.models import Campaign, Consequence
from shequ.assessment.services import (
    AssessmentError,
    ScoreEntry,
    campaign_confirm,
    campaign_publish,
    scores_save,
)
from shequ.workers.models import EventKind, WorkerEvent
from tests.assessment.helpers import bind, campaign
from tests.factories import make_worker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_confirmations_at_once_step_each_worker_once(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; run with DATABASE_URL=postgres://...")
    bind(world, step_every_years=1, excellent_share_cap=1.0)
    ws = [make_worker(world.community_a1, name=f"员工{i}", post="助理", grade=3) for i in range(20)]
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=w.pk, indicators={}, tier="称职") for w in [*ws, world.worker_a1]])
    campaign_publish(campaign=c, actor=world.street_a_hr)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def confirm() -> None:
        try:
            barrier.wait()
            campaign_confirm(campaign=Campaign.objects.get(pk=c.pk), actor=world.city_admin)
            outcomes.append("ok")
        except AssessmentError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == sorted(["ok", f"{c.name}的结果运用已经确认过"])
    assert Consequence.objects.filter(campaign=c, action="晋升一级").count() == 20
    assert WorkerEvent.objects.filter(kind=EventKind.GRADE_STEP).count() == 20
    assert {w.grade for w in type(ws[0]).objects.filter(pk__in=[w.pk for w in ws])} == {4}
