"""Sheets to fill in (FORMATS.md headers), made for the user who downloads them: dropdowns
from the vocabularies, the governing policy's posts and the user's own units, ID numbers
as text, dates as dates, and a 填写说明 sheet with one example row built from real names."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone

from shequ.accounts.models import User
from shequ.accounts.types import AuthedRequest
from shequ.common.excel import TemplateColumn, template_xlsx, xlsx_response
from shequ.common.scope import scoped
from shequ.org.models import STAFFED_TYPES, Unit
from shequ.policy.selectors import policy_for
from shequ.rules import vocab
from shequ.sheets.idcard import make_id_number

TITLES = {"units": "单位表", "roster": "花名册", "training_attendance": "培训签到表"}
EXAMPLE_ID = make_id_number("110101", date(1995, 3, 15), 13, "女")


def staffed_unit_names(user: User) -> list[str]:
    """Names a roster row may give in 所属单位: the staffed units in the user's scope, each
    name once (a name used twice is refused by the import as ambiguous anyway)."""
    names = scoped(Unit.objects.filter(unit_type__in=STAFFED_TYPES), user, unit_field="") \
        .order_by("path").values_list("name", flat=True)
    return list(dict.fromkeys(names))


def _columns(kind: str, user: User) -> list[TemplateColumn]:
    scope = user.unit
    if kind == "units":
        parent = scope.name if scope else ""
        return [
            TemplateColumn("单位名称", "在上级单位内唯一", required=True, example="新建社区"),
            TemplateColumn("上级单位", f"上级单位的名称：您范围内已有的单位（如 {parent}），或本表中的单位",
                           required=True, example=parent),
            TemplateColumn("单位类型", "", kind="choice", choices=vocab.UNIT_TYPES, required=True, example="城市社区"),
            TemplateColumn("单位类别", "可空", kind="choice", choices=vocab.UNIT_CLASSES, example="二类"),
            TemplateColumn("户数", "不小于 0 的整数；政策按户数核定员额时必填", kind="int", example=3600),
            TemplateColumn("常住人口", "不小于 0 的整数", kind="int", example=9800),
            TemplateColumn("城镇常住人口", "不小于 0 且不大于常住人口", kind="int", example=9500),
            TemplateColumn("生效日期", "户数、人口等单位情况从哪天起适用；为空即导入当天（早于此日的员额测算不受影响）",
                           kind="date", example=date(2026, 1, 1)),
        ]
    if kind == "roster":
        units = staffed_unit_names(user)
        posts = policy_for(unit=scope, on=timezone.localdate())[0].post_names() if scope else []
        return [
            TemplateColumn("姓名", "", required=True, example="刘少萌"),
            TemplateColumn("身份证号", "18 位，末位校验码按 GB 11643；出生日期与性别由此得出",
                           kind="id", required=True, example=EXAMPLE_ID),
            TemplateColumn("性别", "填写时须与身份证号一致", kind="choice", choices=vocab.SEXES, example="女"),
            TemplateColumn("出生日期", "填写时须与身份证号一致", kind="date", example=date(1995, 3, 15)),
            TemplateColumn("所属单位", "您范围内的街道机关或社区/村", kind="choice", choices=units,
                           required=True, example=units[0] if units else ""),
            TemplateColumn("人员类别", "", kind="choice", choices=vocab.CATEGORIES, required=True, example="专职社区工作者"),
            TemplateColumn("岗位", "本地政策规定的岗位", kind="choice", choices=posts, required=True,
                           example=posts[-1] if posts else ""),
            TemplateColumn("学历", "", kind="choice", choices=vocab.EDUCATION, required=True, example="本科"),
            TemplateColumn("参加社区工作时间", "日期", kind="date", required=True, example=date(2021, 3, 1)),
            TemplateColumn("职业资格", "为空即“无”", kind="choice", choices=vocab.CERTIFICATES, example="助理社会工作师"),
            TemplateColumn("等级", "为空时按政策定级", kind="int", example=""),
        ]
    if kind == "training_attendance":
        return [
            TemplateColumn("班次编号", "培训班次页面上显示的编号", kind="int", required=True, example=1),
            TemplateColumn("身份证号", "花名册中的身份证号", kind="id", required=True, example=EXAMPLE_ID),
            TemplateColumn("姓名", "填写时须与花名册一致", example="刘少萌"),
            TemplateColumn("学时", "为空时按班次学时", kind="number", example=16),
        ]
    raise KeyError(kind)


def template_bytes(kind: str, user: User) -> bytes:
    return template_xlsx(
        sheet=TITLES[kind], columns=_columns(kind, user), scope_name=user.unit.name if user.unit else "",
    )


def template_view(request: AuthedRequest, kind: str) -> HttpResponse:
    if kind not in TITLES:
        raise Http404("没有这个模板")
    return xlsx_response(f"{TITLES[kind]}模板.xlsx", template_bytes(kind, request.user))
