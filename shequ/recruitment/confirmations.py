"""What hiring and a withdrawal (递补) will do, before the user confirms."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from shequ.accounts.types import AuthedRequest
from shequ.common.confirm import Consequences
from shequ.common.params import a_date
from shequ.recruitment.models import AppStatus
from shequ.recruitment.publicity import plan_publicity
from shequ.recruitment.selectors import application_get
from shequ.recruitment.services import post_ranking
from shequ.recruitment.vacancy import vacancy_of


def _on(request: AuthedRequest, name: str) -> date:
    return a_date(request.POST.get(name), label="日期", field=name, default=timezone.localdate())


def hire_consequences(request: AuthedRequest, pk: int) -> Consequences | None:
    app = application_get(user=request.user, pk=pk)
    if app.status != AppStatus.ELIGIBLE:
        return None  # the view says why this person cannot be hired
    on = _on(request, "effective")
    publicity = plan_publicity(plan=app.plan)
    if publicity is not None and on <= publicity.end:
        return None  # the view refuses with the 公示 period's end date
    vac = vacancy_of(unit=app.unit, on=on)
    lines = [f"{app.name} 自 {on:%Y-%m-%d} 录用到 {app.unit.name}，{app.plan_post.post}岗位，进入试用期"]
    if vac.quota is not None:
        lines.append(f"占用 {app.unit.name} 员额 1 名：核定 {vac.quota}，在编 {vac.filled} → {vac.filled + 1}，"
                     f"空编 {vac.vacant} → {vac.vacant - 1}")
    lines.append("录用后记入花名册，岗位等级由政策定级")
    return Consequences(title=f"录用：{app.name}", lines=lines, back=reverse("recruitment:ranking", args=[app.plan_id]),
                        button="确认录用", warning="录用后如本人放弃，须办理放弃并由下一名递补。")


def withdraw_consequences(request: AuthedRequest, pk: int) -> Consequences | None:
    app = application_get(user=request.user, pk=pk)
    if app.status not in (AppStatus.ELIGIBLE, AppStatus.HIRED):
        return None
    ranking = post_ranking(app.plan_post)
    waiting = [a for a, r in ranking if not r.within_places and a.status == AppStatus.ELIGIBLE and a.pk != app.pk]
    within = any(a.pk == app.pk and r.within_places for a, r in ranking)
    lines = [f"{app.name} 放弃{'已录用的' if app.status == AppStatus.HIRED else ''}{app.plan_post.post}岗位"]
    if app.status == AppStatus.HIRED:
        lines.append(f"{app.name} 从花名册退出，员额空出")
    if within and waiting:
        nxt = waiting[0]
        rank = next(r.rank for a, r in ranking if a.pk == nxt.pk)
        lines.append(f"按成绩顺序由 {nxt.name}（第 {rank} 名）递补")
    elif within:
        lines.append("没有可递补的人选，该岗位将空缺")
    return Consequences(title=f"放弃与递补：{app.name}", lines=lines,
                        back=reverse("recruitment:ranking", args=[app.plan_id]), button="确认放弃")
