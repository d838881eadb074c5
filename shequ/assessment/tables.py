"""Every list of the area as (title, headers, rows): the pages show them and the Excel
exports write the same rows, so what a user sees is what they download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from shequ.assessment.compute import Evaluation, cost_preview
from shequ.assessment.models import Campaign
from shequ.assessment.selectors import breach_list, consequence_list


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    money: tuple[int, ...] = ()  # columns shown as yuan with two decimals on the page

    def cells(self) -> list[list[tuple[Any, bool, bool]]]:
        """(value, is_number, is_money) per cell, for the page."""
        return [[(v, isinstance(v, int | float) and not isinstance(v, bool), i in self.money) for i, v in enumerate(r)]
                for r in self.rows]


def _fmt(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, 2)
    return v


def results_table(ev: Evaluation) -> Table:
    rows = [
        [r["name"], r["id_number"], r["unit_name"], r["post"], r["grade"], _fmt(r["score"]), r["tier"] or "未评定",
         "是" if r["breach"] else ""]
        for r in ev.frame.iter_rows(named=True)
    ]
    return Table("考核结果名单", ["姓名", "身份证号", "所属单位", "岗位", "等级", "得分", "考核等次", "负面清单"], rows)


def cap_table(ev: Evaluation) -> Table:
    rows = [[c["name"], c["unit_name"], _fmt(c["score"]), "优秀"] for c in ev.cap.candidates]
    return Table("优秀比例超限待调整名单", ["姓名", "所属单位", "得分", "考核等次"], rows)


def breaches_table(campaign: Campaign) -> Table:
    rows = [[b.worker.name, b.worker.id_number, b.unit.name, b.reason, b.recorded_at.date()] for b in breach_list(campaign=campaign)]
    return Table("负面清单情形", ["姓名", "身份证号", "所属单位", "情形", "登记日期"], rows)


def moves_table(ev: Evaluation) -> Table:
    """Who moves from what to what (A-STEP) and who lands on which list."""
    df = ev.scored.filter(pl.col("actions").list.len() > 0)
    rows = [
        [r["name"], r["id_number"], r["unit_name"], r["post"], r["tier"], r["grade"],
         r["new_grade"] if r["new_grade"] is not None else r["grade"], r["处理"]]
        for r in df.iter_rows(named=True)
    ]
    return Table("结果运用预览", ["姓名", "身份证号", "所属单位", "岗位", "考核等次", "原等级", "新等级", "处理"], rows)


def action_table(ev: Evaluation, action: str, title: str) -> Table:
    df = ev.scored.filter(pl.col("actions").list.contains(action))
    rows = [[r["name"], r["id_number"], r["unit_name"], r["post"], r["tier"], _fmt(r["score"])] for r in df.iter_rows(named=True)]
    return Table(title, ["姓名", "身份证号", "所属单位", "岗位", "考核等次", "得分"], rows)


def cost_table(ev: Evaluation, on: date) -> Table:
    c = cost_preview(ev, on)
    rows = [[r["unit_name"], r["headcount"], r["before"], r["after"], r["change"], r["employer_change"], r["dismissal_change"]]
            for r in c.by_unit]
    t = c.total
    rows.append(["合计", t["headcount"], t["before"], t["after"], t["change"], t["employer_change"], t["dismissal_change"]])
    return Table(f"月度人员经费变化测算（按 {on:%Y-%m-%d} 的政策）",
                 ["单位", "人数", "调整前月应发合计", "调整后月应发合计", "应发变化", "单位五险一金变化", "二次确认解聘后减少（含单位五险一金）"], rows,
                 money=(2, 3, 4, 5, 6))


def consequences_table(campaign: Campaign) -> Table:
    rows = [
        [c.worker.name, c.worker.id_number, c.unit.name, c.tier, c.action, c.grade_before, c.grade_after,
         c.get_status_display(), c.policy_version]
        for c in consequence_list(campaign=campaign)
    ]
    return Table("结果运用", ["姓名", "身份证号", "所属单位", "考核等次", "处理", "原等级", "新等级", "状态", "政策版本"], rows)


EXPORTS = {
    "results": "考核结果名单", "cap": "优秀比例超限待调整名单", "breaches": "负面清单情形", "preview": "结果运用预览",
    "cost": "月度人员经费变化测算", "promote": "优先晋升名单", "warn": "约谈提醒名单", "dismiss": "拟解聘名单",
    "consequences": "结果运用",
}


def export_table(kind: str, campaign: Campaign, ev: Evaluation, on: date) -> Table:
    if kind == "results":
        return results_table(ev)
    if kind == "cap":
        return cap_table(ev)
    if kind == "breaches":
        return breaches_table(campaign)
    if kind == "preview":
        return moves_table(ev)
    if kind == "cost":
        return cost_table(ev, on)
    if kind == "promote":
        return action_table(ev, "优先晋升", "优先晋升名单")
    if kind == "warn":
        return action_table(ev, "约谈提醒", "约谈提醒名单")
    if kind == "dismiss":
        return action_table(ev, "解聘", "拟解聘名单")
    if kind == "consequences":
        return consequences_table(campaign)
    raise KeyError(kind)
