"""The finance export: one row per worker, one column per pay component, scope and month
printed on top, a subtotal per unit, the grand total and the signature line; adjustments
summed per worker and listed on a second sheet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shequ.common.excel import SIGNATURES, Total, scope_line, xlsx_bytes
from shequ.pay.models import LineKind, PayLine, PayRun

FIXED_HEADERS = ["单位", "姓名", "身份证号", "岗位", "等级", "计薪天数"]
TAIL_HEADERS = ["当月应发", "补发扣回", "应发合计（含补发扣回）", "个人五险一金", "单位五险一金", "实发（未扣个税）"]
ADJ_HEADERS = ["单位", "姓名", "身份证号", "所属月份", "类型", "金额", "原因"]


def _lines(run: PayRun) -> Iterator[tuple[Any, ...]]:
    return (
        PayLine.objects.filter(run=run)
        .order_by("unit__path", "worker__name", "worker_id", "for_month")
        .values_list("unit__name", "worker_id", "worker__name", "worker__id_number", "kind", "for_month", "post",
                     "grade", "days", "components", "gross", "employee_benefits", "employer_benefits", "reason")
        .iterator(chunk_size=5000)
    )


def finance_rows(run: PayRun) -> tuple[list[str], list[list[Any]], list[list[Any]]]:
    comps = list(run.components)
    by_worker: dict[int, list[Any]] = {}
    adjustments: list[list[Any]] = []
    for unit, wid, name, idn, kind, month, post, grade, days, components, gross, ee, er, reason in _lines(run):
        row = by_worker.get(wid)
        if row is None:
            row = [unit, name, idn, post, grade, 0, *([0.0] * len(comps)), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
            by_worker[wid] = row
        base = len(FIXED_HEADERS)
        tail = base + len(comps)
        if kind == LineKind.REGULAR:
            row[0], row[3], row[4], row[5] = unit, post, grade, days
            for i, c in enumerate(comps):
                row[base + i] = round(row[base + i] + float(components.get(c, 0) or 0), 2)
            row[tail] = round(row[tail] + float(gross), 2)
        else:
            row[tail + 1] = round(row[tail + 1] + float(gross), 2)
            label = LineKind(kind).label
            adjustments.append([unit, name, idn, f"{month:%Y-%m}", label, float(gross), reason])
        row[tail + 3] = round(row[tail + 3] + float(ee), 2)
        row[tail + 4] = round(row[tail + 4] + float(er), 2)
    for row in by_worker.values():
        tail = len(FIXED_HEADERS) + len(comps)
        row[tail + 2] = round(row[tail] + row[tail + 1], 2)
        row[tail + 5] = round(row[tail + 2] - row[tail + 3], 2)
    return FIXED_HEADERS + comps + TAIL_HEADERS, list(by_worker.values()), adjustments


def finance_export(run: PayRun) -> bytes:
    headers, rows, adjustments = finance_rows(run)
    title = scope_line(scope_name=run.unit.name, on=run.month, what=f"{run.unit.name} {run.month:%Y年%m月} 薪酬发放表（{run.get_status_display()}）")
    title.append(f"核算月份：{run.month:%Y-%m}    人数：{run.headcount}    政策版本：{'；'.join(run.policies)}")
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
