"""Q-REV: one open quota proposal per unit, even when a street's recomputation and hand-set
proposals for its units arrive at the same moment (issue 20; STYLE 22)."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

import pytest

from shequ.quota.models import DecisionStatus, QuotaDecision
from shequ.quota.services import (
    NOTHING_TO_PROPOSE,
    OPEN_PROPOSAL,
    QuotaError,
    quota_propose_manual,
    quota_propose_recomputed,
    quota_reject,
)
from tests.concurrency import needs_postgres, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = [date(2021 + i, 1, 1) for i in range(8)]


def _recompute(root: Any, since: date, actor: Any) -> list[int]:
    result = quota_propose_recomputed(root=root, since=since, actor=actor, include_unchanged=True, reason="三年复核")
    return [d.unit_id for d in result.created]


def _manual(unit: Any, since: date, actor: Any) -> list[int]:
    return [quota_propose_manual(unit=unit, quota=9, since=since, reason="人工核定", actor=actor).unit_id]


def test_a_street_recomputation_and_hand_set_proposals_at_once_leave_one_open_proposal_per_unit_q_rev(
    world: Any, bind: Any
) -> None:
    """Each round the street's recomputation (twice) and a hand-set proposal for each of its
    staffed units (twice) start together. Every unit ends with exactly one open proposal, made
    by exactly one request; the other requests are told in Chinese, none fails on the
    one-open-proposal constraint."""
    needs_postgres()
    bind("baohe")
    street = world.street_a
    staffed = {u.pk: u for u in (world.street_a_office, world.community_a1, world.community_a2)}
    for since in ROUNDS:
        calls = [functools.partial(_recompute, street, since, world.city_admin)] * 2 + [
            functools.partial(_manual, u, since, world.city_admin) for u in staffed.values() for _ in range(2)
        ]
        results = run_together(calls, refusals=(QuotaError,))
        assert [r for r in results if r[0] not in ("ok", "refused")] == [], since
        open_ = list(QuotaDecision.objects.filter(unit__path__startswith=street.path, status=DecisionStatus.PROPOSED))
        assert sorted(d.unit_id for d in open_) == sorted(staffed), since
        proposed = sorted(pk for kind, made in results if kind == "ok" for pk in made)
        assert proposed == sorted(staffed), since
        allowed = {NOTHING_TO_PROPOSE} | {
            OPEN_PROPOSAL.format(unit=d.unit.name, quota=d.quota, since=d.since) for d in open_
        }
        assert {msg for kind, msg in results if kind == "refused"} <= allowed, since
        for d in open_:  # returned, so that the next round proposes afresh
            quota_reject(decision=d, actor=world.city_admin, note="下一轮")
