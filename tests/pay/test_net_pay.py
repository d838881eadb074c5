"""P-NET: personal 五险一金 and individual income tax withheld by the cumulative method
(累计预扣法), 实发 on every line, special additional deductions, year-to-date across locked runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shequ.pay.models import LineKind, PayLine
from shequ.workers.services import worker_update
from tests.pay.conftest import line_of, worker

# Hunchun with the anchor raised to 15,000: a 正职 at grade 10 with 高中 and no certificate
# earns exactly anchor_pay (岗位工资 + 级别工资 = anchor), so every figure below is known.
HIGH_PAY = """
[policy]
id = "hunchun_high"
name = "珲春（测试：基数 15000）"
source = "测试"
version = "1.0.0"
extends = "hunchun"
since = 2020-09-01

[params.anchor_pay]
source = "测试"
value = 15000
"""


def _month(n: int) -> date:
    return date(2026, n, 1)


def test_p_net_twelve_months_of_cumulative_withholding_match_the_hand_computation(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    """P-NET, twelve locked months computed by hand.

    Gross 15,000 a month. Hunchun's personal rates: 养老 8% + 医疗 2% + 失业 0.3% + 公积金 12%
    = 22.3% of the base 15,000 (inside 3,500–18,000) = 3,345.00 a month.
    Special additional deductions 2,000 a month (子女教育), declared each month.
    Taxable each month: 15,000 − 5,000 − 3,345 − 2,000 = 4,655; after n months 4,655 × n.
      n=1..7: 4,655n ≤ 36,000 → 3%: due 139.65n; each month withholds 139.65 (ytd 977.55 at n=7)
      n=8:  37,240 × 10% − 2,520 = 1,204.00; withhold 1,204.00 − 977.55 = 226.45
      n=9:  41,895 × 10% − 2,520 = 1,669.50; withhold 465.50
      n=10: 46,550 × 10% − 2,520 = 2,135.00; withhold 465.50
      n=11: 51,205 × 10% − 2,520 = 2,600.50; withhold 465.50
      n=12: 55,860 × 10% − 2,520 = 3,066.00; withhold 465.50
    Year total 3,066.00; 实发 = 15,000 − 3,345 − tax."""
    from shequ.pay.net_services import special_deduction_set

    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY)
    w = worker(world.community_a1, name="高薪书记", post="正职", grade=10, education="高中", certificate="无")
    expected_tax = [
        "139.65", "139.65", "139.65", "139.65", "139.65", "139.65", "139.65",
        "226.45", "465.50", "465.50", "465.50", "465.50",
    ]
    expected_ytd_taxable = [4655 * n for n in range(1, 13)]
    got_tax, got_ytd, got_net = [], [], []
    for n in range(1, 13):
        special_deduction_set(worker=w, month=_month(n), amounts={"子女教育": Decimal("2000")}, actor=world.street_a_hr)
        run = run_month(world.street_a, _month(n))
        line = line_of(run, w)
        assert line.gross == Decimal("15000.00") and line.employee_benefits == Decimal("3345.00")
        got_tax.append(str(line.tax))
        got_ytd.append(int(line.ytd_taxable))
        got_net.append(line.net)
        lock(run)
    assert got_tax == expected_tax
    assert got_ytd == expected_ytd_taxable
    assert got_net[0] == Decimal("11515.35")  # 15,000 − 3,345 − 139.65
    assert got_net[-1] == Decimal("11189.50")  # 15,000 − 3,345 − 465.50
    december = line_of(run, w)
    assert december.ytd_tax == Decimal("3066.00") and december.ytd_income == Decimal("180000.00")
    assert december.special_deduction == Decimal("2000.00")


def test_p_net_back_pay_is_taxed_in_the_month_it_is_paid(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    """P-NET: a grade raised back to January after January was locked is paid in February
    and counted in February's cumulative income.

    Jan: taxable 15,000 − 5,000 − 3,345 = 6,655 → tax 199.65.
    Feb: own month 15,120 (grade 11: +120), contributions 15,120 × 22.3% = 3,371.76;
         back pay for Jan +120.00 with contributions +26.76.
         ytd income 15,000 + 15,120 + 120 = 30,240; contributions 3,345 + 3,371.76 + 26.76 = 6,743.52;
         ytd taxable 30,240 − 10,000 − 6,743.52 = 13,496.48; due × 3% = 404.89;
         withhold 404.89 − 199.65 = 205.24, on the own-month line; the back-pay line carries none."""
    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY)
    w = worker(world.community_a1, post="正职", grade=10, education="高中", certificate="无")
    jan = run_month(world.street_a, _month(1))
    assert line_of(jan, w).tax == Decimal("199.65")
    lock(jan)
    worker_update(worker=w, changes={"grade": 11}, effective=_month(1), actor=world.street_a_hr, cause="定级更正")
    feb = run_month(world.street_a, _month(2))
    own, back = line_of(feb, w), line_of(feb, w, _month(1))
    assert back.kind == LineKind.BACK_PAY and back.gross == Decimal("120.00") and back.tax == 0
    assert own.tax == Decimal("205.24")
    assert own.ytd_income == Decimal("30240.00") and own.ytd_taxable == Decimal("13496.48")
    assert own.net == Decimal("15120.00") - Decimal("3371.76") - Decimal("205.24")
    assert back.net == Decimal("120.00") - Decimal("26.76")


def test_p_net_the_run_totals_tax_and_net_over_every_line(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY)
    worker(world.community_a1, post="正职", grade=10, education="高中", certificate="无")
    run = run_month(world.street_a, _month(3))
    lines = list(PayLine.objects.filter(run=run))
    assert run.tax_total == sum(line.tax for line in lines) and run.tax_total > 0
    assert run.net_total == sum(line.net for line in lines)
    assert run.net_total == run.total + run.adjustments_total - run.employee_benefits - run.tax_total


def test_p_net_pay_below_the_monthly_deduction_withholds_no_tax(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中", certificate="无")
    line = line_of(run_month(world.street_a, _month(3)), w)
    assert line.gross == Decimal("4700.00") and line.tax == 0
    assert line.net == line.gross - line.employee_benefits


def test_p_net_the_rate_table_and_the_monthly_deduction_are_dated_policy_data_with_their_source() -> None:
    from django.conf import settings

    from shequ.rules import load_policy

    policy = load_policy(settings.POLICY_DIR / "base.toml")
    tax = policy.params(date(2026, 1, 31)).tax
    assert tax.monthly_deduction == 5000
    assert [(b.upto, b.rate, b.quick) for b in tax.brackets][:2] == [(36000, 0.03, 0), (144000, 0.10, 2520)]
    entry = policy.entry("tax", "brackets", date(2026, 1, 31))
    assert entry is not None and entry.since == date(2019, 1, 1) and "61 号" in (entry.source or "")
    # Before the cumulative method came in there is no table.
    assert policy.params(date(2018, 12, 31)).tax.brackets == []


def test_p_net_special_deductions_import_refuses_the_sheet_with_the_row_and_column_of_each_error(world: Any) -> None:
    from shequ.pay.net_services import special_deductions_import
    from shequ.sheets.validate import SheetInvalid

    own = worker(world.community_a1)
    other = worker(world.community_b1)
    csv = (
        "姓名,证件号码,子女教育,赡养老人\n"
        f"甲,{own.id_number},2000,abc\n"
        f"乙,{other.id_number},1000,\n"
    ).encode()
    with pytest.raises(SheetInvalid) as err:
        special_deductions_import(unit=world.street_a, month=_month(3), data=csv, filename="专项附加扣除.csv",
                                  actor=world.street_a_hr)
    messages = [str(e) for e in err.value.errors]
    assert messages == [
        "第 2 行「赡养老人」：应为不小于 0 的金额，实际为「abc」",
        f"第 3 行「证件号码」：证件号码「{other.id_number}」不是本单位范围内的在册人员",
    ]
    from shequ.pay.models import SpecialDeduction

    assert not SpecialDeduction.objects.exists()


def test_p_net_special_deductions_import_writes_each_workers_month_and_the_run_uses_it(world: Any, bind: Any, run_month: Any) -> None:
    from shequ.pay.net_services import special_deductions_import

    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY)
    w = worker(world.community_a1, post="正职", grade=10, education="高中", certificate="无")
    csv = f"证件号码,子女教育,住房租金\n{w.id_number},2000,1500\n".encode()
    assert special_deductions_import(unit=world.street_a, month=_month(1), data=csv, filename="a.csv",
                                     actor=world.street_a_hr) == 1
    line = line_of(run_month(world.street_a, _month(1)), w)
    # 15,000 − 5,000 − 3,345 − 3,500 = 3,155 × 3% = 94.65
    assert line.special_deduction == Decimal("3500.00") and line.tax == Decimal("94.65")


def test_p_net_a_street_user_cannot_import_deductions_into_another_street(world: Any) -> None:
    from shequ.common.scope import ScopeError
    from shequ.pay.net_services import special_deductions_import

    w = worker(world.community_a1)
    with pytest.raises(ScopeError):
        special_deductions_import(unit=world.street_a, month=_month(1), data=f"证件号码,子女教育\n{w.id_number},1\n".encode(),
                                  filename="a.csv", actor=world.street_b_hr)
