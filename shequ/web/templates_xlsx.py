"""Empty sheets to fill in: the FORMATS.md headers, a comment on each, one example row."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from shequ.accounts.types import AuthedRequest
from shequ.common.excel import xlsx_bytes, xlsx_response

TEMPLATES: dict[str, tuple[str, list[tuple[str, str, object]]]] = {
    "units": (
        "单位表",
        [
            ("单位名称", "在上级单位内唯一", "迎宾社区"),
            ("上级单位", "上级单位的名称；须已存在或在本表中", "槐阳街道"),
            ("单位类型", "市、区县、街道、乡镇、街道机关、城市社区、村改社区、行政村、乡镇社区、网格", "城市社区"),
            ("单位类别", "一类、二类、三类，可空", "二类"),
            ("户数", "不小于 0 的整数", 3600),
            ("常住人口", "不小于 0 的整数", 9800),
            ("城镇常住人口", "不小于 0 且不大于常住人口", 9500),
        ],
    ),
    "roster": (
        "花名册",
        [
            ("姓名", "", "刘少萌"),
            ("身份证号", "18 位，末位校验码按 GB 11643；出生日期与性别由此得出", "130524199503150026"),
            ("性别", "可空；填写时须与身份证号一致", "女"),
            ("出生日期", "可空；填写时须与身份证号一致", "1995-03-15"),
            ("所属单位", "单位表中的单位名称（街道机关或社区/村）", "迎宾社区"),
            ("人员类别", "两委成员、专职社区工作者、劳务派遣", "专职社区工作者"),
            ("岗位", "本地政策中的岗位名称，如 主管、副主管、主办、助理", "助理"),
            ("学历", "初中及以下、高中、中专、大专、本科、硕士研究生、博士研究生", "本科"),
            ("参加社区工作时间", "日期，如 2021-03-01", "2021-03-01"),
            ("职业资格", "无、助理社会工作师、社会工作师、高级社会工作师", "助理社会工作师"),
            ("等级", "可空；为空时按政策定级", ""),
        ],
    ),
    "training_attendance": (
        "培训签到表",
        [
            ("班次编号", "培训班次页面上显示的编号", 1),
            ("身份证号", "花名册中的身份证号", "130524199503150026"),
            ("姓名", "可空；填写时须与花名册一致", "刘少萌"),
            ("学时", "可空；为空时按班次学时", 16),
        ],
    ),
}


def template_bytes(kind: str) -> bytes:
    sheet, columns = TEMPLATES[kind]
    return xlsx_bytes(
        sheet=sheet,
        headers=[c[0] for c in columns],
        rows=[[c[2] for c in columns]],
        comments={c[0]: c[1] for c in columns if c[1]},
        ids="as_given",  # the sample row's ID number is made up
    )


def template_view(request: AuthedRequest, kind: str) -> HttpResponse:
    if kind not in TEMPLATES:
        raise Http404("没有这个模板")
    return xlsx_response(f"{TEMPLATES[kind][0]}模板.xlsx", template_bytes(kind))
