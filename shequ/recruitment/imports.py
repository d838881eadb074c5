"""The applications sheet (报名表) of one plan: staged import, every error with its row and
column, all rows or none. Eligibility rejections are not errors: they are recorded with
their reason (E-EXAM)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shequ.common.imports import RowError, field_errors
from shequ.errors import Invalid
from shequ.recruitment.models import Application, AppStatus, PlanPost, RecruitmentPlan
from shequ.recruitment.services import ApplicantData, applications_bulk_create, build_applications
from shequ.rules.vocab import CERTIFICATES, EDUCATION
from shequ.sheets import read_records
from shequ.workers.idnumbers import IdNumberError, parse_id

if TYPE_CHECKING:
    from shequ.accounts.models import User

# (header, key, required)
COLUMNS: list[tuple[str, str, bool]] = [
    ("姓名", "name", True), ("身份证号", "id_number", True), ("报考单位", "unit", True), ("报考岗位", "post", True),
    ("学历", "education", True), ("职业资格", "certificate", False), ("本地户籍或居住", "residence_local", False),
    ("退役军人", "veteran", False), ("联系电话", "phone", False),
]
HEADERS = [h for h, _, _ in COLUMNS]
COMMENTS = {
    "姓名": "必填", "身份证号": "必填，18 位，校验位须正确；同一计划内不能重复报名",
    "报考单位": "必填，须为本计划招聘岗位所在单位的名称", "报考岗位": "必填，须为该单位在本计划中的招聘岗位",
    "学历": "必填：" + "、".join(EDUCATION), "职业资格": "可空（视为“无”）：" + "、".join(CERTIFICATES),
    "本地户籍或居住": "是 / 否（可空，视为否）", "退役军人": "是 / 否（可空，视为否）", "联系电话": "可空",
}
YES, NO = ("是", "Y", "YES", "1", "TRUE"), ("否", "", "N", "NO", "0", "FALSE")

MISSING_COLUMNS = "缺少必填列：{columns}"
REQUIRED = "必填"
BAD_CHOICE = "“{value}”不是可选值（{choices}）"
BAD_YES_NO = "应填“是”或“否”，而不是“{value}”"
NO_SUCH_POST = "本计划在“{unit}”没有“{post}”岗位"
DUPLICATE_IN_FILE = "身份证号与第 {row} 行重复"
ALREADY_APPLIED = "身份证号 {id_number} 已报名本计划（{name}）"
NO_PLAN = "请从招聘计划页面导入报名表"


def read_rows(content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {header: text}) for every non-empty row; header is row 1."""
    headers, records = read_records(content, filename)
    missing = [h for h, _, req in COLUMNS if req and h not in headers]
    if missing:
        raise Invalid(MISSING_COLUMNS.format(columns="、".join(missing)))
    return records


def _yes_no(value: str, row: int, column: str, errors: list[RowError]) -> bool:
    v = value.upper()
    if v in YES:
        return True
    if v not in NO:
        errors.append(RowError(row, column, BAD_YES_NO.format(value=value)))
    return False


def validate_for_plan(plan: RecruitmentPlan, content: bytes, filename: str) -> tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]:
    posts = {(pp.unit.name, pp.post): pp for pp in plan.posts.select_related("unit")}
    existing = dict(Application.objects.filter(plan=plan).values_list("id_number", "name"))
    seen: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    rejected = 0
    good: list[tuple[int, PlanPost, ApplicantData]] = []
    for row, cells in read_rows(content, filename):
        row_errors: list[RowError] = []
        for header, _, req in COLUMNS:
            if req and not cells.get(header):
                row_errors.append(RowError(row, header, REQUIRED))
        id_number = cells.get("身份证号", "").upper()
        if id_number:
            try:
                parse_id(id_number)
            except IdNumberError as exc:
                row_errors.append(RowError(row, "身份证号", str(exc)))
            else:
                if id_number in seen:
                    row_errors.append(RowError(row, "身份证号", DUPLICATE_IN_FILE.format(row=seen[id_number])))
                elif id_number in existing:
                    row_errors.append(RowError(row, "身份证号", ALREADY_APPLIED.format(
                        id_number=id_number, name=existing[id_number])))
                seen.setdefault(id_number, row)
        education = cells.get("学历", "")
        if education and education not in EDUCATION:
            row_errors.append(RowError(row, "学历", BAD_CHOICE.format(value=education, choices="、".join(EDUCATION))))
        certificate = cells.get("职业资格", "") or "无"
        if certificate not in CERTIFICATES:
            row_errors.append(RowError(row, "职业资格", BAD_CHOICE.format(value=certificate, choices="、".join(CERTIFICATES))))
        residence = _yes_no(cells.get("本地户籍或居住", ""), row, "本地户籍或居住", row_errors)
        veteran = _yes_no(cells.get("退役军人", ""), row, "退役军人", row_errors)
        pp = posts.get((cells.get("报考单位", ""), cells.get("报考岗位", "")))
        if pp is None and cells.get("报考单位") and cells.get("报考岗位"):
            row_errors.append(RowError(row, "报考岗位", NO_SUCH_POST.format(unit=cells["报考单位"], post=cells["报考岗位"])))
        # What the applications table would refuse at commit: a name or phone beyond its column.
        row_errors += field_errors(Application, {"name": cells.get("姓名"), "phone": cells.get("联系电话")},
                                   row=row, columns={"name": "姓名", "phone": "联系电话"})
        if row_errors:
            errors += row_errors
            continue
        data = ApplicantData(name=cells["姓名"], id_number=id_number, education=education, certificate=certificate,
                             residence_local=residence, veteran=veteran, phone=cells.get("联系电话", ""))
        good.append((row, pp, data))  # type: ignore[arg-type]
    # Eligibility of every good row in one engine call (per policy).
    apps = build_applications(plan=plan, entries=[(pp, data) for _, pp, data in good])
    for (row, pp, data), app in zip(good, apps, strict=True):
        rejected += app.status == AppStatus.REJECTED
        rows.append({
            "_row": row, "plan_id": plan.pk, "plan_post_id": pp.pk, "name": data.name, "id_number": app.id_number,
            "unit": pp.unit.name, "post": pp.post, "education": data.education, "certificate": data.certificate,
            "residence_local": data.residence_local, "veteran": data.veteran, "phone": data.phone,
            "check": app.rejection_reason or "通过",
        })
    return rows, errors, {"plan": plan.title, "plan_id": plan.pk, "rows": len(rows) + len({e.row for e in errors}), "rejected": rejected}


def applications_validate(content: bytes, filename: str, unit: Any, actor: User) -> tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]:
    raise Invalid(NO_PLAN)


def applications_commit(rows: list[dict[str, Any]], unit: Any, actor: User) -> dict[str, Any]:
    """Rebuild every application (eligibility decided again at commit) and insert them all."""
    if not rows:
        return {"created": 0}
    plan = RecruitmentPlan.objects.select_related("scope").get(pk=rows[0]["plan_id"])
    posts = {pp.pk: pp for pp in PlanPost.objects.filter(plan=plan).select_related("unit")}
    apps = build_applications(plan=plan, entries=[
        (posts[r["plan_post_id"]], ApplicantData(
            name=r["name"], id_number=r["id_number"], education=r["education"], certificate=r["certificate"],
            residence_local=r["residence_local"], veteran=r["veteran"], phone=r["phone"]))
        for r in rows
    ])
    n = applications_bulk_create(plan=plan, apps=apps, actor=actor)
    return {"created": n, "rejected": sum(a.status == AppStatus.REJECTED for a in apps)}


def template_xlsx(plan: RecruitmentPlan) -> bytes:
    """The applications sheet of a plan to fill in: dropdowns for the plan's units and
    posts, education, certificate and the yes/no columns; one example on 填写说明."""
    from datetime import date

    from shequ.common.excel import TemplateColumn
    from shequ.common.excel import template_xlsx as build
    from shequ.sheets.idcard import make_id_number

    plan_posts = list(plan.posts.select_related("unit"))
    units = list(dict.fromkeys(pp.unit.name for pp in plan_posts))
    posts = list(dict.fromkeys(pp.post for pp in plan_posts))
    first = plan_posts[0] if plan_posts else None
    yes_no = ["是", "否"]
    columns = [
        TemplateColumn("姓名", "", required=True, example="张三"),
        TemplateColumn("身份证号", COMMENTS["身份证号"], kind="id", required=True,
                       example=make_id_number("110101", date(1996, 3, 7), 12, "男")),
        TemplateColumn("报考单位", COMMENTS["报考单位"], kind="choice", choices=units, required=True,
                       example=first.unit.name if first else ""),
        TemplateColumn("报考岗位", COMMENTS["报考岗位"], kind="choice", choices=posts, required=True,
                       example=first.post if first else ""),
        TemplateColumn("学历", "", kind="choice", choices=EDUCATION, required=True, example="本科"),
        TemplateColumn("职业资格", "为空即“无”", kind="choice", choices=CERTIFICATES, example="无"),
        TemplateColumn("本地户籍或居住", "为空即“否”", kind="choice", choices=yes_no, example="是"),
        TemplateColumn("退役军人", "为空即“否”", kind="choice", choices=yes_no, example="否"),
        TemplateColumn("联系电话", "", example="13800000000"),
    ]
    return build(sheet="报名表", columns=columns, scope_name=f"{plan.scope.name}（{plan.title}）")
