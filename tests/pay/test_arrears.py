"""Arrears: a change dated into a locked month gives signed adjustment lines (补发 / 扣回)
in the next run, per worker and month, with the reason; nothing locked is edited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shequ.pay.models import LineKind, PayLine
from shequ.workers.services import worker_exit, worker_update
from tests.pay.conftest import line_of, worker

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def _locked_snapshot(run: Any) -> list[tuple]:
    return list(PayLine.objects.filter(run=run).order_by("id").values_list("id", "gross", "grade", "components"))


def test_a_grade_raised_with_effect_in_a_locked_month_is_back_paid_in_the_next_run(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, name="金书记", post="正职", grade=10, education="高中")
    jan = lock(run_month(world.street_a, JAN))
    before = _locked_snapshot(jan)
    worker_update(worker=w, changes={"grade": 11}, effective=JAN, actor=world.street_a_hr, cause="等级认定更正")
    feb = run_month(world.street_a, FEB)
    assert line_of(feb, w).grade == 11
    adj = PayLine.objects.get(run=feb, worker=w, for_month=JAN)
    assert adj.kind == LineKind.BACK_PAY
    assert adj.gross == Decimal("120.00")  # hunchun grade_step
    assert adj.components["级别工资"] == 120 and adj.components["岗位工资"] == 0
    assert "等级 10→11" in adj.reason and "2026年01月" in adj.reason
    assert "2026-01-01起等级认定更正" in adj.reason  # the recorded change behind it
    assert _locked_snapshot(jan) == before
    assert feb.adjustments_total == Decimal("120.00")


def test_an_adjustment_once_locked_is_not_paid_again(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    lock(run_month(world.street_a, JAN))
    worker_update(worker=w, changes={"grade": 11}, effective=JAN, actor=world.street_a_hr, cause="更正")
    lock(run_month(world.street_a, FEB))
    mar = run_month(world.street_a, MAR)
    assert not PayLine.objects.filter(run=mar).exclude(kind=LineKind.REGULAR).exists()


def test_a_new_policy_version_bound_from_an_earlier_date_gives_back_pay_for_each_locked_month(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    from django.conf import settings

    old = bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    lock(run_month(world.street_a, JAN))
    lock(run_month(world.street_a, FEB))
    text = (settings.POLICY_DIR / "hunchun.toml").read_text(encoding="utf-8")
    raised = text.replace('version = "2.0.0"', 'version = "2.1.0"', 1).replace(
        "[params.anchor_pay]\n# P-BASE：以正职十级社区工作者岗位每月 4700 元为基数（000）\nsource = \"000\"\nvalue = 4700",
        "[params.anchor_pay]\n# 测试：基数调为 4800\nsource = \"000\"\nvalue = 4800",
    )
    assert raised != text
    new = bind(world.street_a, "", since=JAN, text=raised)
    mar = run_month(world.street_a, MAR)
    assert line_of(mar, w).gross == Decimal("4800.00")
    adjustments = PayLine.objects.filter(run=mar, worker=w).exclude(kind=LineKind.REGULAR).order_by("for_month")
    assert [(a.for_month, a.gross, a.kind) for a in adjustments] == [
        (JAN, Decimal("100.00"), LineKind.BACK_PAY), (FEB, Decimal("100.00"), LineKind.BACK_PAY)]
    assert f"政策版本 {old.label}→{new.label}" in adjustments[0].reason


def test_an_exit_dated_back_into_a_locked_month_claws_back_the_days_after_it(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    lock(run_month(world.street_a, JAN))
    worker_exit(worker=w, on=date(2026, 1, 15), reason="辞职", actor=world.street_a_hr)
    feb = run_month(world.street_a, FEB)
    assert not PayLine.objects.filter(run=feb, worker=w, for_month=FEB).exists()
    adj = PayLine.objects.get(run=feb, worker=w, for_month=JAN)
    assert adj.kind == LineKind.CLAW_BACK
    # Paid 4,700 for 31 days; owed 15/31 of it (each component rounded).
    assert adj.gross == Decimal("-2425.81")
    assert "计薪天数 31→15" in adj.reason and "辞职" in adj.reason


def test_a_hire_dated_back_into_a_locked_month_is_paid_for_that_month(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    bind(world.street_a, "hunchun")
    lock(run_month(world.street_a, JAN))
    late = worker(world.community_a1, post="正职", grade=10, education="高中", hired_on=date(2026, 1, 17))
    feb = run_month(world.street_a, FEB)
    adj = PayLine.objects.get(run=feb, worker=late, for_month=JAN)
    assert adj.kind == LineKind.BACK_PAY and adj.days == 15
    assert adj.reason == "2026年01月原未计薪，现应计薪"


def test_a_change_dated_after_the_locked_month_gives_no_adjustment(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    lock(run_month(world.street_a, JAN))
    worker_update(worker=w, changes={"grade": 11}, effective=FEB, actor=world.street_a_hr, cause="晋级")
    feb = run_month(world.street_a, FEB)
    assert line_of(feb, w).grade == 11
    assert not PayLine.objects.filter(run=feb).exclude(kind=LineKind.REGULAR).exists()


def test_a_draft_with_adjustments_recomputes_to_the_same_lines(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    from shequ.pay.services import payrun_compute

    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    lock(run_month(world.street_a, JAN))
    worker_update(worker=w, changes={"grade": 12}, effective=JAN, actor=world.street_a_hr, cause="更正")
    feb = run_month(world.street_a, FEB)
    first = list(PayLine.objects.filter(run=feb).order_by("worker_id", "for_month").values_list("worker_id", "for_month", "kind", "gross", "reason"))
    again = payrun_compute(run=feb, actor=world.city_admin)
    assert list(PayLine.objects.filter(run=again).order_by("worker_id", "for_month").values_list("worker_id", "for_month", "kind", "gross", "reason")) == first


def test_an_assessment_result_published_after_january_was_locked_is_back_paid(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    from shequ.assessment.models import Result

    bind(world.street_a, "tongren")
    w = worker(world.community_a1, post="一岗", grade=16, education="本科", certificate="社会工作师")
    jan = lock(run_month(world.street_a, JAN))
    paid = line_of(jan, w).components["绩效薪酬"]
    Result.objects.create(worker=w, year=2025, tier="优秀", unit=world.community_a1)
    feb = run_month(world.street_a, FEB)
    adj = PayLine.objects.get(run=feb, worker=w, for_month=JAN)
    assert adj.kind == LineKind.BACK_PAY
    assert adj.components["绩效薪酬"] == pytest.approx(round(paid / 0.12 * 0.2, 2) - paid, abs=0.02)
    assert "上年考核等次 无→优秀" in adj.reason
