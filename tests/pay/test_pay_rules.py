"""Pay rules through a real pay run: P-COMP, P-BASE, P-FLOOR, P-BEN, E-PROB, part months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.pay.conftest import line_of, worker

MARCH = date(2026, 3, 1)


def test_p_base_a_hunchun_head_of_community_at_grade_10_with_high_school_and_no_certificate_earns_4700(world: Any, bind: Any, run_month: Any) -> None:
    """P-BASE (000): 正职十级 = 4,700 yuan a month, the anchor of the table."""
    bind(world.street_a, "hunchun")
    head = worker(world.community_a1, name="金书记", post="正职", grade=10, education="高中", certificate="无")
    run = run_month(world.street_a, MARCH)
    line = line_of(run, head)
    assert line.gross == Decimal("4700.00")
    assert line.grade == 10 and line.days == 31


def test_p_base_one_grade_above_the_anchor_earns_more_than_4700(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "hunchun")
    head = worker(world.community_a1, post="正职", grade=11, education="高中", certificate="无")
    run = run_month(world.street_a, MARCH)
    assert line_of(run, head).gross > Decimal("4700.00")


def test_p_comp_tongren_pay_is_the_sum_of_its_five_components(world: Any, bind: Any, run_month: Any) -> None:
    """P-COMP (004): 职务薪酬 + 级别薪酬 + 学历津贴 + 职业资格津贴 + 绩效薪酬."""
    bind(world.street_a, "tongren")
    w = worker(world.community_a1, post="一岗", grade=12, education="本科", certificate="社会工作师")
    run = run_month(world.street_a, MARCH)
    line = line_of(run, w)
    # jsonb keeps no key order; the run keeps the policy's display order.
    # P-TREAT adds 经济待遇补差, 0 for everyone without the treatment.
    assert set(line.components) == {"职务薪酬", "级别薪酬", "学历津贴", "职业资格津贴", "绩效薪酬", "经济待遇补差", "兜底补差"}
    assert line.components["经济待遇补差"] == 0
    assert line.components["职业资格津贴"] > 0 and line.components["学历津贴"] > 0
    assert line.gross == Decimal(str(round(sum(line.components.values()), 2)))
    assert run.components[:5] == ["职务薪酬", "级别薪酬", "学历津贴", "职业资格津贴", "绩效薪酬"]


def test_p_comp_a_certificate_raises_pay_by_its_allowance_alone(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "tongren")
    # High enough in grade to be above the floor (P-FLOOR would hide the difference).
    plain = worker(world.community_a1, post="四岗", grade=14, education="本科", certificate="无")
    certified = worker(world.community_a1, post="四岗", grade=14, education="本科", certificate="社会工作师")
    run = run_month(world.street_a, MARCH)
    a, b = line_of(run, plain), line_of(run, certified)
    assert a.components["兜底补差"] == 0
    assert float(b.gross - a.gross) == pytest.approx(300.0)  # tongren 社会工作师 allowance


def test_p_floor_tops_up_a_low_paid_worker_to_the_floor_tied_to_the_average_wage(world: Any, bind: Any, run_month: Any) -> None:
    """P-FLOOR (004): the floor is avg_wage × the post's ratio and moves with avg_wage."""
    bind(world.street_a, "tongren", since=date(2022, 1, 1))
    low = worker(world.community_a1, post="五岗", grade=1, education="高中", certificate="无",
                 community_work_start=date(2022, 1, 1), hired_on=date(2022, 1, 1))
    in_2023 = line_of(run_month(world.street_a, date(2023, 6, 1)), low)
    in_2026 = line_of(run_month(world.street_a, MARCH), low)
    # 五岗 floor ratio 0.5 of 6,200 (from 2022) and of 6,500 (from 2024).
    assert in_2023.gross == Decimal("3100.00")
    assert in_2026.gross == Decimal("3250.00")
    assert in_2026.components["兜底补差"] > 0


def test_p_floor_pays_no_top_up_above_the_floor(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "tongren")
    high = worker(world.community_a1, post="四岗", grade=14, education="本科", certificate="无")
    line = line_of(run_month(world.street_a, MARCH), high)
    assert line.components["兜底补差"] == 0


def test_p_ben_employer_and_employee_contributions_are_the_policy_rates_on_the_monthly_pay(world: Any, bind: Any, run_month: Any) -> None:
    """P-BEN (002, 004): hunchun rates — employer 16+7+0.7+0.2+12 = 35.9%, employee 8+2+0.3+12 = 22.3%."""
    bind(world.street_a, "hunchun")
    head = worker(world.community_a1, post="正职", grade=10, education="高中", certificate="无")
    line = line_of(run_month(world.street_a, MARCH), head)
    assert line.employer_benefits == Decimal("1687.30")  # 4,700 × 35.9%
    assert line.employee_benefits == Decimal("1048.10")  # 4,700 × 22.3%


def test_p_ben_contributions_use_the_legal_base_floor_when_pay_is_below_it(world: Any, bind: Any, run_month: Any) -> None:
    """P-BEN: tongren base floor 3,800 above a 3,250 pay; employer 34.4%, employee 20.5%."""
    bind(world.street_a, "tongren")
    low = worker(world.community_a1, post="五岗", grade=1, education="高中", certificate="无",
                 community_work_start=date(2025, 1, 1), hired_on=date(2025, 1, 1))
    line = line_of(run_month(world.street_a, MARCH), low)
    assert line.gross == Decimal("3250.00")
    assert line.employer_benefits == Decimal("1307.20")
    assert line.employee_benefits == Decimal("779.00")


def test_e_prob_a_worker_on_probation_is_paid_in_full(world: Any, bind: Any, run_month: Any) -> None:
    """E-PROB (004): probation at full pay; tongren's probation pay_share is 1.0."""
    bind(world.street_a, "tongren")
    same = dict(post="四岗", grade=6, education="大专", certificate="无")
    regular = worker(world.community_a1, **same)
    newcomer = worker(world.community_a1, **same, status="probation", hired_on=date(2026, 2, 1),
                      probation_until=date(2026, 7, 31))
    run = run_month(world.street_a, MARCH)
    a, b = line_of(run, regular), line_of(run, newcomer)
    assert b.probation_days == 31
    assert b.gross == a.gross and b.components == a.components


PROBATION_80 = """
[policy]
id = "tongren_probation80"
name = "试用期八折（测试用）"
source = "测试"
version = "1.0.0"
extends = "tongren"
since = 2022-01-01

[probation]
assumed = true
pay_share = 0.8
"""


def test_e_prob_the_probation_share_is_policy_data_not_code(world: Any, bind: Any, run_month: Any) -> None:
    """E-PROB: a policy that paid probation at 80% would pay exactly 80% for probation days."""
    bind(world.street_a, "", text=PROBATION_80)
    same = dict(post="四岗", grade=6, education="大专", certificate="无")
    regular = worker(world.community_a1, **same)
    newcomer = worker(world.community_a1, **same, status="probation", hired_on=date(2026, 2, 1),
                      probation_until=date(2026, 7, 31))
    run = run_month(world.street_a, MARCH)
    a, b = line_of(run, regular), line_of(run, newcomer)
    assert float(b.gross) == pytest.approx(float(a.gross) * 0.8, abs=0.05)


def test_a_worker_hired_mid_month_is_paid_for_the_days_worked(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "hunchun")
    full = worker(world.community_a1, post="正职", grade=10, education="高中")
    late = worker(world.community_a1, post="正职", grade=10, education="高中", hired_on=date(2026, 3, 16))
    run = run_month(world.street_a, MARCH)
    line = line_of(run, late)
    assert line.days == 16 and line.days_in_month == 31
    assert line.gross == Decimal("2425.81")  # 4,700 × 16/31, each component rounded
    assert line_of(run, full).gross == Decimal("4700.00")


def test_a_worker_who_left_mid_month_is_paid_to_the_leaving_day_and_not_after(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "hunchun")
    gone = worker(world.community_a1, post="正职", grade=10, education="高中", status="left", left_on=date(2026, 3, 10))
    run = run_month(world.street_a, MARCH)
    assert line_of(run, gone).days == 10
    from shequ.pay.models import PayLine

    april = run_month(world.street_a, date(2026, 4, 1))
    assert not PayLine.objects.filter(run=april, worker=gone).exists()


def test_a_worker_not_yet_hired_is_not_in_the_run(world: Any, bind: Any, run_month: Any) -> None:
    from shequ.pay.models import PayLine

    bind(world.street_a, "hunchun")
    future = worker(world.community_a1, post="一般", hired_on=date(2026, 4, 2))
    run = run_month(world.street_a, MARCH)
    assert not PayLine.objects.filter(run=run, worker=future).exists()


def test_each_unit_is_paid_under_its_own_policy_one_engine_call_per_version(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.community_a1, "hunchun")
    bind(world.community_a2, "tongren")
    h = worker(world.community_a1, post="正职", grade=10, education="高中")
    t = worker(world.community_a2, post="一岗", grade=10, education="高中")
    run = run_month(world.street_a, MARCH)
    assert line_of(run, h).policy_label.startswith("hunchun@")
    assert line_of(run, t).policy_label.startswith("tongren@")
    assert len(run.policies) >= 2


def test_the_engine_is_called_once_per_policy_version_not_once_per_worker(world: Any, bind: Any, run_month: Any, monkeypatch: Any) -> None:
    from shequ.pay import compute

    calls: list[int] = []
    real_pay = compute.pay

    def counting_pay(policy: Any, frame: Any, on: Any) -> Any:
        calls.append(frame.height)
        return real_pay(policy, frame, on)

    monkeypatch.setattr(compute, "pay", counting_pay)
    bind(world.community_a1, "hunchun")
    bind(world.community_a2, "tongren")
    for g in range(5, 10):
        worker(world.community_a1, post="正职", grade=g)
        worker(world.community_a2, post="一岗", grade=g + 5)
    run_month(world.street_a, MARCH)
    # 迎宾社区 (hunchun): five + worker_a1; 槐阳北社区 (tongren): five; the office has nobody.
    assert sorted(calls) == [5, 6]


def test_a_file_last_years_assessment_result_sets_tongrens_performance_pay(world: Any, bind: Any, run_month: Any) -> None:
    """A-FILE (001, 003): results decide pay; tongren's 绩效薪酬 reads last year's tier."""
    from shequ.assessment.models import Result

    bind(world.street_a, "tongren")
    same = dict(post="一岗", grade=16, education="本科", certificate="社会工作师")
    excellent = worker(world.community_a1, **same)
    unrated = worker(world.community_a1, **same)
    Result.objects.create(worker=excellent, year=2025, tier="优秀", unit=world.community_a1)
    run = run_month(world.street_a, MARCH)
    a, b = line_of(run, excellent), line_of(run, unrated)
    base = a.components["职务薪酬"] + a.components["级别薪酬"]
    assert a.last_tier == "优秀" and b.last_tier == ""
    assert a.components["绩效薪酬"] == pytest.approx(round(base * 0.2, 2))  # tongren 优秀 rate
    assert b.components["绩效薪酬"] == pytest.approx(round(base * 0.12, 2))  # default without a result


def test_t_cert_a_certificate_obtained_mid_month_pays_its_allowance_from_the_next_month(world: Any, bind: Any, run_month: Any) -> None:
    """T-CERT + P-COMP: the qualification allowance starts the month after the certificate
    (allowance_lag_months), even though the November run reads the worker at the month's end."""
    from shequ.growth.training.services import certificate_record

    bind(world.street_a, "tongren")
    w = worker(world.community_a1, post="一岗", grade=12, education="本科", certificate="无")
    certificate_record(worker=w, level="社会工作师", obtained_on=date(2026, 11, 10), actor=world.street_a_hr)
    november = line_of(run_month(world.street_a, date(2026, 11, 1)), w)
    december = line_of(run_month(world.street_a, date(2026, 12, 1)), w)
    assert november.components["职业资格津贴"] == 0
    assert december.components["职业资格津贴"] > 0
