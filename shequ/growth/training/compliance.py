"""T-LEVEL: who is overdue for training as of a date, for every worker in one pass.

The engine (shequ.rules.training_due) decides, per post group of the governing policy's
`[training] requirements`, which trainings count (at `min_level` or above) and when the
next is due after the last one. A worker's clock starts at the last
qualifying training, or when there is none at entry (hired_on, else community_work_start)
or the date the requirement took effect, whichever is later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db.models import Max

from shequ.common.bulk import frame_from_queryset
from shequ.growth.training.frames import with_policy, worker_ids, workers_frame
from shequ.growth.training.models import Attendance
from shequ.org.models import Unit
from shequ.rules import Policy, training_due

if TYPE_CHECKING:
    from shequ.accounts.models import User

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


def _last_by_level(ids: Any, on: date) -> pl.DataFrame:
    rows = (
        Attendance.objects.filter(worker_id__in=ids, attended_on__lte=on)
        .values_list("worker_id", "level")
        .annotate(last=Max("attended_on"))
        .order_by()
    )
    return frame_from_queryset(rows, {"worker_id": pl.Int64, "level": pl.Utf8, "date": pl.Date})


def _engine_due(frame: pl.DataFrame, last: pl.DataFrame, policies: dict[str, Policy], on: date) -> pl.DataFrame:
    """The engine's training_due per governing policy: which trainings count for each
    post's group, the last one, and when the next is due."""
    parts = []
    for label, policy in policies.items():
        sub = frame.filter(pl.col("policy") == label)
        if sub.is_empty():
            continue
        trainings = last.join(sub.select("worker_id"), on="worker_id", how="semi")
        due = training_due(policy, sub.select("worker_id", "post"), trainings, on)
        entry = policy.entry("training", "requirements", on)
        top = policy.params(on).training.levels[0]
        groups = {name: p.group for name, p in policy.posts.items()}
        parts.append(
            sub.join(due.drop("post"), on="worker_id", how="left").with_columns(
                pl.lit(entry.since if entry else None, pl.Date).alias("rule_since"),
                pl.lit(top).alias("top_level"),
                pl.col("post").replace_strict(list(groups), list(groups.values()), default=None,
                                              return_dtype=pl.Utf8).alias("group"),
            )
        )
    return pl.concat(parts, how="diagonal_relaxed")


def training_compliance(*, user: User, root: Unit | None, on: date) -> Compliance:
    frame = workers_frame(user=user, root=root, on=on)
    if frame.is_empty():
        empty = frame.with_columns(
            pl.lit(None, pl.Utf8).alias("requirement"), pl.lit(None, pl.Date).alias("last_training"),
            pl.lit(None, pl.Date).alias("due"), pl.lit(None, pl.Utf8).alias("status"),
            pl.lit(None, pl.Int64).alias("days_overdue"), pl.lit(None, pl.Utf8).alias("policy"),
        )
        return Compliance(on=on, workers=empty, by_unit=_by_unit(empty))
    frame, policies = with_policy(frame, on=on)
    last = _last_by_level(worker_ids(user=user, root=root, on=on), on)
    frame = _engine_due(frame, last, policies, on).rename({"required_every_years": "every_years"})
    # Without a qualifying training the clock starts at entry, but never before the
    # requirement itself took effect: nobody is overdue under a rule older than its own date.
    entry = pl.max_horizontal(pl.coalesce("hired_on", "community_work_start"), pl.col("rule_since"))
    from_entry = entry.dt.offset_by(pl.format("{}y", pl.col("every_years")))
    above = pl.when(pl.col("required_level") == pl.col("top_level")).then(pl.lit("")).otherwise(pl.lit("及以上"))
    frame = frame.with_columns(
        pl.coalesce(pl.col("next_due"), from_entry).alias("due"),
        pl.when(pl.col("every_years").is_null()).then(pl.lit(""))
        .otherwise(pl.format("每{}年至少1次{}{}培训（{}）", "every_years", "required_level", above, "group"))
        .alias("requirement"),
    ).with_columns(
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
