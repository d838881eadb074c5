"""Excel of every list in the entry area; each prints its scope and date on top."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from shequ.common.excel import scope_line, xlsx_bytes
from shequ.common.pii import mask_id
from shequ.recruitment.conversion import DispatchCheck
from shequ.recruitment.models import Application, ConversionBatch, ConversionLine, RecruitmentPlan
from shequ.recruitment.selectors import GradeReport, PostRanking

PLAN_HEADERS = ["计划名称", "招聘范围", "状态", "公告日期", "报名开始", "报名截止", "考试日期", "公示日期", "政策版本"]
APPLICATION_HEADERS = ["姓名", "身份证号", "性别", "出生日期", "报考单位", "报考岗位", "学历", "职业资格",
                       "本地户籍或居住", "退役军人", "资格审查", "不通过原因", "笔试成绩", "面试成绩", "加分", "总成绩", "状态"]
RANKING_HEADERS = ["报考单位", "报考岗位", "招聘人数", "名次", "姓名", "身份证号", "笔试成绩", "面试成绩", "加分", "总成绩", "拟录用", "状态"]
DISPATCH_HEADERS = ["姓名", "身份证号", "所属单位", "岗位", "学历", "在街道工作年限", "是否符合转岗条件", "原因"]
LINE_HEADERS = ["姓名", "身份证号", "所属单位", "社区工作年限", "学历", "拟定岗位", "拟定等级", "确认岗位", "确认等级", "调整理由", "自愿签订劳动合同", "计算依据"]


def _float(d: Any) -> float | None:
    return float(d) if d is not None else None


def plans_xlsx(plans: Iterable[RecruitmentPlan], *, scope_name: str, on: date) -> bytes:
    rows = ([p.title, p.scope.name, p.get_status_display(), p.announced_on, p.apply_from, p.apply_until, p.exam_on,
             p.published_on, p.policy_version] for p in plans)
    return xlsx_bytes(sheet="招聘计划", headers=PLAN_HEADERS, rows=rows,
                      title_lines=scope_line(scope_name=scope_name, on=on, what="招聘计划一览"))


def applications_xlsx(plan: RecruitmentPlan, apps: Iterable[Application], *, on: date) -> bytes:
    rows = ([a.name, a.id_number, a.sex, a.birth_date, a.unit.name, a.plan_post.post, a.education, a.certificate,
             "是" if a.residence_local else "否", "是" if a.veteran else "否",
             "不通过" if a.status == "rejected" else "通过", a.rejection_reason, _float(a.written), _float(a.interview),
             _float(a.bonus), _float(a.total), a.get_status_display()] for a in apps)
    return xlsx_bytes(sheet="报名及资格审查", headers=APPLICATION_HEADERS, rows=rows,
                      title_lines=scope_line(scope_name=plan.scope.name, on=on, what=f"{plan.title} · 报名及资格审查"))


def ranking_xlsx(plan: RecruitmentPlan, ranking: list[PostRanking], *, on: date) -> bytes:
    """The published list (公示): per post, ranked, with who is within the places."""
    rows: list[list[Any]] = []
    for pr in ranking:
        pp = pr.plan_post
        for a, r in pr.ranked:
            rows.append([pp.unit.name, pp.post, pp.places, r.rank, a.name, mask_id(a.id_number), _float(a.written),
                         _float(a.interview), _float(a.bonus), _float(a.total), "是" if r.within_places else "否",
                         a.get_status_display()])
    published = f"公示日期：{plan.published_on:%Y-%m-%d}" if plan.published_on else "尚未公示"
    title = [*scope_line(scope_name=plan.scope.name, on=on, what=f"{plan.title} · 考试成绩及拟录用人员名单（公示）"),
             f"{published}    政策版本：{plan.policy_version}"]
    # A public notice (公示) is masked whoever prints it.
    return xlsx_bytes(sheet="公示名单", headers=RANKING_HEADERS, rows=rows, title_lines=title, ids="as_given")


def dispatch_xlsx(checks: Iterable[DispatchCheck], *, scope_name: str, on: date) -> bytes:
    rows = ([c.worker.name, c.worker.id_number, c.worker.unit.name, c.worker.post, c.worker.education, c.years,
             "是" if c.eligible else "否", "；".join(c.reasons)] for c in checks)
    return xlsx_bytes(sheet="劳务派遣转岗", headers=DISPATCH_HEADERS, rows=rows,
                      title_lines=scope_line(scope_name=scope_name, on=on, what="劳务派遣人员转岗资格"))


def batch_xlsx(batch: ConversionBatch, lines: Iterable[ConversionLine], report: GradeReport, *, on: date) -> bytes:
    rows = ([ln.worker.name, ln.worker.id_number, ln.unit.name, ln.years, ln.worker.education, ln.proposed_post,
             ln.proposed_grade, ln.final_post, ln.final_grade, ln.edit_reason, "是" if ln.voluntary_contract else "否",
             ln.explanation] for ln in lines)
    report_headers = ["岗位", *[f"{g}级" for g in report.grades], "合计"]
    report_rows = [[p, *report.row(p), report.post_total(p)] for p in report.posts]
    report_rows.append(["合计", *report.grade_totals(), report.total])
    return xlsx_bytes(
        sheet="套改人员", headers=LINE_HEADERS, rows=rows,
        title_lines=[*scope_line(scope_name=batch.scope.name, on=on, what=f"{batch.title} · 套改人员名单"),
                     f"状态：{batch.get_status_display()}    生效日期：{batch.effective:%Y-%m-%d}    共 {report.total} 人"],
        extra_sheets=[("按岗位和等级统计", report_headers, report_rows)],
    )


BATCH_HEADERS = ["批次名称", "范围", "生效日期", "状态", "人数", "政策版本", "确认时间"]


def batches_xlsx(batches: Iterable[ConversionBatch], *, scope_name: str, on: date) -> bytes:
    rows = ([b.title, b.scope.name, b.effective, b.get_status_display(), b.lines.count(), b.policy_version,
             b.confirmed_at.replace(tzinfo=None) if b.confirmed_at else None] for b in batches)
    return xlsx_bytes(sheet="套改批次", headers=BATCH_HEADERS, rows=rows,
                      title_lines=scope_line(scope_name=scope_name, on=on, what="两委成员套改批次一览"))
