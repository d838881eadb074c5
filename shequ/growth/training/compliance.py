"""T-LEVEL: who is overdue for training as of a date, for every worker in one pass.

The policy's `[training] requirements` are keyed by post group (or post name, or
"default"): at least once every `every_years` years at `min_level` or above, where the
order of `levels` runs from the highest level down. A worker's clock starts at the last
qualifying training, or when there is none at entry (hired_on, else community_work_start)
or the date the requirement took effect, whichever is later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db.models import Max

from shequ.growth.training.frames import frame_from_queryset, with_policy, worker_ids, workers_frame
from shequ.growth.training.models import Attendance
from shequ.org.models import Unit
from shequ.rules import Policy

DONE = "已按期培训"
NOT_DUE = "尚未到期"
OVERDUE = "逾期未培训"
NO_RULE = "政策无要求"


@dataclass(frozen=True)
class Compliance:
    on: date
    workers: pl.DataFrame  # one row per worker
    by_unit: pl.DataFrame  # one row per unit

    @property
    def overdue(self) -> pl.DataFrame:
        return self.workers.filter(pl.col("status") == OVERDUE)


def requirement_for(policy: Policy, post: str, on: date) -> tuple[str, int, str] | None:
    """(key, every_years, min_level) of the requirement that applies to a post."""
    reqs = policy.params(on).training.requirements
    group = policy.posts[post].group if post in policy.posts else None
    for key in (group, post, "default"):
        if key and key in reqs:
            return key, reqs[key].every_years, reqs[key].min_level
    return None


def _requirements(frame: pl.DataFrame, policies: dict[str, Policy], on: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    req_rows, level_rows = [], []
    for label, post in frame.select("policy", "post").unique().rows():
        found = requirement_for(policies[label], post, on)
        levels = policies[label].params(on).training.levels
        if found is None:
            req_rows.append((label, post, None, None, None, ""))
        else:
            key, every, min_level = found
            above = "及以上" if levels.index(min_level) > 0 else ""
            who = "其他人员" if key == "default" else key
            req_rows.append((label, post, key, every, levels.index(min_level),
                             f"每{every}年至少1次{min_level}{above}培训（{who}）"))
    for label, policy in policies.items():
        entry = policy.entry("training", "requirements", on)
        for rank, level in enumerate(policy.params(on).training.levels):
            level_rows.append((label, level, rank, entry.since if entry else None))
    reqs = pl.DataFrame(req_rows, orient="row", schema={
        "policy": pl.Utf8, "post": pl.Utf8, "group": pl.Utf8, "every_years": pl.Int64, "min_rank": pl.Int64,
        "requirement": pl.Utf8})
    ranks = pl.DataFrame(level_rows, orient="row", schema={"policy": pl.Utf8, "level": pl.Utf8, "rank": pl.Int64,
                                                          "rule_since": pl.Date})
    return reqs, ranks


def _last_by_level(ids: Any, on: date) -> pl.DataFrame:
    rows = (
        Attendance.objects.filter(worker_id__in=ids, attended_on__lte=on)
        .values_list("worker_id", "level")
        .annotate(last=Max("attended_on"))
        .order_by()
    )
    return frame_from_queryset(rows, {"worker_id": pl.Int64, "level": pl.Utf8, "last": pl.Date})


def training_compliance(*, user: Any, root: Unit | None, on: date) -> Compliance:
    frame = workers_frame(user=user, root=root, on=on)
    if frame.is_empty():
        empty = frame.with_columns(
            pl.lit(None, pl.Utf8).alias("requirement"), pl.lit(None, pl.Date).alias("last_training"),
            pl.lit(None, pl.Date).alias("due"), pl.lit(None, pl.Utf8).alias("status"),
            pl.lit(None, pl.Int64).alias("days_overdue"), pl.lit(None, pl.Utf8).alias("policy"),
        )
        return Compliance(on=on, workers=empty, by_unit=_by_unit(empty))
    frame, policies = with_policy(frame, on=on)
    reqs, ranks = _requirements(frame, policies, on)
    frame = frame.join(reqs, on=["policy", "post"], how="left").join(
        ranks.select("policy", "rule_since").unique(), on="policy", how="left")
    last = _last_by_level(worker_ids(user=user, root=root, on=on), on)
    qualifying = (
        last.join(frame.select("worker_id", "policy", "min_rank"), on="worker_id")
        .join(ranks.drop("rule_since"), on=["policy", "level"], how="left")
        .filter(pl.col("rank").is_not_null() & (pl.col("rank") <= pl.col("min_rank")))
        .group_by("worker_id")
        .agg(pl.col("last").max().alias("last_training"))
    )
    frame = frame.join(qualifying, on="worker_id", how="left")
    # Without a qualifying training the clock starts at entry, but never before the
    # requirement itself took effect: nobody is overdue under a rule older than its own date.
    entry = pl.max_horizontal(pl.coalesce("hired_on", "community_work_start"), pl.col("rule_since"))
    start = pl.coalesce(pl.col("last_training"), entry)
    due = start.dt.offset_by(pl.format("{}y", pl.col("every_years")))
    frame = frame.with_columns(due.alias("due")).with_columns(
        pl.when(pl.col("every_years").is_null()).then(pl.lit(NO_RULE))
        .when(pl.col("due") < pl.lit(on)).then(pl.lit(OVERDUE))
        .when(pl.col("last_training").is_not_null()).then(pl.lit(DONE))
        .otherwise(pl.lit(NOT_DUE))
        .alias("status"),
    ).with_columns(
        pl.when(pl.col("status") == OVERDUE).then((pl.lit(on) - pl.col("due")).dt.total_days())
        .otherwise(None).cast(pl.Int64).alias("days_overdue"),
    )
    frame = frame.sort(["unit_path", "name"])
    return Compliance(on=on, workers=frame, by_unit=_by_unit(frame))


def _by_unit(frame: pl.DataFrame) -> pl.DataFrame:
    return (
        frame.group_by("unit_id", "unit_name", "unit_path")
        .agg(
            pl.len().alias("headcount"),
            (pl.col("status") != NO_RULE).sum().alias("required"),
            (pl.col("status") == OVERDUE).sum().alias("overdue"),
        )
        .with_columns(
            pl.when(pl.col("required") > 0)
            .then(1 - pl.col("overdue") / pl.col("required"))
            .otherwise(None)
            .alias("share_ok")
        )
        .sort("unit_path")
    )
