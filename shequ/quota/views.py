"""Quota pages: the ledger with drill-down and export, proposals and approval, the review
list and one unit's quota history. Views parse, call one service or selector, render."""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts.decorators import requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.confirm import confirm_first
from shequ.common.excel import xlsx_response
from shequ.common.params import as_of, scope_unit
from shequ.common.provinces import transaction
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import ShequError
from shequ.jobs.models import JobStatus
from shequ.jobs.web import announce
from shequ.org.models import STAFFED_TYPES, Unit
from shequ.org.selectors import unit_fact_on, unit_list
from shequ.quota.confirmations import decide_consequences
from shequ.quota.exports import decisions_xlsx, ledger_xlsx, review_xlsx
from shequ.quota.models import DecisionStatus
from shequ.quota.selectors import (
    decision_history,
    decision_list,
    decisions_in_scope,
    ledger,
    quota_in_force,
    review_list,
)
from shequ.quota.services import (
    QuotaError,
    quota_approve,
    quota_propose_manual,
    quota_reject,
    quota_submit_recompute,
)


def _on(request: AuthedRequest) -> date:
    return as_of(request.GET.get("on"), today=timezone.localdate())


def _root(request: AuthedRequest) -> Unit:
    unit = scope_unit(request.GET.get("unit") or request.POST.get("unit"), user=request.user)
    if unit is not None:
        return unit
    if request.user.unit is not None:
        return request.user.unit
    return cast(Unit, unit_list(user=request.user).order_by("depth", "path").first())


def _breadcrumb(request: AuthedRequest, unit: Unit) -> list[Unit]:
    top = request.user.unit.path if request.user.unit else ""
    return [u for u in Unit.objects.filter(pk__in=unit.ancestor_ids()).order_by("depth") if u.path.startswith(top)]


@requires("quota.view")
def ledger_view(request: AuthedRequest) -> HttpResponse:
    on = _on(request)
    root = _root(request)
    data = ledger(user=request.user, root=root, on=on)
    return render(request, "quota/ledger.html", {
        "page_title": "员额台账", "ledger": data, "on": on, "root": root, "ancestors": _breadcrumb(request, root),
        "can_change": has_capability(request.user, "quota.change"),
        "can_approve": has_capability(request.user, "quota.approve"),
        "pending": decision_list(user=request.user, status="proposed").count(),
    })


@requires("quota.view")
def ledger_export_view(request: AuthedRequest) -> HttpResponse:
    on = _on(request)
    root = _root(request)
    content = ledger_xlsx(ledger=ledger(user=request.user, root=root, on=on))
    return xlsx_response(f"员额台账_{root.name}_{on:%Y%m%d}.xlsx", content)


@requires("quota.view")
def unit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit: Unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=pk)
    on = _on(request)
    return render(request, "quota/unit.html", {
        "page_title": f"{unit.name} 员额", "unit": unit, "on": on, "staffed": unit.unit_type in STAFFED_TYPES,
        "current": quota_in_force(unit=unit, on=on), "history": decision_history(unit=unit),
        "fact": unit_fact_on(unit=unit, on=on), "ancestors": _breadcrumb(request, unit),
        "can_change": has_capability(request.user, "quota.change"),
    })


@requires("quota.view")
def decisions_view(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", DecisionStatus.PROPOSED)
    if status not in DecisionStatus.values and status != "all":
        status = DecisionStatus.PROPOSED
    qs = decision_list(user=request.user, status="" if status == "all" else status)
    return render(request, "quota/decisions.html", {
        "page_title": "员额调整审批", "decisions": qs[:500], "total": qs.count(), "status": status,
        "statuses": DecisionStatus.choices, "can_approve": has_capability(request.user, "quota.approve"),
        "can_change": has_capability(request.user, "quota.change"),
    })


def _scope_name(request: AuthedRequest) -> str:
    return request.user.unit.name if request.user.unit else "全部"


@requires("quota.view")
def decisions_export_view(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "all")
    if status not in DecisionStatus.values:
        status = "all"
    qs = decision_list(user=request.user, status="" if status == "all" else status)
    label = "全部" if status == "all" else DecisionStatus(status).label
    content = decisions_xlsx(decisions=qs, scope_name=_scope_name(request), on=timezone.localdate(), status_label=label)
    return xlsx_response(f"员额调整_{label}_{timezone.localdate():%Y%m%d}.xlsx", content)


@requires("quota.view")
def review_export_view(request: AuthedRequest) -> HttpResponse:
    on = _on(request)
    content = review_xlsx(data=review_list(user=request.user, on=on), scope_name=_scope_name(request), on=on)
    return xlsx_response(f"员额复核_{on:%Y%m%d}.xlsx", content)


@require_POST
@requires("quota.approve")
@confirm_first(decide_consequences)
def decide_view(request: AuthedRequest) -> HttpResponse:
    """Approve the ticked proposals, or reject one with a note."""
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    found = list(decisions_in_scope(user=request.user, ids=ids))
    if not found or len(found) != len(set(ids)):
        messages.error(request, "请选择要审批的员额调整")
        return redirect("quota:decisions")
    note = request.POST.get("note", "")
    try:
        if request.POST.get("action") == "reject":
            with transaction.atomic():  # all or nothing
                for d in found:
                    quota_reject(decision=d, actor=request.user, note=note)
            messages.success(request, f"已退回 {len(found)} 项员额调整")
        else:
            n = quota_approve(decisions=found, actor=request.user, note=note)
            messages.success(request, f"已批准 {n} 项员额调整，自各自的生效日期起执行")
    except ShequError as exc:
        messages.error(request, str(exc))
    return redirect("quota:decisions")


class RecomputeForm(forms.Form):
    unit = forms.ModelChoiceField(label="范围", queryset=Unit.objects.none())
    since = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    include_unchanged = forms.BooleanField(label="员额不变的单位也提出（用于定期复核确认）", required=False)
    reason = forms.CharField(label="说明", max_length=300, required=False)


class ManualForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    quota = forms.IntegerField(label="员额", min_value=0)
    since = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="理由", max_length=300)


@requires("quota.change")
def propose_view(request: AuthedRequest) -> HttpResponse:
    units = unit_list(user=request.user).order_by("path")
    today = timezone.localdate()
    mode = request.POST.get("mode", "")
    recompute = RecomputeForm(request.POST if mode == "recompute" else None,
                              initial={"since": today, "unit": request.GET.get("unit") or request.user.unit_id})
    manual = ManualForm(request.POST if mode == "manual" else None,
                        initial={"since": today, "unit": request.GET.get("unit")})
    cast("forms.ModelChoiceField[Unit]", recompute.fields["unit"]).queryset = units.exclude(unit_type="网格")
    cast("forms.ModelChoiceField[Unit]", manual.fields["unit"]).queryset = units.filter(unit_type__in=STAFFED_TYPES)
    if mode == "recompute" and recompute.is_valid():
        d = recompute.cleaned_data
        try:
            job = quota_submit_recompute(root=d["unit"], since=d["since"], actor=request.user,
                                         include_unchanged=d["include_unchanged"], reason=d["reason"])
        except QuotaError as exc:
            recompute.add_error(None, str(exc))
        else:
            # A city-wide recompute runs in the background; the immediate backend has finished it.
            if job.status == JobStatus.FAILED:
                recompute.add_error(None, job.error)
            elif job.status == JobStatus.SUCCEEDED:
                messages.success(request, job.outcome)
                return redirect("quota:decisions")
            else:
                announce(request, job)
                return redirect("jobs:detail", pk=job.pk)
    if mode == "manual" and manual.is_valid():
        d = manual.cleaned_data
        try:
            quota_propose_manual(unit=d["unit"], quota=d["quota"], since=d["since"], reason=d["reason"],
                                 actor=request.user)
        except QuotaError as exc:
            manual.add_error(None, str(exc))
        else:
            messages.success(request, f"已提出 {d['unit'].name} 员额 {d['quota']} 名（自 {d['since']} 起），待审批")
            return redirect("quota:decisions")
    return render(request, "quota/propose.html", {
        "page_title": "提出员额调整", "recompute": recompute, "manual": manual,
    })


@requires("quota.view")
def review_view(request: AuthedRequest) -> HttpResponse:
    on = _on(request)
    data = review_list(user=request.user, on=on)
    return render(request, "quota/review.html", {
        "page_title": "员额复核", "on": on, "data": data,
        "can_change": has_capability(request.user, "quota.change"),
    })
