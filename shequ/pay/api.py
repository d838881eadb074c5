"""/api/v1/pay: pay runs, their lines, summaries, payslips and the finance export."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema

from shequ.accounts.api_auth import need
from shequ.accounts.types import AuthedRequest
from shequ.common.excel import xlsx_response
from shequ.common.params import Id, Limit, Offset
from shequ.common.scope import get_in_scope_or_404
from shequ.jobs.models import JobStatus
from shequ.org.models import Unit
from shequ.pay import services
from shequ.pay.exports import finance_export
from shequ.pay.models import PayLine, PayRun, RunStatus
from shequ.pay.selectors import (
    month_of,
    payline_list,
    payrun_get,
    payrun_list,
    payrun_summary,
    payslip_get,
)

router = Router()


class RunOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    month: date
    status: str
    status_label: str
    headcount: int
    total: Decimal
    adjustments_total: Decimal
    employer_benefits: Decimal
    employee_benefits: Decimal
    tax_total: Decimal
    net_total: Decimal
    components: list[str]
    policies: list[str]
    computed_at: datetime | None
    approved_at: datetime | None
    locked_at: datetime | None
    # The background computation this call submitted (GET /api/v1/tasks/{id}).
    task_id: int | None = None


class PayLineOut(Schema):
    worker_id: int
    worker_name: str
    unit_id: int
    unit_name: str
    kind: str
    kind_label: str
    for_month: date
    policy_label: str
    post: str
    grade: int
    education: str
    certificate: str
    years: int
    last_tier: str
    days: int
    days_in_month: int
    probation_days: int
    components: dict[str, float]
    gross: Decimal
    employer_benefits: Decimal
    employee_benefits: Decimal
    items: dict[str, float]
    deductions: Decimal
    taxable: Decimal
    special_deduction: Decimal
    tax: Decimal
    net: Decimal
    reason: str


class UnitSummaryOut(Schema):
    unit_id: int
    unit_name: str
    headcount: int
    total: float
    average: float
    components: dict[str, float]
    adjustments: float
    employer_benefits: float
    employee_benefits: float


class SummaryOut(Schema):
    headcount: int
    total: float
    average: float
    components: list[str]
    units: list[UnitSummaryOut]


class PayslipOut(Schema):
    run_id: int
    worker_id: int
    worker_name: str
    lines: list[PayLineOut]
    basis: list[str]
    gross: float
    employee_benefits: float
    employer_benefits: float
    tax: float
    deductions: float
    net: float


class RunIn(Schema):
    unit: Id
    month: str  # "2026-03"


class LineQuery(Schema):
    kind: str = ""
    unit: Id | None = None
    limit: Limit = 100
    offset: Offset = 0


def _run(r: PayRun) -> dict[str, Any]:
    return {
        "id": r.pk, "unit_id": r.unit_id, "unit_name": r.unit.name, "month": r.month, "status": r.status,
        "status_label": r.get_status_display(), "headcount": r.headcount, "total": r.total,
        "adjustments_total": r.adjustments_total, "employer_benefits": r.employer_benefits,
        "employee_benefits": r.employee_benefits, "tax_total": r.tax_total, "net_total": r.net_total, "components": r.components, "policies": list(r.policies),
        "computed_at": r.computed_at, "approved_at": r.approved_at, "locked_at": r.locked_at,
    }


def _line(line: PayLine) -> dict[str, Any]:
    return {
        "worker_id": line.worker_id, "worker_name": line.worker.name, "unit_id": line.unit_id,
        "unit_name": line.unit.name, "kind": line.kind, "kind_label": line.get_kind_display(),
        "for_month": line.for_month, "policy_label": line.policy_label, "post": line.post, "grade": line.grade,
        "education": line.education, "certificate": line.certificate, "years": line.years, "last_tier": line.last_tier, "days": line.days,
        "days_in_month": line.days_in_month, "probation_days": line.probation_days,
        "components": line.components, "gross": line.gross, "employer_benefits": line.employer_benefits,
        "employee_benefits": line.employee_benefits, "items": line.items, "deductions": line.deductions,
        "taxable": line.taxable, "special_deduction": line.special_deduction, "tax": line.tax, "net": line.net,
        "reason": line.reason,
    }


@router.get("/runs", response=list[RunOut], summary="薪酬核算列表")
def list_runs(request: AuthedRequest) -> list[dict[str, Any]]:
    need(request, "pay.view")
    return [_run(r) for r in payrun_list(user=request.user)[:500]]


@router.post("/runs", response=RunOut, summary="核算某范围某月薪酬（已有则返回该核算；草稿会重新核算）")
def create_run(request: AuthedRequest, body: RunIn) -> dict[str, Any]:
    need(request, "pay.change")
    unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=body.unit)
    # Errors are ValueErrors with Chinese messages; shequ.api answers them with 400.
    run, _ = services.payrun_create(unit=unit, month=month_of(body.month), actor=request.user)
    if run.status == RunStatus.DRAFT:
        return _submit(request, run)
    return _run(run)


def _submit(request: AuthedRequest, run: PayRun) -> dict[str, Any]:
    job = services.payrun_submit_compute(run=run, actor=request.user)
    if job.status == JobStatus.FAILED:
        raise services.PayRunError(job.error)
    # With the immediate backend the run is computed by now; with a worker it is still a
    # draft, and the task says how far it got.
    return {**_run(payrun_get(user=request.user, pk=run.pk)), "task_id": job.pk}


@router.get("/runs/{run_id}", response=RunOut, summary="一份薪酬核算")
def get_run(request: AuthedRequest, run_id: Id) -> dict[str, Any]:
    need(request, "pay.view")
    return _run(payrun_get(user=request.user, pk=run_id))


def _transition(request: AuthedRequest, run_id: int, capability: str, fn: Any) -> dict[str, Any]:
    need(request, capability)
    run = payrun_get(user=request.user, pk=run_id)
    return _run(fn(run=run, actor=request.user))


@router.post("/runs/{run_id}/compute", response=RunOut, summary="重新核算草稿（后台任务；task_id 见 /tasks/{id}）")
def compute_run(request: AuthedRequest, run_id: Id) -> dict[str, Any]:
    need(request, "pay.change")
    return _submit(request, payrun_get(user=request.user, pk=run_id))


@router.post("/runs/{run_id}/approve", response=RunOut, summary="审核（财务）")
def approve_run(request: AuthedRequest, run_id: Id) -> dict[str, Any]:
    return _transition(request, run_id, "pay.approve", services.payrun_approve)


@router.post("/runs/{run_id}/return", response=RunOut, summary="退回草稿（财务）")
def return_run(request: AuthedRequest, run_id: Id) -> dict[str, Any]:
    return _transition(request, run_id, "pay.approve", services.payrun_return)


@router.post("/runs/{run_id}/lock", response=RunOut, summary="锁定（财务）")
def lock_run(request: AuthedRequest, run_id: Id) -> dict[str, Any]:
    return _transition(request, run_id, "pay.approve", services.payrun_lock)


@router.get("/runs/{run_id}/lines", response=list[PayLineOut], summary="薪酬明细（可分页）")
def list_lines(request: AuthedRequest, run_id: Id, q: Query[LineQuery]) -> list[dict[str, Any]]:
    need(request, "pay.view")
    run = payrun_get(user=request.user, pk=run_id)
    lines = payline_list(run=run, kind=q.kind, unit_id=q.unit)
    return [_line(x) for x in lines[q.offset : q.offset + min(q.limit, 1000)]]


@router.get("/runs/{run_id}/summary", response=SummaryOut, summary="分单位汇总")
def run_summary(request: AuthedRequest, run_id: Id) -> dict[str, Any]:
    need(request, "pay.view")
    s = payrun_summary(run=payrun_get(user=request.user, pk=run_id))
    return {"headcount": s.headcount, "total": s.total, "average": s.average, "components": s.components, "units": s.units}


@router.get("/runs/{run_id}/payslips/{worker_id}", response=PayslipOut, summary="工资条（含计算依据）")
def payslip(request: AuthedRequest, run_id: Id, worker_id: Id) -> dict[str, Any]:
    need(request, "pay.view")
    slip = payslip_get(user=request.user, run_pk=run_id, worker_pk=worker_id)
    lines = ([slip.regular] if slip.regular else []) + slip.adjustments
    return {"run_id": slip.run.pk, "worker_id": slip.worker.pk, "worker_name": slip.worker.name,
            "lines": [_line(x) for x in lines], "basis": slip.basis, "gross": slip.gross,
            "employee_benefits": slip.employee_benefits, "employer_benefits": slip.employer_benefits, "tax": slip.tax,
            "deductions": slip.deductions, "net": slip.net}


@router.get("/runs/{run_id}/export", summary="财务发放表（Excel）", openapi_extra={"responses": {200: {
    "description": "xlsx 文件",
    "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}},
}}})
def export(request: AuthedRequest, run_id: Id) -> HttpResponse:
    need(request, "pay.view")
    run = payrun_get(user=request.user, pk=run_id)
    return xlsx_response(f"薪酬发放表-{run.unit.name}-{run.month:%Y%m}.xlsx", finance_export(run))
