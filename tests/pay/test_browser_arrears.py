"""In a browser: run a month, lock it, correct a worker's grade back into that month, run
the next month and see the 补发 line with its reason (arrears, issue 4 item 2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Shequ-test-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _logout(page: Any) -> None:
    page.click("header .who button")
    page.wait_for_load_state()


def _run_month(page: Any, base: str, unit: str, month: str) -> None:
    page.goto(base + "/pay/")
    page.select_option("select[name=unit]", label=unit)
    page.fill("input[name=month]", month)
    page.click("#new-run button[type=submit]")
    page.wait_for_load_state()


def test_a_grade_corrected_back_into_a_locked_month_shows_as_back_pay_next_month(world: Any, bind: Any, page: Any, live_server: Any) -> None:
    from tests.pay.conftest import worker

    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    bind(world.street_a, "hunchun")
    head = worker(world.community_a1, name="金书记", post="正职", grade=10, education="高中")
    worker(world.community_a2, name="朴副主任", post="副职", grade=6, education="本科", certificate="社会工作师")

    # January, run by the street's HR.
    _login(page, base, "street_a_hr")
    _run_month(page, base, "槐阳街道（街道）", "2026-01")
    assert "槐阳街道 2026年01月 薪酬核算" in page.inner_text("h1")
    assert page.inner_text("#run-status") == "草稿"
    page.screenshot(path=str(SHOTS / "pay_run_january_draft.png"), full_page=True)
    jan_url = page.url
    _logout(page)

    # Finance approves and locks it.
    _login(page, base, "finance")
    page.goto(jan_url)
    page.click("text=审核通过")
    page.wait_for_load_state()
    page.click("button:has-text('锁定')")
    page.wait_for_selector("#confirm")
    assert "条薪酬明细锁定" in page.inner_text("#confirm")
    page.click("#confirm-yes")
    page.wait_for_load_state()
    assert page.inner_text("#run-status") == "已锁定"
    page.screenshot(path=str(SHOTS / "pay_run_january_locked.png"), full_page=True)
    _logout(page)

    # HR corrects 金书记's grade with effect from 1 January.
    _login(page, base, "street_a_hr")
    page.goto(f"{base}/workers/{head.pk}/edit/")
    page.fill("input[name=grade]", "11")
    page.fill("input[name=effective]", "2026-01-01")
    page.fill("input[name=cause]", "等级认定更正")
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    # February carries the back pay for January.
    _run_month(page, base, "槐阳街道（街道）", "2026-02")
    assert "2026年02月" in page.inner_text("h1")
    table = page.inner_text("#adjustments")
    assert "金书记" in table and "补发" in table and "2026年01月" in table and "120.00" in table
    assert "等级 10→11" in table
    page.screenshot(path=str(SHOTS / "pay_run_february_with_back_pay.png"), full_page=True)

    page.click("#adjustments a:has-text('金书记')")
    page.wait_for_load_state()
    slip = page.inner_text("#payslip")
    assert "补发（2026年01月）" in slip and "4940.00" in slip
    assert "计算依据" in page.content()
    page.screenshot(path=str(SHOTS / "pay_payslip_with_back_pay.png"), full_page=True)

    page.goto(base + "/pay/")
    runs = page.inner_text("#runs")
    assert "2026年01月" in runs and "已锁定" in runs and "2026年02月" in runs and "草稿" in runs
    page.screenshot(path=str(SHOTS / "pay_index.png"), full_page=True)

    from shequ.pay.models import PayLine, PayRun

    jan = PayRun.objects.get(unit=world.street_a, month=date(2026, 1, 1))
    assert PayLine.objects.get(run=jan, worker=head).grade == 10  # the locked line is untouched
