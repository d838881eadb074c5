"""Careers pages: parse, call one service or selector, render. Every write is a POST that
redirects back with a message; a refused write shows its Chinese reason and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts.decorators import requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.inputs import from_form
from shequ.common.params import as_of, scope_unit
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import ShequError
from shequ.growth.careers import eligibility, exports, selectors, services
from shequ.growth.careers.forms import a_date, an_int, choice, text
from shequ.growth.careers.inputs import RESERVE_LABELS, ReserveIn
from shequ.growth.careers.models import (
    AdmissionItem,
    AdmissionStatus,
    HonourKind,
    HonourLevel,
    ReserveCandidate,
    ReserveKind,
    ReserveSource,
)
from shequ.org.models import COMMUNITY_TYPES, STAFFED_TYPES, STREET_TYPES, Unit, UnitType
from shequ.org.selectors import unit_list
from shequ.policy.selectors import policy_for
from shequ.workers.models import Education
from shequ.workers.selectors import worker_get, worker_history


def _on(request: AuthedRequest) -> date:
    return as_of(request.GET.get("on"), today=timezone.localdate())


def _unit_filter(request: AuthedRequest) -> Unit | None:
    return scope_unit(request.GET.get("unit"), user=request.user)


def _scope_name(request: AuthedRequest, unit: Unit | None) -> str:
    scope = unit or request.user.unit
    return scope.name if scope else "全部"


def _attempt(request: AuthedRequest, action: Callable[[], Any], success: str) -> bool:
    """Run a write; show its message. Refusals (Chinese, from the service) change nothing."""
    try:
        action()
    except ShequError as exc:
        messages.error(request, exc.message)
        return False
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False
    messages.success(request, success)
    return True


def _communities(request: AuthedRequest) -> list[Unit]:
    return list(unit_list(user=request.user, types=COMMUNITY_TYPES).order_by("path"))


# ---- overview ----------------------------------------------------------------------------

@requires("growth.view")
def index_view(request: AuthedRequest) -> HttpResponse:
    on = _on(request)
    user = request.user
    rows = selectors.reserve_by_community(user=user, on=on)
    grids = selectors.grid_rows(user=user, on=on)
    return render(request, "growth/careers/index.html", {
        "page_title": "职业发展", "on": on,
        "reserve": selectors.reserve_stats(user=user, on=on),
        "short": sum(1 for r in rows if r.shortfall), "communities": len(rows),
        "retiring": selectors.retirements_due(user=user, on=on).height,
        "honours": selectors.honour_summary(user=user, on=on),
        "grids": len(grids), "grids_off": sum(1 for g in grids if not g.in_standard),
        "admission_in_force": selectors.admission_items(user=user, status=AdmissionStatus.APPROVED).count(),
        "admission_pending": selectors.admission_items(user=user, status=AdmissionStatus.PROPOSED).count(),
        "recent": selectors.career_events(user=user)[:10],
    })


# ---- reserve pool (Q-RESV) ---------------------------------------------------------------

@requires("growth.view")
def reserve_view(request: AuthedRequest) -> HttpResponse:
    return _reserve_page(request)


def _reserve_page(request: AuthedRequest, form: Any = None, status: int = 200) -> HttpResponse:
    on, unit = _on(request), _unit_filter(request)
    rows = selectors.reserve_by_community(user=request.user, on=on, unit=unit)
    return render(request, "growth/careers/reserve.html", {
        "page_title": "书记后备人才库", "on": on, "unit": unit, "rows": rows,
        "short": [r for r in rows if r.shortfall], "below_target": [r for r in rows if r.to_target and not r.shortfall],
        "stats": selectors.reserve_stats(user=request.user, on=on, unit=unit),
        "candidates": selectors.reserve_list(user=request.user, on=on, unit=unit),
        "communities": _communities(request), "kinds": ReserveKind.choices, "sources": ReserveSource.choices,
        "educations": Education.choices, "can_change": has_capability(request.user, "growth.change"),
        "age_limit": selectors.RESERVE_AGE_LIMIT, "edu_floor": selectors.RESERVE_EDUCATION_FLOOR,
        "units": unit_list(user=request.user).exclude(unit_type=UnitType.GRID).order_by("path")[:500],
        "form": form or {},
    }, status=status)


@requires("growth.change")
@require_POST
def reserve_add_view(request: AuthedRequest) -> HttpResponse:
    p = request.POST

    def act() -> None:
        data = from_form(ReserveIn, {k: (p.get(k) or "").strip() for k in RESERVE_LABELS}, labels=RESERVE_LABELS)
        services.reserve_add(**data.service_kwargs(user=request.user), actor=request.user)

    if not _attempt(request, act, "已列入后备人才库"):
        return _reserve_page(request, form=request.POST, status=400)  # keep what was typed
    return redirect("careers:reserve")


@requires("growth.change")
@require_POST
def reserve_remove_view(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = get_in_scope_or_404(ReserveCandidate.objects.select_related("community"), request.user,
                                    unit_field="community", pk=pk)
    _attempt(request, lambda: services.reserve_remove(
        candidate=candidate, on=a_date(request.POST, "on", "出库日期", required=False) or timezone.localdate(),
        reason=text(request.POST, "reason", "出库原因"), actor=request.user), f"{candidate.name} 已出库")
    return redirect("careers:reserve")


@requires("growth.view")
def reserve_export_view(request: AuthedRequest) -> HttpResponse:
    on, unit = _on(request), _unit_filter(request)
    return exports.reserve(user=request.user, on=on, unit=unit, scope_name=_scope_name(request, unit))


# ---- a worker's career (C-PATH, C-HONOR, C-MOVE, C-EXIT) ---------------------------------

@requires("growth.view")
def worker_view(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = worker_get(user=request.user, pk=pk)
    on = _on(request)
    policy, label = policy_for(unit=worker.unit, on=on)
    params = policy.params(on)
    promotions = [
        {"rule": r, "unmet": services.promotion_unmet(worker=worker, rule=r, on=on, policy=policy)}
        for r in params.careers.promotions if r.from_post == worker.post
    ]
    age, _ = services.retirement_age(worker=worker, on=on)
    return render(request, "growth/careers/worker.html", {
        "page_title": f"{worker.name} · 职业发展", "w": worker, "on": on, "policy_label": label,
        "promotions": promotions, "offices": list(params.careers.election.items()),
        "movable": params.mobility.movable_posts, "retire_age": age,
        "paths": services.CAREER_PATHS, "exit_reasons": services.EXIT_REASONS,
        "honour_kinds": HonourKind.choices, "honour_levels": HonourLevel.choices,
        "honours": worker.honours.all(), "events": worker_history(worker=worker)[:30],
        "targets": unit_list(user=request.user, types=STAFFED_TYPES).exclude(pk=worker.unit_id).order_by("path"),
        "can_change": has_capability(request.user, "growth.change") and worker.is_active,
    })


def _worker_action(request: AuthedRequest, pk: int, run: Callable[[Any, Any], Any], success: str) -> HttpResponse:
    worker = worker_get(user=request.user, pk=pk)
    _attempt(request, lambda: run(worker, request.POST), success)
    return redirect("careers:worker", pk=pk)


@requires("growth.change")
@require_POST
def promote_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _worker_action(request, pk, lambda w, p: services.career_promote(
        worker=w, to_post=text(p, "to_post", "晋升岗位"), effective=a_date(p, "effective", "生效日期"),
        actor=request.user), "已晋升岗位")


@requires("growth.change")
@require_POST
def elect_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _worker_action(request, pk, lambda w, p: services.career_elect(
        worker=w, office=text(p, "office", "当选职务"), effective=a_date(p, "effective", "生效日期"),
        actor=request.user), "已按当选职务套转岗位等级")


@requires("growth.change")
@require_POST
def select_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _worker_action(request, pk, lambda w, p: services.career_select(
        worker=w, path=choice(p, "path", "发展去向", services.CAREER_PATHS),
        organisation=text(p, "organisation", "单位", required=False), effective=a_date(p, "effective", "生效日期"),
        actor=request.user, leaves=p.get("leaves") == "1"), "已记录职业发展")


@requires("growth.change")
@require_POST
def honour_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _worker_action(request, pk, lambda w, p: services.honour_record(
        worker=w, kind=choice(p, "kind", "类别", HonourKind.values), level=choice(p, "level", "级别", HonourLevel.values),
        title=text(p, "title", "名称"), awarded_on=a_date(p, "awarded_on", "授予/当选日期"),
        term_end=a_date(p, "term_end", "任期届满", required=False), awarded_by=text(p, "awarded_by", "授予机关", required=False),
        actor=request.user), "已记录表彰荣誉")


@requires("growth.change")
@require_POST
def move_view(request: AuthedRequest, pk: int) -> HttpResponse:
    def run(w: Any, p: Any) -> Any:
        to_unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=an_int(p, "to_unit", "调入单位"))
        return services.career_move(worker=w, to_unit=to_unit, effective=a_date(p, "effective", "生效日期"),
                                    actor=request.user, cause=text(p, "cause", "事由", required=False))
    return _worker_action(request, pk, run, "已办理流动")


@requires("growth.change")
@require_POST
def exit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _worker_action(request, pk, lambda w, p: services.career_exit(
        worker=w, reason=choice(p, "reason", "退出方式", services.EXIT_REASONS), on=a_date(p, "on", "离职日期"),
        cause=text(p, "cause", "事由", required=False), actor=request.user), "已办理退出，合同解除，员额空出")


# ---- lists: promotion candidates, career events, honours, retirements, exits --------------

@requires("growth.view")
def promotions_view(request: AuthedRequest) -> HttpResponse:
    on, unit = _on(request), _unit_filter(request)
    frame = eligibility.promotion_candidates(user=request.user, on=on, unit=unit)
    eligible_only = request.GET.get("eligible") == "1"
    if eligible_only:
        frame = frame.filter(frame["eligible"])
    return render(request, "growth/careers/promotions.html", {
        "page_title": "晋升资格", "on": on, "unit": unit, "rows": frame.head(2000).iter_rows(named=True),
        "count": frame.height, "eligible_count": int(frame["eligible"].sum()), "eligible_only": eligible_only,
        "units": unit_list(user=request.user).exclude(unit_type=UnitType.GRID).order_by("path")[:500]})


@requires("growth.view")
def promotions_export_view(request: AuthedRequest) -> HttpResponse:
    on, unit = _on(request), _unit_filter(request)
    return exports.promotions(user=request.user, on=on, unit=unit, scope_name=_scope_name(request, unit))


@requires("growth.view")
def events_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "growth/careers/events.html", {
        "page_title": "晋升、套转、选拔与流动", "events": selectors.career_events(user=request.user)[:500]})


@requires("growth.view")
def events_export_view(request: AuthedRequest) -> HttpResponse:
    return exports.career_events(user=request.user, on=timezone.localdate(), scope_name=_scope_name(request, None))


@requires("growth.view")
def honours_view(request: AuthedRequest) -> HttpResponse:
    on, kind = _on(request), request.GET.get("kind", "")
    return render(request, "growth/careers/honours.html", {
        "page_title": "表彰荣誉与两代表一委员", "on": on, "kind": kind, "kinds": HonourKind.choices,
        "summary": selectors.honour_summary(user=request.user, on=on),
        "honours": selectors.honour_list(user=request.user, kind=kind)[:1000]})


@requires("growth.view")
def honours_export_view(request: AuthedRequest) -> HttpResponse:
    return exports.honours(user=request.user, on=_on(request), kind=request.GET.get("kind", ""),
                           scope_name=_scope_name(request, None))


@requires("growth.view")
def retirements_view(request: AuthedRequest) -> HttpResponse:
    on, unit = _on(request), _unit_filter(request)
    months = _months(request)
    due = selectors.retirements_due(user=request.user, on=on, unit=unit, months=months)
    return render(request, "growth/careers/retirements.html", {
        "page_title": "退休预警", "on": on, "unit": unit, "rows": due.iter_rows(named=True), "count": due.height,
        "months": months,
        "units": unit_list(user=request.user).exclude(unit_type=UnitType.GRID).order_by("path")[:500]})


def _months(request: AuthedRequest) -> int:
    """How many months ahead the warning looks (待办 links with 6); 12 unless 1..60 is given."""
    text = request.GET.get("months", "")
    return int(text) if text.isdigit() and 1 <= int(text) <= 60 else 12


@requires("growth.view")
def retirements_export_view(request: AuthedRequest) -> HttpResponse:
    on, unit = _on(request), _unit_filter(request)
    return exports.retirements(user=request.user, on=on, unit=unit, scope_name=_scope_name(request, unit),
                               months=_months(request))


@requires("growth.view")
def exits_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "growth/careers/exits.html", {
        "page_title": "退出", "events": selectors.exits(user=request.user)[:500]})


@requires("growth.view")
def exits_export_view(request: AuthedRequest) -> HttpResponse:
    return exports.exits(user=request.user, on=timezone.localdate(), scope_name=_scope_name(request, None))


# ---- grids (ORG-4) -----------------------------------------------------------------------

@requires("growth.view")
def grids_view(request: AuthedRequest) -> HttpResponse:
    return _grids_page(request)


def _grids_page(request: AuthedRequest, form: Any = None, status: int = 200) -> HttpResponse:
    on = _on(request)
    return render(request, "growth/careers/grids.html", {
        "page_title": "网格", "on": on, "rows": selectors.grid_rows(user=request.user, on=on),
        "communities": _communities(request), "can_change": has_capability(request.user, "growth.change"),
        "workers": selectors.grid_leader_choices(user=request.user)[:2000], "form": form or {},
    }, status=status)


@requires("growth.change")
@require_POST
def grid_add_view(request: AuthedRequest) -> HttpResponse:
    p = request.POST

    def act() -> None:
        community = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=an_int(p, "community", "社区"))
        leader = worker_get(user=request.user, pk=an_int(p, "leader", "网格负责人")) if p.get("leader", "").strip() else None
        services.grid_create(community=community, name=text(p, "name", "网格名称"), households=an_int(p, "households", "户数"),
                             party_org=text(p, "party_org", "网格党组织"), leader=leader,
                             on=a_date(p, "on", "设立日期", required=False) or timezone.localdate(), actor=request.user)

    if not _attempt(request, act, "已设立网格"):
        return _grids_page(request, form=request.POST, status=400)
    return redirect("careers:grids")


@requires("growth.view")
def grids_export_view(request: AuthedRequest) -> HttpResponse:
    return exports.grids(user=request.user, on=_on(request), scope_name=_scope_name(request, None))


# ---- admission list (ORG-5) --------------------------------------------------------------

@requires("growth.view")
def admission_view(request: AuthedRequest) -> HttpResponse:
    return _admission_page(request)


def _admission_page(request: AuthedRequest, form: Any = None, code: int = 200) -> HttpResponse:
    status = request.GET.get("status", "")
    return render(request, "growth/careers/admission.html", {
        "page_title": "社区工作准入清单", "status": status, "statuses": AdmissionStatus.choices,
        "items": selectors.admission_items(user=request.user, status=status),
        "units": unit_list(user=request.user, types=(UnitType.CITY, UnitType.COUNTY, *STREET_TYPES)).order_by("path"),
        "can_propose": has_capability(request.user, "growth.change"),
        "can_approve": has_capability(request.user, "growth.approve"), "form": form or {},
        "in_force": selectors.admission_list_for(unit=request.user.unit, on=timezone.localdate()).count()
        if request.user.unit else None,
    }, status=code)


@requires("growth.change")
@require_POST
def admission_propose_view(request: AuthedRequest) -> HttpResponse:
    p = request.POST

    def act() -> None:
        unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=an_int(p, "unit", "适用范围"))
        services.admission_item_propose(unit=unit, title=text(p, "title", "事项名称"), category=text(p, "category", "事项类别"),
                                        department=text(p, "department", "责任部门", required=False),
                                        basis=text(p, "basis", "设定依据", required=False), actor=request.user)

    if not _attempt(request, act, "已提交准入事项，待民政局审批"):
        return _admission_page(request, form=request.POST, code=400)
    return redirect("careers:admission")


def _item(request: AuthedRequest, pk: int) -> AdmissionItem:
    return get_in_scope_or_404(AdmissionItem.objects.select_related("unit"), request.user, pk=pk)


@requires("growth.approve")
@require_POST
def admission_decide_view(request: AuthedRequest, pk: int) -> HttpResponse:
    item, p = _item(request, pk), request.POST
    approve = p.get("decision") == "approve"
    _attempt(request, lambda: services.admission_item_decide(
        item=item, approve=approve, actor=request.user, note=text(p, "note", "审批意见", required=False),
        effective=a_date(p, "effective", "准入日期", required=False)), "已准入" if approve else "已退回")
    return redirect("careers:admission")


@requires("growth.approve")
@require_POST
def admission_remove_view(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _attempt(request, lambda: services.admission_item_remove(
        item=item, on=a_date(request.POST, "on", "取消日期", required=False) or timezone.localdate(), actor=request.user,
        note=text(request.POST, "note", "说明", required=False)), f"“{item.title}”已移出清单")
    return redirect("careers:admission")


@requires("growth.view")
def admission_export_view(request: AuthedRequest) -> HttpResponse:
    return exports.admission(user=request.user, on=timezone.localdate(), status=request.GET.get("status", ""),
                             scope_name=_scope_name(request, None))
