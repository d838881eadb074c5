"""Workers as they stood on a date, rebuilt in bulk from today's roster and later events."""

from __future__ import annotations

from datetime import date
from typing import Any

from shequ.workers.selectors import worker_states_on
from shequ.workers.services import worker_exit, worker_transfer, worker_update
from tests.pay.conftest import worker


def _row(frame: Any, w: Any) -> dict:
    rows = frame.filter(frame["worker_id"] == w.pk).to_dicts()
    return rows[0] if rows else {}


def test_a_change_effective_later_is_undone_for_an_earlier_date(world: Any) -> None:
    w = worker(world.community_a1, grade=5, education="大专")
    worker_update(worker=w, changes={"grade": 7, "education": "本科"}, effective=date(2026, 3, 1), actor=world.city_admin, cause="晋级")
    assert _row(worker_states_on(scope=world.street_a, on=date(2026, 2, 28)), w)[ "grade"] == 5
    assert _row(worker_states_on(scope=world.street_a, on=date(2026, 2, 28)), w)["education"] == "大专"
    assert _row(worker_states_on(scope=world.street_a, on=date(2026, 3, 1)), w)["grade"] == 7


def test_the_earliest_later_change_decides_the_earlier_state(world: Any) -> None:
    w = worker(world.community_a1, grade=5)
    worker_update(worker=w, changes={"grade": 6}, effective=date(2026, 2, 1), actor=world.city_admin, cause="一")
    worker_update(worker=w, changes={"grade": 7}, effective=date(2026, 4, 1), actor=world.city_admin, cause="二")
    states = {d: _row(worker_states_on(scope=world.street_a, on=d), w)["grade"]
              for d in (date(2026, 1, 31), date(2026, 3, 1), date(2026, 4, 1))}
    assert states == {date(2026, 1, 31): 5, date(2026, 3, 1): 6, date(2026, 4, 1): 7}


def test_a_worker_transferred_out_later_is_still_in_the_old_scope_before_the_move(world: Any) -> None:
    w = worker(world.community_a1)
    worker_transfer(worker=w, to_unit=world.community_b1, effective=date(2026, 3, 1), actor=world.city_admin, cause="调动")
    before = _row(worker_states_on(scope=world.street_a, on=date(2026, 2, 28)), w)
    assert before["unit_id"] == world.community_a1.pk and before["unit_name"] == "迎宾社区"
    assert _row(worker_states_on(scope=world.street_a, on=date(2026, 3, 1)), w) == {}
    assert _row(worker_states_on(scope=world.street_b, on=date(2026, 2, 28)), w) == {}
    assert _row(worker_states_on(scope=world.street_b, on=date(2026, 3, 1)), w)["unit_id"] == world.community_b1.pk


def test_an_exit_later_is_undone_for_an_earlier_date(world: Any) -> None:
    w = worker(world.community_a1)
    worker_exit(worker=w, on=date(2026, 3, 10), reason="辞职", actor=world.city_admin)
    before = _row(worker_states_on(scope=world.street_a, on=date(2026, 3, 9)), w)
    assert before["status"] == "active" and before["left_on"] is None
    assert _row(worker_states_on(scope=world.street_a, on=date(2026, 3, 10)), w)["left_on"] == date(2026, 3, 10)


def test_it_only_returns_workers_in_the_scope(world: Any) -> None:
    ids = set(worker_states_on(scope=world.street_b, on=date(2026, 3, 1))["worker_id"].to_list())
    assert ids == {world.worker_b1.pk}


def test_a_transfer_records_the_typed_payload_the_as_of_read_restores(world: Any) -> None:
    from shequ.workers.models import EventKind

    w = worker(world.community_a1, grade=5)
    event = worker_transfer(worker=w, to_unit=world.community_b1, effective=date(2026, 3, 1), actor=world.city_admin,
                            cause="调动")
    assert event.kind == EventKind.TRANSFER
    assert event.data == {"before": {"unit": "迎宾社区"}, "after": {"unit": "东门社区"},
                          "from_unit_id": world.community_a1.pk}
    assert _row(worker_states_on(scope=world.street_a, on=date(2026, 2, 28)), w)["unit_id"] == world.community_a1.pk


def test_the_roster_on_a_date_leaves_out_those_not_yet_hired_and_those_gone(world: Any) -> None:
    from shequ.workers.selectors import roster_on

    later = worker(world.community_a1, hired_on=date(2026, 6, 1))
    gone = worker(world.community_a1)
    worker_exit(worker=gone, on=date(2026, 2, 1), reason="辞职", actor=world.city_admin)
    on_date = set(roster_on(scope=world.street_a, on=date(2026, 3, 1))["worker_id"].to_list())
    assert world.worker_a1.pk in on_date and later.pk not in on_date and gone.pk not in on_date
    assert world.worker_b1.pk not in on_date
    assert later.pk in set(roster_on(scope=world.street_a, on=date(2026, 6, 1))["worker_id"].to_list())
