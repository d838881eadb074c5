"""The ledger as an Excel sheet: scope and date on the first rows (Q-USE)."""

from __future__ import annotations

from typing import Any

from shequ.common.excel import scope_line, xlsx_bytes
from shequ.quota.selectors import Ledger, LedgerRow

HEADERS = ["单位", "单位类型", "核定员额", "在编人数（含试用期）", "空缺", "超编", "劳务派遣（不占员额）", "未核定员额单位数",
           "城镇常住人口", "每万城镇常住人口社区工作者数"]
RESERVE_HEADERS = ["书记后备人选", "后备人选最低要求", "后备人选缺口"]


def _cells(row: LedgerRow, has_reserve: bool) -> list[Any]:
    cells: list[Any] = [row.unit.name, row.unit.unit_type, row.quota, row.filled, row.vacant, row.over, row.dispatch, row.unset,
                        row.urban_population, row.per_10k]
    if has_reserve:
        cells += [row.reserve, row.reserve_min, row.reserve_short]
    return cells


def ledger_xlsx(*, ledger: Ledger) -> bytes:
    headers = HEADERS + (RESERVE_HEADERS if ledger.has_reserve else [])
    rows = [_cells(r, ledger.has_reserve) for r in ledger.rows]
    total = _cells(ledger.total, ledger.has_reserve)
    total[0] = f"合计（{ledger.root.name}）"
    rows.append(total)
    return xlsx_bytes(
        sheet="员额台账", headers=headers, rows=rows,
        title_lines=scope_line(scope_name=ledger.root.name, on=ledger.on, what="员额台账（核定、在编、空缺、超编）"),
    )
