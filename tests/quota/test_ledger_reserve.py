"""Q-RESV in the ledger: secretary reserve candidates per community against the policy's
minimum, counted by the careers area (runs once that area is on main)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.quota.selectors import ledger

careers = pytest.importorskip("shequ.growth.careers.services")

POLICY = ('[policy]\nid = "baohe_resv"\nname = "后备人选两名"\nversion = "1.0.0"\nextends = "baohe"\nsource = "测试"\n\n'
          '[reserve]\nsource = "测试"\nsince = 2021-01-01\nmin_per_community = 2\n')


def test_q_resv_the_ledger_counts_reserve_candidates_against_the_policy_minimum(world: Any, bind: Any) -> None:
    """Q-RESV: 迎宾社区 has one secretary candidate of the two the policy asks for."""
    bind(POLICY)
    careers.reserve_add(
        data=careers.ReserveData(community=world.community_a1, added_on=date(2024, 1, 1), worker=world.worker_a1),
        actor=world.street_a_hr,
    )
    led = ledger(user=world.city_admin, root=world.street_a, on=date(2024, 6, 1))
    assert led.has_reserve
    a1 = next(r for r in led.rows if r.unit.name == "迎宾社区")
    a2 = next(r for r in led.rows if r.unit.name == "槐阳北社区")
    assert (a1.reserve, a1.reserve_min, a1.reserve_short) == (1, 2, 1)
    assert (a2.reserve, a2.reserve_min, a2.reserve_short) == (0, 2, 2)
    assert (led.total.reserve, led.total.reserve_short) == (1, 3)
    before = ledger(user=world.city_admin, root=world.street_a, on=date(2023, 6, 1))
    assert next(r for r in before.rows if r.unit.name == "迎宾社区").reserve == 0
