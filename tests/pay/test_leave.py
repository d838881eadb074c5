"""P-LEAVE: leave types with their entitlement and pay effect as policy data (national
statutory values in the base preset, marked), requests entered and approved, a balance
per worker and year, unpaid days off the paid days, the attendance sheet, and a leave
dated into a locked month paid back as an adjustment."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from shequ.errors import Invalid
from shequ.pay.leave_services import OVER_BALANCE, WRONG_SEX, leave_approve, leave_request
from shequ.pay.models import Leave, LeaveStatus, LineKind
from tests.pay.conftest import line_of, worker

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def _approved(w: Any, kind: str, start: date, end: date, world: Any) -> Leave:
    return leave_approve(leave=leave_request(worker=w, kind=kind, start=start, end=end, actor=world.street_a_hr),
                         actor=world.street_a_hr)


def test_p_leave_the_base_preset_carries_the_national_statutory_values_with_sources_and_marks_the_assumed_one() -> None:
    from django.conf import settings

    from shequ.rules import load_policy

    types = load_policy(settings.POLICY_DIR / "tongren.toml").params(date(2026, 1, 31)).leave.types
    assert set(types) >= {"年休假", "婚假", "丧假", "产假", "护理假", "事假"}  # 004 names the first five
    assert types["年休假"].by_years == {1: 5, 10: 10, 20: 15} and "年休假条例" in (types["年休假"].source or "")
    assert types["产假"].days == 98 and types["产假"].sex == "女"
    assert types["护理假"].assumed is True and types["护理假"].source is None
    assert types["事假"].paid is False and types["年休假"].paid is True


def test_p_leave_annual_leave_follows_years_of_work_and_a_request_beyond_the_balance_is_refused(world: Any, bind: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, name="老周", post="正职", grade=10, education="高中",
               community_work_start=date(2014, 1, 1), hired_on=date(2014, 1, 1))
    # 12 years of work → 10 days a year.
    _approved(w, "年休假", date(2026, 4, 1), date(2026, 4, 6), world)
    with pytest.raises(Invalid) as err:
        leave_request(worker=w, kind="年休假", start=date(2026, 5, 1), end=date(2026, 5, 5), actor=world.street_a_hr)
    assert str(err.value) == OVER_BALANCE.format(name="老周", year=2026, kind="年休假", entitled=10, taken=6, days=5)
    # Next year the balance starts again.
    leave_request(worker=w, kind="年休假", start=date(2027, 5, 1), end=date(2027, 5, 5), actor=world.street_a_hr)


def test_p_leave_maternity_leave_is_refused_for_a_man_in_chinese(world: Any, bind: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中", sex="男")
    with pytest.raises(Invalid) as err:
        leave_request(worker=w, kind="产假", start=MAR, end=date(2026, 3, 10), actor=world.street_a_hr)
    assert str(err.value) == WRONG_SEX.format(kind="产假", sex="女")


def test_p_leave_approved_unpaid_days_reduce_the_paid_days_exactly_as_a_part_month_does(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "hunchun")
    on_leave = worker(world.community_a1, post="正职", grade=10, education="高中")
    late = worker(world.community_a1, post="正职", grade=10, education="高中", hired_on=date(2026, 3, 6))
    pending = worker(world.community_a1, post="正职", grade=10, education="高中")
    married = worker(world.community_a1, post="正职", grade=10, education="高中")
    _approved(on_leave, "事假", date(2026, 3, 10), date(2026, 3, 14), world)
    leave_request(worker=pending, kind="事假", start=date(2026, 3, 10), end=date(2026, 3, 14), actor=world.street_a_hr)
    _approved(married, "婚假", date(2026, 3, 2), date(2026, 3, 4), world)
    run = run_month(world.street_a, MAR)
    a, b = line_of(run, on_leave), line_of(run, late)
    assert a.days == 26 and b.days == 26
    assert a.gross == b.gross and a.components == b.components
    assert line_of(run, pending).days == 31  # not yet approved
    assert line_of(run, married).days == 31  # 婚假 is paid


def test_p_leave_an_unpaid_leave_approved_for_a_locked_month_is_clawed_back_in_the_next_run(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    lock(run_month(world.street_a, JAN))
    _approved(w, "事假", date(2026, 1, 10), date(2026, 1, 14), world)
    feb = run_month(world.street_a, FEB)
    adj = line_of(feb, w, JAN)
    assert adj.kind == LineKind.CLAW_BACK and "计薪天数 31→26" in adj.reason
    # 4,700 × 5/31 = 758.06 taken back.
    assert float(adj.gross) == pytest.approx(-758.06, abs=0.01)


def test_p_leave_the_attendance_sheet_records_leave_in_bulk_and_names_the_row_and_column_of_each_error(world: Any, bind: Any, client_for: Any) -> None:
    bind(world.street_a, "hunchun")
    a = worker(world.community_a1, post="正职", grade=10, education="高中")
    b = worker(world.community_a2, post="正职", grade=10, education="高中")
    bad = (f"证件号码,假别,开始日期,结束日期\n{a.id_number},事假,2026-03-02,2026-03-03\n"
           f"{b.id_number},探亲假,2026-03-02,2026-03-03\n{b.id_number},事假,2026-03-40,2026-03-41\n").encode()
    f = io.BytesIO(bad)
    f.name = "考勤.csv"
    c = client_for(world.street_a_hr)
    page = c.post(reverse("pay:leave_import"), {"unit": world.street_a.pk, "file": f}, follow=True).content.decode()
    assert "第 3 行「假别」：「探亲假」不是适用政策" in page
    assert "第 4 行「开始日期」：日期格式不正确：「2026-03-40」，应为 2026-03-01" in page
    assert not Leave.objects.exists()
    f = io.BytesIO(f"证件号码,假别,开始日期,结束日期\n{a.id_number},事假,2026-03-02,2026-03-03\n".encode())
    f.name = "考勤.csv"
    c.post(reverse("pay:leave_import"), {"unit": world.street_a.pk, "file": f})
    leave = Leave.objects.get(worker=a)
    assert leave.status == LeaveStatus.APPROVED and leave.days == 2


def test_p_leave_the_leave_page_shows_each_workers_balance_for_the_year(world: Any, bind: Any, client_for: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, name="余额甲", post="正职", grade=10, education="高中",
               community_work_start=date(2020, 1, 1), hired_on=date(2020, 1, 1))
    _approved(w, "年休假", date(2026, 4, 1), date(2026, 4, 2), world)
    page = client_for(world.street_a_hr).get(reverse("pay:leave") + "?year=2026").content.decode()
    assert "余额甲" in page and "年休假 已休 2 / 应休 5，余 3" in page


def test_p_leave_a_street_user_cannot_enter_or_see_leave_of_another_street(world: Any, bind: Any, client_for: Any) -> None:
    from shequ.common.scope import ScopeError

    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, name="甲街道人", post="正职", grade=10, education="高中")
    with pytest.raises(ScopeError):
        leave_request(worker=w, kind="事假", start=MAR, end=MAR, actor=world.street_b_hr)
    _approved(w, "事假", MAR, MAR, world)
    assert "甲街道人" not in client_for(world.street_b_hr).get(reverse("pay:leave")).content.decode()
