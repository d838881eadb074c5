"""The quota_init command: a locality's first approval of quotas from its policy (Q-REV)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from shequ.quota.models import DecisionStatus, QuotaDecision
from shequ.quota.selectors import quota_in_force
from shequ.quota.services import APPROVE_DENIED


def test_quota_init_approves_every_covered_unit_from_the_policy(world: Any, bind: Any) -> None:
    bind("baohe")
    out = io.StringIO()
    call_command("quota_init", since="2024-01-01", actor="city_admin", stdout=out)
    assert "核定 4 个单位的员额" in out.getvalue()
    assert quota_in_force(unit=world.community_b1, on=date(2024, 1, 1)).quota == 19
    assert QuotaDecision.objects.filter(status=DecisionStatus.APPROVED).count() == 4


def test_quota_init_refuses_an_actor_who_may_not_approve_and_saves_nothing(world: Any, bind: Any) -> None:
    bind("baohe")
    with pytest.raises(CommandError) as err:
        call_command("quota_init", since="2024-01-01", actor="street_a_hr", unit=world.street_a.pk)
    assert str(err.value) == APPROVE_DENIED
    assert not QuotaDecision.objects.exists()
