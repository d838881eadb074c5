"""Quota test helpers: bind a preset to a node, approve a quota the way the bureau does."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.policy.models import PolicyBinding
from shequ.policy.services import policy_bind, policy_version_from_preset, policy_version_store
from shequ.quota.models import QuotaDecision
from shequ.quota.services import quota_approve, quota_propose_manual

SINCE = date(2021, 1, 1)


@pytest.fixture
def bind(world: Any) -> Any:
    """bind(preset_or_text, unit=None, since=SINCE) → the binding (unit defaults to the city)."""

    def _bind(preset: str, unit: Any = None, since: date = SINCE) -> PolicyBinding:
        if "\n" in preset:
            version = policy_version_store(text=preset, actor=world.city_admin)
        else:
            version = policy_version_from_preset(preset=preset, actor=world.city_admin)
        return policy_bind(unit=unit or world.city, version=version, since=since, actor=world.city_admin)

    return _bind


@pytest.fixture
def approve_quota(world: Any) -> Any:
    """approve_quota(unit, n, since=SINCE): a hand-set quota proposed and approved by the city."""

    def _approve(unit: Any, n: int, since: date = SINCE) -> QuotaDecision:
        d = quota_propose_manual(unit=unit, quota=n, since=since, reason="测试用核定", actor=world.city_admin)
        quota_approve(decisions=[d], actor=world.city_admin)
        d.refresh_from_db()
        return d

    return _approve
