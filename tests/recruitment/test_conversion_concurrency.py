"""E-DISP and E-CONV under concurrency: a street's yearly share of dispatch conversions and
"one batch per worker" hold when requests arrive at the same moment (issue 20; STYLE 22)."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

import pytest
from django.db.models import Count

from shequ.recruitment.conversion import (
    ALREADY_IN_BATCH,
    SHARE_EXCEEDED,
    ConversionError,
    conversion_batch_create,
    dispatch_convert,
)
from shequ.recruitment.models import ConversionBatch, ConversionLine
from shequ.workers.models import Worker
from tests.concurrency import needs_postgres, run_together
from tests.factories import make_worker
from tests.recruitment.helpers import rated_dispatch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ON = date(2026, 3, 1)


def test_dispatch_conversions_started_together_stay_within_the_streets_share_e_disp(world: Any, policy_label: str) -> None:
    """Twenty dispatch workers in the street, a 10% share: two may convert this year. Eight
    conversions at once, from both communities: exactly two convert, six are told why."""
    needs_postgres()
    # Each rated 优秀 in the last completed year, as E-DISP asks.
    dispatch = [
        rated_dispatch(unit, name=f"派遣{unit.name}{i}", hired_on=date(2020, 3, 1), year=ON.year - 1)
        for unit in (world.community_a1, world.community_a2) for i in range(10)
    ]
    picked = dispatch[:4] + dispatch[10:14]
    results = run_together(
        [functools.partial(dispatch_convert, worker=w, effective=ON, actor=world.street_a_hr) for w in picked],
        refusals=(ConversionError,),
    )
    assert [r for r in results if r[0] not in ("ok", "refused")] == []
    converted = Worker.objects.filter(pk__in=[w.pk for w in dispatch], category="专职社区工作者").count()
    assert converted == 2, f"{converted} converted where the share allows 2"
    assert [msg for kind, msg in results if kind == "refused"] == [
        SHARE_EXCEEDED.format(street="槐阳街道", used=2, base=20, share="10%", cap=2)] * 6


def test_overlapping_conversion_batches_created_together_hold_each_member_once_e_conv(world: Any, policy_label: str) -> None:
    """The street's batch and each community's batch, each twice, at once: either the street's
    batch alone or the two communities' batches are made; nobody is in two batches."""
    needs_postgres()
    members = {
        unit.pk: [make_worker(unit, name=f"两委{unit.name}{i}", category="两委成员", post="主办",
                              community_work_start=date(2015, 1, 1)) for i in range(3)]
        for unit in (world.community_a1, world.community_a2)
    }
    everyone = [w for ws in members.values() for w in ws]
    scopes = [(world.street_a, everyone), (world.community_a1, members[world.community_a1.pk]),
              (world.community_a2, members[world.community_a2.pk])]
    calls = [
        functools.partial(conversion_batch_create, scope=scope, title=f"{scope.name}第{n}批", effective=ON,
                          workers=people, actor=world.street_a_hr)
        for scope, people in scopes for n in (1, 2)
    ]
    results = run_together(calls, refusals=(ConversionError,))
    assert [r for r in results if r[0] not in ("ok", "refused")] == []
    twice = list(ConversionLine.objects.values("worker_id").annotate(n=Count("id")).filter(n__gt=1))
    assert twice == [], f"{len(twice)} members in two batches"
    made = {b.scope_id: b.title for b in ConversionBatch.objects.all()}
    assert set(made) in ({world.street_a.pk}, {world.community_a1.pk, world.community_a2.pk})
    assert ConversionLine.objects.count() == len(everyone)
    allowed = {ALREADY_IN_BATCH.format(name=w.name, batch=title) for w in everyone for title in made.values()}
    for kind, msg in results:
        if kind == "refused":
            assert set(msg.split("；")) <= allowed, msg
