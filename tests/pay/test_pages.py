"""Pay pages, the run summary by unit, payslips and the finance export — and scope on each."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from shequ.pay.models import PayRun, RunStatus
from shequ.workers.services import worker_update
from tests.pay.conftest import worker

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


@pytest.fixture
def street_a_run(world: Any, bind: Any, run_month: Any) -> Any:
    bind(world.street_a, "hunchun")
    world.head = worker(world.community_a1, name="金书记", post="正职", grade=10, education="高中")
    world.deputy = worker(world.community_a2, name="朴副主任", post="副职", grade=6, education="本科", certificate="社会工作师")
    return run_month(world.street_a, JAN, actor=world.street_a_hr)


def test_street_hr_runs_a_month_from_the_page(world: Any, bind: Any, client_for: Any) -> None:
    bind(world.street_a, "hunchun")
    worker(world.community_a1, name="金书记", post="正职", grade=10, education="高中")
    c = client_for(world.street_a_hr)
    r = c.post(reverse("pay:create"), {"unit": world.street_a.pk, "month": "2026-01"})
    run = PayRun.objects.get(unit=world.street_a, month=JAN)
    assert r.status_code == 302 and r["Location"] == reverse("pay:run", args=[run.pk])
    page = c.get(r["Location"]).content.decode()
    assert "槐阳街道 2026年01月 薪酬核算" in page and "草稿" in page and "金书记" in page


def test_a_bad_month_on_the_page_gets_a_chinese_error_and_no_run(world: Any, client_for: Any) -> None:
    from shequ.pay.selectors import BAD_MONTH

    c = client_for(world.street_a_hr)
    r = c.post(reverse("pay:create"), {"unit": world.street_a.pk, "month": "一月"}, follow=True)
    assert BAD_MONTH.format(value="一月") in r.content.decode()
    assert not PayRun.objects.exists()


def test_the_run_page_shows_the_summary_by_unit(world: Any, street_a_run: Any, client_for: Any) -> None:
    from shequ.pay.selectors import payrun_summary

    s = payrun_summary(run=street_a_run)
    by_unit = {u["unit_name"]: u for u in s.units}
    a1 = by_unit["迎宾社区"]
    # 迎宾社区: 金书记 (4,700) and the world's worker_a1 (refitted to 一般).
    assert a1["headcount"] == 2
    assert a1["total"] == pytest.approx(sum(a1["components"].values()))
    assert a1["average"] == pytest.approx(a1["total"] / 2, abs=0.01)
    assert by_unit["槐阳北社区"]["headcount"] == 1
    assert s.headcount == 3 and s.total == pytest.approx(float(street_a_run.total))
    page = client_for(world.street_a_hr).get(reverse("pay:run", args=[street_a_run.pk])).content.decode()
    assert "分单位汇总" in page and "迎宾社区" in page and "槐阳北社区" in page and "级别工资" in page


def test_the_payslip_shows_each_component_and_how_it_was_computed(world: Any, street_a_run: Any, client_for: Any) -> None:
    page = client_for(world.street_a_hr).get(reverse("pay:payslip", args=[street_a_run.pk, world.head.pk])).content.decode()
    assert "金书记" in page and "计算依据" in page
    assert "岗位工资" in page and "级别工资" in page and "4700.00" in page
    assert "P-BEN" in page and "anchor_pay = 4700" in page and "级别工资 = anchor_pay" in page


def test_finance_approves_and_locks_but_street_hr_cannot(world: Any, street_a_run: Any, client_for: Any) -> None:
    c = client_for(world.street_a_hr)
    assert c.post(reverse("pay:approve", args=[street_a_run.pk])).status_code == 403
    c = client_for(world.finance)
    c.post(reverse("pay:approve", args=[street_a_run.pk]))
    c.post(reverse("pay:lock", args=[street_a_run.pk]), {"confirmed": "1"})
    assert PayRun.objects.get(pk=street_a_run.pk).status == RunStatus.LOCKED


def test_a_locked_run_refuses_recompute_from_the_page_with_a_chinese_message(world: Any, street_a_run: Any, lock: Any, client_for: Any) -> None:
    from shequ.pay.services import NOT_DRAFT

    lock(street_a_run)
    r = client_for(world.street_a_hr).post(reverse("pay:compute", args=[street_a_run.pk]), follow=True)
    assert NOT_DRAFT.format(run=street_a_run, status="已锁定") in r.content.decode()


def _read(content: bytes) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_the_finance_export_has_one_row_per_worker_and_one_column_per_component(world: Any, street_a_run: Any, client_for: Any) -> None:
    r = client_for(world.finance).get(reverse("pay:export", args=[street_a_run.pk]))
    assert r.status_code == 200
    rows = _read(r.content)
    assert "槐阳街道" in rows[0][0] and "2026年01月" in rows[0][0]
    assert "范围：槐阳街道" in rows[1][0]
    assert "核算月份：2026-01" in rows[2][0]
    header = rows[3]
    assert header[:6] == ["单位", "姓名", "身份证号", "岗位", "等级", "计薪天数"]
    assert header[6:10] == ["岗位工资", "级别工资", "学历津贴", "职业资格津贴"]
    data = {row[1]: dict(zip(header, row, strict=True)) for row in rows[4:] if len(row) == len(header) and row[2]}
    assert len(data) == 3
    head = data["金书记"]
    assert head["岗位工资"] + head["级别工资"] + head["学历津贴"] + head["职业资格津贴"] == pytest.approx(4700)
    assert head["当月应发"] == pytest.approx(4700) and head["个人五险一金"] == pytest.approx(1048.10)
    # P-NET: below 5,000 a month no tax is withheld, so 实发 is 应发 less contributions.
    assert head["个人所得税"] == 0 and head["实发"] == pytest.approx(4700 - 1048.10)


def test_the_export_sums_adjustments_per_worker_and_lists_them(world: Any, street_a_run: Any, lock: Any, run_month: Any, client_for: Any) -> None:
    lock(street_a_run)
    worker_update(worker=world.head, changes={"grade": 11}, effective=JAN, actor=world.street_a_hr, cause="更正")
    feb = run_month(world.street_a, FEB)
    content = client_for(world.finance).get(reverse("pay:export", args=[feb.pk])).content
    rows = _read(content)
    header = rows[3]
    head = dict(zip(header, next(r for r in rows[4:] if r[1] == "金书记"), strict=True))
    assert head["当月应发"] == pytest.approx(4820) and head["补发扣回"] == pytest.approx(120)
    assert head["应发合计（含补发扣回）"] == pytest.approx(4940)
    from shequ.pay.selectors import payrun_summary

    units = {u["unit_name"]: u for u in payrun_summary(run=feb).units}
    assert set(units) == {"迎宾社区", "槐阳北社区"}
    assert units["迎宾社区"]["adjustments"] == pytest.approx(120) and units["槐阳北社区"]["adjustments"] == 0
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    detail = book.get_sheet_by_name("补发扣回明细").to_python()
    assert detail[0] == ["单位", "姓名", "身份证号", "所属月份", "类型", "金额", "原因"]
    assert detail[1][1] == "金书记" and detail[1][3] == "2026-01" and detail[1][4] == "补发" and "等级 10→11" in detail[1][6]


@pytest.mark.parametrize("name,args", [
    ("pay:run", lambda run, w: [run.pk]),
    ("pay:payslip", lambda run, w: [run.pk, w.pk]),
    ("pay:export", lambda run, w: [run.pk]),
])
def test_street_b_hr_cannot_see_street_a_pages(world: Any, street_a_run: Any, client_for: Any, name: str, args: Any) -> None:
    r = client_for(world.street_b_hr).get(reverse(name, args=args(street_a_run, world.head)))
    assert r.status_code == 404


@pytest.mark.parametrize("name", ["pay:compute", "pay:delete"])
def test_street_b_hr_cannot_touch_street_a_runs(world: Any, street_a_run: Any, client_for: Any, name: str) -> None:
    r = client_for(world.street_b_hr).post(reverse(name, args=[street_a_run.pk]))
    assert r.status_code == 404
    assert PayRun.objects.filter(pk=street_a_run.pk, status=RunStatus.DRAFT).exists()


def test_street_b_hr_cannot_run_street_a(world: Any, client_for: Any) -> None:
    r = client_for(world.street_b_hr).post(reverse("pay:create"), {"unit": world.street_a.pk, "month": "2026-01"})
    assert r.status_code == 404
    assert not PayRun.objects.exists()


def test_street_b_hr_does_not_see_street_a_runs_in_the_list(world: Any, street_a_run: Any, run_month: Any, client_for: Any) -> None:
    run_month(world.street_b, JAN, actor=world.street_b_hr)
    page = client_for(world.street_b_hr).get(reverse("pay:index")).content.decode()
    assert "东门街道" in page and "槐阳街道" not in page.split('id="runs"')[1]


def test_a_community_secretary_has_no_pay_pages(world: Any, street_a_run: Any, client_for: Any) -> None:
    assert client_for(world.secretary_a1).get(reverse("pay:index")).status_code == 403


def test_the_finance_sheet_prints_with_unit_subtotals_a_grand_total_and_signature_lines(world: Any, street_a_run: Any, client_for: Any) -> None:
    """Issue 13 point 6: landscape, fit to the page width, header row on every page,
    a subtotal per unit, the grand total, 制表人 / 审核人 / 负责人."""
    import io

    import openpyxl

    content = client_for(world.finance).get(reverse("pay:export", args=[street_a_run.pk])).content
    rows = _read(content)
    header = rows[3]
    col = header.index("应发合计（含补发扣回）")
    workers = [r for r in rows[4:] if len(r) > 2 and r[2]]
    subtotals = [r for r in rows[4:] if str(r[0]).endswith(" 小计")]
    grand = next(r for r in rows[4:] if r[0] == "合计")
    assert {r[0] for r in subtotals} == {f"{u} 小计" for u in {w[0] for w in workers}}
    for s in subtotals:
        unit = s[0].removesuffix(" 小计")
        assert s[col] == pytest.approx(sum(w[col] for w in workers if w[0] == unit))
        assert s[1] == f"{sum(1 for w in workers if w[0] == unit)} 人"
    assert grand[col] == pytest.approx(sum(w[col] for w in workers)) and grand[1] == f"{len(workers)} 人"
    assert any(str(r[0]).startswith("制表人") and "审核人" in r[0] and "负责人" in r[0] for r in rows)
    ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert ws.page_setup.orientation == "landscape"
    # fitToWidth is left out when 1, its default in the file format.
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == "4:4"
