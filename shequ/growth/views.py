"""The growth hub (培训与发展): links to the training half and, when present, the careers half."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from shequ.accounts.decorators import requires
from shequ.accounts.types import AuthedRequest

TRAINING_LINKS = [
    ("growth:training:sessions", "培训班次与签到", "市、县、街道三级培训，登记或导入参训人员"),
    ("growth:training:compliance", "培训达标情况", "按政策要求逐人核对，列出逾期未培训人员"),
    ("growth:training:hours", "培训人次与学时", "每人参训人次和学时，按年度统计"),
    ("growth:training:mentoring", "导师帮带", "年轻书记、后进书记、新入职人员的结对覆盖"),
    ("growth:training:placements", "跟岗学习与全岗通", "跟岗学习登记、全岗通轮岗覆盖"),
    ("growth:training:certificates", "职业资格与持证", "持证率、持证期限、证书登记"),
]

# The careers half is built on its own branch; link only to pages that exist.
CAREERS_LINKS = [
    ("careers:reserve", "后备人才库", "每个社区的书记后备人选"),
    ("careers:index", "职业发展", "晋升、事业编选拔、表彰、交流"),
    ("careers:retirements", "退休与退出", "退休年龄与即将退休名单"),
    ("careers:grids", "网格", "300—500 户一格，网格党组织与负责人"),
    ("careers:admission", "社区工作准入清单", "准入事项，新增须经民政部门审批"),
]


def _links(items: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    out = []
    for name, label, text in items:
        try:
            out.append({"url": reverse(name), "label": label, "text": text})
        except NoReverseMatch:
            continue
    return out


@requires("growth.view")
def index_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "growth/index.html", {
        "page_title": "培训与发展", "training": _links(TRAINING_LINKS), "careers": _links(CAREERS_LINKS),
    })
