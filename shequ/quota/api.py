"""/api/v1/quota: the ledger, decisions, proposals and approval, scoped like the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from shequ.accounts.api_auth import need
from shequ.accounts.types import AuthedRequest
from shequ.common.params import Count, Day, Id, Limit, Offset
from shequ.common.provinces import transaction
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import Invalid
from shequ.org.models import Unit
from shequ.quota.models import QuotaDecision
from shequ.quota.selectors import LedgerRow, decision_list, decisions_in_scope, ledger, review_list
from shequ.quota.services import (
    quota_approve,
    quota_propose_manual,
    quota_propose_recomputed,
    quota_reject,
)

router = Router()

NOT_FOUND_IDS = "未找到员额调整：{ids}"


class LedgerRowOut(Schema):
    unit_id: int
    unit_name: str
    unit_type: str
    units: int
    quota: int
    filled: int
    vacant: int
    over: int
    dispatch: int
    unset: int
    urban_population: int
    per_10k: float | None
    reserve: int | None = None
    reserve_min: int | None = None


class LedgerOut(Schema):
    unit_id: int
    unit_name: str
    on: date
    rows: list[LedgerRowOut]
    total: LedgerRowOut


class DecisionOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    quota: int
    since: date
    status: str
    source: str
    previous_quota: int | None
    computed_quota: int | None
    reason: str
    explanation: str
    policy_version: str
    proposed_by: str | None
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str


class ProposeIn(Schema):
    """mode "recompute": every staffed unit under `unit`, from facts via the policy;
    mode "manual": one unit, `quota` and `reason` required."""

    mode: str = "recompute"
    unit: Id
    since: Day
    quota: Count | None = None
    reason: str = ""
    include_unchanged: bool = False


class ProposeOut(Schema):
    created: list[DecisionOut]
    unchanged: int = 0
    skipped_open: int = 0
    not_covered: int = 0


class QuotaDecideIn(Schema):
    ids: list[Id]
    note: str = ""


class ReviewItemOut(Schema):
    unit_id: int
    unit_name: str
    quota: int | None
    since: date | None
    every_years: int | None
    due_on: date | None
    policy_version: str


class ReviewOut(Schema):
    due: list[ReviewItemOut]
    unset: list[ReviewItemOut]
    no_period: list[ReviewItemOut]


def _row(r: LedgerRow) -> dict[str, Any]:
    return {"unit_id": r.unit.pk, "unit_name": r.unit.name, "unit_type": r.unit.unit_type, "units": r.units,
            "quota": r.quota, "filled": r.filled, "vacant": r.vacant, "over": r.over, "dispatch": r.dispatch, "unset": r.unset,
            "urban_population": r.urban_population, "per_10k": r.per_10k, "reserve": r.reserve,
            "reserve_min": r.reserve_min}


def _decision(d: QuotaDecision) -> dict[str, Any]:
    return {"id": d.pk, "unit_id": d.unit_id, "unit_name": d.unit.name, "quota": d.quota, "since": d.since,
            "status": d.status, "source": d.source, "previous_quota": d.previous_quota,
            "computed_quota": d.computed_quota, "reason": d.reason, "explanation": d.explanation,
            "policy_version": d.policy_version, "proposed_by": str(d.proposed_by) if d.proposed_by else None,
            "decided_by": str(d.decided_by) if d.decided_by else None, "decided_at": d.decided_at,
            "decision_note": d.decision_note}


def _unit(request: AuthedRequest, unit_id: int | None) -> Unit:
    if unit_id is None and request.user.unit is not None:
        return request.user.unit
    return get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=unit_id)


@router.get("/ledger", response=LedgerOut, summary="员额台账（某单位的下一级逐个汇总）")
def get_ledger(request: AuthedRequest, unit: Id | None = None, on: Day | None = None) -> dict[str, Any]:
    need(request, "quota.view")
    root = _unit(request, unit)
    data = ledger(user=request.user, root=root, on=on or timezone.localdate())
    return {"unit_id": root.pk, "unit_name": root.name, "on": data.on,
            "rows": [_row(r) for r in data.rows], "total": _row(data.total)}


class DecisionQuery(Schema):
    status: str = ""
    unit: Id | None = None
    limit: Limit = 200
    offset: Offset = 0


@router.get("/decisions", response=list[DecisionOut], summary="员额核定与调整记录")
def list_decisions(request: AuthedRequest, q: Query[DecisionQuery]) -> list[dict[str, Any]]:
    need(request, "quota.view")
    unit = _unit(request, q.unit) if q.unit is not None else None
    qs = decision_list(user=request.user, status=q.status, unit=unit)
    return [_decision(d) for d in qs[q.offset : q.offset + min(q.limit, 1000)]]


@router.post("/propose", response={201: ProposeOut}, summary="提出员额调整（按政策测算或人工核定）")
def propose(request: AuthedRequest, body: ProposeIn) -> Status[dict[str, Any]]:
    need(request, "quota.change")
    unit = _unit(request, body.unit)
    if body.mode == "manual":
        d = quota_propose_manual(unit=unit, quota=body.quota if body.quota is not None else -1, since=body.since,
                                 reason=body.reason, actor=request.user)
        return Status(201, {"created": [_decision(d)]})
    if body.mode != "recompute":
        raise Invalid("mode 只能是 recompute 或 manual", field="mode")
    result = quota_propose_recomputed(root=unit, since=body.since, actor=request.user,
                                      include_unchanged=body.include_unchanged, reason=body.reason)
    return Status(201, {"created": [_decision(d) for d in result.created], "unchanged": result.unchanged,
                        "skipped_open": result.skipped_open, "not_covered": result.not_covered})


def _found(request: AuthedRequest, ids: list[int]) -> list[QuotaDecision]:
    found = list(decisions_in_scope(user=request.user, ids=ids))
    missing = sorted(set(ids) - {d.pk for d in found})
    if missing or not ids:
        # Out-of-scope decisions look exactly like missing ones.
        raise HttpError(404, NOT_FOUND_IDS.format(ids="、".join(map(str, missing))))
    return found


@router.post("/approve", response=list[DecisionOut], summary="批准员额调整（民政局/编办）")
def approve(request: AuthedRequest, body: QuotaDecideIn) -> list[dict[str, Any]]:
    need(request, "quota.approve")
    found = _found(request, body.ids)
    quota_approve(decisions=found, actor=request.user, note=body.note)
    return [_decision(d) for d in decisions_in_scope(user=request.user, ids=body.ids).select_related("proposed_by", "decided_by")]


@router.post("/reject", response=list[DecisionOut], summary="退回员额调整")
def reject(request: AuthedRequest, body: QuotaDecideIn) -> list[dict[str, Any]]:
    need(request, "quota.approve")
    with transaction.atomic():  # all or nothing
        return [_decision(quota_reject(decision=d, actor=request.user, note=body.note)) for d in _found(request, body.ids)]


@router.get("/review", response=ReviewOut, summary="到期应复核的单位（Q-REV）")
def review(request: AuthedRequest, on: Day | None = None, unit: Id | None = None) -> dict[str, Any]:
    need(request, "quota.view")
    root = _unit(request, unit) if unit is not None else None
    data = review_list(user=request.user, on=on or timezone.localdate(), root=root)
    return {
        k: [{"unit_id": i.unit.pk, "unit_name": i.unit.name, "quota": i.quota, "since": i.since,
             "every_years": i.every_years, "due_on": i.due_on, "policy_version": i.policy_version} for i in items]
        for k, items in data.items()
    }
