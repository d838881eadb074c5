"""P-ITEM: named one-off additions and deductions per worker and month; which items exist,
whether each is a deduction and whether it is taxable are policy data."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from shequ.errors import Invalid
from shequ.pay.models import LineKind, MonthlyItem
from shequ.pay.net_services import monthly_item_set
from tests.pay.conftest import line_of, worker

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)

# Hunchun at 15,000 a month with Tongren's items (004), so the tax is computed by hand.
HIGH_PAY_ITEMS = """
[policy]
id = "hunchun_high_items"
name = "珲春（测试：基数 15000，含出差补助）"
source = "测试"
version = "1.0.0"
extends = "hunchun"
since = 2020-09-01

[params.anchor_pay]
source = "测试"
value = 15000

[pay_items]
source = "测试"
items = { "出差补助" = { taxable = false }, "奖励" = { taxable = true }, "扣款" = { deduction = true, taxable = false } }
"""


def test_p_item_tongren_names_travel_and_living_allowances_with_whether_each_is_taxable() -> None:
    """P-ITEM (004): 出差补助 is travel expense, not wages; 生活补助 is taxed (assumed)."""
    from django.conf import settings

    from shequ.rules import load_policy

    policy = load_policy(settings.POLICY_DIR / "tongren.toml")
    items = policy.params(date(2026, 1, 31)).pay_items.items
    assert items["出差补助"].taxable is False and items["出差补助"].deduction is False
    assert items["生活补助"].taxable is True and items["生活补助"].assumed is True
    assert items["扣款"].deduction is True
    entry = policy.entry("pay_items", "items", date(2026, 1, 31))
    assert entry is not None and "004" in (entry.source or "")


def test_p_item_additions_are_paid_a_tax_free_one_is_not_taxed_and_a_deduction_comes_off_net(world: Any, bind: Any, run_month: Any) -> None:
    """P-ITEM with P-NET, by hand: gross 15,000 + 出差补助 300 + 奖励 1,000 = 16,300;
    taxable income 15,000 + 1,000 = 16,000; less 5,000 and 3,345 contributions = 7,655 × 3%
    = 229.65; 实发 = 16,300 − 3,345 − 229.65 − 扣款 50 = 12,675.35."""
    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY_ITEMS)
    w = worker(world.community_a1, post="正职", grade=10, education="高中", certificate="无")
    for item, amount in (("出差补助", "300"), ("奖励", "1000"), ("扣款", "50")):
        monthly_item_set(worker=w, month=JAN, item=item, amount=Decimal(amount), actor=world.street_a_hr)
    line = line_of(run_month(world.street_a, JAN), w)
    assert line.gross == Decimal("16300.00") and line.taxable == Decimal("16000.00")
    assert line.deductions == Decimal("50.00") and line.employee_benefits == Decimal("3345.00")
    assert line.tax == Decimal("229.65") and line.net == Decimal("12675.35")
    assert line.items == {"出差补助": 300.0, "奖励": 1000.0, "扣款": -50.0}


def test_p_item_an_item_entered_for_a_locked_month_is_paid_in_the_next_run(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    """Jan locked; 出差补助 300 for Jan entered later → Feb carries 补发 300 for Jan, tax-free:
    Feb tax stays (2 × 6,655 × 3% = 399.30) − 199.65 = 199.65."""
    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY_ITEMS)
    w = worker(world.community_a1, post="正职", grade=10, education="高中", certificate="无")
    lock(run_month(world.street_a, JAN))
    monthly_item_set(worker=w, month=JAN, item="出差补助", amount=Decimal("300"), actor=world.street_a_hr)
    feb = run_month(world.street_a, FEB)
    back = line_of(feb, w, JAN)
    assert back.kind == LineKind.BACK_PAY and back.gross == Decimal("300.00") and back.taxable == 0
    assert line_of(feb, w).tax == Decimal("199.65")


def test_p_item_an_item_the_policy_does_not_name_is_refused_in_chinese(world: Any, bind: Any) -> None:
    from shequ.pay.net_services import UNKNOWN_PAY_ITEM

    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    with pytest.raises(Invalid) as err:
        monthly_item_set(worker=w, month=JAN, item="出差补助", amount=Decimal("300"), actor=world.street_a_hr)
    assert str(err.value).startswith(UNKNOWN_PAY_ITEM.split("“")[0].format(item="出差补助"))
    assert "可填：奖励、扣款" in str(err.value)


def test_p_item_the_import_names_the_row_and_column_and_writes_nothing_on_error(world: Any, bind: Any, client_for: Any) -> None:
    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY_ITEMS)
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    f = io.BytesIO(f"证件号码,项目,金额,说明\n{w.id_number},出差补助,300,赴东莞\n{w.id_number},奖金,100,\n{w.id_number},奖励,-5,\n".encode())
    f.name = "项目.csv"
    page = client_for(world.street_a_hr).post(
        reverse("pay:items_import"), {"unit": world.street_a.pk, "month": "2026-01", "file": f}, follow=True,
    ).content.decode()
    assert "第 3 行「项目」：「奖金」不是适用政策" in page
    assert "第 4 行「金额」：金额应大于 0（扣款也填正数），实际为「-5」" in page
    assert not MonthlyItem.objects.exists()
    f = io.BytesIO(f"证件号码,项目,金额,说明\n{w.id_number},出差补助,300,赴东莞\n".encode())
    f.name = "项目.csv"
    client_for(world.street_a_hr).post(reverse("pay:items_import"), {"unit": world.street_a.pk, "month": "2026-01", "file": f})
    assert MonthlyItem.objects.get(worker=w).note == "赴东莞"


def test_p_item_a_street_user_cannot_enter_items_for_another_streets_worker(world: Any, bind: Any) -> None:
    from shequ.common.scope import ScopeError

    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    with pytest.raises(ScopeError):
        monthly_item_set(worker=w, month=JAN, item="奖励", amount=Decimal("1"), actor=world.street_b_hr)


def test_p_item_the_payslip_and_the_finance_sheet_show_the_items(world: Any, bind: Any, run_month: Any, client_for: Any) -> None:
    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY_ITEMS)
    w = worker(world.community_a1, name="出差人", post="正职", grade=10, education="高中", certificate="无")
    monthly_item_set(worker=w, month=JAN, item="出差补助", amount=Decimal("300"), actor=world.street_a_hr)
    run = run_month(world.street_a, JAN)
    page = client_for(world.street_a_hr).get(reverse("pay:payslip", args=[run.pk, w.pk])).content.decode()
    assert "出差补助" in page and "300.00" in page
    from shequ.pay.exports import finance_rows

    headers, rows, _ = finance_rows(run)
    row = dict(zip(headers, next(r for r in rows if r[1] == "出差人"), strict=True))
    assert row["月度项目明细"] == "出差补助 300.00" and row["当月应发"] == pytest.approx(15300)
