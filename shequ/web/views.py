from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shequ.accounts.decorators import requires
from shequ.accounts.types import AuthedRequest
from shequ.insights.minimums import minimum_breaches
from shequ.web.todo import todo_items
from shequ.workers.selectors import headcount_by_child, worker_count


def not_built(area: str, plan: str):  # type: ignore[no-untyped-def]
    """A plain page for an area that is not built yet: says so, shows nothing fake."""

    def view(request: AuthedRequest) -> HttpResponse:
        return render(request, "web/not_built.html", {"area": area, "plan": plan, "page_title": area})

    return view


@requires("roster.view")
def home_view(request: AuthedRequest) -> HttpResponse:
    root = request.user.unit
    rows = headcount_by_child(user=request.user, root=root) if root else []
    total = worker_count(user=request.user, root=root) if root else 0
    todo = todo_items(user=request.user, on=timezone.localdate())
    breaches = minimum_breaches(root=root, on=timezone.localdate()) if root else []
    return render(request, "web/home.html", {
        "rows": rows, "root": root, "total": total, "todo": todo, "breaches": breaches, "page_title": "首页",
    })


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("数据库不可用", content_type="text/plain; charset=utf-8", status=503)
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was stale or came from elsewhere; Django's own page is English."""
    from django.shortcuts import render

    return render(request, "403.html", {"exception": "页面已过期或来源不明（CSRF 校验未通过），请刷新页面后重试"},
                  status=403)
