"""/api/v1/assessment: campaigns, scores, the tier list, preview and the confirmations.
Same services and scope as the pages; out-of-scope campaigns are 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from shequ.accounts.api_auth import need
from shequ.accounts.types import AuthedRequest
from shequ.assessment import tables
from shequ.assessment.compute import cost_preview, evaluate
from shequ.assessment.models import Campaign
from shequ.assessment.selectors import (
    campaign_get,
    campaign_list,
    consequence_list,
    proposed_dismissals,
)
from shequ.assessment.services import (
    AssessmentError,
    ScoreEntry,
    breach_record,
    campaign_create,
    campaign_submit_confirm,
    campaign_submit_publish,
    dismissal_decide,
    scores_save,
)
from shequ.common.params import Day, Id, Year
from shequ.common.scope import get_in_scope_or_404
from shequ.jobs.models import JobStatus
from shequ.org.models import Unit
from shequ.workers.models import Worker

router = Router()


class CampaignOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str
    year: int
    status: str
    policy_version: str


class CampaignIn(Schema):
    unit: Id
    year: Year
    name: str = ""


class ScoreIn(Schema):
    worker_id: Id
    indicators: dict[str, Any] = {}
    score: float | str | None = None
    tier: str = ""


class BreachIn(Schema):
    worker_id: Id
    reason: str


class ConfirmIn(Schema):
    effective: Day | None = None


class DismissalIn(Schema):
    confirm: bool
    on: Day | None = None
    note: str = ""


class CapOut(Schema):
    cap: float | None = Field(description="优秀比例上限（无上限为空）")
    total: int
    excellent: int
    allowed: int | None
    over: int
    candidates: list[dict[str, Any]] = Field(description="分数最低的优秀人员（供调整）")


class ResultRowOut(Schema):
    worker_id: int
    name: str
    unit_name: str
    post: str | None
    grade: int | None
    score: float | None
    tier: str | None
    breach: Any = None


class ResultsOut(Schema):
    policy_version: str
    cap: CapOut
    rows: list[ResultRowOut]


class SavedOut(Schema):
    saved: int


class PublishedOut(Schema):
    published: int = Field(description="记入个人档案的人数")
    task_id: int | None = Field(default=None, description="后台任务编号，进度见 /tasks/{id}")


class PreviewOut(Schema):
    policy_version: str
    on: date
    moves: list[dict[str, Any]] = Field(description="等级变动（列名为中文表头）")
    cost_by_unit: list[dict[str, Any]]
    cost_total: dict[str, float]


class ConfirmOut(Schema):
    steps: int = Field(description="晋升一级人数")
    promote: int = Field(description="优先晋升人数")
    warn: int = Field(description="约谈提醒人数")
    dismiss: int = Field(description="拟解聘人数（待二次确认）")
    task_id: int | None = Field(default=None, description="后台任务编号，进度见 /tasks/{id}")


class ConsequenceOut(Schema):
    id: int
    worker_id: int
    name: str
    unit_name: str
    action: str
    tier: str
    grade_before: int | None
    grade_after: int | None
    status: str
    policy_version: str


class BreachOut(Schema):
    id: int
    worker_id: int
    reason: str


class DismissalOut(Schema):
    id: int
    status: str


def _out(c: Campaign) -> dict[str, Any]:
    return {"id": c.pk, "name": c.name, "unit_id": c.unit_id, "unit_name": c.unit.name, "year": c.year,
            "status": c.status, "policy_version": c.policy_version}


@router.get("/campaigns", response=list[CampaignOut], summary="年度考核列表")
def list_campaigns(request: AuthedRequest) -> list[dict[str, Any]]:
    need(request, "assess.view")
    return [_out(c) for c in campaign_list(user=request.user)]


@router.post("/campaigns", response={201: CampaignOut}, summary="新建年度考核")
def create_campaign(request: AuthedRequest, body: CampaignIn) -> Status[dict[str, Any]]:
    need(request, "assess.change")
    unit: Unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=body.unit)
    return Status(201, _out(campaign_create(unit=unit, year=body.year, actor=request.user, name=body.name)))


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="单个年度考核")
def get_campaign(request: AuthedRequest, campaign_id: Id) -> dict[str, Any]:
    need(request, "assess.view")
    return _out(campaign_get(user=request.user, pk=campaign_id))


@router.get("/campaigns/{campaign_id}/results", response=ResultsOut, summary="等次名单与优秀比例检查")
def results(request: AuthedRequest, campaign_id: Id) -> dict[str, Any]:
    need(request, "assess.view")
    ev = evaluate(campaign_get(user=request.user, pk=campaign_id))
    cap = ev.cap
    return {
        "policy_version": ev.label,
        "cap": {"cap": cap.cap, "total": cap.total, "excellent": cap.excellent, "allowed": cap.allowed, "over": cap.over,
                "candidates": cap.candidates},
        "rows": ev.frame.select("worker_id", "name", "unit_name", "post", "grade", "score", "tier", "breach").to_dicts(),
    }


@router.put("/campaigns/{campaign_id}/scores", response=SavedOut, summary="录入评分（全部成功或全部不保存）")
def put_scores(request: AuthedRequest, campaign_id: Id, body: list[ScoreIn]) -> dict[str, int]:
    need(request, "assess.change")
    c = campaign_get(user=request.user, pk=campaign_id)
    entries = [ScoreEntry(worker_id=s.worker_id, indicators=s.indicators,
                          score="" if s.score is None else s.score, tier=s.tier) for s in body]
    return {"saved": scores_save(campaign=c, entries=entries, actor=request.user)}


@router.post("/campaigns/{campaign_id}/breaches", response={201: BreachOut}, summary="登记负面清单情形")
def post_breach(request: AuthedRequest, campaign_id: Id, body: BreachIn) -> Status[dict[str, Any]]:
    need(request, "assess.change")
    c = campaign_get(user=request.user, pk=campaign_id)
    worker: Worker = get_in_scope_or_404(Worker.objects.all(), request.user, pk=body.worker_id)
    b = breach_record(campaign=c, worker=worker, reason=body.reason, actor=request.user)
    return Status(201, {"id": b.pk, "worker_id": worker.pk, "reason": b.reason})


@router.post("/campaigns/{campaign_id}/publish", response=PublishedOut, summary="公布结果并记入个人档案")
def publish(request: AuthedRequest, campaign_id: Id) -> dict[str, int]:
    need(request, "assess.change")
    job = campaign_submit_publish(campaign=campaign_get(user=request.user, pk=campaign_id), actor=request.user)
    if job.status == JobStatus.FAILED:
        raise AssessmentError(job.error)
    # With a worker the job may still be running: `published` is then 0 and task_id says how far it got.
    return {"published": int(job.result.get("published", 0)), "task_id": job.pk}


@router.get("/campaigns/{campaign_id}/preview", response=PreviewOut, summary="结果运用预览：等级变动与按单位的月度经费变化")
def preview(request: AuthedRequest, campaign_id: Id) -> dict[str, Any]:
    need(request, "assess.view")
    c = campaign_get(user=request.user, pk=campaign_id)
    ev = evaluate(c)
    on = date(c.year + 1, 1, 1)
    moves = tables.moves_table(ev)
    cost = cost_preview(ev, on)
    return {"policy_version": ev.label, "on": on, "moves": [dict(zip(moves.headers, r, strict=True)) for r in moves.rows],
            "cost_by_unit": cost.by_unit, "cost_total": cost.total}


@router.post("/campaigns/{campaign_id}/confirm", response=ConfirmOut, summary="确认结果运用")
def confirm(request: AuthedRequest, campaign_id: Id, body: ConfirmIn) -> dict[str, int]:
    need(request, "assess.confirm")
    c = campaign_get(user=request.user, pk=campaign_id)
    job = campaign_submit_confirm(campaign=c, actor=request.user, effective=body.effective or date(c.year + 1, 1, 1))
    if job.status == JobStatus.FAILED:
        raise AssessmentError(job.error)
    counts = {k: int(job.result.get(k, 0)) for k in ("steps", "promote", "warn", "dismiss")}
    return {**counts, "task_id": job.pk}


@router.get("/campaigns/{campaign_id}/consequences", response=list[ConsequenceOut], summary="结果运用（确认后）")
def consequences(request: AuthedRequest, campaign_id: Id) -> list[dict[str, Any]]:
    need(request, "assess.view")
    c = campaign_get(user=request.user, pk=campaign_id)
    return [{"id": x.pk, "worker_id": x.worker_id, "name": x.worker.name, "unit_name": x.unit.name, "action": x.action,
             "tier": x.tier, "grade_before": x.grade_before, "grade_after": x.grade_after, "status": x.status,
             "policy_version": x.policy_version} for x in consequence_list(campaign=c)]


@router.post("/campaigns/{campaign_id}/dismissals/{consequence_id}", response=DismissalOut, summary="解聘二次确认")
def decide_dismissal(request: AuthedRequest, campaign_id: Id, consequence_id: Id, body: DismissalIn) -> dict[str, Any]:
    need(request, "assess.confirm")
    c = campaign_get(user=request.user, pk=campaign_id)
    proposal = proposed_dismissals(campaign=c).filter(pk=consequence_id).first()
    if proposal is None:
        from django.http import Http404

        raise Http404("未找到")
    done = dismissal_decide(consequence=proposal, confirm=body.confirm, actor=request.user,
                            on=body.on or timezone.localdate(), note=body.note)
    return {"id": done.pk, "status": done.status}
