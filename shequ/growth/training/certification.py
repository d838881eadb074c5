"""T-CERT: certificate level in force on a date (from the history), share certified per
unit, who must still be certified by the policy's deadline, and the level that counts for
pay in a month (the allowance starts `allowance_lag_months` after the month obtained)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from shequ.growth.training.frames import add_months, with_policy, worker_ids, workers_frame
from shequ.org.models import Unit
from shequ.rules import Policy
from shequ.rules import certification_due as rules_certification_due
from shequ.workers.models import EventKind, WorkerEvent

if TYPE_CHECKING:
    from shequ.accounts.models import User

NONE = "无"
OVERDUE = "已逾期"
WARNED = "已过提醒期"
DUE = "未到期"


def levels_before(frame: pl.DataFrame, ids: Any) -> pl.DataFrame:
    """frame: worker_id, certificate (current), cutoff (Date) → adds `level`: the level in
    force just before `cutoff`. The earliest certificate change on or after the cutoff
    tells what the level was before it; no later change means the current level holds.
    `ids`: the same workers as a subquery (or a list)."""
    earliest = frame["cutoff"].min() if frame.height else None
    rows = []
    if frame.height:
        qs = (
            WorkerEvent.objects.filter(worker_id__in=ids, kind__in=[EventKind.CERTIFICATE, EventKind.EDIT],
                                       effective__gte=earliest)
            .order_by("worker_id", "effective", "id")
            .values_list("worker_id", "effective", "id", "data")
        )
        for worker_id, effective, pk, data in qs.iterator(chunk_size=5000):
            before = data.get("before") if isinstance(data, dict) else None
            if isinstance(before, dict) and "certificate" in before:
                rows.append((worker_id, effective, pk, before["certificate"]))
    changes = pl.DataFrame(rows, orient="row", schema={
        "worker_id": pl.Int64, "effective": pl.Date, "event_id": pl.Int64, "before": pl.Utf8})
    first_after = (
        changes.join(frame.select("worker_id", "cutoff"), on="worker_id")
        .filter(pl.col("effective") >= pl.col("cutoff"))
        .sort(["worker_id", "effective", "event_id"])
        .group_by("worker_id", maintain_order=True)
        .agg(pl.col("before").first())
    )
    return frame.join(first_after, on="worker_id", how="left").with_columns(
        pl.coalesce(pl.col("before"), pl.col("certificate")).fill_null(NONE).alias("level")
    ).drop("before")


def certified_frame(*, user: User, root: Unit | None, on: date) -> pl.DataFrame:
    frame = workers_frame(user=user, root=root, on=on)
    frame = frame.with_columns(pl.lit(on + date.resolution).alias("cutoff"))
    return levels_before(frame, worker_ids(user=user, root=root, on=on)).with_columns((pl.col("level") != NONE).alias("certified"))


def certification_share(*, user: User, root: Unit | None, on: date) -> pl.DataFrame:
    frame = certified_frame(user=user, root=root, on=on)
    return (
        frame.group_by("unit_id", "unit_name", "unit_path")
        .agg(pl.len().alias("headcount"), pl.col("certified").sum().alias("certified"))
        .with_columns((pl.col("certified") / pl.col("headcount")).alias("share"))
        .sort("unit_path")
    )


@dataclass(frozen=True)
class CertDue:
    on: date
    workers: pl.DataFrame  # uncertified workers with a deadline, earliest first


def certification_due(*, user: User, root: Unit | None, on: date) -> CertDue:
    """Who must still be certified. The engine (shequ.rules.certification_due) applies the
    policy's deadline_years; the clock it is given starts at entry (hired_on, else
    community_work_start), never before the deadline rule itself took effect."""
    frame = certified_frame(user=user, root=root, on=on).filter(~pl.col("certified"))
    if frame.is_empty():
        return CertDue(on=on, workers=frame.with_columns(
            pl.lit(None, pl.Utf8).alias("policy"), pl.lit(None, pl.Int64).alias("deadline_years"),
            pl.lit(None, pl.Date).alias("warning"), pl.lit(None, pl.Date).alias("deadline"), pl.lit(None, pl.Utf8).alias("status"),
            pl.lit(None, pl.Int64).alias("days_left")))
    frame, policies = with_policy(frame, on=on)
    parts = []
    for label, policy in policies.items():
        sub = frame.filter(pl.col("policy") == label)
        entry = policy.entry("certification", "deadline_years", on)
        start = pl.max_horizontal(pl.coalesce("hired_on", "community_work_start"),
                                  pl.lit(entry.since if entry else None, pl.Date))
        due = rules_certification_due(
            policy, sub.select("worker_id", pl.col("level").alias("certificate"), "community_work_start",
                               start.alias("cert_deadline_from")), on)
        parts.append(sub.join(due.select("worker_id", "cert_warning", "cert_deadline"), on="worker_id", how="left").with_columns(
            pl.lit(policy.params(on).certification.deadline_years, pl.Int64).alias("deadline_years")))
    frame = (
        pl.concat(parts, how="diagonal_relaxed")
        .rename({"cert_deadline": "deadline", "cert_warning": "warning"})
        .filter(pl.col("deadline").is_not_null())
        .with_columns(
            pl.when(pl.col("deadline") < pl.lit(on)).then(pl.lit(OVERDUE))
            .when(pl.col("warning").is_not_null() & (pl.col("warning") <= pl.lit(on))).then(pl.lit(WARNED))
            .otherwise(pl.lit(DUE)).alias("status"),
            (pl.col("deadline") - pl.lit(on)).dt.total_days().alias("days_left"),
        )
        .sort(["deadline", "unit_path", "name"])
    )
    return CertDue(on=on, workers=frame)


def allowance_cutoff(policy: Policy, month: date) -> date:
    """T-CERT: certificates obtained before this date count for `month`'s allowance
    (allowance_lag_months = 1: before the first day of the month, i.e. from the next month)."""
    first = month.replace(day=1)
    return add_months(first, 1 - policy.params(first).certification.allowance_lag_months)


def pay_certificates(*, user: User, root: Unit | None, month: date) -> pl.DataFrame:
    """The pay inputs of every worker in scope for a pay month, with `certificate` the
    level that counts for that month's qualification allowance."""
    first = month.replace(day=1)
    frame = workers_frame(user=user, root=root, on=first)
    if frame.is_empty():
        return frame
    frame, policies = with_policy(frame, on=first)
    lags = pl.DataFrame(
        [(label, allowance_cutoff(p, first)) for label, p in policies.items()],
        orient="row", schema={"policy": pl.Utf8, "cutoff": pl.Date},
    )
    frame = levels_before(frame.join(lags, on="policy", how="left"), worker_ids(user=user, root=root, on=first))
    return frame.with_columns(pl.col("level").alias("certificate")).drop("level", "cutoff")
