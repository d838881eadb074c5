"""Thin pages over the insights selectors: dashboard, before/after, what-if, report sheets."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from shequ.accounts.decorators import requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common import provinces
from shequ.common.excel import scope_line, xlsx_bytes, xlsx_response
from shequ.common.params import a_date
from shequ.errors import Invalid
from shequ.insights.minimums import minimum_breaches
from shequ.rules import load_policy_text

from . import exports
from .compare import change_lines, compare_rows
from .nation import NOT_NATIONAL, nation_figures
from .selectors import (
    breadcrumbs,
    cached_render,
    dashboard_figures,
    figures_key,
    quota_ledger_rows,
    scope_root,
    visible_figures,
)
from .whatif import (
    NO_CHANGE,
    WhatIfError,
    base_policy_text,
    evaluate_whatif,
    parse_number,
    policy_from_draft,
    policy_with_value,
)


def parse_day(value: str | None, default: date, *, field: str = "on") -> date:
    return a_date(value, label="日期", field=field, default=default)


def _scope_and_day(request: AuthedRequest, field: str = "on") -> tuple[Any, date, str]:
    root = scope_root(user=request.user, unit_id=request.GET.get("unit") or request.POST.get("unit"))
    today = timezone.localdate()
    try:
        return root, parse_day(request.GET.get(field) or request.POST.get(field), today, field=field), ""
    except Invalid as exc:
        return root, today, exc.message


@requires("insights.view")
def dashboard_view(request: AuthedRequest) -> HttpResponse:
    root, on, error = _scope_and_day(request)
    show_pay = has_capability(request.user, "pay.view")
    key = figures_key(user=request.user, root=root, on=on) + (":pay" if show_pay else ":nopay")

    def body() -> str:
        fig = visible_figures(user=request.user, fig=dashboard_figures(user=request.user, root=root, on=on))
        return render_to_string("insights/_dashboard_body.html", {"fig": fig, "root": root, "show_pay": show_pay})

    return render(request, "insights/dashboard.html", {
        "page_title": "统计看板", "root": root, "on": on, "error": error, "show_pay": show_pay,
        "body": mark_safe(cached_render(key=key, render=body)),  # noqa: S308  (our own template's output)
        "crumbs": breadcrumbs(user=request.user, root=root),
        "breaches": minimum_breaches(root=root, on=on),  # C-MIN, per unit
    })


@requires("insights.view")
def compare_view(request: AuthedRequest) -> HttpResponse:
    root = scope_root(user=request.user, unit_id=request.GET.get("unit"))
    today = timezone.localdate()
    error = ""
    try:
        b = parse_day(request.GET.get("b"), today)
        a = parse_day(request.GET.get("a"), date(b.year - 1, 12, 31))
    except Invalid as exc:
        error, a, b = exc.message, date(today.year - 1, 12, 31), today
    fa = visible_figures(user=request.user, fig=dashboard_figures(user=request.user, root=root, on=a))
    fb = visible_figures(user=request.user, fig=dashboard_figures(user=request.user, root=root, on=b))
    return render(request, "insights/compare.html", {
        "page_title": "前后对比", "root": root, "a": a, "b": b, "fa": fa, "fb": fb, "error": error,
        "lines": change_lines(fa, fb), "rows": compare_rows(fa, fb), "crumbs": breadcrumbs(user=request.user, root=root),
    })


def _whatif_result(request: AuthedRequest, root: Any, on: date) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else request.GET
    upload = request.FILES.get("draft")
    if upload is not None:
        draft, label = policy_from_draft(upload.read(), upload.name or "")
    elif data.get("param") and data.get("value"):
        text, base_label = base_policy_text(root=root, on=on)
        draft, label = policy_with_value(base_text=text, base_label=base_label, param=data["param"],
                                         value=parse_number(data["value"]), on=on)
    else:
        raise WhatIfError(NO_CHANGE)
    return evaluate_whatif(root=root, on=on, draft=draft, label=label)


@requires("insights.view")
@requires("pay.view")  # the what-if lists individual pay
def whatif_view(request: AuthedRequest) -> HttpResponse:
    root, on, error = _scope_and_day(request)
    data = request.POST if request.method == "POST" else request.GET
    result = None
    asked = request.method == "POST" or bool(data.get("param"))
    if asked and not error:
        try:
            result = _whatif_result(request, root, on)
        except WhatIfError as exc:
            error = str(exc)
    if result is not None and data.get("export"):
        return xlsx_response(f"政策测算_{root.name}_{on:%Y%m%d}.xlsx", whatif_xlsx(result, on))
    text, base_label = base_policy_text(root=root, on=on)
    base = load_policy_text(text, name=base_label, base_dir=settings.POLICY_DIR)
    params = _param_choices(base.params(on).values)
    return render(request, "insights/whatif.html", {
        "page_title": "政策测算", "root": root, "on": on, "error": error, "result": result, "base_label": base_label,
        "params": params, "param": data.get("param", ""), "value": data.get("value", ""),
        "crumbs": breadcrumbs(user=request.user, root=root), "status": 400 if error and asked else 200,
    }, status=400 if error and asked else 200)


def _param_choices(values: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for name, v in values.items():
        if isinstance(v, dict):
            out += [(f"{name}.{k}", x) for k, x in v.items() if isinstance(x, (int, float)) and not isinstance(x, bool)]
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append((name, v))
    return out


WHATIF_GROUP_HEADERS = ["单位", "人数", "现行月应发合计(元)", "测算月应发合计(元)", "月应发增减(元)", "现行年度成本(元)",
                        "测算年度成本(元)", "年度成本增减(元)", "增资人数", "减资人数"]
WHATIF_POST_HEADERS = ["岗位", "人数", "增资人数", "减资人数", "人均增减(元)", "最多减少(元)", "最多增加(元)"]
WHATIF_PEOPLE_HEADERS = ["姓名", "单位", "街道/单位", "岗位", "等级", "测算等级", "现行月应发(元)", "测算月应发(元)", "增减(元)"]


def whatif_group_row(r: dict[str, Any]) -> list[Any]:
    return [r["group"], r["headcount"], r["before"], r["after"], r["monthly_diff"], r["yearly_before"], r["yearly_after"],
            r["yearly_diff"], r["gainers"], r["losers"]]


def whatif_xlsx(result: dict[str, Any], on: date) -> bytes:
    headers = list(WHATIF_GROUP_HEADERS)
    headers[0] = result["group_label"]
    rows = [whatif_group_row(r) for r in result["groups"]] + [whatif_group_row(result["totals"])]
    return xlsx_bytes(
        sheet="按单位", headers=headers, rows=rows,
        title_lines=[*scope_line(scope_name=result["scope"]["name"], on=on, what="政策测算（P-STATS）"),
                     f"现行：{'、'.join(result['base'])}    测算：{result['change']}（{result['draft']}）",
                     "年度成本 = (月应发 + 单位五险一金) × 12"],
        extra_sheets=[
            ("按岗位", WHATIF_POST_HEADERS,
             [[p["post"], p["headcount"], p["gainers"], p["losers"], p["mean"], p["min"], p["max"]] for p in result["by_post"]]),
            ("增减人员", WHATIF_PEOPLE_HEADERS, result["changed"].rows()),
        ],
    )


@requires("insights.view")
def export_stats_view(request: AuthedRequest) -> HttpResponse:
    root, on, _ = _scope_and_day(request)
    fig = visible_figures(user=request.user, fig=dashboard_figures(user=request.user, root=root, on=on))
    return xlsx_response(f"人员统计_{root.name}_{on:%Y%m%d}.xlsx", exports.roster_stats_xlsx(fig, on))


@requires("insights.view")
@requires("pay.view")
def export_pay_view(request: AuthedRequest) -> HttpResponse:
    root, on, _ = _scope_and_day(request)
    fig = dashboard_figures(user=request.user, root=root, on=on)
    return xlsx_response(f"薪酬汇总_{root.name}_{on:%Y%m%d}.xlsx", exports.pay_summary_xlsx(fig, on))


@requires("insights.view")
def export_quota_view(request: AuthedRequest) -> HttpResponse:
    root, on, _ = _scope_and_day(request)
    fig = dashboard_figures(user=request.user, root=root, on=on)
    ledger = quota_ledger_rows(user=request.user, root=root, on=on)
    return xlsx_response(f"员额台账_{root.name}_{on:%Y%m%d}.xlsx", exports.quota_ledger_xlsx(ledger, fig, on))


@requires("insights.view")
def nation_view(request: AuthedRequest) -> HttpResponse:
    """The ministry's page: S-* figures nationally and by province, read from the provinces'
    published sums through postgres_fdw (ADR 0008). Only a user of the national database."""
    if not provinces.multi() or provinces.current() != provinces.NATIONAL:
        raise PermissionDenied(NOT_NATIONAL)
    try:
        fig = nation_figures()
    except RuntimeError as exc:  # not linked yet, or not on PostgreSQL: say so in Chinese
        return render(request, "insights/nation.html", {"problem": str(exc), "page_title": "全国统计"})
    return render(request, "insights/nation.html", {"fig": fig, "page_title": "全国统计"})
