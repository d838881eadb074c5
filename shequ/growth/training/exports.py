"""Excel exports: each says what it is, for which scope and as of when (scope_line)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.http import HttpResponse

from shequ.common.excel import scope_line, xlsx_bytes, xlsx_response
from shequ.growth.training.certification import certification_due, certification_share
from shequ.growth.training.compliance import training_compliance
from shequ.growth.training.coverage import mentoring_coverage, rotation_coverage
from shequ.growth.training.selectors import hours_by_worker
from shequ.org.models import Unit

if TYPE_CHECKING:
    from shequ.accounts.models import User


def _scope_name(user: User, root: Unit | None) -> str:
    return root.name if root is not None else "全部"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def compliance_bytes(*, user: User, root: Unit | None, on: date) -> bytes:
    result = training_compliance(user=user, root=root, on=on)
    rows = [
        [r["unit_name"], r["name"], r["id_number"], r["post"], r["requirement"], r["last_training"], r["due"],
         r["days_overdue"]]
        for r in result.overdue.to_dicts()
    ]
    units = [[r["unit_name"], r["headcount"], r["required"], r["overdue"], _pct(r["share_ok"])]
             for r in result.by_unit.to_dicts()]
    return xlsx_bytes(
        sheet="逾期未培训名单",
        title_lines=scope_line(scope_name=_scope_name(user, root), on=on, what="培训逾期名单（T-LEVEL）"),
        headers=["所属单位", "姓名", "身份证号", "岗位", "培训要求", "最近一次达标培训", "应训截止日期", "逾期天数"],
        rows=rows,
        extra_sheets=[("按单位汇总", ["单位", "在册人数", "应训人数", "逾期人数", "达标率"], units)],
    )


def compliance_export(*, user: User, root: Unit | None, on: date) -> HttpResponse:
    return xlsx_response(f"培训逾期名单_{on:%Y%m%d}.xlsx", compliance_bytes(user=user, root=root, on=on))


def hours_export(*, user: User, root: Unit | None, year: int) -> HttpResponse:
    rows = hours_by_worker(user=user, root=root, start=date(year, 1, 1), end=date(year, 12, 31))
    content = xlsx_bytes(
        sheet="培训学时",
        title_lines=scope_line(scope_name=_scope_name(user, root), on=date(year, 12, 31), what=f"{year}年培训人次与学时"),
        headers=["所属单位", "姓名", "身份证号", "参训人次", "学时", "市级", "县级", "街道"],
        rows=[[r["unit__name"], r["worker__name"], r["worker__id_number"], r["times"], float(r["hours"] or 0),
               r["city"], r["county"], r["street"]] for r in rows],
    )
    return xlsx_response(f"培训学时_{year}.xlsx", content)


def mentoring_export(*, user: User, root: Unit | None, on: date) -> HttpResponse:
    cov = mentoring_coverage(user=user, root=root, on=on)
    content = xlsx_bytes(
        sheet="未结对名单",
        title_lines=scope_line(scope_name=_scope_name(user, root), on=on, what="导师帮带未结对名单（T-MENTOR）"),
        headers=["所属单位", "姓名", "身份证号", "岗位", "年龄", "帮带类别"],
        rows=[[r["unit_name"], r["name"], r["id_number"], r["post"], r["age"], r["reasons"]] for r in cov.unpaired.to_dicts()],
        extra_sheets=[("覆盖情况", ["类别", "应帮带人数", "已结对", "未结对", "覆盖率"],
                       [[g["label"], g["targets"], g["paired"], g["unpaired"], _pct(g["share"])] for g in cov.groups])],
    )
    return xlsx_response(f"导师帮带未结对名单_{on:%Y%m%d}.xlsx", content)


def rotation_export(*, user: User, root: Unit | None, on: date) -> HttpResponse:
    rows = rotation_coverage(user=user, root=root, on=on).to_dicts()
    content = xlsx_bytes(
        sheet="全岗通覆盖",
        title_lines=scope_line(scope_name=_scope_name(user, root), on=on, what="全岗通轮岗与跟岗学习（T-ALL、T-EXCH）"),
        headers=["单位", "在册人数", "已轮岗人数", "轮岗覆盖率", "达到全岗通人数", "跟岗学习人数"],
        rows=[[r["unit_name"], r["headcount"], r["rotated"], _pct(r["share_rotated"]), r["all_posts"], r["exchanged"]]
              for r in rows],
    )
    return xlsx_response(f"全岗通覆盖_{on:%Y%m%d}.xlsx", content)


def certification_export(*, user: User, root: Unit | None, on: date) -> HttpResponse:
    share = certification_share(user=user, root=root, on=on).to_dicts()
    due = certification_due(user=user, root=root, on=on).workers.to_dicts()
    content = xlsx_bytes(
        sheet="待持证名单",
        title_lines=scope_line(scope_name=_scope_name(user, root), on=on, what="持证上岗：待取证名单（T-CERT）"),
        headers=["所属单位", "姓名", "身份证号", "岗位", "提醒日期", "持证期限", "状态", "剩余天数"],
        rows=[[r["unit_name"], r["name"], r["id_number"], r["post"], r["warning"], r["deadline"], r["status"], r["days_left"]]
              for r in due],
        extra_sheets=[("持证率", ["单位", "在册人数", "持证人数", "持证率"],
                       [[r["unit_name"], r["headcount"], r["certified"], _pct(r["share"])] for r in share])],
    )
    return xlsx_response(f"持证情况_{on:%Y%m%d}.xlsx", content)
