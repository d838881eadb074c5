"""Quota from unit facts through the engine, in bulk: units are grouped by the policy
version that governs them and each group is one `shequ.rules.quota` call (Q-HC, Q-BH, Q-TR)."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.db.models import QuerySet

from shequ.org.models import STAFFED_TYPES, Unit
from shequ.org.selectors import unit_facts_frame
from shequ.policy.resolve import Governing, governing_for_paths
from shequ.rules import PolicyError
from shequ.rules import explain as rules_explain
from shequ.rules import quota as rules_quota

NO_QUOTA_RULE = "{label}：政策没有定义员额规则"
FACT_COLUMNS = ("unit_type", "unit_class", "households", "population", "urban_population")


def staffed(units: QuerySet[Unit]) -> QuerySet[Unit]:
    return units.filter(unit_type__in=STAFFED_TYPES)


def quota_compute(
    *, units: QuerySet[Unit], on: date, strict: bool = True
) -> tuple[pl.DataFrame, dict[str, Governing]]:
    """Each staffed unit's quota from its facts in force on `on`.

    Returns the facts frame with `quota` (null where the governing policy's rule does not
    cover the unit type), `policy_version` and `policy_error`, plus the policies used, by
    label. A policy that cannot compute on that date raises its PolicyError, or with
    strict=False gives null quotas and the message in `policy_error`."""
    frame = unit_facts_frame(units=staffed(units), on=on)
    if frame.is_empty():
        return frame.with_columns(pl.lit(None, pl.Int64).alias("quota"), pl.lit("").alias("policy_version"),
                                  pl.lit("").alias("policy_error")), {}
    gov = governing_for_paths(paths=dict(zip(frame["unit_id"].to_list(), frame["path"].to_list(), strict=True)), on=on)
    labels = pl.Series("policy_version", [gov[u].label for u in frame["unit_id"].to_list()], dtype=pl.Utf8)
    frame = frame.with_columns(labels)
    policies = {g.label: g for g in gov.values()}
    parts = []
    for label, g in policies.items():
        # One engine call per policy version for the whole scope.
        part = frame.filter(pl.col("policy_version") == label)
        if g.policy.quota_section is None:
            parts.append(part.with_columns(pl.lit(None, pl.Int64).alias("quota"),
                                           pl.lit(NO_QUOTA_RULE.format(label=label)).alias("policy_error")))
            continue
        try:
            done = rules_quota(g.policy, part, on).select([*part.columns, "quota"])
        except PolicyError as exc:
            if strict:
                raise
            done = part.with_columns(pl.lit(None, pl.Int64).alias("quota"))
            parts.append(done.with_columns(pl.lit(str(exc)).alias("policy_error")))
        else:
            parts.append(done.with_columns(pl.lit("").alias("policy_error")))
    return pl.concat(parts, how="vertical_relaxed").sort("path"), policies


def quota_explain(*, governing: Governing, row: pl.DataFrame, on: date) -> str:
    """计算依据 of one unit's computed quota, one step per line."""
    if governing.policy.quota_section is None:
        return NO_QUOTA_RULE.format(label=governing.label)
    return "\n".join(rules_explain(governing.policy, "quota", row, on))


def explain_inputs(governing: Governing) -> tuple[str, ...]:
    """The unit facts the policy's quota formulas read: units equal in these get the same
    explanation. All facts when the policy does not say."""
    formulas = getattr(governing.policy, "formulas", {}).get("quota", {})
    used = set().union(*(getattr(f, "names", set(FACT_COLUMNS)) for f in formulas.values())) if formulas else set()
    return tuple(c for c in FACT_COLUMNS if c in used or c == "unit_type") if formulas else FACT_COLUMNS


def review_period_years(*, governing: Governing, on: date) -> int | None:
    """Q-REV: the review period is a policy value (`[quota_review] every_years`); None when
    the governing policy sets none."""
    return governing.policy.params(on).quota_review.every_years


def reserve_minimum(*, governing: Governing, on: date) -> int | None:
    """Q-RESV: minimum reserve secretary candidates per community, from the policy."""
    return governing.policy.params(on).reserve.min_per_community
