"""API of the careers area at /api/v1/growth/careers: the same services, selectors and
scope rules as the pages. Out-of-scope objects answer 404, out-of-scope writes 403,
refused writes 400 with the Chinese reason."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from ninja import Router, Schema

from shequ.accounts.api_auth import need
from shequ.accounts.types import AuthedRequest
from shequ.common.params import Count, Day, Id, Limit
from shequ.common.scope import get_in_scope_or_404
from shequ.growth.careers import eligibility, selectors, services
from shequ.growth.careers.inputs import ReserveIn
from shequ.growth.careers.models import AdmissionItem, Honour, ReserveCandidate
from shequ.org.models import Unit
from shequ.workers.models import WorkerEvent
from shequ.workers.selectors import worker_get

router = Router()


def _unit(request: AuthedRequest, pk: int) -> Unit:
    return get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=pk)


def _event(e: WorkerEvent) -> dict[str, Any]:
    return {"worker_id": e.worker_id, "worker_name": e.worker.name, "kind": e.kind, "kind_label": e.get_kind_display(),
            "effective": e.effective, "cause": e.cause, "unit_name": e.unit.name, "policy_version": e.policy_version}


class CareerEventOut(Schema):
    worker_id: int
    worker_name: str
    kind: str
    kind_label: str
    effective: date
    cause: str
    unit_name: str
    policy_version: str


# ---- reserve pool ------------------------------------------------------------------------

class ReserveCommunityOut(Schema):
    unit_id: int
    unit_name: str
    count: int
    minimum: int | None
    shortfall: int
    target: int | None
    to_target: int
    policy: str


class ReserveCandidateOut(Schema):
    id: int
    community_id: int
    community_name: str
    kind: str
    name: str
    sex: str
    birth_date: date
    education: str
    source: str
    added_on: date


class ReserveStatsOut(Schema):
    total: int
    aged_45_or_under: int
    dazhuan_or_above: int
    aged_45_or_under_share: float | None
    dazhuan_or_above_share: float | None


def _candidate(c: ReserveCandidate) -> dict[str, Any]:
    return {"id": c.pk, "community_id": c.community_id, "community_name": c.community.name, "kind": c.kind,
            "name": c.name, "sex": c.sex, "birth_date": c.birth_date, "education": c.education, "source": c.source,
            "added_on": c.added_on}


@router.get("/reserve/communities", response=list[ReserveCommunityOut], summary="各社区书记后备人选与缺额（Q-RESV）")
def reserve_communities(request: AuthedRequest, on: Day | None = None, shortfall_only: bool = False) -> list[dict[str, Any]]:
    need(request, "growth.view")
    on = on or timezone.localdate()
    rows = selectors.reserve_by_community(user=request.user, on=on)
    return [{"unit_id": r.unit_id, "unit_name": r.unit_name, "count": r.count, "minimum": r.minimum,
             "shortfall": r.shortfall, "target": r.target, "to_target": r.to_target, "policy": r.policy} for r in rows if r.shortfall or not shortfall_only]


@router.get("/reserve", response=list[ReserveCandidateOut], summary="后备人选名单")
def reserve_candidates(request: AuthedRequest, on: Day | None = None, kind: str = "") -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_candidate(c) for c in selectors.reserve_list(user=request.user, on=on or timezone.localdate(), kind=kind)]


@router.get("/reserve/stats", response=ReserveStatsOut, summary="后备人选年龄、学历结构（S-AGE、S-EDU）")
def reserve_stats(request: AuthedRequest, on: Day | None = None) -> dict[str, Any]:
    need(request, "growth.view")
    s = selectors.reserve_stats(user=request.user, on=on or timezone.localdate())
    return {"total": s.total, "aged_45_or_under": s.young, "dazhuan_or_above": s.educated,
            "aged_45_or_under_share": s.young_share, "dazhuan_or_above_share": s.educated_share}


@router.post("/reserve", response=ReserveCandidateOut, summary="列入后备人才库")
def reserve_add(request: AuthedRequest, body: ReserveIn) -> dict[str, Any]:
    need(request, "growth.change")
    return _candidate(services.reserve_add(**body.service_kwargs(user=request.user), actor=request.user))


# ---- a worker's career -------------------------------------------------------------------

class PromoteIn(Schema):
    to_post: str
    effective: Day


class PromotionCheckOut(Schema):
    from_post: str
    to_post: str
    eligible: bool
    unmet: list[str]


@router.get("/workers/{worker_id}/promotions", response=list[PromotionCheckOut], summary="晋升条件核对（C-PATH）")
def promotion_check(request: AuthedRequest, worker_id: Id, on: Day | None = None) -> list[dict[str, Any]]:
    need(request, "growth.view")
    from shequ.policy.selectors import policy_for

    worker = worker_get(user=request.user, pk=worker_id)
    on = on or timezone.localdate()
    policy, _ = policy_for(unit=worker.unit, on=on)
    out = []
    for rule in policy.params(on).careers.promotions:
        if rule.from_post == worker.post:
            unmet = services.promotion_unmet(worker=worker, rule=rule, on=on, policy=policy)
            out.append({"from_post": rule.from_post, "to_post": rule.to_post, "eligible": not unmet, "unmet": unmet})
    return out


class CandidateOut(Schema):
    worker_id: int
    name: str
    unit: str
    post: str
    grade: int | None
    to_post: str
    eligible: bool
    unmet: str
    policy: str


@router.get("/promotions", response=list[CandidateOut], summary="晋升资格：范围内可按政策晋升的人员及未满足的条件（C-PATH）")
def promotions(request: AuthedRequest, on: Day | None = None, eligible_only: bool = False) -> list[dict[str, Any]]:
    need(request, "growth.view")
    frame = eligibility.promotion_candidates(user=request.user, on=on or timezone.localdate())
    if eligible_only:
        frame = frame.filter(frame["eligible"])
    return list(frame.iter_rows(named=True))


@router.post("/workers/{worker_id}/promote", response=CareerEventOut, summary="岗位晋升（C-PATH）")
def promote(request: AuthedRequest, worker_id: Id, body: PromoteIn) -> dict[str, Any]:
    need(request, "growth.change")
    worker = worker_get(user=request.user, pk=worker_id)
    return _event(services.career_promote(worker=worker, to_post=body.to_post, effective=body.effective, actor=request.user))


class ElectIn(Schema):
    office: str
    effective: Day


@router.post("/workers/{worker_id}/elect", response=CareerEventOut, summary="当选两委直接套转（G-TR）")
def elect(request: AuthedRequest, worker_id: Id, body: ElectIn) -> dict[str, Any]:
    need(request, "growth.change")
    worker = worker_get(user=request.user, pk=worker_id)
    return _event(services.career_elect(worker=worker, office=body.office, effective=body.effective, actor=request.user))


class SelectIn(Schema):
    path: str
    organisation: str = ""
    effective: Day
    leaves: bool = False


@router.post("/workers/{worker_id}/select", response=CareerEventOut, summary="选拔任用：事业编、公务员、街道领导班子（C-PATH）")
def select(request: AuthedRequest, worker_id: Id, body: SelectIn) -> dict[str, Any]:
    need(request, "growth.change")
    worker = worker_get(user=request.user, pk=worker_id)
    return _event(services.career_select(worker=worker, path=body.path, organisation=body.organisation,
                                         effective=body.effective, actor=request.user, leaves=body.leaves))


class HonourIn(Schema):
    kind: str
    level: str
    title: str
    awarded_on: Day
    term_end: Day | None = None
    awarded_by: str = ""


class HonourOut(Schema):
    id: int
    worker_id: int
    worker_name: str
    unit_name: str
    kind: str
    level: str
    title: str
    awarded_on: date
    term_end: date | None


def _honour(h: Honour) -> dict[str, Any]:
    return {"id": h.pk, "worker_id": h.worker_id, "worker_name": h.worker.name, "unit_name": h.worker.unit.name,
            "kind": h.kind, "level": h.level, "title": h.title, "awarded_on": h.awarded_on, "term_end": h.term_end}


@router.post("/workers/{worker_id}/honours", response=HonourOut, summary="记录表彰荣誉、两代表一委员（C-HONOR）")
def honour(request: AuthedRequest, worker_id: Id, body: HonourIn) -> dict[str, Any]:
    need(request, "growth.change")
    worker = worker_get(user=request.user, pk=worker_id)
    return _honour(services.honour_record(worker=worker, kind=body.kind, level=body.level, title=body.title,
                                          awarded_on=body.awarded_on, term_end=body.term_end,
                                          awarded_by=body.awarded_by, actor=request.user))


@router.get("/honours", response=list[HonourOut], summary="表彰荣誉名单")
def honours(request: AuthedRequest, kind: str = "") -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_honour(h) for h in selectors.honour_list(user=request.user, kind=kind)]


class MoveIn(Schema):
    to_unit: Id
    effective: Day
    cause: str = ""


@router.post("/workers/{worker_id}/move", response=CareerEventOut, summary="跨街道、区县流动（C-MOVE）")
def move(request: AuthedRequest, worker_id: Id, body: MoveIn) -> dict[str, Any]:
    need(request, "growth.change")
    worker = worker_get(user=request.user, pk=worker_id)
    return _event(services.career_move(worker=worker, to_unit=_unit(request, body.to_unit), effective=body.effective,
                                       actor=request.user, cause=body.cause))


class ExitIn(Schema):
    reason: str
    on: Day
    cause: str = ""


@router.post("/workers/{worker_id}/exit", response=CareerEventOut, summary="辞职、解聘、退休（C-EXIT）")
def exit_(request: AuthedRequest, worker_id: Id, body: ExitIn) -> dict[str, Any]:
    need(request, "growth.change")
    worker = worker_get(user=request.user, pk=worker_id)
    return _event(services.career_exit(worker=worker, reason=body.reason, on=body.on, cause=body.cause, actor=request.user))


@router.get("/events", response=list[CareerEventOut], summary="晋升、套转、选拔与流动记录")
def events(request: AuthedRequest, limit: Limit = 500) -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_event(e) for e in selectors.career_events(user=request.user)[: min(limit, 5000)]]


@router.get("/exits", response=list[CareerEventOut], summary="退出记录")
def exits(request: AuthedRequest, limit: Limit = 500) -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_event(e) for e in selectors.exits(user=request.user)[: min(limit, 5000)]]


class RetirementOut(Schema):
    worker_id: int
    name: str
    unit: str
    sex: str
    post: str
    birth_date: date
    age_now: int
    retire_age: int
    retire_on: date
    policy: str


@router.get("/retirements", response=list[RetirementOut], summary="未来 12 个月到龄退休人员（C-RETIRE）")
def retirements(request: AuthedRequest, on: Day | None = None, months: Count = 12) -> list[dict[str, Any]]:
    need(request, "growth.view")
    due = selectors.retirements_due(user=request.user, on=on or timezone.localdate(), months=max(1, min(months, 120)))
    return list(due.iter_rows(named=True))


# ---- grids and the admission list --------------------------------------------------------

class GridOut(Schema):
    unit_id: int
    name: str
    community: str
    households: int | None
    in_standard: bool
    party_org: str
    leader_id: int | None
    leader_name: str


class GridIn(Schema):
    community: Id
    name: str
    households: Count
    party_org: str
    leader: Id | None = None
    on: Day


def _grid(g: selectors.GridRow) -> dict[str, Any]:
    return {"unit_id": g.unit_id, "name": g.name, "community": g.community, "households": g.households,
            "in_standard": g.in_standard, "party_org": g.party_org, "leader_id": g.leader_id, "leader_name": g.leader_name}


@router.get("/grids", response=list[GridOut], summary="网格（ORG-4）")
def grids(request: AuthedRequest, on: Day | None = None) -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_grid(g) for g in selectors.grid_rows(user=request.user, on=on or timezone.localdate())]


@router.post("/grids", response=GridOut, summary="设立网格（ORG-4）")
def grid_create(request: AuthedRequest, body: GridIn) -> dict[str, Any]:
    need(request, "growth.change")
    leader = worker_get(user=request.user, pk=body.leader) if body.leader else None
    info = services.grid_create(community=_unit(request, body.community), name=body.name, households=body.households,
                                party_org=body.party_org, leader=leader, on=body.on, actor=request.user)
    row = next(g for g in selectors.grid_rows(user=request.user, on=body.on) if g.unit_id == info.unit_id)
    return _grid(row)


class AdmissionOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    title: str
    category: str
    department: str
    basis: str
    status: str
    effective: date | None
    removed_on: date | None


class AdmissionIn(Schema):
    unit: Id
    title: str
    category: str
    department: str = ""
    basis: str = ""


class AdmissionDecideIn(Schema):
    approve: bool
    note: str = ""
    effective: Day | None = None


class RemoveIn(Schema):
    on: Day
    note: str = ""


def _item(i: AdmissionItem) -> dict[str, Any]:
    return {"id": i.pk, "unit_id": i.unit_id, "unit_name": i.unit.name, "title": i.title, "category": i.category,
            "department": i.department, "basis": i.basis, "status": i.status, "effective": i.effective,
            "removed_on": i.removed_on}


@router.get("/admission", response=list[AdmissionOut], summary="社区工作准入清单（ORG-5）")
def admission(request: AuthedRequest, status: str = "") -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_item(i) for i in selectors.admission_items(user=request.user, status=status)]


@router.post("/admission", response=AdmissionOut, summary="提出准入事项（ORG-5）")
def admission_propose(request: AuthedRequest, body: AdmissionIn) -> dict[str, Any]:
    need(request, "growth.change")
    return _item(services.admission_item_propose(unit=_unit(request, body.unit), title=body.title, category=body.category,
                                                 department=body.department, basis=body.basis, actor=request.user))


@router.post("/admission/{item_id}/decide", response=AdmissionOut, summary="审批准入事项（民政局，ORG-5）")
def admission_decide(request: AuthedRequest, item_id: Id, body: AdmissionDecideIn) -> dict[str, Any]:
    need(request, "growth.approve")
    item = get_in_scope_or_404(AdmissionItem.objects.select_related("unit"), request.user, pk=item_id)
    return _item(services.admission_item_decide(item=item, approve=body.approve, actor=request.user, note=body.note,
                                                effective=body.effective))


@router.post("/admission/{item_id}/remove", response=AdmissionOut, summary="移出准入清单（ORG-5）")
def admission_remove(request: AuthedRequest, item_id: Id, body: RemoveIn) -> dict[str, Any]:
    need(request, "growth.approve")
    item = get_in_scope_or_404(AdmissionItem.objects.select_related("unit"), request.user, pk=item_id)
    return _item(services.admission_item_remove(item=item, on=body.on, actor=request.user, note=body.note))
