"""Navigation shown on every page: one entry per lifecycle area."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from shequ.accounts.roles import has_capability
from shequ.common import provinces

# (url namespace, label, capability needed to see it)
AREAS: list[tuple[str, str, str]] = [
    ("org", "组织", "org.view"),
    ("workers", "花名册", "roster.view"),
    ("quota", "员额", "quota.view"),
    ("recruitment", "招聘", "recruit.view"),
    ("pay", "岗位薪酬", "pay.view"),
    ("assessment", "考核", "assess.view"),
    ("growth", "培训", "growth.view"),
    ("careers", "职业发展", "growth.view"),
    ("insights", "统计", "insights.view"),
    ("policy", "政策", "policy.view"),
    ("audit", "审计", "audit.view"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_areas": []}
    current = request.resolver_match.namespace if request.resolver_match else ""
    areas = [
        # Nested namespaces (growth:training) still light up their area.
        {"namespace": ns, "label": label, "url": f"{ns}:index",
         "active": current == ns or current.startswith(ns + ":")}
        for ns, label, cap in AREAS
        if has_capability(user, cap)
    ]
    if provinces.multi() and provinces.current() == provinces.NATIONAL and has_capability(user, "insights.view"):
        # The ministry's users sign into the national database: their figures are the nation's.
        on_nation = request.path.startswith("/insights/nation")
        for area in areas:
            area["active"] = area["active"] and not on_nation
        areas.append({"namespace": "insights", "label": "全国统计", "url": "insights:nation",
                      "active": request.path.startswith("/insights/nation")})
    return {
        "nav_areas": areas,
        "province_name": provinces.province_name(provinces.current()) if provinces.multi() else "",
        "scope_unit": getattr(user, "unit", None),
        # Pages offer "显示完整身份证号" only to roles that may ask (shequ.common.pii).
        "may_see_full_ids": has_capability(user, "pii.full_ids"),
        "can_manage_users": has_capability(user, "users.manage"),
    }
