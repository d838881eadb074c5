"""Training and certification duties over frames (T-LEVEL, T-CERT)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from shequ.rules import errors as E
from shequ.rules.errors import PolicyError
from shequ.rules.policy import Policy

LEVEL_RANK = {"街道": 0, "县级": 1, "市级": 2}


def _require(df: pl.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise PolicyError(E.MISSING_COLUMNS.format(columns="、".join(missing)), place=what)


def training_due(policy: Policy, workers: pl.DataFrame, trainings: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """T-LEVEL: for each worker, the last training that counts (at or above the level the
    post group requires), when the next one is due, and whether it is overdue on `on`.

    workers in: worker_id, post. trainings in: worker_id, date, level (市级/县级/街道).
    out: workers + required_every_years, required_level, last_training, next_due, overdue
    (null columns for posts whose group has no requirement)."""
    _require(workers, ["worker_id", "post"], "training")
    _require(trainings, ["worker_id", "date", "level"], "training")
    reqs = policy.params(on).training.requirements
    groups = {name: p.group for name, p in policy.posts.items()}
    every = {n: reqs[g].every_years for n, g in groups.items() if g in reqs}
    level = {n: reqs[g].min_level for n, g in groups.items() if g in reqs}
    df = workers.with_columns(
        pl.col("post").replace_strict(list(every), list(every.values()), default=None, return_dtype=pl.Int64).alias("required_every_years"),
        pl.col("post").replace_strict(list(level), list(level.values()), default=None, return_dtype=pl.Utf8).alias("required_level"),
    )
    t = trainings.filter(pl.col("date") <= on).with_columns(
        pl.col("level").replace_strict(list(LEVEL_RANK), list(LEVEL_RANK.values()), default=None, return_dtype=pl.Int64).alias("_lvl"),
        pl.col("worker_id").cast(workers.schema["worker_id"]))
    joined = df.select("worker_id", "required_level").join(t, on="worker_id", how="inner").filter(
        pl.col("_lvl") >= pl.col("required_level").replace_strict(list(LEVEL_RANK), list(LEVEL_RANK.values()), default=None, return_dtype=pl.Int64))
    last = joined.group_by("worker_id").agg(pl.col("date").max().alias("last_training"))
    out = df.join(last, on="worker_id", how="left")
    next_due = pl.col("last_training").dt.offset_by(pl.format("{}y", pl.col("required_every_years")))
    return out.with_columns(next_due.alias("next_due")).with_columns(
        pl.when(pl.col("required_every_years").is_null()).then(None)
        .otherwise(pl.col("next_due").is_null() | (pl.col("next_due") < on)).alias("overdue"))


def certification_due(policy: Policy, workers: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """T-CERT: workers without a social work certificate past the deadline (years from the
    start of community work, or from `cert_deadline_from` when given).

    in: worker_id, certificate, community_work_start. out: + cert_warning (the date of the
    policy's warning_years, null when it sets none), cert_deadline, cert_overdue."""
    params = policy.params(on).certification
    years, warn = params.deadline_years, params.warning_years
    _require(workers, ["certificate", "community_work_start"], "certification")
    if years is None:
        return workers.with_columns(pl.lit(None, dtype=pl.Date).alias("cert_warning"), pl.lit(None, dtype=pl.Date).alias("cert_deadline"),
                                    pl.lit(None, dtype=pl.Boolean).alias("cert_overdue"))
    start = pl.col("cert_deadline_from") if "cert_deadline_from" in workers.columns else pl.col("community_work_start")
    deadline = start.dt.offset_by(f"{years}y")
    warning = start.dt.offset_by(f"{warn}y") if warn is not None else pl.lit(None, dtype=pl.Date)
    uncertified = pl.col("certificate").fill_null("无") == "无"
    return workers.with_columns(warning.alias("cert_warning"), deadline.alias("cert_deadline")).with_columns(
        (uncertified & (pl.col("cert_deadline") < on)).alias("cert_overdue"))
