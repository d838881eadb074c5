"""T-MENTOR mentoring coverage and T-ALL rotation coverage as of a date, in one pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db.models import Q

from shequ.common.bulk import frame_from_queryset
from shequ.growth.training.frames import (
    add_months,
    age_on,
    with_policy,
    worker_ids,
    workers_frame,
)
from shequ.growth.training.models import MentorPair, Placement, PlacementKind
from shequ.org.models import Unit
from shequ.workers.models import EventKind, WorkerEvent

if TYPE_CHECKING:
    from shequ.accounts.models import User

GROUPS = {"young_secretary": "年轻书记", "weak_secretary": "后进书记", "new_worker": "新入职人员"}


@dataclass(frozen=True)
class MentoringCoverage:
    on: date
    groups: list[dict[str, Any]]  # group, label, targets, paired, share
    unpaired: pl.DataFrame  # workers in a target group without an open pair
    targets: pl.DataFrame


def _last_tiers(ids: Any, on: date) -> pl.DataFrame:
    """Latest assessment tier per worker from the history (event data "tier", or the
    "after" dict's "tier")."""
    rows = []
    qs = (
        WorkerEvent.objects.filter(kind=EventKind.ASSESSMENT, worker_id__in=ids, effective__lte=on)
        .order_by("worker_id", "effective", "id")
        .values_list("worker_id", "effective", "data")
    )
    for worker_id, effective, data in qs.iterator(chunk_size=5000):
        tier = None
        if isinstance(data, dict):
            tier = data.get("tier") or (data.get("after") or {}).get("tier")
        rows.append((worker_id, effective, tier))
    frame = pl.DataFrame(rows, orient="row", schema={"worker_id": pl.Int64, "effective": pl.Date, "last_tier": pl.Utf8})
    return frame.group_by("worker_id").agg(pl.col("last_tier").sort_by("effective").last())


def mentoring_coverage(*, user: User, root: Unit | None, on: date) -> MentoringCoverage:
    frame = workers_frame(user=user, root=root, on=on)
    flags_schema = {"policy": pl.Utf8, "post": pl.Utf8, "is_secretary": pl.Boolean, "young_max_age": pl.Int64,
                    "new_since": pl.Date}
    if not frame.is_empty():
        frame, policies = with_policy(frame, on=on)
        rows, weak = [], []
        for label, post in frame.select("policy", "post").unique().rows():
            m = policies[label].params(on).mentoring
            group = policies[label].posts[post].group if post in policies[label].posts else None
            new_since = add_months(on, -m.new_worker_months) if m.new_worker_months else None
            rows.append((label, post, group in m.secretary_groups, m.young_max_age, new_since))
        for label, policy in policies.items():
            weak += [(label, t) for t in policy.params(on).mentoring.weak_tiers]
        params = pl.DataFrame(rows, orient="row", schema=flags_schema)
        weak_df = pl.DataFrame(weak, orient="row", schema={"policy": pl.Utf8, "last_tier": pl.Utf8}).with_columns(
            pl.lit(True).alias("weak_tier"))
        tiers = _last_tiers(worker_ids(user=user, root=root, on=on), on)
        frame = (
            frame.join(params, on=["policy", "post"], how="left")
            .join(tiers, on="worker_id", how="left")
            .join(weak_df, on=["policy", "last_tier"], how="left")
        )
    else:
        frame = frame.with_columns(
            pl.lit(None, pl.Utf8).alias("policy"), pl.lit(False).alias("is_secretary"),
            pl.lit(None, pl.Int64).alias("young_max_age"), pl.lit(None, pl.Date).alias("new_since"),
            pl.lit(None, pl.Utf8).alias("last_tier"), pl.lit(None, pl.Boolean).alias("weak_tier"),
        )
    frame = frame.with_columns(age_on(on).alias("age")).with_columns(
        (pl.col("is_secretary") & pl.col("young_max_age").is_not_null() & (pl.col("age") <= pl.col("young_max_age")))
        .fill_null(False).alias("young_secretary"),
        (pl.col("is_secretary") & pl.col("weak_tier").fill_null(False)).fill_null(False).alias("weak_secretary"),
        (pl.col("new_since").is_not_null() & (pl.coalesce("hired_on", "community_work_start") > pl.col("new_since")))
        .fill_null(False).alias("new_worker"),
    )
    pairs = frame_from_queryset(
        MentorPair.objects.filter(mentee_id__in=worker_ids(user=user, root=root, on=on), start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .values_list("mentee_id", "mentor_name"),
        {"worker_id": pl.Int64, "mentor_name": pl.Utf8},
    ).unique(subset="worker_id")
    frame = frame.join(pairs, on="worker_id", how="left").with_columns(
        pl.col("mentor_name").is_not_null().alias("paired"),
        pl.concat_str(
            [pl.when(pl.col(g)).then(pl.lit(label)) for g, label in GROUPS.items()], separator="、", ignore_nulls=True
        ).alias("reasons"),
    )
    targets = frame.filter(pl.any_horizontal(*[pl.col(g) for g in GROUPS]))
    groups = []
    for g, label in GROUPS.items():
        sub = targets.filter(pl.col(g))
        n, paired = sub.height, int(sub["paired"].sum()) if sub.height else 0
        groups.append({"group": g, "label": label, "targets": n, "paired": paired,
                       "unpaired": n - paired, "share": (paired / n) if n else None})
    unpaired = targets.filter(~pl.col("paired")).sort(["unit_path", "name"])
    return MentoringCoverage(on=on, groups=groups, unpaired=unpaired, targets=targets)


def rotation_coverage(*, user: User, root: Unit | None, on: date) -> pl.DataFrame:
    """T-ALL per unit: headcount, workers who rotated at least once (by `on`), workers
    who served at least the policy's `rotation.min_posts` posts (全岗通), and exchange
    placements (T-EXCH) per unit for the same people."""
    frame = workers_frame(user=user, root=root, on=on)
    if frame.is_empty():
        return pl.DataFrame(schema={"unit_id": pl.Int64, "unit_name": pl.Utf8, "unit_path": pl.Utf8,
                                    "headcount": pl.UInt32, "rotated": pl.UInt32, "all_posts": pl.UInt32,
                                    "exchanged": pl.UInt32, "share_rotated": pl.Float64, "min_posts": pl.Int64})
    frame, policies = with_policy(frame, on=on)
    mins = pl.DataFrame([(label, p.params(on).rotation.min_posts) for label, p in policies.items()], orient="row",
                        schema={"policy": pl.Utf8, "min_posts": pl.Int64})
    placed = frame_from_queryset(
        Placement.objects.filter(worker_id__in=worker_ids(user=user, root=root, on=on), start__lte=on)
        .values_list("worker_id", "kind", "post_served"),
        {"worker_id": pl.Int64, "kind": pl.Utf8, "post_served": pl.Utf8},
    )
    per_worker = placed.group_by("worker_id").agg(
        pl.col("post_served").filter(pl.col("kind") == PlacementKind.ROTATION).n_unique().alias("posts_served"),
        (pl.col("kind") == PlacementKind.EXCHANGE).any().alias("exchanged"),
    )
    frame = (
        frame.join(mins, on="policy", how="left")
        .join(per_worker, on="worker_id", how="left")
        .with_columns(pl.col("posts_served").fill_null(0), pl.col("exchanged").fill_null(False))
    )
    return (
        frame.group_by("unit_id", "unit_name", "unit_path")
        .agg(
            pl.len().alias("headcount"),
            (pl.col("posts_served") >= 1).sum().alias("rotated"),
            (pl.col("min_posts").is_not_null() & (pl.col("posts_served") >= pl.col("min_posts"))).sum().alias("all_posts"),
            pl.col("exchanged").sum().alias("exchanged"),
            pl.col("min_posts").max().alias("min_posts"),
        )
        .with_columns((pl.col("rotated") / pl.col("headcount")).alias("share_rotated"))
        .sort("unit_path")
    )
