from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from shequ.accounts.api_auth import need
from shequ.accounts.types import AuthedRequest
from shequ.common.params import Id, Limit, Offset
from shequ.common.pii import shown_id
from shequ.common.scope import get_in_scope_or_404
from shequ.org.models import Unit
from shequ.workers.inputs import TransferIn, WorkerCreateIn, WorkerEditIn, WorkerExitIn
from shequ.workers.models import Worker
from shequ.workers.selectors import RosterFilter, worker_get, worker_history, worker_list
from shequ.workers.services import worker_create, worker_exit, worker_transfer, worker_update

router = Router()


class WorkerOut(Schema):
    id: int
    name: str
    id_number: str
    sex: str
    birth_date: date
    unit_id: int
    unit_name: str
    category: str
    post: str
    grade: int | None
    education: str
    community_work_start: date
    certificate: str
    status: str


class WorkerEventDataOut(Schema):
    """What an event carries (workers.events.EventData); an area may add its own keys."""

    model_config = ConfigDict(extra="allow")

    before: dict[str, Any] | None = Field(None, description="变更前的取值（字段 → 值）")
    after: dict[str, Any] | None = Field(None, description="变更后的取值（字段 → 值）")
    from_unit_id: int | None = Field(None, description="调动：调出单位的编号")
    reason: str | None = Field(None, description="退出：原因")
    office: str | None = Field(None, description="当选：所任职务")
    honour_id: int | None = Field(None, description="表彰：表彰记录编号")
    explanation: Any = Field(None, description="录用：定级的计算依据")


class WorkerEventOut(Schema):
    kind: str
    kind_label: str
    effective: date
    cause: str
    unit_name: str
    policy_version: str
    data: WorkerEventDataOut


class RosterQuery(Schema):
    q: str = ""
    unit: Id | None = None
    post: str = ""
    education: str = ""
    category: str = ""
    age_band: str = ""
    status: str = "current"
    limit: Limit = 100
    offset: Offset = 0


def _out(w: Worker) -> dict[str, Any]:
    return {
        "id": w.pk, "name": w.name, "id_number": shown_id(w.id_number), "sex": w.sex, "birth_date": w.birth_date,
        "unit_id": w.unit_id, "unit_name": w.unit.name, "category": w.category, "post": w.post,
        "grade": w.grade, "education": w.education, "community_work_start": w.community_work_start,
        "certificate": w.certificate, "status": w.status,
    }


@router.get("/", response=list[WorkerOut], summary="花名册（可筛选、分页）")
def list_workers(request: AuthedRequest, q: Query[RosterQuery]) -> list[dict[str, Any]]:
    need(request, "roster.view")
    unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=q.unit) if q.unit else None
    filters = RosterFilter(q=q.q, unit=unit, post=q.post, education=q.education, category=q.category,
                           age_band=q.age_band, status=q.status)
    qs = worker_list(user=request.user, filters=filters, on=timezone.localdate())
    return [_out(w) for w in qs[q.offset : q.offset + min(q.limit, 1000)]]


@router.get("/{worker_id}", response=WorkerOut, summary="单个社区工作者")
def get_worker(request: AuthedRequest, worker_id: Id) -> dict[str, Any]:
    need(request, "roster.view")
    return _out(worker_get(user=request.user, pk=worker_id))


@router.get("/{worker_id}/events", response=list[WorkerEventOut], summary="履历")
def worker_events(request: AuthedRequest, worker_id: Id) -> list[dict[str, Any]]:
    need(request, "roster.view")
    worker = worker_get(user=request.user, pk=worker_id)
    return [
        {"kind": e.kind, "kind_label": e.get_kind_display(), "effective": e.effective, "cause": e.cause,
         "unit_name": e.unit.name, "policy_version": e.policy_version, "data": e.data}
        for e in worker_history(worker=worker)
    ]


@router.post("/{worker_id}/transfer", response=WorkerEventOut, summary="调动")
def transfer(request: AuthedRequest, worker_id: Id, body: TransferIn) -> dict[str, Any]:
    need(request, "roster.change")
    worker = worker_get(user=request.user, pk=worker_id)
    return _event_out(worker_transfer(**body.service_kwargs(user=request.user, worker=worker), actor=request.user))


def _event_out(e: Any) -> dict[str, Any]:
    return {"kind": e.kind, "kind_label": e.get_kind_display(), "effective": e.effective, "cause": e.cause,
            "unit_name": e.unit.name, "policy_version": e.policy_version, "data": e.data}


@router.post("/", response={201: WorkerOut}, summary="新增社区工作者（同页面“新增”：未给等级则按政策定级）")
def create_worker(request: AuthedRequest, body: WorkerCreateIn) -> Status[dict[str, Any]]:
    need(request, "roster.change")
    worker = worker_create(**body.service_kwargs(user=request.user), actor=request.user)
    return Status(201, _out(worker))


@router.patch("/{worker_id}", response=WorkerOut, summary="修改社区工作者信息（只改给出的字段；同页面“修改”）")
def edit_worker(request: AuthedRequest, worker_id: Id, body: WorkerEditIn) -> dict[str, Any]:
    need(request, "roster.change")
    worker = worker_get(user=request.user, pk=worker_id)
    worker_update(**body.service_kwargs(worker=worker), actor=request.user)
    return _out(worker_get(user=request.user, pk=worker_id))


@router.post("/{worker_id}/exit", response=WorkerEventOut, summary="退出：辞职、解聘、退休等（同页面“退出”）")
def exit_worker(request: AuthedRequest, worker_id: Id, body: WorkerExitIn) -> dict[str, Any]:
    need(request, "roster.change")
    worker = worker_get(user=request.user, pk=worker_id)
    return _event_out(worker_exit(worker=worker, **body.service_kwargs(), actor=request.user))
