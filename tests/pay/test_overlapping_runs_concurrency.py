"""Nobody is paid twice for a month, even when a street's run and its communities' runs are
started at the same moment (issue 20; STYLE 22: one per scope and period in the database)."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

import pytest
from django.db.models import Count

from shequ.pay import services
from shequ.pay.models import LineKind, PayLine, PayRun
from tests.concurrency import needs_postgres, run_together
from tests.factories import make_worker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MONTHS = [date(2026, m, 1) for m in range(1, 13)]
REQUESTS_PER_UNIT = 2  # a double click too: the same unit twice in the same instant


def _start(unit: Any, month: date, actor: Any) -> int:
    """What the 'new run' page does, on this thread's own connection: create, then compute."""
    run, _ = services.payrun_create(unit=unit, month=month, actor=actor)
    services.payrun_compute(run=run, actor=actor)
    return run.unit_id


def test_a_street_and_its_communities_started_together_pay_each_worker_once_a_month(world: Any, bind: Any) -> None:
    """For each month the street's run and the runs of its office and two communities are
    started at once (each twice): either the street's run alone is made and the others are
    refused in Chinese, or the three units' runs are made and the street's is refused.
    No worker ever has two regular lines for one month."""
    needs_postgres()
    bind(world.city, "baohe")
    for unit in (world.street_a_office, world.community_a1, world.community_a2):
        for i in range(3):
            make_worker(unit, name=f"{unit.name}员工{i}", post="助理")
    street, children = world.street_a, [world.street_a_office, world.community_a1, world.community_a2]
    units = {u.pk: u for u in [street, *children]}

    outcomes: dict[date, list[tuple[str, Any]]] = {}
    for month in MONTHS:
        starters = [u for u in units.values() for _ in range(REQUESTS_PER_UNIT)]
        outcomes[month] = run_together(
            [functools.partial(_start, u, month, world.city_admin) for u in starters], refusals=(services.PayRunError,)
        )

    doubled = list(
        PayLine.objects.filter(kind=LineKind.REGULAR, run__unit__path__startswith=street.path)
        .values("worker_id", "for_month").annotate(n=Count("id")).filter(n__gt=1)
    )
    months_doubled = sorted({d["for_month"] for d in doubled})
    assert doubled == [], f"{len(doubled)} worker-months paid twice, in {len(months_doubled)} of {len(MONTHS)} months"
    for month, results in outcomes.items():
        assert [r for r in results if r[0] not in ("ok", "refused")] == [], month
        made = set(PayRun.objects.filter(month=month, unit__path__startswith=street.path).values_list("unit_id", flat=True))
        # Exactly one side of the overlap wins: the street alone, or every one of its children.
        assert made in ({street.pk}, {c.pk for c in children}), month
        assert {pk for kind, pk in results if kind == "ok"} == made, month
        refused = [msg for kind, msg in results if kind == "refused"]
        expected = {
            services.OVERLAPPING_RUN.format(month=month, other=units[other].name, unit=units[loser].name)
            for loser in units if loser not in made for other in made
        }
        assert refused and set(refused) <= expected, month
        assert len(refused) == REQUESTS_PER_UNIT * (len(units) - len(made)), month
