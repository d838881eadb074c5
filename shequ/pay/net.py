"""Net pay (P-NET) of a run's lines, in bulk: personal 五险一金 off, individual income tax
withheld by the cumulative method over the calendar year, 实发 on every line.

The year so far is read from the locked runs of the year, by the month they were paid:
back pay (补发) counts in the month it is paid, as the tax law has it. The month's tax,
special deduction and year-to-date figures sit on one line per worker: the own-month line,
or the first adjustment when the worker has none (everyone else's lines carry 0 tax)."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.db.models import Case, Count, F, Sum, When

from shequ.common.bulk import frame_from_queryset
from shequ.org.models import Unit
from shequ.policy.resolve import Governing, governing_for_unit
from shequ.rules.tax import withhold

from .compute import month_last_day
from .models import LineKind, PayLine, RunStatus, SpecialDeduction

NET_COLUMNS = ["taxable", "special_deduction", "ytd_income", "ytd_taxable", "ytd_tax", "tax", "deductions", "net"]
_PRIOR_SCHEMA = {
    "worker_id": pl.Int64, "prior_income": pl.Float64, "prior_contributions": pl.Float64,
    "prior_special": pl.Float64, "prior_tax": pl.Float64, "prior_months": pl.Int64,
}


def prior_in_year(*, scope: Unit, month: date) -> pl.DataFrame:
    """Per worker now in `scope`: income, contributions, special deductions and tax of the
    locked runs paid from January to the month before `month`, and how many months paid.
    One aggregate query; runs of other scopes count too (a worker who moved keeps a year)."""
    if month.month == 1:
        return pl.DataFrame(schema=_PRIOR_SCHEMA)
    qs = (
        PayLine.objects.filter(
            worker__unit__path__startswith=scope.path, run__status=RunStatus.LOCKED,
            run__month__gte=month.replace(month=1), run__month__lt=month,
        )
        .order_by().values("worker_id")
        .annotate(
            # Lines locked before P-NET have taxable and net at 0: their whole gross was taxable.
            i=Sum(Case(When(taxable=0, net=0, then=F("gross")), default=F("taxable"))), c=Sum("employee_benefits"), s=Sum("special_deduction"), t=Sum("tax"),
            m=Count("run__month", distinct=True),
        )
        .values_list("worker_id", "i", "c", "s", "t", "m")
    )
    return frame_from_queryset(qs, _PRIOR_SCHEMA)


def special_frame(*, scope: Unit, month: date) -> pl.DataFrame:
    qs = SpecialDeduction.objects.filter(worker__unit__path__startswith=scope.path, month=month).values_list(
        "worker_id", "total"
    )
    return frame_from_queryset(qs, {"worker_id": pl.Int64, "special": pl.Float64})


def with_net_pay(lines: pl.DataFrame, *, scope: Unit, month: date, governing: dict[str, Governing]) -> pl.DataFrame:
    """`lines` (a run's own-month and adjustment lines) with NET_COLUMNS filled."""
    if lines.is_empty():
        return lines.with_columns([pl.lit(0.0).alias(c) for c in NET_COLUMNS])
    if "taxable" not in lines.columns:
        lines = lines.with_columns(pl.col("gross").alias("taxable"))
    if "deductions" not in lines.columns:
        lines = lines.with_columns(pl.lit(0.0).alias("deductions"))
    lines = lines.with_columns(
        pl.col("taxable").fill_null(0.0).cast(pl.Float64), pl.col("deductions").fill_null(0.0).cast(pl.Float64),
    ).with_row_index("__row")
    # The line that carries the month's tax: own month first, then the earliest adjustment.
    carrier = (
        lines.sort(pl.col("kind") != LineKind.REGULAR.value, "for_month", "__row")
        .group_by("worker_id", maintain_order=True)
        .agg(pl.col("__row").first(), pl.col("policy_label").first(),
             pl.col("taxable").sum().alias("income"), pl.col("employee_benefits").sum().alias("contributions"))
    )
    carrier = (
        carrier.join(special_frame(scope=scope, month=month), on="worker_id", how="left")
        .join(prior_in_year(scope=scope, month=month), on="worker_id", how="left")
        .with_columns((pl.col("prior_months").fill_null(0) + 1).alias("months"))
    )
    on = month_last_day(month)
    parts = []
    for label in carrier.get_column("policy_label").unique().to_list():
        g = governing.get(label) or governing_for_unit(unit=scope, on=on)
        group = carrier.filter(pl.col("policy_label") == label)
        parts.append(withhold(group, g.policy.params(on).tax))
    taxed = pl.concat(parts).select(
        "__row", pl.col("special").alias("special_deduction"), "ytd_income", "ytd_taxable", "ytd_tax", "tax",
    )
    out = lines.join(taxed, on="__row", how="left").with_columns(
        [pl.col(c).fill_null(0.0) for c in ("special_deduction", "ytd_income", "ytd_taxable", "ytd_tax", "tax")]
    )
    return out.with_columns(
        (pl.col("gross") - pl.col("employee_benefits") - pl.col("tax") - pl.col("deductions"))
        .round(2, mode="half_away_from_zero").alias("net")
    ).drop("__row")
