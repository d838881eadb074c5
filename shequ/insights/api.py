"""/api/v1/insights: the dashboard figures, before/after and a one-value what-if, within scope."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Router

from shequ.accounts.api_auth import need
from shequ.accounts.types import AuthedRequest
from shequ.common.params import Day, Id

from .compare import change_lines, compare_rows
from .selectors import dashboard_figures, scope_root, visible_figures
from .whatif import base_policy_text, evaluate_whatif, parse_number, policy_with_value

router = Router()


@router.get("/dashboard", response=dict[str, Any], summary="统计看板数据（人员结构、配比、员额、薪酬按政策测算）")
def dashboard(request: AuthedRequest, unit: Id | None = None, on: Day | None = None) -> dict[str, Any]:
    need(request, "insights.view")
    root = scope_root(user=request.user, unit_id=unit)
    return visible_figures(user=request.user, fig=dashboard_figures(user=request.user, root=root, on=on or timezone.localdate()))


@router.get("/compare", response=dict[str, Any], summary="两个日期的前后对比")
def compare(request: AuthedRequest, a: Day, b: Day, unit: Id | None = None) -> dict[str, Any]:
    need(request, "insights.view")
    root = scope_root(user=request.user, unit_id=unit)
    fa = visible_figures(user=request.user, fig=dashboard_figures(user=request.user, root=root, on=a))
    fb = visible_figures(user=request.user, fig=dashboard_figures(user=request.user, root=root, on=b))
    return {
        "scope": fb["scope"], "a": a.isoformat(), "b": b.isoformat(), "lines": change_lines(fa, fb),
        "rows": [{"label": r[0], "a": r[1], "b": r[2], "diff": r[3]} for r in compare_rows(fa, fb)],
    }


@router.get("/whatif", response=dict[str, Any], summary="政策测算：改一个参数值（P-STATS）")
def whatif(request: AuthedRequest, param: str, value: str, unit: Id | None = None, on: Day | None = None) -> dict[str, Any]:
    need(request, "insights.view")
    need(request, "pay.view")
    root = scope_root(user=request.user, unit_id=unit)
    day = on or timezone.localdate()
    text, label = base_policy_text(root=root, on=day)
    draft, change = policy_with_value(base_text=text, base_label=label, param=param, value=parse_number(value), on=day)
    result = evaluate_whatif(root=root, on=day, draft=draft, label=change)
    result.pop("changed")
    return result
