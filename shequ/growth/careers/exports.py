"""Excel exports of the careers area. Each prints what it is, the scope and the date."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse

from shequ.common.excel import scope_line, xlsx_bytes, xlsx_response
from shequ.growth.careers import eligibility, selectors
from shequ.org.models import Unit

if TYPE_CHECKING:
    from shequ.accounts.models import User


def _respond(what: str, scope_name: str, on: date, sheet: str, headers: list[str], rows: Any,
             extra_sheets: Any = ()) -> HttpResponse:
    content = xlsx_bytes(sheet=sheet, headers=headers, rows=rows, extra_sheets=extra_sheets,
                         title_lines=scope_line(scope_name=scope_name, on=on, what=what))
    return xlsx_response(f"{what}-{scope_name}-{on:%Y%m%d}.xlsx", content)


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.2f}%"


RESERVE_HEADERS = ["街道", "社区", "书记后备人选", "政策最低人数", "缺额", "政策目标人数", "距目标", "适用政策"]
CANDIDATE_HEADERS = ["社区", "类别", "姓名", "性别", "出生日期", "年龄", "学历", "来源", "入库日期", "备注"]


def reserve(*, user: User, on: date, unit: Unit | None, scope_name: str) -> HttpResponse:
    rows = selectors.reserve_by_community(user=user, on=on, unit=unit)
    stats = selectors.reserve_stats(user=user, on=on, unit=unit)
    candidates = selectors.reserve_list(user=user, on=on, unit=unit)
    data = [[r.street_name, r.unit_name, r.count,
             r.minimum if r.minimum is not None else "未规定", r.shortfall,
             r.target if r.target is not None else "未规定", r.to_target, r.policy] for r in rows]
    data.append(["合计", f"{len(rows)} 个社区", sum(r.count for r in rows), "", sum(r.shortfall for r in rows),
                 "", sum(r.to_target for r in rows),
                 f"{selectors.RESERVE_AGE_LIMIT}岁及以下占比 {_pct(stats.young_share)}；"
                 f"{selectors.RESERVE_EDUCATION_FLOOR}及以上学历占比 {_pct(stats.educated_share)}"])
    people = [[c.community.name, c.get_kind_display(), c.name, c.sex, c.birth_date, _age(c.birth_date, on),
               c.education, c.source, c.added_on, c.note] for c in candidates]
    return _respond("书记后备人才库", scope_name, on, "各社区后备人选", RESERVE_HEADERS, data,
                    extra_sheets=[("后备人选名单", CANDIDATE_HEADERS, people)])


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


RETIREMENT_HEADERS = ["姓名", "所属单位", "性别", "岗位", "出生日期", "现年龄", "退休年龄", "退休日期", "依据政策"]


def retirements(*, user: User, on: date, unit: Unit | None, scope_name: str, months: int = 12) -> HttpResponse:
    due = selectors.retirements_due(user=user, on=on, unit=unit, months=months)
    rows = [[r["name"], r["unit"], r["sex"], r["post"], r["birth_date"], r["age_now"], r["retire_age"], r["retire_on"],
             r["policy"]] for r in due.iter_rows(named=True)]
    return _respond(f"未来{months}个月退休人员", scope_name, on, "退休预警", RETIREMENT_HEADERS, rows)


HONOUR_HEADERS = ["姓名", "所属单位", "类别", "级别", "名称", "授予/当选日期", "任期届满", "授予机关"]


def honours(*, user: User, on: date, kind: str, scope_name: str) -> HttpResponse:
    rows = [[h.worker.name, h.worker.unit.name, h.kind, h.level, h.title, h.awarded_on, h.term_end, h.awarded_by]
            for h in selectors.honour_list(user=user, kind=kind)]
    return _respond("表彰荣誉与两代表一委员", scope_name, on, "表彰荣誉", HONOUR_HEADERS, rows)


EVENT_HEADERS = ["生效日期", "姓名", "类型", "事由", "单位", "依据政策"]


def career_events(*, user: User, on: date, scope_name: str) -> HttpResponse:
    rows = [[e.effective, e.worker.name, e.get_kind_display(), e.cause, e.unit.name, e.policy_version]
            for e in selectors.career_events(user=user)]
    return _respond("晋升套转选拔与流动", scope_name, on, "职业发展", EVENT_HEADERS, rows)


EXIT_HEADERS = ["离职日期", "姓名", "单位", "退出方式", "事由", "依据政策"]


def exits(*, user: User, on: date, scope_name: str) -> HttpResponse:
    rows = [[e.effective, e.worker.name, e.unit.name, e.data.get("reason", ""), e.cause, e.policy_version]
            for e in selectors.exits(user=user)]
    return _respond("退出人员", scope_name, on, "退出", EXIT_HEADERS, rows)


GRID_HEADERS = ["社区", "网格", "户数", "户数标准", "是否达标", "网格党组织", "网格负责人"]


def grids(*, user: User, on: date, scope_name: str) -> HttpResponse:
    rows = [[g.community, g.name, g.households,
             f"{g.low}—{g.high}" if g.low is not None and g.high is not None else "未规定",
             "是" if g.in_standard else "否", g.party_org, g.leader_name]
            for g in selectors.grid_rows(user=user, on=on)]
    return _respond("网格", scope_name, on, "网格", GRID_HEADERS, rows)


ADMISSION_HEADERS = ["适用范围", "事项类别", "事项名称", "责任部门", "设定依据", "状态", "提出人", "审批人", "准入日期", "取消日期", "审批意见"]


def admission(*, user: User, on: date, status: str, scope_name: str) -> HttpResponse:
    rows = [[i.unit.name, i.category, i.title, i.department, i.basis, i.get_status_display(),
             str(i.proposed_by or ""), str(i.decided_by or ""), i.effective, i.removed_on, i.decision_note]
            for i in selectors.admission_items(user=user, status=status)]
    return _respond("社区工作准入清单", scope_name, on, "准入清单", ADMISSION_HEADERS, rows)


PROMOTION_HEADERS = ["姓名", "所属单位", "现岗位", "等级", "可晋升岗位", "是否符合条件", "未满足的条件", "适用政策"]


def promotions(*, user: User, on: date, unit: Unit | None, scope_name: str) -> HttpResponse:
    frame = eligibility.promotion_candidates(user=user, on=on, unit=unit)
    rows = [[r["name"], r["unit"], r["post"], r["grade"], r["to_post"], "是" if r["eligible"] else "否", r["unmet"],
             r["policy"]] for r in frame.iter_rows(named=True)]
    return _respond("晋升资格", scope_name, on, "晋升资格", PROMOTION_HEADERS, rows)
