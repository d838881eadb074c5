"""C-MIN: per-unit minimums — how many workers of each unit meet a policy's condition, and
which units fall short. Frames in, frame out, like every evaluator."""

from __future__ import annotations

import datetime as dt

import polars as pl

from shequ.rules.evaluate import _derived, _env, _require
from shequ.rules.formula import parse_formula, to_expr
from shequ.rules.policy import Policy


def unit_minimums(policy: Policy, units: pl.DataFrame, workers: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """in: units (unit_id, unit_type), workers (unit_id + the inputs the conditions read).
    out: one row per unit and minimum that applies to its type: unit_id, minimum (its name),
    required, count, short (required - count, at least 0)."""
    rules = policy.params(on).minimums.per_unit
    schema = {"unit_id": pl.Int64, "minimum": pl.Utf8, "required": pl.Int64, "count": pl.Int64, "short": pl.Int64}
    if not rules:
        return pl.DataFrame(schema=schema)
    _require(units, ["unit_id", "unit_type"], "minimums")
    _require(workers, ["unit_id"], "minimums")
    env = _env(policy, on, _derived(policy, workers, on))
    parts = []
    for rule in rules:
        cond = to_expr(parse_formula(rule.condition, place="minimums"), env)
        counts = workers.group_by("unit_id").agg(cond.fill_null(False).sum().cast(pl.Int64).alias("count"))
        parts.append(
            units.filter(pl.col("unit_type").is_in(rule.unit_types)).select(pl.col("unit_id").cast(pl.Int64))
            .join(counts.with_columns(pl.col("unit_id").cast(pl.Int64)), on="unit_id", how="left")
            .with_columns(pl.col("count").fill_null(0), pl.lit(rule.name).alias("minimum"),
                          pl.lit(rule.min, pl.Int64).alias("required"))
        )
    out = pl.concat(parts, how="diagonal_relaxed")
    return out.with_columns(pl.max_horizontal(pl.col("required") - pl.col("count"), pl.lit(0)).alias("short")).select(list(schema))
