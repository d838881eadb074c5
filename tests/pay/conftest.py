"""Helpers for pay tests: bind a shipped preset to a unit, add workers, run a month."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.factories import make_worker


@pytest.fixture
def bind(world: Any) -> Any:
    """bind(unit, preset, since) → the stored PolicyVersion, bound by the city admin."""
    from shequ.policy.services import policy_bind, policy_version_from_preset

    def _bind(unit: Any, preset: str, since: date = date(2021, 1, 1), text: str | None = None) -> Any:
        from shequ.policy.services import policy_version_store

        version = (
            policy_version_store(text=text, actor=world.city_admin) if text is not None
            else policy_version_from_preset(preset=preset, actor=world.city_admin)
        )
        policy_bind(unit=unit, version=version, since=since, actor=world.city_admin)
        # The shared world's workers hold baohe posts; give them the bound policy's lowest post.
        from shequ.policy.resolve import governing_of
        from shequ.workers.models import Worker

        posts = governing_of(version).policy.post_names()
        Worker.objects.filter(unit__path__startswith=unit.path).exclude(post__in=posts).update(post=posts[-1])
        return version

    return _bind


@pytest.fixture
def run_month(world: Any) -> Any:
    """run_month(unit, month, actor=street_a_hr) → the computed run."""
    from shequ.pay.services import payrun_compute, payrun_create

    def _run(unit: Any, month: date, actor: Any = None) -> Any:
        actor = actor or world.city_admin
        run, _ = payrun_create(unit=unit, month=month, actor=actor)
        return payrun_compute(run=run, actor=actor)

    return _run


@pytest.fixture
def lock(world: Any) -> Any:
    from shequ.pay.services import payrun_approve, payrun_lock

    def _lock(run: Any) -> Any:
        payrun_approve(run=run, actor=world.finance)
        return payrun_lock(run=run, actor=world.finance)

    return _lock


def worker(unit: Any, **fields: Any) -> Any:
    return make_worker(unit, **fields)


def line_of(run: Any, w: Any, month: date | None = None) -> Any:
    from shequ.pay.models import PayLine

    return PayLine.objects.get(run=run, worker=w, for_month=month or run.month)
