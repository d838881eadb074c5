"""/api/v1/recruitment: the same steps as the pages, the same scope rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from shequ.accounts.api_auth import need
from shequ.accounts.types import AuthedRequest
from shequ.common.params import Amount, Count, Day, Id
from shequ.common.pii import shown_id
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import Invalid
from shequ.jobs.models import JobStatus
from shequ.org.models import Unit
from shequ.policy.selectors import policy_for
from shequ.recruitment.conversion import (
    ConversionError,
    conversion_batch_create,
    conversion_batch_submit_confirm,
    conversion_candidates,
    conversion_line_contract,
    conversion_line_edit,
    dispatch_convert,
)
from shequ.recruitment.models import Application, ConversionBatch, ConversionLine, RecruitmentPlan
from shequ.recruitment.selectors import (
    application_get,
    application_list,
    batch_get,
    batch_lines,
    batch_list,
    batch_report,
    dispatch_list,
    line_get,
    plan_get,
    plan_list,
    plan_posts,
    plan_ranking,
)
from shequ.recruitment.services import (
    ApplicantData,
    application_create,
    application_hire,
    application_scores_set,
    application_withdraw,
    plan_announce,
    plan_close,
    plan_create,
    plan_post_set,
    plan_publish,
)
from shequ.workers.models import Worker

router = Router()


class PlanPostOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    post: str
    places: int


class PlanOut(Schema):
    id: int
    title: str
    scope_id: int
    scope_name: str
    status: str
    policy_version: str
    announcement: str
    announced_on: date | None
    apply_from: date | None
    apply_until: date | None
    exam_on: date | None
    published_on: date | None
    posts: list[PlanPostOut]


class PlanIn(Schema):
    scope: Id
    title: str


class PlanPostIn(Schema):
    unit: Id
    post: str
    places: Count


class AnnounceIn(Schema):
    announcement: str
    announced_on: Day
    apply_from: Day
    apply_until: Day
    exam_on: Day | None = None


class ApplicationIn(Schema):
    plan_post: Id
    name: str
    id_number: str
    education: str
    certificate: str = "无"
    residence_local: bool = False
    veteran: bool = False
    phone: str = ""


class ApplicationOut(Schema):
    id: int
    plan_id: int
    plan_post_id: int
    unit_name: str
    post: str
    name: str
    id_number: str
    education: str
    certificate: str
    residence_local: bool
    veteran: bool
    status: str
    rejection_reason: str
    written: Decimal | None
    interview: Decimal | None
    bonus: Decimal
    total: Decimal | None
    worker_id: int | None


class ScoresIn(Schema):
    written: Amount | None = None
    interview: Amount | None = None


class DateIn(Schema):
    on: Day


class WithdrawIn(Schema):
    reason: str
    on: Day


class RankedOut(Schema):
    application_id: int
    name: str
    rank: int
    total: Decimal
    within_places: bool
    status: str


class PostRankingOut(Schema):
    plan_post_id: int
    unit_name: str
    post: str
    places: int
    ranked: list[RankedOut]


class HireOut(Schema):
    worker_id: int
    name: str
    unit_name: str
    post: str
    grade: int | None
    status: str
    probation_until: date | None


class WithdrawOut(Schema):
    next_in_line: ApplicationOut | None


class DispatchOut(Schema):
    worker_id: int
    name: str
    unit_name: str
    years: int
    eligible: bool
    reasons: list[str]


class BatchIn(Schema):
    scope: Id
    title: str
    effective: Day
    workers: list[Id]


class ConversionLineOut(Schema):
    id: int
    worker_id: int
    name: str
    unit_name: str
    years: int
    proposed_post: str
    proposed_grade: int
    final_post: str
    final_grade: int
    edit_reason: str
    voluntary_contract: bool
    explanation: str


class BatchOut(Schema):
    id: int
    title: str
    scope_name: str
    effective: date
    status: str
    policy_version: str
    lines: list[ConversionLineOut]
    task_id: int | None = None  # the confirmation's background job (GET /api/v1/tasks/{id})


class LineIn(Schema):
    post: str
    grade: Count
    reason: str


class ContractIn(Schema):
    voluntary: bool


class ReportOut(Schema):
    posts: list[str]
    grades: list[int]
    counts: list[list[int]]
    total: int


def _plan(p: RecruitmentPlan) -> dict[str, Any]:
    return {
        "id": p.pk, "title": p.title, "scope_id": p.scope_id, "scope_name": p.scope.name, "status": p.status,
        "policy_version": p.policy_version, "announcement": p.announcement, "announced_on": p.announced_on,
        "apply_from": p.apply_from, "apply_until": p.apply_until, "exam_on": p.exam_on, "published_on": p.published_on,
        "posts": [{"id": pp.pk, "unit_id": pp.unit_id, "unit_name": pp.unit.name, "post": pp.post, "places": pp.places}
                  for pp in plan_posts(plan=p)],
    }


def _app(a: Application) -> dict[str, Any]:
    return {
        "id": a.pk, "plan_id": a.plan_id, "plan_post_id": a.plan_post_id, "unit_name": a.unit.name,
        "post": a.plan_post.post, "name": a.name, "id_number": shown_id(a.id_number), "education": a.education,
        "certificate": a.certificate, "residence_local": a.residence_local, "veteran": a.veteran, "status": a.status,
        "rejection_reason": a.rejection_reason, "written": a.written, "interview": a.interview, "bonus": a.bonus,
        "total": a.total, "worker_id": a.worker_id,
    }


def _line(ln: ConversionLine) -> dict[str, Any]:
    return {
        "id": ln.pk, "worker_id": ln.worker_id, "name": ln.worker.name, "unit_name": ln.unit.name, "years": ln.years,
        "proposed_post": ln.proposed_post, "proposed_grade": ln.proposed_grade, "final_post": ln.final_post,
        "final_grade": ln.final_grade, "edit_reason": ln.edit_reason, "voluntary_contract": ln.voluntary_contract,
        "explanation": ln.explanation,
    }


def _batch(request: AuthedRequest, b: ConversionBatch) -> dict[str, Any]:
    return {"id": b.pk, "title": b.title, "scope_name": b.scope.name, "effective": b.effective, "status": b.status,
            "policy_version": b.policy_version, "lines": [_line(ln) for ln in batch_lines(user=request.user, batch=b)]}


# ---- exam recruitment --------------------------------------------------------------------

@router.get("/plans", response=list[PlanOut], summary="招聘计划")
def list_plans(request: AuthedRequest) -> list[dict[str, Any]]:
    need(request, "recruit.view")
    return [_plan(p) for p in plan_list(user=request.user)[:500]]


@router.post("/plans", response={201: PlanOut}, summary="新建招聘计划")
def create_plan(request: AuthedRequest, body: PlanIn) -> Status[dict[str, Any]]:
    need(request, "recruit.change")
    scope = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=body.scope)
    return Status(201, _plan(plan_create(scope=scope, title=body.title, actor=request.user, on=timezone.localdate())))


@router.get("/plans/{plan_id}", response=PlanOut, summary="单个招聘计划")
def get_plan(request: AuthedRequest, plan_id: Id) -> dict[str, Any]:
    need(request, "recruit.view")
    return _plan(plan_get(user=request.user, pk=plan_id))


@router.post("/plans/{plan_id}/posts", response=PlanOut, summary="设置招聘岗位（以空编为限）")
def set_post(request: AuthedRequest, plan_id: Id, body: PlanPostIn) -> dict[str, Any]:
    need(request, "recruit.change")
    plan = plan_get(user=request.user, pk=plan_id)
    unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=body.unit)
    plan_post_set(plan=plan, unit=unit, post=body.post, places=body.places, actor=request.user, on=timezone.localdate())
    return _plan(plan)


@router.post("/plans/{plan_id}/announce", response=PlanOut, summary="发布招聘公告")
def announce(request: AuthedRequest, plan_id: Id, body: AnnounceIn) -> dict[str, Any]:
    need(request, "recruit.change")
    plan = plan_get(user=request.user, pk=plan_id)
    plan_announce(plan=plan, text=body.announcement, announced_on=body.announced_on, apply_from=body.apply_from,
                  apply_until=body.apply_until, exam_on=body.exam_on, actor=request.user)
    return _plan(plan)


@router.get("/plans/{plan_id}/applications", response=list[ApplicationOut], summary="报名与资格审查")
def list_applications(request: AuthedRequest, plan_id: Id) -> list[dict[str, Any]]:
    need(request, "recruit.view")
    plan = plan_get(user=request.user, pk=plan_id)
    return [_app(a) for a in application_list(user=request.user, plan=plan)]


@router.post("/plans/{plan_id}/applications", response={201: ApplicationOut}, summary="登记报名（自动资格审查）")
def create_application(request: AuthedRequest, plan_id: Id, body: ApplicationIn) -> Status[dict[str, Any]]:
    need(request, "recruit.change")
    plan = plan_get(user=request.user, pk=plan_id)
    pp = next((x for x in plan_posts(plan=plan) if x.pk == body.plan_post), None)
    if pp is None:
        raise Invalid("报考岗位不属于本计划", field="plan_post")
    app = application_create(plan=plan, plan_post=pp, actor=request.user, data=ApplicantData(
        name=body.name, id_number=body.id_number, education=body.education, certificate=body.certificate,
        residence_local=body.residence_local, veteran=body.veteran, phone=body.phone))
    return Status(201, _app(app))


@router.post("/applications/{application_id}/scores", response=ApplicationOut, summary="录入笔试、面试成绩")
def set_scores(request: AuthedRequest, application_id: Id, body: ScoresIn) -> dict[str, Any]:
    need(request, "recruit.change")
    app = application_get(user=request.user, pk=application_id)
    return _app(application_scores_set(application=app, written=body.written, interview=body.interview, actor=request.user))


@router.post("/plans/{plan_id}/publish", response=PlanOut, summary="公示成绩与拟录用名单")
def publish(request: AuthedRequest, plan_id: Id, body: DateIn) -> dict[str, Any]:
    need(request, "recruit.change")
    plan = plan_get(user=request.user, pk=plan_id)
    return _plan(plan_publish(plan=plan, on=body.on, actor=request.user))


@router.post("/plans/{plan_id}/close", response=PlanOut, summary="结束招聘计划")
def close(request: AuthedRequest, plan_id: Id) -> dict[str, Any]:
    need(request, "recruit.change")
    plan = plan_get(user=request.user, pk=plan_id)
    return _plan(plan_close(plan=plan, actor=request.user))


@router.get("/plans/{plan_id}/ranking", response=list[PostRankingOut], summary="各岗位排名")
def ranking(request: AuthedRequest, plan_id: Id) -> list[dict[str, Any]]:
    need(request, "recruit.view")
    plan = plan_get(user=request.user, pk=plan_id)
    return [
        {"plan_post_id": pr.plan_post.pk, "unit_name": pr.plan_post.unit.name, "post": pr.plan_post.post,
         "places": pr.plan_post.places,
         "ranked": [{"application_id": a.pk, "name": a.name, "rank": r.rank, "total": a.total,
                     "within_places": r.within_places, "status": a.status} for a, r in pr.ranked]}
        for pr in plan_ranking(user=request.user, plan=plan)
    ]


@router.post("/applications/{application_id}/hire", response=HireOut, summary="按名次录用（试用期）")
def hire(request: AuthedRequest, application_id: Id, body: DateIn) -> dict[str, Any]:
    need(request, "recruit.change")
    app = application_get(user=request.user, pk=application_id)
    w = application_hire(application=app, effective=body.on, actor=request.user)
    return {"worker_id": w.pk, "name": w.name, "unit_name": w.unit.name, "post": w.post, "grade": w.grade,
            "status": w.status, "probation_until": w.probation_until}


@router.post("/applications/{application_id}/withdraw", response=WithdrawOut, summary="放弃，依次递补")
def withdraw(request: AuthedRequest, application_id: Id, body: WithdrawIn) -> dict[str, Any]:
    need(request, "recruit.change")
    app = application_get(user=request.user, pk=application_id)
    nxt = application_withdraw(application=app, reason=body.reason, effective=body.on, actor=request.user)
    return {"next_in_line": _app(nxt) if nxt else None}


# ---- dispatch conversion -----------------------------------------------------------------

@router.get("/dispatch", response=list[DispatchOut], summary="劳务派遣人员转岗资格")
def dispatch(request: AuthedRequest) -> list[dict[str, Any]]:
    need(request, "recruit.view")
    return [
        {"worker_id": c.worker.pk, "name": c.worker.name, "unit_name": c.worker.unit.name, "years": c.years,
         "eligible": c.eligible, "reasons": c.reasons}
        for c in dispatch_list(user=request.user, scope=cast(Unit, request.user.unit), on=timezone.localdate())
    ]


@router.post("/dispatch/{worker_id}/convert", response=HireOut, summary="劳务派遣人员转岗")
def convert(request: AuthedRequest, worker_id: Id, body: DateIn) -> dict[str, Any]:
    need(request, "recruit.change")
    w = get_in_scope_or_404(Worker.objects.select_related("unit"), request.user, pk=worker_id)
    w = dispatch_convert(worker=w, effective=body.on, actor=request.user)
    return {"worker_id": w.pk, "name": w.name, "unit_name": w.unit.name, "post": w.post, "grade": w.grade,
            "status": w.status, "probation_until": w.probation_until}


# ---- 套改 ---------------------------------------------------------------------------------

@router.get("/conversions", response=list[BatchOut], summary="套改批次")
def list_batches(request: AuthedRequest) -> list[dict[str, Any]]:
    need(request, "recruit.view")
    return [_batch(request, b) for b in batch_list(user=request.user)[:100]]


@router.post("/conversions", response={201: BatchOut}, summary="新建套改批次（引擎拟定等级）")
def create_batch(request: AuthedRequest, body: BatchIn) -> Status[dict[str, Any]]:
    need(request, "recruit.change")
    scope = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=body.scope)
    found = {w.pk: w for w in conversion_candidates(user=request.user, scope=scope).filter(pk__in=body.workers)}
    missing = [i for i in body.workers if i not in found]
    if missing:
        raise Invalid(f"以下人员不在范围内、不是两委成员或已在其他批次：{'、'.join(map(str, missing))}")
    batch = conversion_batch_create(scope=scope, title=body.title, effective=body.effective,
                                    workers=list(found.values()), actor=request.user)
    return Status(201, _batch(request, batch))


@router.get("/conversions/{batch_id}", response=BatchOut, summary="单个套改批次")
def get_batch(request: AuthedRequest, batch_id: Id) -> dict[str, Any]:
    need(request, "recruit.view")
    return _batch(request, batch_get(user=request.user, pk=batch_id))


@router.post("/conversion-lines/{line_id}", response=ConversionLineOut, summary="复核调整（须写理由）")
def edit_line(request: AuthedRequest, line_id: Id, body: LineIn) -> dict[str, Any]:
    need(request, "recruit.change")
    line = line_get(user=request.user, pk=line_id)
    return _line(conversion_line_edit(line=line, post=body.post, grade=body.grade, reason=body.reason, actor=request.user))


@router.post("/conversion-lines/{line_id}/contract", response=ConversionLineOut, summary="两委成员自愿签订劳动合同")
def line_contract(request: AuthedRequest, line_id: Id, body: ContractIn) -> dict[str, Any]:
    need(request, "recruit.change")
    line = line_get(user=request.user, pk=line_id)
    return _line(conversion_line_contract(line=line, voluntary=body.voluntary, actor=request.user))


@router.post("/conversions/{batch_id}/confirm", response=BatchOut, summary="整批确认套改")
def confirm_batch(request: AuthedRequest, batch_id: Id) -> dict[str, Any]:
    need(request, "recruit.change")
    batch = batch_get(user=request.user, pk=batch_id)
    job = conversion_batch_submit_confirm(batch=batch, actor=request.user)
    if job.status == JobStatus.FAILED:
        raise ConversionError(job.error)
    # With a worker the job may still be running: status is then still provisional, task_id says how far it got.
    batch.refresh_from_db()
    return {**_batch(request, batch), "task_id": job.pk}


@router.get("/conversions/{batch_id}/report", response=ReportOut, summary="按岗位和等级统计")
def batch_report_api(request: AuthedRequest, batch_id: Id) -> dict[str, Any]:
    need(request, "recruit.view")
    batch = batch_get(user=request.user, pk=batch_id)
    policy, _ = policy_for(unit=batch.scope, on=batch.effective)
    report = batch_report(lines=batch_lines(user=request.user, batch=batch), post_order=policy.post_names())
    return {"posts": report.posts, "grades": report.grades, "counts": [report.row(p) for p in report.posts],
            "total": report.total}
