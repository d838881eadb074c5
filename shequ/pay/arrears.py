"""Arrears (补发 / 扣回): recompute each locked month "as of now" and diff it against what
was already paid for that month (its locked lines plus adjustments in later locked runs).
Nothing locked is touched; the differences become signed lines of the run being computed."""

from __future__ import annotations

from datetime import date

import polars as pl

from shequ.common.bulk import frame_from_queryset
from shequ.org.models import Unit
from shequ.pay.compute import STATE_COLUMNS, STATE_LABELS, MonthPay, compute_month
from shequ.pay.models import LineKind, PayLine, PayRun, RunStatus

# How far back a run looks for changes to locked months.
ARREARS_WINDOW_MONTHS = 12
MONEY = ["gross", "employer_benefits", "employee_benefits", "taxable", "deductions"]
_PAID_SCHEMA = {
    "worker_id": pl.Int64, "run_month": pl.Date, "kind": pl.Utf8, "policy_label": pl.Utf8, "post": pl.Utf8,
    "grade": pl.Int64, "education": pl.Utf8, "certificate": pl.Utf8, "category": pl.Utf8, "years": pl.Int64,
    "last_tier": pl.Utf8, "treatment": pl.Utf8, "days": pl.Int64, "probation_days": pl.Int64, "unit_id": pl.Int64, "components": pl.Utf8, "gross": pl.Float64,
    "employer_benefits": pl.Float64, "employee_benefits": pl.Float64, "taxable": pl.Float64,
    "deductions": pl.Float64, "net": pl.Float64, "name": pl.Utf8, "id_number": pl.Utf8,
    "unit_name": pl.Utf8,
}


def locked_months(*, scope: Unit, before: date, window: int = ARREARS_WINDOW_MONTHS) -> list[PayRun]:
    from shequ.pay.compute import add_months

    return list(
        PayRun.objects.filter(unit=scope, status=RunStatus.LOCKED, month__lt=before, month__gte=add_months(before, -window))
        .order_by("month")
    )


def _paid(scope: Unit, month: date, components: list[str]) -> pl.DataFrame:
    """What was paid for `month`: one row per worker, money summed over every locked line
    for that month, state from the most recent of them."""
    # The ORM names the workers' and units' tables; only the columns come from here.
    raw = frame_from_queryset(
        PayLine.objects.filter(run__unit_id=scope.pk, run__status=RunStatus.LOCKED, for_month=month)
        .order_by()
        .values_list(
            "worker_id", "run__month", "kind", "policy_label", "post", "grade", "education", "certificate",
            "category", "years", "last_tier", "treatment", "days", "probation_days", "unit_id", "components", "gross",
            "employer_benefits", "employee_benefits", "taxable", "deductions", "net", "worker__name", "worker__id_number",
            "unit__name",
        ),
        _PAID_SCHEMA,
    )
    raw = raw.with_columns(written_before_net_pay(pl.col("taxable"), pl.col("net"), pl.col("gross")).alias("taxable")).drop("net")
    dtype = pl.Struct([pl.Field(c, pl.Float64) for c in components])
    money = raw.with_columns(pl.col("components").str.json_decode(dtype).alias("c")).unnest("c")
    sums = money.group_by("worker_id").agg([pl.col(c).fill_null(0).sum().alias(c) for c in [*components, *MONEY]])
    state = raw.sort("run_month", "kind").group_by("worker_id", maintain_order=True).last().drop(
        "components", *MONEY, "run_month", "kind"
    )
    return state.join(sums, on="worker_id")


def written_before_net_pay(taxable: pl.Expr, net: pl.Expr, gross: pl.Expr) -> pl.Expr:
    """Lines locked before P-NET have taxable and net at 0: their whole gross was taxable."""
    return pl.when((taxable == 0) & (net == 0)).then(gross).otherwise(taxable)


def adjustments(*, scope: Unit, now: MonthPay, paid: pl.DataFrame) -> pl.DataFrame:
    """Signed lines for one earlier month: recomputed minus paid, where anything differs."""
    comps = now.components + [c for c in paid.columns if c in _extra_components(paid, now)]
    new = now.frame.select(
        "worker_id", "name", "id_number", "unit_name", "policy_label", *STATE_COLUMNS,
        *[pl.col(c).fill_null(0.0) if c in now.frame.columns else pl.lit(0.0).alias(c) for c in comps], *MONEY,
    )
    old = paid.select(
        "worker_id", "name", "id_number", "unit_name", "policy_label", *STATE_COLUMNS,
        *[pl.col(c) if c in paid.columns else pl.lit(0.0).alias(c) for c in comps], *MONEY,
    )
    both = new.join(old, on="worker_id", how="full", coalesce=True, suffix="_old")
    present_new = pl.col("policy_label").is_not_null()
    present_old = pl.col("policy_label_old").is_not_null()
    diffs = [
        (pl.col(c).fill_null(0.0) - pl.col(f"{c}_old").fill_null(0.0)).round(2, mode="half_away_from_zero").alias(c)
        for c in [*comps, *MONEY]
    ]
    out = both.with_columns(diffs)
    changed = pl.any_horizontal([pl.col(c).abs() >= 0.005 for c in [*comps, *MONEY]])
    out = out.filter(changed)
    label = f"{now.month:%Y年%m月}"
    def text(c: str) -> pl.Expr:
        # Empty and null read alike on both databases; shown as 无.
        v = pl.col(c).cast(pl.Utf8).fill_null("")
        return pl.when(v == "").then(pl.lit("无")).otherwise(v)

    changes = [
        pl.when(present_new & present_old & (text(s) != text(f"{s}_old")))
        .then(pl.format(f"{STATE_LABELS[s]} {{}}→{{}}", text(f"{s}_old"), text(s)))
        for s in ["post", "grade", "education", "certificate", "category", "last_tier", "treatment", "days",
                  "probation_days", "policy_label"]
    ]
    reason = (
        pl.when(~present_old).then(pl.lit(f"{label}原未计薪，现应计薪"))
        .when(~present_new).then(pl.lit(f"{label}原已计薪，现不应计薪"))
        .otherwise(
            pl.concat_str([pl.lit(f"{label}："), pl.concat_list(changes).list.drop_nulls().list.join("；")])
        )
    )
    out = out.with_columns(
        reason.alias("reason"),
        pl.when(pl.col("gross") >= 0).then(pl.lit(LineKind.BACK_PAY.value)).otherwise(pl.lit(LineKind.CLAW_BACK.value)).alias("kind"),
    ).with_columns(
        # A recomputation with the same inputs but different amounts means the policy's
        # dated values changed for that month.
        pl.when(pl.col("reason") == f"{label}：").then(pl.lit(f"{label}：政策标准调整（同一政策版本内的生效日期变化）"))
        .otherwise(pl.col("reason")).alias("reason"),
    )
    # Whoever is gone from the recomputation keeps the state of what was paid.
    keep_old = [pl.coalesce(pl.col(s), pl.col(f"{s}_old")).alias(s) for s in [*STATE_COLUMNS, "policy_label"] if s != "days" and s != "probation_days"]
    out = out.with_columns(
        *keep_old,
        pl.when(present_new).then(pl.col("days")).otherwise(0).alias("days"),
        pl.when(present_new).then(pl.col("probation_days")).otherwise(0).alias("probation_days"),
    )
    out = out.with_columns(
        pl.struct([pl.col(c) for c in comps]).struct.json_encode().alias("components"),
        pl.lit(now.month).alias("for_month"),
    )
    return out.select(
        "worker_id", "name", "id_number", "unit_name", "kind", "for_month", "policy_label", *STATE_COLUMNS,
        *comps, "components", *MONEY, "reason",
    )


def _extra_components(paid: pl.DataFrame, now: MonthPay) -> list[str]:
    known = set(_PAID_SCHEMA) | set(now.components)
    return [c for c in paid.columns if c not in known]


def arrears_for(*, scope: Unit, month: date, components_of: dict[date, list[str]] | None = None) -> tuple[pl.DataFrame, list[MonthPay]]:
    """All adjustment lines a run for `month` must carry, and the recomputed months."""
    parts: list[pl.DataFrame] = []
    recomputed: list[MonthPay] = []
    for run in locked_months(scope=scope, before=month):
        now = compute_month(scope=scope, month=run.month)
        recomputed.append(now)
        comps = list(dict.fromkeys([*run.components, *now.components, *_adjusted_components(scope, run.month)]))
        paid = _paid(scope, run.month, comps)
        part = adjustments(scope=scope, now=now, paid=paid)
        if part.height:
            parts.append(_with_causes(part, run))
    if not parts:
        return pl.DataFrame(), recomputed
    return pl.concat(parts, how="diagonal_relaxed"), recomputed


def _adjusted_components(scope: Unit, month: date) -> list[str]:
    """Component names used by locked adjustment lines for `month` (from their runs)."""
    names: list[str] = []
    for comps in PayRun.objects.filter(unit=scope, status=RunStatus.LOCKED, month__gte=month).values_list(
        "components", flat=True
    ):
        names += [c for c in comps if c not in names]
    return names


def _with_causes(part: pl.DataFrame, run: PayRun) -> pl.DataFrame:
    """Name the recorded changes behind each adjustment: events dated into the month but
    recorded after it was locked (only the adjusted workers are looked up)."""
    from shequ.pay.compute import month_last_day
    from shequ.workers.models import WorkerEvent

    if run.locked_at is None:
        return part
    causes: dict[int, list[str]] = {}
    for worker_id, effective, kind, cause in (
        WorkerEvent.objects.filter(
            worker_id__in=part.get_column("worker_id").to_list(), effective__lte=month_last_day(run.month),
            recorded_at__gt=run.locked_at,
        ).order_by("effective", "id").values_list("worker_id", "effective", "kind", "cause")
    ):
        text = f"{effective:%Y-%m-%d}起{cause or kind}"
        if text not in causes.setdefault(worker_id, []):
            causes[worker_id].append(text)
    if not causes:
        return part
    table = pl.DataFrame(
        {"worker_id": list(causes), "__cause": ["（" + "；".join(v) + "）" for v in causes.values()]},
        schema={"worker_id": pl.Int64, "__cause": pl.Utf8},
    )
    return part.join(table, on="worker_id", how="left").with_columns(
        pl.concat_str([pl.col("reason"), pl.col("__cause").fill_null("")]).str.slice(0, 500).alias("reason")
    ).drop("__cause")
