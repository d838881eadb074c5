"""The finance export: one row per worker, one column per pay component, scope and month
printed on top, a subtotal per unit, the grand total and the signature line; adjustments
summed per worker and listed on a second sheet. Also the withholding client's import sheet
and the bank transfer sheet of a run (P-NET)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import polars as pl

from shequ.common.bulk import frame_from_queryset
from shequ.common.excel import SIGNATURES, Total, scope_line, xlsx_bytes
from shequ.pay.models import SPECIAL_KINDS, BankAccount, LineKind, PayLine, PayRun, SpecialDeduction

FIXED_HEADERS = ["单位", "姓名", "身份证号", "岗位", "等级", "计薪天数"]
TAIL_HEADERS = [
    "当月应发", "补发扣回", "应发合计（含补发扣回）", "个人五险一金", "单位五险一金", "专项附加扣除", "个人所得税", "扣款", "实发",
    "月度项目明细",
]
ADJ_HEADERS = ["单位", "姓名", "身份证号", "所属月份", "类型", "金额", "原因"]


def _lines(run: PayRun) -> Iterator[tuple[Any, ...]]:
    return (
        PayLine.objects.filter(run=run)
        .order_by("unit__path", "worker__name", "worker_id", "for_month")
        .values_list("unit__name", "worker_id", "worker__name", "worker__id_number", "kind", "for_month", "post",
                     "grade", "days", "components", "gross", "employee_benefits", "employer_benefits", "reason",
                     "special_deduction", "tax", "deductions", "net", "items")
        .iterator(chunk_size=5000)
    )


def finance_rows(run: PayRun) -> tuple[list[str], list[list[Any]], list[list[Any]]]:
    comps = list(run.components)
    by_worker: dict[int, list[Any]] = {}
    adjustments: list[list[Any]] = []
    for (unit, wid, name, idn, kind, month, post, grade, days, components, gross, ee, er, reason,
         special, tax, deductions, net, items) in _lines(run):
        row = by_worker.get(wid)
        if row is None:
            row = [unit, name, idn, post, grade, 0, *([0.0] * len(comps)), *([0.0] * (len(TAIL_HEADERS) - 1)), ""]
            by_worker[wid] = row
        base = len(FIXED_HEADERS)
        tail = base + len(comps)
        if kind == LineKind.REGULAR:
            row[0], row[3], row[4], row[5] = unit, post, grade, days
            # P-ITEM: additions are in 应发, deductions (negative) in 扣款.
            row[-1] = "；".join(f"{k} {float(v):.2f}" for k, v in (items or {}).items())
            for i, c in enumerate(comps):
                row[base + i] = round(row[base + i] + float(components.get(c, 0) or 0), 2)
            row[tail] = round(row[tail] + float(gross), 2)
        else:
            row[tail + 1] = round(row[tail + 1] + float(gross), 2)
            label = LineKind(kind).label
            adjustments.append([unit, name, idn, f"{month:%Y-%m}", label, float(gross), reason])
        row[tail + 3] = round(row[tail + 3] + float(ee), 2)
        row[tail + 4] = round(row[tail + 4] + float(er), 2)
        for i, v in ((5, special), (6, tax), (7, deductions), (8, net)):
            row[tail + i] = round(row[tail + i] + float(v), 2)
    for row in by_worker.values():
        tail = len(FIXED_HEADERS) + len(comps)
        row[tail + 2] = round(row[tail] + row[tail + 1], 2)
    return FIXED_HEADERS + comps + TAIL_HEADERS, list(by_worker.values()), adjustments


def finance_export(run: PayRun) -> bytes:
    headers, rows, adjustments = finance_rows(run)
    title = scope_line(scope_name=run.unit.name, on=run.month, what=f"{run.unit.name} {run.month:%Y年%m月} 薪酬发放表（{run.get_status_display()}）")
    title.append(f"核算月份：{run.month:%Y-%m}    人数：{run.headcount}    个人所得税合计：{run.tax_total}    "
                 f"实发合计：{run.net_total}    政策版本：{'；'.join(run.policies)}")
    return xlsx_bytes(
        sheet="薪酬发放表", headers=headers, rows=with_totals(rows, len(headers)), title_lines=title,
        extra_sheets=[("补发扣回明细", ADJ_HEADERS, adjustments)], footer_lines=[SIGNATURES],
        number_formats={h: "#,##0.00" for h in headers[len(FIXED_HEADERS):]},
    )


def with_totals(rows: list[list[Any]], width: int) -> Iterator[list[Any]]:
    """The workers of each unit followed by the unit's subtotal, then the grand total, for
    finance to print and sign: the money columns summed, headcount in 姓名."""
    money = range(len(FIXED_HEADERS), width)
    grand = [0.0] * width
    count = 0

    def total(label: str, sums: list[float], n: int) -> Total:
        return Total([label, f"{n} 人", None, None, None, None, *(round(sums[i], 2) for i in money)])

    unit: Any = None
    sums = [0.0] * width
    n = 0
    for row in rows:
        if n and row[0] != unit:
            yield total(f"{unit} 小计", sums, n)
            sums, n = [0.0] * width, 0
        unit = row[0]
        for i in money:
            sums[i] += row[i] or 0
            grand[i] += row[i] or 0
        n += 1
        count += 1
        yield row
    if n:
        yield total(f"{unit} 小计", sums, n)
    yield total("合计", grand, count)


# ---- the tax office and the bank (P-NET) -------------------------------------------------

# The withholding client's (自然人电子税务局扣缴端) 正常工资薪金所得 import sheet, in its order.
TAX_HEADERS = [
    "工号", "*姓名", "*证件类型", "*证件号码", "本期收入", "本期免税收入", "基本养老保险费", "基本医疗保险费",
    "失业保险费", "住房公积金", "累计子女教育", "累计继续教育", "累计住房贷款利息", "累计住房租金", "累计赡养老人",
    "累计3岁以下婴幼儿照护", "累计个人养老金", "企业(职业)年金", "商业健康保险", "税延养老保险", "其他",
    "准予扣除的捐赠额", "减免税额", "备注",
]
# A policy's 五险一金 item → the sheet's column, by the word in its name (养老保险, 基本养老保险 …).
TAX_CONTRIBUTION_COLUMNS = {"养老": "基本养老保险费", "医疗": "基本医疗保险费", "失业": "失业保险费", "公积金": "住房公积金"}
ID_TYPE = "居民身份证"
BANK_HEADERS = ["序号", "姓名", "证件号码", "开户行", "卡号", "金额", "备注"]
NO_ACCOUNT = "缺少银行账户"
NOT_POSITIVE = "实发不大于 0，不转账"


def _run_lines(run: PayRun) -> pl.DataFrame:
    """One row per line of the run, with the worker's name and ID number (bulk read)."""
    qs = (
        PayLine.objects.filter(run=run).order_by("unit__path", "worker__name", "worker_id", "for_month")
        .values_list("worker_id", "worker__name", "worker__id_number", "unit__name", "kind", "gross", "taxable",
                     "employee_benefits", "contributions", "net")
    )
    return frame_from_queryset(qs, {
        "worker_id": pl.Int64, "name": pl.Utf8, "id_number": pl.Utf8, "unit_name": pl.Utf8, "kind": pl.Utf8,
        "gross": pl.Float64, "taxable": pl.Float64, "employee_benefits": pl.Float64, "contributions": pl.Utf8,
        "net": pl.Float64,
    })


def _tax_column(item: str) -> str:
    return next((col for word, col in TAX_CONTRIBUTION_COLUMNS.items() if word in item), "其他")


def tax_office_rows(run: PayRun) -> list[list[Any]]:
    """One row per worker paid in the run. 本期收入 is everything paid this month (back pay
    included: it is taxed in the month paid); personal contributions by item, scaled so they
    add up to what was deducted (adjustment lines carry only the total); the special
    additional deductions as the year's running sums, as the client expects."""
    lines = _run_lines(run)
    if lines.is_empty():
        return []
    per_item: dict[int, dict[str, float]] = {}
    for wid, text in lines.select("worker_id", "contributions").iter_rows():
        acc = per_item.setdefault(wid, {})
        for k, v in json.loads(text or "{}").items():
            col = _tax_column(k)
            acc[col] = acc.get(col, 0.0) + float(v or 0)
    people = lines.group_by("worker_id", maintain_order=True).agg(
        pl.col("name").first(), pl.col("id_number").first(), pl.col("gross").sum(), pl.col("taxable").sum(),
        pl.col("employee_benefits").sum(),
    )
    specials = _special_ytd(run, people.get_column("worker_id").to_list())
    out = []
    cols = ["基本养老保险费", "基本医疗保险费", "失业保险费", "住房公积金", "其他"]
    for wid, name, idn, gross, taxable, ee in people.iter_rows():
        items = per_item.get(wid, {})
        listed = sum(items.values())
        if listed > 0:
            scaled = {c: round(items.get(c, 0.0) * ee / listed, 2) for c in cols}
            # Put the cent of rounding on the largest item, so the row adds up exactly.
            biggest = max(cols, key=lambda c: scaled[c])
            scaled[biggest] = round(scaled[biggest] + ee - sum(scaled.values()), 2)
        else:
            scaled = {c: 0.0 for c in cols}
            scaled["其他"] = round(ee, 2)
        sp = specials.get(wid, {})
        out.append([
            "", name, ID_TYPE, idn, round(gross, 2), round(gross - taxable, 2),
            scaled["基本养老保险费"], scaled["基本医疗保险费"], scaled["失业保险费"], scaled["住房公积金"],
            *[round(sp.get(k, 0.0), 2) for k in SPECIAL_KINDS],
            0.0, 0.0, 0.0, 0.0, scaled["其他"], 0.0, 0.0, "",
        ])
    return out


def _special_ytd(run: PayRun, worker_ids: list[int]) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = {}
    rows = SpecialDeduction.objects.filter(
        worker__unit__path__startswith=run.unit.path, month__gte=run.month.replace(month=1), month__lte=run.month,
    ).values_list("worker_id", "amounts")
    wanted = set(worker_ids)
    for wid, amounts in rows.iterator(chunk_size=5000):
        if wid in wanted:
            acc = out.setdefault(wid, {})
            for k, v in amounts.items():
                acc[k] = acc.get(k, 0.0) + float(v)
    return out


def tax_office_export(run: PayRun) -> bytes:
    return xlsx_bytes(sheet="正常工资薪金所得", headers=TAX_HEADERS, rows=tax_office_rows(run))


def bank_sheet_rows(run: PayRun) -> list[list[Any]]:
    """One row per worker: the run's 实发 for them and their account, full number. Workers
    without an account or with nothing to transfer are listed with a note, so the sheet's
    total always equals the run's 实发 total."""
    lines = _run_lines(run)
    if lines.is_empty():
        return []
    people = lines.group_by("worker_id", maintain_order=True).agg(
        pl.col("name").first(), pl.col("id_number").first(), pl.col("unit_name").first(), pl.col("net").sum(),
    )
    accounts = dict(
        (wid, (bank, card)) for wid, bank, card in BankAccount.objects.filter(
            worker__unit__path__startswith=run.unit.path).values_list("worker_id", "bank_name", "card_number")
        .iterator(chunk_size=5000)
    )
    out = []
    for i, (wid, name, idn, unit, net) in enumerate(people.iter_rows(), start=1):
        bank, card = accounts.get(wid, ("", ""))
        note = unit
        if not card:
            note += f"；{NO_ACCOUNT}"
        elif net <= 0:
            note += f"；{NOT_POSITIVE}"
        out.append([i, name, idn, bank, card, round(net, 2), note])
    return out


def bank_sheet_export(run: PayRun) -> tuple[bytes, int]:
    rows = bank_sheet_rows(run)
    total = round(sum(r[5] for r in rows), 2)
    accounts = sum(1 for r in rows if r[4])
    title = [f"{run.unit.name} {run.month:%Y年%m月} 工资代发表（{run.get_status_display()}）",
             f"笔数：{len(rows)}    金额合计：{total:.2f}    核算实发合计：{run.net_total}"]
    # The card number is text: Excel would turn 19 digits into 6.22E+18.
    return xlsx_bytes(sheet="工资代发", headers=BANK_HEADERS, rows=[[*r[:4], str(r[4]), *r[5:]] for r in rows],
                      title_lines=title), accounts
