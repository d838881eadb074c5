"""Writes of the pay area. A run goes 草稿 → 已审核 → 已锁定; only a draft is computed, and
a locked run never changes (the services refuse, and so does the database)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import polars as pl
from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone

from shequ.accounts.roles import has_capability
from shequ.common.audit import audit_record
from shequ.common.audit_actions import AuditAction
from shequ.common.bulk import copy_into
from shequ.common.provinces import connection, transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Forbidden, Invalid
from shequ.jobs.progress import Progress, chunks
from shequ.jobs.services import job_submit
from shequ.org.locks import LockRule, scope_lock
from shequ.org.models import Unit
from shequ.pay.arrears import arrears_for
from shequ.pay.compute import STATE_COLUMNS, compute_month, month_bounds
from shequ.pay.models import LineKind, PayLine, PayRun, RunStatus
from shequ.pay.net import NET_COLUMNS, with_net_pay

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.jobs.models import Job

NOT_FIRST_DAY = "月份必须是某月的第一天：{month}"
NOT_DRAFT = "{run}当前为“{status}”，只有草稿可以重新核算"
NOT_COMPUTED = "{run}尚未核算，不能审核"
APPROVE_NEEDS_DRAFT = "{run}当前为“{status}”，只有草稿可以审核"
LOCK_NEEDS_APPROVED = "{run}当前为“{status}”，只有已审核的核算可以锁定"
RETURN_NEEDS_APPROVED = "{run}当前为“{status}”，只有已审核的核算可以退回"
LOCKED = "{run}已锁定，不能修改"
NEEDS_APPROVER = "审核和锁定薪酬核算需要财务审核权限"
OVERLAPPING_RUN = "{month:%Y年%m月}已有“{other}”的薪酬核算，已包含“{unit}”的人员，不能重复核算"

LINE_COLUMNS = [
    "run_id", "worker_id", "unit_id", "kind", "for_month", "policy_label", "post", "grade", "education",
    "certificate", "category", "years", "last_tier", "treatment", "days", "days_in_month", "probation_days", "components", "gross",
    "employer_benefits", "employee_benefits", "reason", "contributions", "items", *NET_COLUMNS,
]
JSON_COLUMNS = ("components", "contributions", "items")


class PayRunError(Invalid):
    pass


def _money(v: Any) -> Decimal:
    return Decimal(str(round(float(v or 0), 2))).quantize(Decimal("0.01"))


@transaction.atomic
def payrun_create(*, unit: Unit, month: date, actor: User) -> tuple[PayRun, bool]:
    """The run of `unit` for `month`, made if missing. Two requests at once give one run,
    and a run never overlaps another of the month (an ancestor's or a descendant's): the
    scope lock makes overlapping creates wait for each other, so each checks what the
    other committed; the unique constraint backs the one-run rule."""
    require_unit_in_scope(actor, unit)
    if month.day != 1:
        raise PayRunError(NOT_FIRST_DAY.format(month=month))
    scope_lock(rule=LockRule.PAY_RUN, units=[unit])
    existing = PayRun.objects.filter(unit=unit, month=month).first()
    if existing is not None:
        return existing, False
    # A run for an ancestor or a descendant would pay the same people twice.
    overlap = (
        PayRun.objects.filter(month=month)
        .filter(Q(unit_id__in=unit.ancestor_ids()) | Q(unit__path__startswith=unit.path))
        .exclude(unit=unit).select_related("unit").first()
    )
    if overlap is not None:
        raise PayRunError(OVERLAPPING_RUN.format(month=month, other=overlap.unit.name, unit=unit.name))
    try:
        with transaction.atomic():
            run = PayRun.objects.create(unit=unit, month=month, created_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:
        return PayRun.objects.get(unit=unit, month=month), False
    audit_record(actor=actor, action=AuditAction.PAY_RUN_CREATE, target=run, unit=unit,
                 after={"unit": unit.name, "month": month.isoformat()}, summary=f"新建{run}薪酬核算")
    return run, True


def payrun_compute(*, run: PayRun, actor: User, progress: Progress | None = None) -> PayRun:
    """(Re)compute a draft: the month's lines and the adjustments for earlier locked months.
    Idempotent: the same inputs give the same lines. The reading and computing happen
    before the write transaction (so a background job can report them as they go); the
    lines, the totals and the audit are written in one transaction, so a failure or a
    killed worker leaves the run as it was."""
    progress = progress or Progress()
    require_unit_in_scope(actor, run.unit)
    _require_draft(PayRun.objects.select_related("unit").get(pk=run.pk))
    progress.stage("计算当月薪酬")
    month = compute_month(scope=run.unit, month=run.month)
    progress.stage("计算补发扣回")
    extra, _ = arrears_for(scope=run.unit, month=run.month)
    regular = month.frame.with_columns(
        pl.lit(LineKind.REGULAR.value).alias("kind"), pl.lit(run.month).alias("for_month"), pl.lit("").alias("reason"),
    )
    components = list(month.components)
    policies = {label: g.digest for label, g in month.governing.items()}
    if extra.height:
        components += [c for c in extra.columns if c in _component_columns(extra) and c not in components]
        extra = extra.with_columns(
            pl.col("for_month").map_elements(lambda m: month_bounds(m)[2], return_dtype=pl.Int64).alias("days_in_month")
        )
        lines = pl.concat([regular, extra], how="diagonal_relaxed")
    else:
        lines = regular
    lines = with_net_pay(lines, scope=run.unit, month=run.month, governing=month.governing)
    lines = lines.with_columns(pl.lit(run.pk, dtype=pl.Int64).alias("run_id"))
    summary = _summary_json(regular, extra, components)
    with progress.writing(), transaction.atomic():
        # Serialise computations of one run (e.g. two "create" requests arriving together);
        # the state is checked again under the lock, since it may have moved meanwhile.
        run = PayRun.objects.select_for_update().select_related("unit").get(pk=run.pk)
        _require_draft(run)
        PayLine.objects.filter(run=run).delete()
        progress.stage("写入明细", total=lines.height)
        for offset, length in chunks(lines.height):
            _write_lines(lines.slice(offset, length))
            progress.advance(offset + length)
        run.policies = policies
        run.components = components
        run.headcount = regular.height
        run.total = _money(regular.get_column("gross").sum() if regular.height else 0)
        run.adjustments_total = _money(extra.get_column("gross").sum() if extra.height else 0)
        money = pl.concat([regular.select("employer_benefits", "employee_benefits"),
                           extra.select("employer_benefits", "employee_benefits")] if extra.height else
                          [regular.select("employer_benefits", "employee_benefits")])
        run.employer_benefits = _money(money.get_column("employer_benefits").sum())
        run.employee_benefits = _money(money.get_column("employee_benefits").sum())
        run.tax_total = _money(lines.get_column("tax").sum())
        run.net_total = _money(lines.get_column("net").sum())
        run.computed_at = timezone.now()
        run.save(update_fields=[
            "policies", "components", "headcount", "total", "adjustments_total", "employer_benefits",
            "employee_benefits", "tax_total", "net_total", "computed_at",
        ])
        _store_summary(run, summary)
        run.summary = json.loads(summary)
        audit_record(
            actor=actor, action=AuditAction.PAY_RUN_COMPUTE, target=run, unit=run.unit,
            after={"headcount": run.headcount, "total": run.total, "adjustments_total": run.adjustments_total,
                   "adjustment_lines": extra.height, "policies": policies},
            summary=f"核算{run}：{run.headcount} 人，应发合计 {run.total}，补发扣回 {run.adjustments_total}，"
                    f"个人所得税 {run.tax_total}，实发合计 {run.net_total}",
        )
    return run


def _require_draft(run: PayRun) -> None:
    if run.status != RunStatus.DRAFT:
        raise PayRunError(NOT_DRAFT.format(run=run, status=run.get_status_display()))


def payrun_submit_compute(*, run: PayRun, actor: User) -> Job:
    """Queue the computation of a draft as a background job; the same run submitted again
    while its job is queued or running gives that job back."""
    require_unit_in_scope(actor, run.unit)
    run = PayRun.objects.select_related("unit").get(pk=run.pk)  # its state as stored now
    _require_draft(run)
    return job_submit(
        kind="pay.compute", unit=run.unit, actor=actor, key=f"pay.compute:{run.pk}",
        label=f"核算{run}", params={"run_id": run.pk},
    )


def _component_columns(frame: pl.DataFrame) -> list[str]:
    fixed = set(LINE_COLUMNS) | set(STATE_COLUMNS) | {"name", "id_number", "unit_name", "unit_path"}
    return [c for c in frame.columns if c not in fixed and frame.schema[c] == pl.Float64]


def lines_for_copy(lines: pl.DataFrame) -> pl.DataFrame:
    """The frame exactly as written: LINE_COLUMNS, text columns never null."""
    for c in ("contributions", "items"):
        if c not in lines.columns:
            lines = lines.with_columns(pl.lit("{}").alias(c))
    return lines.with_columns(
        pl.col("reason").fill_null(""), pl.col("category").fill_null(""), pl.col("last_tier").fill_null(""),
        pl.col("treatment").fill_null(""), pl.col("contributions").fill_null("{}"), pl.col("items").fill_null("{}"),
    ).select(LINE_COLUMNS)


def _write_lines(lines: pl.DataFrame) -> None:
    lines = lines_for_copy(lines)
    if connection.vendor == "postgresql":
        copy_into(PayLine._meta.db_table, LINE_COLUMNS, lines)
        return
    PayLine.objects.bulk_create(
        [
            PayLine(**{k: (_json(v) if k in JSON_COLUMNS else v) for k, v in row.items()})
            for row in lines.iter_rows(named=True)
        ],
        batch_size=2000,
    )


def _json(text: str) -> dict[str, float]:
    return cast(dict[str, float], json.loads(text))


def _summary_json(regular: pl.DataFrame, extra: pl.DataFrame, components: list[str]) -> str:
    """Per unit, as a JSON array built by Polars (a city run has tens of thousands of units):
    headcount, total, average, each component's sum, 五险一金, adjustments."""
    if regular.height == 0 and extra.height == 0:
        return "[]"
    comps = [c for c in components if c in regular.columns]
    money = ["total", *comps, "employer_benefits", "employee_benefits"]
    per_unit = regular.group_by("unit_id", "unit_name").agg(
        pl.len().alias("headcount"), pl.col("gross").sum().alias("total"),
        *[pl.col(c).fill_null(0).sum().alias(c) for c in comps],
        pl.col("employer_benefits").sum(), pl.col("employee_benefits").sum(),
    )
    if extra.height:
        adj = extra.group_by("unit_id", "unit_name").agg(
            pl.col("gross").sum().alias("adjustments"), pl.len().alias("adjustment_lines"))
        # Units with only adjustments (everyone there left) still get a row.
        per_unit = per_unit.join(adj, on="unit_id", how="full", coalesce=True, suffix="_adj").with_columns(
            pl.coalesce("unit_name", "unit_name_adj").alias("unit_name")).drop("unit_name_adj")
    else:
        per_unit = per_unit.with_columns(pl.lit(0.0).alias("adjustments"), pl.lit(0).alias("adjustment_lines"))
    per_unit = per_unit.with_columns(
        *[pl.col(c).cast(pl.Float64).fill_null(0.0).round(2) for c in [*money, "adjustments"]],
        pl.col("headcount").fill_null(0).cast(pl.Int64), pl.col("adjustment_lines").fill_null(0).cast(pl.Int64),
    ).with_columns(
        pl.when(pl.col("headcount") > 0).then((pl.col("total") / pl.col("headcount")).round(2)).otherwise(0.0).alias("average"),
        (pl.struct(comps) if comps else pl.struct(pl.lit(None).alias("_"))).alias("components"),
    )
    out = per_unit.sort("unit_id").select(
        "unit_id", "unit_name", "headcount", "total", "average", "components", "employer_benefits",
        "employee_benefits", "adjustments", "adjustment_lines",
    )
    if not comps:
        out = out.with_columns(pl.lit("{}").alias("components"))
    return out.write_json()


def _store_summary(run: PayRun, text: str) -> None:
    # One UPDATE with the JSON text Polars wrote; no Python objects for every unit.
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {PayRun._meta.db_table} SET summary = %s WHERE id = %s", [text, run.pk])


def _require_approver(actor: User) -> None:
    if not has_capability(actor, "pay.approve"):
        raise Forbidden(NEEDS_APPROVER)


def _locked_row(run: PayRun, actor: User) -> PayRun:
    require_unit_in_scope(actor, run.unit)
    return PayRun.objects.select_for_update().select_related("unit").get(pk=run.pk)


@transaction.atomic
def payrun_approve(*, run: PayRun, actor: User) -> PayRun:
    _require_approver(actor)
    run = _locked_row(run, actor)
    if run.status != RunStatus.DRAFT:
        raise PayRunError(APPROVE_NEEDS_DRAFT.format(run=run, status=run.get_status_display()))
    if run.computed_at is None:
        raise PayRunError(NOT_COMPUTED.format(run=run))
    run.status, run.approved_by, run.approved_at = RunStatus.APPROVED, actor, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(actor=actor, action=AuditAction.PAY_RUN_APPROVE, target=run, unit=run.unit,
                 before={"status": RunStatus.DRAFT}, after={"status": run.status}, summary=f"审核{run}")
    return run


@transaction.atomic
def payrun_return(*, run: PayRun, actor: User) -> PayRun:
    """Send an approved run back to draft (to correct and recompute)."""
    _require_approver(actor)
    run = _locked_row(run, actor)
    if run.status != RunStatus.APPROVED:
        raise PayRunError(RETURN_NEEDS_APPROVED.format(run=run, status=run.get_status_display()))
    run.status, run.approved_by, run.approved_at = RunStatus.DRAFT, None, None
    run.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(actor=actor, action=AuditAction.PAY_RUN_RETURN, target=run, unit=run.unit,
                 before={"status": RunStatus.APPROVED}, after={"status": run.status}, summary=f"退回{run}")
    return run


@transaction.atomic
def payrun_lock(*, run: PayRun, actor: User) -> PayRun:
    _require_approver(actor)
    run = _locked_row(run, actor)
    if run.status != RunStatus.APPROVED:
        raise PayRunError(LOCK_NEEDS_APPROVED.format(run=run, status=run.get_status_display()))
    run.status, run.locked_by, run.locked_at = RunStatus.LOCKED, actor, timezone.now()
    run.save(update_fields=["status", "locked_by", "locked_at"])
    audit_record(actor=actor, action=AuditAction.PAY_RUN_LOCK, target=run, unit=run.unit,
                 before={"status": RunStatus.APPROVED}, after={"status": run.status}, summary=f"锁定{run}")
    return run


@transaction.atomic
def payrun_delete(*, run: PayRun, actor: User) -> None:
    """Discard a draft (its lines go with it); anything past draft stays."""
    run = _locked_row(run, actor)
    if run.status != RunStatus.DRAFT:
        raise PayRunError(LOCKED.format(run=run) if run.is_locked else NOT_DRAFT.format(run=run, status=run.get_status_display()))
    audit_record(actor=actor, action=AuditAction.PAY_RUN_DELETE, target=run, unit=run.unit,
                 before={"unit": run.unit.name, "month": run.month.isoformat()}, summary=f"删除{run}草稿")
    PayLine.objects.filter(run=run).delete()
    run.delete()
