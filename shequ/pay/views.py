"""Pages of the pay area: runs, a run with its summary and lines, payslips, the export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts.decorators import requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.confirm import confirm_first
from shequ.common.excel import xlsx_response
from shequ.common.listing import listing_from
from shequ.common.scope import ScopeError, get_in_scope_or_404
from shequ.jobs.web import announce, pending_job
from shequ.org.models import Unit, UnitType
from shequ.org.selectors import unit_list
from shequ.pay import services
from shequ.pay.compute import PayComputeError
from shequ.pay.confirmations import lock_consequences
from shequ.pay.exports import finance_export
from shequ.pay.models import LineKind, RunStatus
from shequ.pay.selectors import (
    PAYLINE_SORTS,
    month_of,
    payline_list,
    payrun_get,
    payrun_list,
    payrun_summary,
    payslip_get,
)
from shequ.rules import PolicyError

PAGE_SIZE = 50
SUMMARY_ROWS = 200
# Errors a user can act on; shown on the page instead of a server error.
USER_ERRORS = (services.PayRunError, PayComputeError, PolicyError, ScopeError, PermissionError)


@requires("pay.view")
def index_view(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    runs_qs = payrun_list(user=request.user)
    if status in RunStatus.values:
        runs_qs = runs_qs.filter(status=status)
    runs = Paginator(runs_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "pay/index.html", {
        "page_title": "岗位薪酬", "runs": runs, "can_change": has_capability(request.user, "pay.change"),
        "units": unit_list(user=request.user).exclude(unit_type=UnitType.GRID).order_by("path")[:500],
        "default_month": f"{today:%Y-%m}", "status": status, "statuses": RunStatus.choices,
    })


@require_POST
@requires("pay.change")
def create_view(request: AuthedRequest) -> HttpResponse:
    unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=request.POST.get("unit") or 0)
    try:
        month = month_of(request.POST.get("month", ""))
        run, created = services.payrun_create(unit=unit, month=month, actor=request.user)
        if run.status == RunStatus.DRAFT:
            announce(request, services.payrun_submit_compute(run=run, actor=request.user))
        if not created:
            messages.info(request, f"{run}已存在，已打开")
    except USER_ERRORS as exc:
        messages.error(request, str(exc))
        return redirect("pay:index")
    return redirect("pay:run", pk=run.pk)


@requires("pay.view")
def run_view(request: AuthedRequest, pk: int) -> HttpResponse:
    run = payrun_get(user=request.user, pk=pk)
    kind = request.GET.get("kind", "")
    unit_id = int(request.GET["unit"]) if request.GET.get("unit", "").isdigit() else None
    q = request.GET.get("q", "").strip()
    listing = listing_from(request, PAYLINE_SORTS)
    lines = listing.order(payline_list(run=run, kind=kind, unit_id=unit_id, q=q), tiebreak=("worker_id", "for_month", "pk"))
    page = Paginator(lines, listing.per_page).get_page(request.GET.get("page"))
    summary = payrun_summary(run=run)
    # A city-wide run has thousands of units; the page shows the largest, the export has all lines.
    units_shown = sorted(summary.units, key=lambda u: -u["total"])[:SUMMARY_ROWS] if len(summary.units) > SUMMARY_ROWS else summary.units
    for line in page:
        line.amounts = [line.components.get(c) for c in summary.components]  # type: ignore[attr-defined]  # for the template only
    query = request.GET.copy()
    query.pop("page", None)
    adjustments = payline_list(run=run, kind="adjustment")[:200]
    job = pending_job(f"pay.compute:{run.pk}")
    return render(request, "pay/run.html", {
        "page_title": str(run), "run": run, "summary": summary, "units_shown": units_shown, "page": page, "kind": kind, "unit_id": unit_id,
        "q": q, "query": query.urlencode(), "listing": listing, "adjustments": adjustments, "adjustment_count": payline_list(run=run, kind="adjustment").count(),
        "can_change": has_capability(request.user, "pay.change"),
        "can_approve": has_capability(request.user, "pay.approve"), "regular": LineKind.REGULAR,
        "can_bank": has_capability(request.user, "pay.bank"),
        "job": job,
    })


def _act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    run = payrun_get(user=request.user, pk=pk)
    try:
        if action == "compute":
            announce(request, services.payrun_submit_compute(run=run, actor=request.user))
        elif action == "approve":
            services.payrun_approve(run=run, actor=request.user)
            messages.success(request, f"已审核{run}")
        elif action == "return":
            services.payrun_return(run=run, actor=request.user)
            messages.success(request, f"已退回{run}为草稿")
        elif action == "lock":
            services.payrun_lock(run=run, actor=request.user)
            messages.success(request, f"已锁定{run}，此后不再改动；更正将以补发扣回计入以后月份")
        elif action == "delete":
            services.payrun_delete(run=run, actor=request.user)
            messages.success(request, f"已删除{run}草稿")
            return redirect("pay:index")
    except USER_ERRORS as exc:
        messages.error(request, str(exc))
    return redirect("pay:run", pk=run.pk)


@require_POST
@requires("pay.change")
def compute_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "compute")


@require_POST
@requires("pay.change")
def delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "delete")


@require_POST
@requires("pay.approve")
def approve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@require_POST
@requires("pay.approve")
def return_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "return")


@require_POST
@requires("pay.approve")
@confirm_first(lock_consequences)
def lock_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "lock")


@requires("pay.view")
def payslip_view(request: AuthedRequest, pk: int, worker_pk: int) -> HttpResponse:
    slip = payslip_get(user=request.user, run_pk=pk, worker_pk=worker_pk)
    comps = [c for c in slip.run.components if slip.regular and c in slip.regular.components]
    rows = [(c, slip.regular.components[c]) for c in comps] if slip.regular else []
    return render(request, "pay/payslip.html", {
        "page_title": f"工资条 · {slip.worker.name}", "slip": slip, "rows": rows,
    })


@requires("pay.view")
def export_view(request: AuthedRequest, pk: int) -> HttpResponse:
    run = payrun_get(user=request.user, pk=pk)
    return xlsx_response(f"薪酬发放表-{run.unit.name}-{run.month:%Y%m}.xlsx", finance_export(run))
