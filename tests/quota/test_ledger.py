"""Q-USE: headcount against the approved quota per unit and rolled up; hires and
transfers in beyond quota are refused and change nothing."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from shequ.common.models import AuditEntry
from shequ.quota.exports import ledger_xlsx
from shequ.quota.selectors import ledger, unit_vacancies, vacancies
from shequ.quota.services import QUOTA_FULL, QUOTA_SHORT, QuotaError
from shequ.workers.models import EventKind, Status, Worker, WorkerEvent
from shequ.workers.services import (
    WorkerData,
    worker_create,
    worker_exit,
    worker_transfer,
    workers_bulk_create,
)
from tests.factories import id_number, make_unit, make_worker

ON = date(2024, 6, 1)


def _row(led: Any, name: str) -> Any:
    return next(r for r in led.rows if r.unit.name == name)


def _data(unit: Any, name: str = "新人") -> WorkerData:
    return WorkerData(name=name, id_number=id_number(date(1995, 3, 3)), unit=unit, category="专职社区工作者",
                      post="助理", education="本科", community_work_start=date(2024, 5, 1))


@pytest.fixture
def staffed(world: Any, bind: Any, approve_quota: Any) -> Any:
    """迎宾社区 quota 3 with 1 worker (+1 on probation, +1 left); 槐阳北社区 quota 1 with 2
    workers (over by 1); 槐阳街道机关 no quota; 东门社区 quota 2 with 1 worker."""
    bind("baohe")
    approve_quota(world.community_a1, 3)
    approve_quota(world.community_a2, 1)
    approve_quota(world.community_b1, 2)
    make_worker(world.community_a1, name="试用期中", status=Status.PROBATION, hired_on=date(2024, 3, 1),
                probation_until=date(2024, 9, 1))
    make_worker(world.community_a1, name="已离职", status=Status.LEFT, left_on=date(2024, 1, 31))
    make_worker(world.community_a2, name="甲")
    make_worker(world.community_a2, name="乙")
    return world


def test_q_use_filled_vacant_and_over_per_unit(staffed: Any) -> None:
    """Q-USE: filled counts workers not left, probation included; vacant and over per unit."""
    led = ledger(user=staffed.city_admin, root=staffed.street_a, on=ON)
    a1 = _row(led, "迎宾社区")
    assert (a1.quota, a1.filled, a1.vacant, a1.over) == (3, 2, 1, 0)
    a2 = _row(led, "槐阳北社区")
    assert (a2.quota, a2.filled, a2.vacant, a2.over) == (1, 2, 0, 1)
    office = _row(led, "槐阳街道机关")
    assert (office.quota, office.filled, office.unset) == (0, 0, 1)


def test_q_use_the_ledger_as_of_a_date_counts_who_was_in_post_then(staffed: Any) -> None:
    """Before the probationer's hire and before the leaver left, the picture differs."""
    led = ledger(user=staffed.city_admin, root=staffed.street_a, on=date(2024, 1, 15))
    a1 = _row(led, "迎宾社区")
    assert (a1.filled, a1.vacant) == (2, 1)  # 刘少萌 + 已离职 (left on 31 January)
    before_quota = ledger(user=staffed.city_admin, root=staffed.street_a, on=date(2020, 6, 1))
    assert _row(before_quota, "迎宾社区").unset == 1


def test_q_use_rolls_up_without_netting_over_against_vacant(staffed: Any) -> None:
    """Q-USE: street and district totals add per-unit vacant and over; they never cancel."""
    district = ledger(user=staffed.city_admin, root=staffed.district, on=ON)
    a = _row(district, "槐阳街道")
    assert (a.quota, a.filled, a.vacant, a.over, a.units, a.unset) == (4, 4, 1, 1, 3, 1)
    b = _row(district, "东门街道")
    assert (b.quota, b.filled, b.vacant, b.over) == (2, 1, 1, 0)
    t = district.total
    assert (t.quota, t.filled, t.vacant, t.over) == (6, 5, 2, 1)
    city = ledger(user=staffed.city_admin, root=staffed.city, on=ON)
    assert [r.unit.name for r in city.rows] == ["甲区"]
    assert (city.rows[0].quota, city.rows[0].filled, city.rows[0].over) == (6, 5, 1)
    assert city.rows[0].drill and not _row(ledger(user=staffed.city_admin, root=staffed.street_a, on=ON), "迎宾社区").drill


def test_q_tr_the_ledger_reports_workers_per_10000_urban_residents(staffed: Any) -> None:
    """Q-TR reports the ratio: 迎宾社区 has 2 workers for 9,500 urban residents."""
    a1 = _row(ledger(user=staffed.city_admin, root=staffed.street_a, on=ON), "迎宾社区")
    assert a1.urban_population == 9500 and a1.per_10k == 2.1


def test_q_use_the_ledger_takes_a_fixed_number_of_queries_whatever_the_size(staffed: Any) -> None:
    """Grouped queries, not a loop per unit: 40 more communities cost no more queries."""
    with CaptureQueriesContext(connection) as small:
        ledger(user=staffed.city_admin, root=staffed.city, on=ON)
    for i in range(40):
        u = make_unit(f"新社区{i}", "城市社区", staffed.street_b, households=3000, population=9000,
                      urban_population=9000)
        make_worker(u, name=f"人{i}")
    with CaptureQueriesContext(connection) as big:
        led = ledger(user=staffed.city_admin, root=staffed.city, on=ON)
    assert len(big.captured_queries) == len(small.captured_queries)
    assert led.total.filled == 45 and led.total.unset == 41


def test_q_use_a_hire_beyond_quota_is_refused_and_nothing_changes(staffed: Any) -> None:
    """Q-USE: 槐阳北社区 is full (quota 1, 2 in post)."""
    before = (Worker.objects.count(), WorkerEvent.objects.count(), AuditEntry.objects.count())
    with pytest.raises(QuotaError) as err:
        worker_create(data=_data(staffed.community_a2), effective=ON, actor=staffed.street_a_hr)
    assert str(err.value) == QUOTA_FULL.format(unit="槐阳北社区", quota=1, filled=2)
    assert (Worker.objects.count(), WorkerEvent.objects.count(), AuditEntry.objects.count()) == before


def test_q_use_a_hire_within_quota_goes_through_and_fills_the_last_place(staffed: Any) -> None:
    w = worker_create(data=_data(staffed.community_a1), effective=ON, actor=staffed.street_a_hr,
                      probation_until=date(2024, 12, 1))
    assert w.status == Status.PROBATION
    a1 = _row(ledger(user=staffed.city_admin, root=staffed.street_a, on=ON), "迎宾社区")
    assert (a1.filled, a1.vacant) == (3, 0)
    with pytest.raises(QuotaError) as err:
        worker_create(data=_data(staffed.community_a1, "再一人"), effective=ON, actor=staffed.street_a_hr)
    assert str(err.value) == QUOTA_FULL.format(unit="迎宾社区", quota=3, filled=3)


def test_q_use_an_exit_frees_the_place(staffed: Any) -> None:
    a2 = staffed.community_a2
    worker_exit(worker=Worker.objects.get(name="甲"), on=date(2024, 5, 1), reason="辞职", actor=staffed.street_a_hr)
    worker_exit(worker=Worker.objects.get(name="乙"), on=date(2024, 5, 1), reason="辞职", actor=staffed.street_a_hr)
    worker_create(data=_data(a2), effective=ON, actor=staffed.street_a_hr)
    assert Worker.objects.filter(unit=a2).exclude(status=Status.LEFT).count() == 1


def test_q_use_a_transfer_in_beyond_quota_is_refused_and_nothing_changes(staffed: Any) -> None:
    """Q-USE: moving 刘少萌 from 迎宾社区 into the full 槐阳北社区 is refused."""
    w = staffed.worker_a1
    events = WorkerEvent.objects.count()
    with pytest.raises(QuotaError) as err:
        worker_transfer(worker=w, to_unit=staffed.community_a2, effective=ON, actor=staffed.street_a_hr, cause="调整")
    assert str(err.value) == QUOTA_FULL.format(unit="槐阳北社区", quota=1, filled=2)
    w.refresh_from_db()
    assert w.unit == staffed.community_a1 and WorkerEvent.objects.count() == events
    assert not WorkerEvent.objects.filter(kind=EventKind.TRANSFER).exists()


def test_q_use_a_unit_without_an_approved_quota_is_not_refused_and_shows_as_unset(staffed: Any) -> None:
    """Q-USE: the street office has no approved quota: there is no number to be beyond, so
    the transfer goes through, and the ledger counts the person as neither vacant nor over."""
    worker_transfer(worker=staffed.worker_a1, to_unit=staffed.street_a_office, effective=ON,
                    actor=staffed.street_a_hr, cause="借调")
    office = _row(ledger(user=staffed.city_admin, root=staffed.street_a, on=ON), "槐阳街道机关")
    assert (office.quota, office.filled, office.vacant, office.over, office.unset) == (0, 1, 0, 0, 1)
    assert vacancies(user=staffed.city_admin, root=staffed.street_a, on=ON) == {
        staffed.street_a_office.pk: None, staffed.community_a1.pk: 2, staffed.community_a2.pk: 0}


def test_q_use_a_bulk_hire_larger_than_the_vacancies_is_refused_whole(staffed: Any) -> None:
    rows = [_data(staffed.community_b1, f"批量{i}") for i in range(2)]
    with pytest.raises(QuotaError) as err:
        workers_bulk_create(rows=rows, effective=ON, actor=staffed.city_admin, cause="招聘", kind=EventKind.HIRE)
    assert str(err.value) == QUOTA_SHORT.format(unit="东门社区", vacant=1, joining=2)
    assert Worker.objects.filter(unit=staffed.community_b1).count() == 1


def test_a_roster_import_records_staff_in_post_even_beyond_quota(staffed: Any) -> None:
    """Importing who is already there is not an admission; the ledger shows the excess."""
    rows = [_data(staffed.community_b1, f"在岗{i}") for i in range(3)]
    workers_bulk_create(rows=rows, effective=date(2024, 1, 1), actor=staffed.city_admin, cause="花名册导入")
    b1 = _row(ledger(user=staffed.city_admin, root=staffed.street_b, on=ON), "东门社区")
    assert (b1.quota, b1.filled, b1.over) == (2, 4, 2)


def test_the_ledger_export_prints_scope_and_date_and_reads_back(staffed: Any) -> None:
    content = ledger_xlsx(ledger=ledger(user=staffed.city_admin, root=staffed.street_a, on=ON))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("员额台账").to_python()
    assert "员额台账" in rows[0][0]
    assert "范围：槐阳街道" in rows[1][0] and "数据日期：2024-06-01" in rows[1][0]
    header = rows[2]
    assert header[:7] == ["单位", "单位类型", "核定员额", "在编人数（含试用期）", "空缺", "超编", "劳务派遣（不占员额）"]
    body = {r[0]: r for r in rows[3:]}
    assert body["迎宾社区"][2:6] == [3, 2, 1, 0]
    assert body["槐阳北社区"][2:6] == [1, 2, 0, 1]
    assert body["合计（槐阳街道）"][2:6] == [4, 4, 1, 1]


def test_q_use_dispatch_workers_hold_no_quota_place(staffed: Any) -> None:
    """E-DISP with Q-USE: a dispatch worker (劳务派遣) is counted apart, not as filled, and
    may join a full unit; converting one must then fit within quota."""
    make_worker(staffed.community_a2, name="派遣甲", category="劳务派遣")
    worker_create(data=WorkerData(**{**_data(staffed.community_a2).__dict__, "category": "劳务派遣"}),
                  effective=ON, actor=staffed.street_a_hr)
    a2 = _row(ledger(user=staffed.city_admin, root=staffed.street_a, on=ON), "槐阳北社区")
    assert (a2.quota, a2.filled, a2.over, a2.dispatch) == (1, 2, 1, 2)
    v = unit_vacancies(units=[staffed.community_a1, staffed.community_a2, staffed.street_a_office], on=ON)
    assert (v[staffed.community_a1.pk].quota, v[staffed.community_a1.pk].filled, v[staffed.community_a1.pk].vacant) == (3, 2, 1)
    assert (v[staffed.community_a2.pk].vacant, v[staffed.street_a_office.pk].quota) == (0, None)


def test_q_use_a_dispatch_worker_transfers_into_a_full_unit(staffed: Any) -> None:
    w = make_worker(staffed.community_a1, name="派遣乙", category="劳务派遣")
    worker_transfer(worker=w, to_unit=staffed.community_a2, effective=ON, actor=staffed.street_a_hr, cause="调整")
    w.refresh_from_db()
    assert w.unit == staffed.community_a2
