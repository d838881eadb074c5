"""Quota lists as Excel sheets: scope and date on the first rows (Q-USE, Q-REV)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from shequ.common.excel import scope_line, xlsx_bytes
from shequ.quota.models import QuotaDecision
from shequ.quota.selectors import Ledger, LedgerRow, ReviewItem

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


DECISION_HEADERS = ["单位", "单位类型", "生效日期", "原员额", "拟定/核定员额", "政策测算员额", "来源", "状态", "理由",
                    "提出人", "审批人", "审批意见", "政策版本", "计算依据"]


def decisions_xlsx(*, decisions: Iterable[QuotaDecision], scope_name: str, on: date, status_label: str) -> bytes:
    rows = [
        [d.unit.name, d.unit.unit_type, d.since, d.previous_quota, d.quota, d.computed_quota, d.get_source_display(),
         d.get_status_display(), d.reason, str(d.proposed_by or ""), str(d.decided_by or ""), d.decision_note,
         d.policy_version, d.explanation]
        for d in decisions
    ]
    return xlsx_bytes(sheet="员额调整", headers=DECISION_HEADERS, rows=rows,
                      title_lines=scope_line(scope_name=scope_name, on=on, what=f"员额调整（{status_label}）"))


REVIEW_HEADERS = ["类别", "单位", "单位类型", "现行员额", "核定日期", "复核周期（年）", "应复核日期", "政策版本"]
REVIEW_KINDS = {"due": "到期应复核", "unset": "尚未核定员额", "no_period": "政策未规定复核周期"}


def review_xlsx(*, data: dict[str, list[ReviewItem]], scope_name: str, on: date) -> bytes:
    rows = [
        [REVIEW_KINDS[kind], i.unit.name, i.unit.unit_type, i.quota, i.since, i.every_years, i.due_on, i.policy_version]
        for kind in REVIEW_KINDS for i in data.get(kind, [])
    ]
    return xlsx_bytes(sheet="员额复核", headers=REVIEW_HEADERS, rows=rows,
                      title_lines=scope_line(scope_name=scope_name, on=on, what="员额定期复核"))
