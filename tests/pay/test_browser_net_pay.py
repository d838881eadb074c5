"""In a browser, a month with leave and a monthly item from entry to payslip and bank sheet
(issue 15): the street enters and approves unpaid leave, imports a travel allowance and a
bank account, runs the month; the payslip shows the shorter month, the item, the tax and
实发; finance downloads the bank sheet, whose total is the run's 实发 total."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from tests.pay.test_browser_arrears import _login, _logout, _run_month
from tests.pay.test_monthly_items import HIGH_PAY_ITEMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def test_a_month_with_unpaid_leave_and_a_travel_allowance_reaches_the_payslip_and_the_bank_sheet(world: Any, bind: Any, page: Any, live_server: Any) -> None:
    from tests.pay.conftest import worker

    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY_ITEMS)
    w = worker(world.community_a1, name="周出差", post="正职", grade=10, education="高中", certificate="无")

    _login(page, base, "street_a_hr")
    # Leave: entered, then approved.
    page.goto(base + "/pay/leave/")
    page.fill("#leave-request input[name=id_number]", w.id_number)
    page.fill("#leave-request input[name=kind]", "事假")
    page.fill("#leave-request input[name=start]", "2026-03-10")
    page.fill("#leave-request input[name=end]", "2026-03-14")
    page.click("#leave-request button[type=submit]")
    page.wait_for_load_state()
    assert "待审批" in page.inner_text("#leaves")
    page.click("#leaves button:has-text('批准')")
    page.wait_for_load_state()
    assert "已批准" in page.inner_text("#leaves")
    page.screenshot(path=str(SHOTS / "pay_leave_approved.png"), full_page=True)

    # A travel allowance and the bank account, each by sheet.
    page.goto(base + "/pay/accounts/")
    page.select_option("#items-import select[name=unit]", label="槐阳街道")
    page.fill("#items-import input[name=month]", "2026-03")
    page.set_input_files("#items-import input[name=file]", files=[{
        "name": "月度项目.csv", "mimeType": "text/csv",
        "buffer": f"证件号码,项目,金额,说明\n{w.id_number},出差补助,300,赴东莞跟岗\n".encode()}])
    page.click("#items-import button[type=submit]")
    page.wait_for_load_state()
    assert "已导入 2026年03月月度项目 1 条" in page.content()
    page.select_option("#accounts-import select[name=unit]", label="槐阳街道")
    page.set_input_files("#accounts-import input[name=file]", files=[{
        "name": "银行账户.csv", "mimeType": "text/csv",
        "buffer": f"证件号码,开户行,卡号\n{w.id_number},贵州银行铜仁分行,6214123412341234567\n".encode()}])
    page.click("#accounts-import button[type=submit]")
    page.wait_for_load_state()
    assert "6214 **** **** 4567" in page.inner_text("#accounts")
    assert "6214123412341234567" not in page.content()

    # March: 26 of 31 days paid, plus the allowance.
    _run_month(page, base, "槐阳街道（街道）", "2026-03")
    run_url = page.url
    page.click(f"#lines a:has-text('{w.name}')")
    page.wait_for_load_state()
    facts = page.inner_text("main")
    assert "26 / 31 天" in facts and "出差补助" in page.inner_text("#payslip")
    net_on_slip = float(page.inner_text("#slip-net").replace(",", ""))
    assert float(page.inner_text("#slip-tax").lstrip("−")) > 0
    page.screenshot(path=str(SHOTS / "pay_payslip_with_leave_and_item.png"), full_page=True)
    _logout(page)

    # Finance downloads the bank sheet; its total is the run's 实发 total.
    _login(page, base, "finance")
    page.goto(run_url)
    net_total = float(page.inner_text("#net-total").replace(",", ""))
    with page.expect_download() as info:
        page.click("#bank-sheet")
    content = Path(info.value.path()).read_bytes()
    rows: list[list[Any]] = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    at = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    data = rows[at + 1:]
    assert round(sum(float(r[5]) for r in data), 2) == pytest.approx(net_total)
    mine = next(r for r in data if r[1] == w.name)
    assert mine[4] == "6214123412341234567" and float(mine[5]) == pytest.approx(net_on_slip)
