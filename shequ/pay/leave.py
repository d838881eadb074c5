"""P-LEAVE and P-TREAT reads: entitlements by policy, balances per worker and year, the
unpaid leave days of a month and the treatments held on a day, in bulk (compute_month takes them off the paid days, exactly as a
part month does; an approval dated into a locked month therefore becomes an adjustment)."""

from __future__ import annotations

from datetime import date

import polars as pl

from shequ.common.bulk import frame_from_queryset
from shequ.org.models import Unit
from shequ.policy.resolve import Governing
from shequ.rules.schema import LeaveType

from .models import Leave, LeaveStatus, Treatment


def entitlement(kind: LeaveType, *, years: float) -> float | None:
    """A year's days of one kind for a worker with `years` completed years of work; None
    when the kind has no cap (e.g. 事假)."""
    if kind.by_years:
        steps = [d for y, d in sorted(kind.by_years.items()) if years >= y]
        return steps[-1] if steps else 0.0
    return kind.days


def overlap_days(start: date, end: date, first: date, last: date) -> int:
    lo, hi = max(start, first), min(end, last)
    return max(0, (hi - lo).days + 1)


def unpaid_leave_days(*, scope: Unit, first: date, last: date, working: pl.DataFrame,
                      governing: dict[str, Governing]) -> pl.DataFrame:
    """worker_id → unpaid_days: approved leave of a kind its worker's policy does not pay,
    counted in calendar days inside the month."""
    qs = Leave.objects.filter(
        worker__unit__path__startswith=scope.path, status=LeaveStatus.APPROVED, start__lte=last, end__gte=first,
    ).order_by().values_list("worker_id", "kind", "start", "end")
    leaves = frame_from_queryset(qs, {"worker_id": pl.Int64, "kind": pl.Utf8, "start": pl.Date, "end": pl.Date})
    empty = pl.DataFrame(schema={"worker_id": pl.Int64, "unpaid_days": pl.Int64})
    if leaves.is_empty():
        return empty
    paid = pl.DataFrame(
        [(label, name, t.paid) for label, g in governing.items() for name, t in g.policy.params(last).leave.types.items()],
        orient="row", schema={"policy_label": pl.Utf8, "kind": pl.Utf8, "paid": pl.Boolean},
    )
    lo = pl.max_horizontal(pl.col("start"), pl.lit(first))
    hi = pl.min_horizontal(pl.col("end"), pl.lit(last))
    return (
        leaves.join(working.select("worker_id", "policy_label"), on="worker_id")
        .join(paid, on=["policy_label", "kind"], how="left")
        # A kind the policy no longer names is not paid: nothing says it should be.
        .filter(~pl.col("paid").fill_null(False))
        .with_columns(((hi - lo).dt.total_days() + 1).cast(pl.Int64).alias("unpaid_days"))
        .group_by("worker_id").agg(pl.col("unpaid_days").sum())
    )


def taken_in_year(*, worker_ids: list[int], year: int, exclude: int | None = None) -> dict[tuple[int, str], int]:
    """(worker, kind) → days approved or pending in `year` (leave never crosses a year)."""
    qs = Leave.objects.filter(worker_id__in=worker_ids, start__year=year).exclude(status=LeaveStatus.REJECTED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    out: dict[tuple[int, str], int] = {}
    for wid, kind, days in qs.values_list("worker_id", "kind", "days"):
        out[(wid, kind)] = out.get((wid, kind), 0) + days
    return out


def treatments_on(*, scope: Unit, on: date) -> pl.DataFrame:
    """worker_id → treatment (P-TREAT) held on `on`; the latest started wins if two overlap."""
    from django.db.models import Q

    qs = (Treatment.objects.filter(worker__unit__path__startswith=scope.path, since__lte=on)
          .filter(Q(until__isnull=True) | Q(until__gte=on)).order_by("worker_id", "since", "id")
          .values_list("worker_id", "kind"))
    frame = frame_from_queryset(qs, {"worker_id": pl.Int64, "treatment": pl.Utf8})
    return frame.group_by("worker_id", maintain_order=True).last()
