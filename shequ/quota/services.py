"""Writes of quota decisions (Q-REV) and the admission check (Q-USE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from django.utils import timezone

from shequ.accounts.roles import has_capability
from shequ.common.audit import audit_bulk, audit_record, snapshot
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import connection, transaction
from shequ.common.scope import require_unit_in_scope, scoped
from shequ.errors import Forbidden, Invalid
from shequ.jobs.progress import Progress
from shequ.jobs.services import job_submit
from shequ.org.locks import LockRule, scope_lock
from shequ.org.models import STAFFED_TYPES, Unit
from shequ.quota.compute import explain_inputs, quota_compute, quota_explain
from shequ.quota.models import DecisionSource, DecisionStatus, QuotaDecision
from shequ.quota.selectors import filled_q, quota_in_force
from shequ.rules import PolicyError
from shequ.workers.models import Worker

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.jobs.models import Job

QUOTA_FULL = "{unit}已无空编（核定员额 {quota} 名，在编 {filled} 名），不能录用或调入"
QUOTA_SHORT = "{unit}只有 {vacant} 个空编，不能录用或调入 {joining} 人"
MANUAL_NEEDS_REASON = "人工核定员额必须填写理由"
QUOTA_NEGATIVE = "员额必须是不小于 0 的整数"
NOT_STAFFED = "“{unit}”（{unit_type}）不是用人单位，不核定员额"
NOT_COVERED = "“{unit}”的单位类型“{unit_type}”不在政策员额规则的适用范围内，无法按政策测算；可人工核定"
OPEN_PROPOSAL = "{unit}已有一项待审批的员额调整（{quota} 名，自 {since} 起），请先审批或退回"
NOT_PROPOSED = "该员额调整已{status}，不能再审批"
APPROVE_DENIED = "只有民政局（编办）角色可以批准员额调整，街道只能提出"
REJECT_NEEDS_NOTE = "退回员额调整必须填写意见"
NOTHING_TO_PROPOSE = "所选范围内没有需要调整的员额"


class QuotaError(Invalid):
    pass


# ---- admission check (Q-USE) --------------------------------------------------------------------


def quota_admission_check(unit: Unit, joining: int, on: date) -> None:
    """Q-USE: refuse anyone joining `unit` on `on` beyond its approved quota in force.

    A unit with no approved quota yet is not refused: there is no approved number to be
    beyond, and refusing would stop a locality's daily work from the day it starts using
    Shequ until the bureau has approved every unit. The ledger flags such units as 未核定
    and counts none of their people as vacant or over; recruitment plans, bounded by
    vacancies, cannot include them."""
    if connection.in_atomic_block:
        # Lock the unit row so two admissions to one unit cannot both take the last place.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
    decision = quota_in_force(unit=unit, on=on)
    if decision is None:
        return
    filled = Worker.objects.filter(filled_q(on), unit=unit).count()
    vacant = decision.quota - filled
    if vacant <= 0:
        raise QuotaError(QUOTA_FULL.format(unit=unit.name, quota=decision.quota, filled=filled))
    if joining > vacant:
        raise QuotaError(QUOTA_SHORT.format(unit=unit.name, vacant=vacant, joining=joining))


# ---- proposals (Q-REV) ----------------------------------------------------------------------------


def _check_open(unit: Unit) -> None:
    open_ = QuotaDecision.objects.filter(unit=unit, status=DecisionStatus.PROPOSED).first()
    if open_:
        raise QuotaError(OPEN_PROPOSAL.format(unit=unit.name, quota=open_.quota, since=open_.since))


def _facts(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("unit_type", "unit_class", "households", "population", "urban_population")}


def _audit_after(d: QuotaDecision) -> dict[str, Any]:
    # The explanation stays on the decision row; the audit keeps what was decided.
    return snapshot(d, ("quota", "since", "status", "source", "computed_quota", "reason", "policy_version"))


@dataclass
class ProposalResult:
    created: list[QuotaDecision]
    unchanged: int
    skipped_open: int
    not_covered: int


def quota_propose_recomputed(
    *, root: Unit, since: date, actor: User, include_unchanged: bool = False, reason: str = "",
    progress: Progress | None = None,
) -> ProposalResult:
    """Recompute the quota of every staffed unit under `root` (within the actor's scope)
    from its facts in force on `since`, through the engine, and propose each change, in
    one transaction.

    With include_unchanged, units whose quota would stay the same get a proposal too: that
    is how a three-yearly review that changes nothing is recorded."""
    progress = progress or Progress()
    with progress.writing():
        return _propose_recomputed(root=root, since=since, actor=actor, include_unchanged=include_unchanged,
                                   reason=reason, progress=progress)


def quota_submit_recompute(
    *, root: Unit, since: date, actor: User, include_unchanged: bool = False, reason: str = ""
) -> Job:
    """Recompute as a background job; the same scope and date submitted again while it
    runs is the same job."""
    require_unit_in_scope(actor, root)
    return job_submit(
        kind="quota.recompute", unit=root, actor=actor, key=f"quota.recompute:{root.pk}:{since.isoformat()}",
        label=f"测算{root.name}员额（自 {since} 起）",
        params={"root_id": root.pk, "since": since.isoformat(), "include_unchanged": include_unchanged,
                "reason": reason},
    )


@transaction.atomic
def _propose_recomputed(
    *, root: Unit, since: date, actor: User, include_unchanged: bool, reason: str, progress: Progress
) -> ProposalResult:
    require_unit_in_scope(actor, root)
    progress.stage("按政策测算员额")
    # A proposal under the root made meanwhile would break the one-open-proposal rule at
    # insert; wait for it instead, so the open proposals read below include it.
    scope_lock(rule=LockRule.QUOTA_PROPOSAL, units=[root])
    units = scoped(Unit.objects.filter(path__startswith=root.path), actor, unit_field="")
    try:
        frame, policies = quota_compute(units=units, on=since)
    except PolicyError as exc:
        raise QuotaError(str(exc)) from exc
    if frame.is_empty():
        raise QuotaError(NOTHING_TO_PROPOSE)
    current = {
        d.unit_id: d.quota
        for d in QuotaDecision.objects.filter(
            unit__in=Unit.objects.filter(pk__in=frame["unit_id"].to_list()),
            status=DecisionStatus.APPROVED, since__lte=since,
        ).order_by("unit_id", "since", "id")  # later rows overwrite earlier: the one in force wins
    }
    open_units = set(
        QuotaDecision.objects.filter(unit_id__in=frame["unit_id"].to_list(), status=DecisionStatus.PROPOSED)
        .values_list("unit_id", flat=True)
    )
    prev = pl.Series("previous", [current.get(u) for u in frame["unit_id"].to_list()], dtype=pl.Int64)
    frame = frame.with_columns(prev)
    not_covered = frame.filter(pl.col("quota").is_null()).height
    candidates = frame.filter(pl.col("quota").is_not_null())
    if not include_unchanged:
        candidates = candidates.filter(pl.col("previous").is_null() | (pl.col("previous") != pl.col("quota")))
    unchanged = frame.filter(pl.col("quota").is_not_null()).height - candidates.height
    skipped = candidates.filter(pl.col("unit_id").is_in(list(open_units))).height
    candidates = candidates.filter(~pl.col("unit_id").is_in(list(open_units)))
    if candidates.is_empty():
        raise QuotaError(NOTHING_TO_PROPOSE)

    unit_map = Unit.objects.in_bulk(candidates["unit_id"].to_list())
    progress.stage("写出计算依据与调整提议", total=candidates.height)
    decisions = []
    # Explanations run the engine on one row each, only for the units proposed, and once
    # per distinct set of inputs: units with the same facts under the same policy get the
    # same explanation.
    explained: dict[tuple[Any, ...], str] = {}
    inputs: dict[str, tuple[str, ...]] = {}
    for i, row in enumerate(candidates.iter_rows(named=True)):
        g = policies[row["policy_version"]]
        if g.label not in inputs:
            inputs[g.label] = explain_inputs(g)
        key = (g.label, *(row[c] for c in inputs[g.label]))
        if key not in explained:
            explained[key] = quota_explain(governing=g, row=candidates.slice(i, 1), on=since)
        explanation = explained[key]
        decisions.append(
            QuotaDecision(
                unit=unit_map[row["unit_id"]], quota=row["quota"], since=since, status=DecisionStatus.PROPOSED,
                source=DecisionSource.COMPUTED, computed_quota=row["quota"], previous_quota=row["previous"],
                reason=reason, explanation=explanation, policy_version=row["policy_version"], facts=_facts(row),
                proposed_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    QuotaDecision.objects.bulk_create(decisions, batch_size=1000)
    progress.advance(len(decisions))
    if any(d.pk is None for d in decisions):
        ids = dict(
            QuotaDecision.objects.filter(status=DecisionStatus.PROPOSED, unit_id__in=[d.unit_id for d in decisions])
            .values_list("unit_id", "pk")
        )
        for d in decisions:
            d.pk = ids[d.unit_id]
    audit_bulk(
        actor=actor, action=AuditAction.QUOTA_PROPOSE, target_type="quota.quotadecision",
        rows=[(d.pk, f"{d.unit.name} {d.quota}名", d.unit, {"quota": d.previous_quota}, _audit_after(d))
              for d in decisions],
        summary=f"按政策测算员额，自 {since} 起",
    )
    return ProposalResult(created=decisions, unchanged=unchanged, skipped_open=skipped, not_covered=not_covered)


@transaction.atomic
def quota_propose_manual(*, unit: Unit, quota: int, since: date, reason: str, actor: User) -> QuotaDecision:
    """Propose a quota set by hand; the reason is required and the engine's figure is kept
    next to it for the approver to compare."""
    require_unit_in_scope(actor, unit)
    if unit.unit_type not in STAFFED_TYPES:
        raise QuotaError(NOT_STAFFED.format(unit=unit.name, unit_type=unit.unit_type))
    reason = (reason or "").strip()
    if not reason:
        raise QuotaError(MANUAL_NEEDS_REASON)
    if quota is None or int(quota) != quota or quota < 0:
        raise QuotaError(QUOTA_NEGATIVE)
    scope_lock(rule=LockRule.QUOTA_PROPOSAL, units=[unit])
    _check_open(unit)
    frame, policies = quota_compute(units=Unit.objects.filter(pk=unit.pk), on=since, strict=False)
    row = frame.row(0, named=True)
    computed = row["quota"]
    if row["policy_error"]:
        # The figure next to a hand-set quota is for comparison only; a policy that cannot
        # compute on that date is said, not fatal.
        engine_text = f"按政策无法测算：{row['policy_error']}"
    else:
        engine_text = quota_explain(governing=policies[row["policy_version"]], row=frame, on=since)
    explanation = f"人工核定 {quota} 名，理由：{reason}\n" + (
        f"按政策测算为 {computed} 名：\n{engine_text}" if computed is not None else engine_text
    )
    current = quota_in_force(unit=unit, on=since)
    decision = QuotaDecision(
        unit=unit, quota=quota, since=since, status=DecisionStatus.PROPOSED, source=DecisionSource.MANUAL,
        computed_quota=computed, previous_quota=current.quota if current else None, reason=reason,
        explanation=explanation, policy_version=row["policy_version"], facts=_facts(row),
        proposed_by=actor if getattr(actor, "pk", None) else None,
    )
    decision.full_clean()
    decision.save()
    audit_record(actor=actor, action=AuditAction.QUOTA_PROPOSE, target=decision, unit=unit,
                 before={"quota": decision.previous_quota}, after=_audit_after(decision), summary=reason)
    return decision


# ---- decisions ----------------------------------------------------------------------------------


def _decidable(decision: QuotaDecision, actor: User) -> None:
    require_unit_in_scope(actor, decision.unit)
    if not has_capability(actor, "quota.approve"):
        raise Forbidden(APPROVE_DENIED)
    if decision.status != DecisionStatus.PROPOSED:
        raise QuotaError(NOT_PROPOSED.format(status=decision.get_status_display()))


@transaction.atomic
def quota_approve(*, decisions: list[QuotaDecision], actor: User, note: str = "") -> int:
    """Approve proposals (Q-REV): each takes effect from its own date. An earlier approval
    for the same unit and date is superseded. All or nothing."""
    ids = [d.pk for d in decisions]
    locked = list(QuotaDecision.objects.select_for_update().filter(pk__in=ids).select_related("unit"))
    for d in locked:
        _decidable(d, actor)
    now = timezone.now()
    by_since: dict[date, list[int]] = {}
    for d in locked:
        by_since.setdefault(d.since, []).append(d.unit_id)
    for since, unit_ids in by_since.items():  # one UPDATE per effective date, usually one
        QuotaDecision.objects.filter(
            unit_id__in=unit_ids, since=since, status=DecisionStatus.APPROVED
        ).update(status=DecisionStatus.SUPERSEDED)
    QuotaDecision.objects.filter(pk__in=ids).update(
        status=DecisionStatus.APPROVED, decided_by=actor, decided_at=now, decision_note=note[:300]
    )
    audit_bulk(
        actor=actor, action=AuditAction.QUOTA_APPROVE, target_type="quota.quotadecision",
        rows=[(d.pk, f"{d.unit.name} {d.quota}名", d.unit, {"status": d.status, "quota": d.previous_quota},
               {"status": DecisionStatus.APPROVED, "quota": d.quota, "since": d.since}) for d in locked],
        summary=note or "批准员额调整",
    )
    return len(locked)


@transaction.atomic
def quota_reject(*, decision: QuotaDecision, actor: User, note: str) -> QuotaDecision:
    decision = QuotaDecision.objects.select_for_update().select_related("unit").get(pk=decision.pk)
    _decidable(decision, actor)
    note = (note or "").strip()
    if not note:
        raise QuotaError(REJECT_NEEDS_NOTE)
    decision.status = DecisionStatus.REJECTED
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    decision.decision_note = note[:300]
    decision.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=AuditAction.QUOTA_REJECT, target=decision, unit=decision.unit,
                 before={"status": DecisionStatus.PROPOSED}, after={"status": decision.status}, summary=note)
    return decision
