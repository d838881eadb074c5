"""Q-RESV in the ledger: secretary reserve candidates per community against the policy's
minimum, counted by the careers area (runs once that area is on main)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from shequ.quota.exports import ledger_xlsx
from shequ.quota.selectors import ledger

POLICY = ('[policy]\nid = "baohe_resv"\nname = "后备人选两名"\nversion = "1.0.0"\nextends = "baohe"\nsource = "测试"\n\n'
          '[reserve]\nsource = "测试"\nsince = 2021-01-01\nmin_per_community = 2\n')


def test_q_resv_the_ledger_counts_reserve_candidates_against_the_policy_minimum(world: Any, bind: Any) -> None:
    """Q-RESV: 迎宾社区 has one secretary candidate of the two the policy asks for."""
    careers = pytest.importorskip("shequ.growth.careers.services")
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


def test_q_resv_the_ledger_compares_counts_with_the_policy_minimum_and_leaves_offices_out(
    world: Any, bind: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Q-RESV, the ledger's side alone: counts come from the careers area (stood in for
    here); the minimum from the governing policy; only communities carry a reserve."""
    from shequ.quota import selectors

    bind(POLICY)
    asked: list[Any] = []

    def counts(*, units: Any, on: date) -> dict[int, int]:
        asked.append(on)
        return {world.community_a1.pk: 3}

    monkeypatch.setattr(selectors, "_reserve_counts", lambda: counts)
    led = ledger(user=world.city_admin, root=world.district, on=date(2024, 6, 1))
    a = next(r for r in led.rows if r.unit.name == "槐阳街道")
    b = next(r for r in led.rows if r.unit.name == "东门街道")
    assert (a.reserve, a.reserve_min, a.reserve_short) == (3, 4, 2)  # 迎宾 3 of 2, 槐阳北 0 of 2
    assert (b.reserve, b.reserve_min, b.reserve_short) == (0, 2, 2)
    assert asked == [date(2024, 6, 1)]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(ledger_xlsx(ledger=led))).get_sheet_by_name("员额台账").to_python()
    assert sheet[2][-3:] == ["书记后备人选", "后备人选最低要求", "后备人选缺口"]
    assert sheet[3][0] == "东门街道" and sheet[3][-3:] == [0, 2, 2]
    monkeypatch.setattr(selectors, "_reserve_counts", lambda: None)
    assert not ledger(user=world.city_admin, root=world.district, on=date(2024, 6, 1)).has_reserve


def test_q_resv_a_row_without_communities_or_a_policy_without_a_minimum_shows_none(world: Any, bind: Any) -> None:
    """baohe sets no [reserve] minimum: the minimum is unknown, not 0; the street office has
    no reserve at all."""
    pytest.importorskip("shequ.growth.careers.selectors")
    bind("baohe")
    led = ledger(user=world.city_admin, root=world.street_a, on=date(2024, 6, 1))
    office = next(r for r in led.rows if r.unit.name == "槐阳街道机关")
    a1 = next(r for r in led.rows if r.unit.name == "迎宾社区")
    assert (office.reserve, office.reserve_min, office.reserve_short) == (None, None, 0)
    assert (a1.reserve, a1.reserve_min, a1.reserve_short) == (0, None, 0)
    assert (led.total.reserve, led.total.reserve_min) == (0, None)
