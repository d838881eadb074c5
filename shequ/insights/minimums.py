"""C-MIN: per-unit minimums in a scope — each unit's count of workers meeting each of its
policy's conditions, and the units that fall short, in bulk (one engine call per policy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from shequ.org.models import Unit
from shequ.org.selectors import units_frame
from shequ.policy.resolve import governing_frame
from shequ.rules import unit_minimums
from shequ.workers.selectors import roster_on


@dataclass(frozen=True)
class MinimumBreach:
    unit_id: int
    unit: str
    street: str
    minimum: str
    required: int
    count: int

    @property
    def short(self) -> int:
        return max(0, self.required - self.count)


def minimum_breaches(*, root: Unit, on: date) -> list[MinimumBreach]:
    """Every unit of `root`'s subtree below a minimum its governing policy sets on `on`."""
    units = units_frame(root=root, on=on)
    if units.is_empty():
        return []
    keyed, governing = governing_frame(units=units, on=on, path_column="path")
    units = units.join(keyed, on="unit_id", how="left")
    roster = roster_on(scope=root, on=on)
    parts = []
    for label, g in governing.items():
        if not g.policy.params(on).minimums.per_unit:
            continue
        ids = units.filter(pl.col("policy_label") == label)
        people = roster.filter(pl.col("unit_id").is_in(ids["unit_id"].implode()))
        parts.append(unit_minimums(g.policy, ids.select("unit_id", "unit_type"), people, on))
    if not parts:
        return []
    short = pl.concat(parts).filter(pl.col("short") > 0)
    names = dict(Unit.objects.filter(pk__in=short["unit_id"].to_list()).values_list("pk", "name"))
    streets = dict(Unit.objects.filter(pk__in=short["unit_id"].to_list()).values_list("pk", "parent__name"))
    rows = sorted(short.iter_rows(named=True), key=lambda r: (streets.get(r["unit_id"]) or "", names.get(r["unit_id"], "")))
    return [MinimumBreach(unit_id=r["unit_id"], unit=names.get(r["unit_id"], ""), street=streets.get(r["unit_id"]) or "",
                          minimum=r["minimum"], required=r["required"], count=r["count"]) for r in rows]
