"""Reads of the org tree, always within a scope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

import polars as pl
from django.db.models import QuerySet

from shequ.common.bulk import frame_from_queryset
from shequ.common.scope import scoped
from shequ.org.models import Unit, UnitFact
from shequ.org.paths import child_path_expr

UNIT_PATHS_SCHEMA = {"unit_id": pl.Int64, "unit_path": pl.Utf8, "unit_name": pl.Utf8}

if TYPE_CHECKING:
    from shequ.accounts.models import User


def unit_list(*, user: User, types: Iterable[str] | None = None) -> QuerySet[Unit]:
    qs = scoped(Unit.objects.all(), user, unit_field="")
    if types is not None:
        qs = qs.filter(unit_type__in=list(types))
    return qs


def unit_subtree(*, root: Unit, include_root: bool = True) -> QuerySet[Unit]:
    qs = Unit.objects.filter(path__startswith=root.path)
    return qs if include_root else qs.exclude(pk=root.pk)


def unit_children(*, user: User, parent: Unit | None) -> QuerySet[Unit]:
    qs = unit_list(user=user)
    return qs.filter(parent=parent) if parent else qs.filter(depth=qs.order_by("depth").values("depth")[:1])


def unit_facts_frame(*, units: QuerySet[Unit], on: date) -> pl.DataFrame:
    """Facts in force on `on` for each unit, one row per unit (units without facts get 0s).

    Columns match the engine's quota input."""
    unit_rows = list(units.values_list("id", "name", "unit_type", "parent_id", "path"))
    fact_rows = list(
        UnitFact.objects.filter(unit__in=units, since__lte=on)
        .order_by("unit_id", "-since")
        .values_list("unit_id", "since", "households", "population", "urban_population", "unit_class")
    )
    base = pl.DataFrame(
        unit_rows,
        schema={"unit_id": pl.Int64, "unit": pl.Utf8, "unit_type": pl.Utf8, "parent_id": pl.Int64, "path": pl.Utf8},
        orient="row",
    )
    facts = pl.DataFrame(
        fact_rows,
        schema={
            "unit_id": pl.Int64, "since": pl.Date, "households": pl.Int64, "population": pl.Int64,
            "urban_population": pl.Int64, "unit_class": pl.Utf8,
        },
        orient="row",
    ).unique(subset="unit_id", keep="first", maintain_order=True)
    out = base.join(facts.drop("since"), on="unit_id", how="left").with_columns(
        pl.col("households").fill_null(0),
        pl.col("population").fill_null(0),
        pl.col("urban_population").fill_null(0),
        pl.when(pl.col("unit_class") == "").then(None).otherwise(pl.col("unit_class")).alias("unit_class"),
    )
    return out


def units_frame(*, root: Unit, on: date) -> pl.DataFrame:
    """Units of `root`'s subtree with their facts in force on `on` (unit_facts_frame), and
    `child_path`: the path of the child of `root` each unit belongs to (the root itself for
    the root)."""
    frame = unit_facts_frame(units=unit_subtree(root=root), on=on)
    return frame.with_columns(child_path_expr(pl.col("path"), root_path=root.path).alias("child_path"))


def unit_paths_frame(*, scope: Unit) -> pl.DataFrame:
    """unit_id, unit_path, unit_name of every unit of `scope`'s subtree, in bulk: the small
    frame population-wide reads join their rows to."""
    qs = unit_subtree(root=scope).order_by().values_list("id", "path", "name")
    return frame_from_queryset(qs, UNIT_PATHS_SCHEMA)


def unit_fact_on(*, unit: Unit, on: date) -> UnitFact | None:
    return unit.facts.filter(since__lte=on).order_by("-since").first()
