"""A whole unit tree with its facts into the database in a few statements (ORG-1..3).

Input is the frame `shequ.synth.synth_units` returns (or any frame with its columns):
unit, unit_type, unit_class, households, population, urban_population, unit_id (a code),
parent_id (the parent's code), level. Primary keys are reserved in one block and the
materialised paths are computed in Polars, level by level, so no row is written twice.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from shequ.common.bulk import Progress, frame_insert, is_postgres, reserve_ids
from shequ.errors import Invalid
from shequ.org.models import ALLOWED_CHILDREN, Unit, UnitFact
from shequ.org.paths import path_segment_expr

ROOT_EXISTS = "顶层单位“{name}”已存在，请换一个市名（--city）或使用空数据库"
BAD_TREE = "单位表的上下级关系不完整：{n} 个单位找不到上级（如“{example}”）"
BAD_TYPE = "“{name}”（{unit_type}）不能设在{parent_type}之下"


INT32_MAX = 2**31 - 1


class BulkLoadError(Invalid):
    pass


def _timestamp(now: datetime) -> pl.Expr:
    # PostgreSQL parses ISO text with an offset; SQLite keeps Django's text form.
    text = now.isoformat(sep=" ") if is_postgres() else now.replace(tzinfo=None).isoformat(sep=" ")
    return pl.lit(text)


def unit_tree_frame(units: pl.DataFrame, first_id: int) -> pl.DataFrame:
    """pk, parent pk, path and depth for every unit of `units` (ids from `first_id`)."""
    tree = units.select("unit_id", "parent_id", "level").with_row_index("i").with_columns(
        (pl.col("i").cast(pl.Int64) + first_id).alias("pk")
    )
    known = tree.select(pl.col("unit_id").alias("parent_id"), pl.col("pk").alias("parent_pk"))
    tree = tree.join(known, on="parent_id", how="left")
    orphans = tree.filter(pl.col("parent_id").is_not_null() & pl.col("parent_pk").is_null())
    if orphans.height:
        raise BulkLoadError(BAD_TREE.format(n=orphans.height, example=orphans["unit_id"][0]))
    segment = path_segment_expr(pl.col("pk"))
    done = tree.filter(pl.col("parent_id").is_null()).with_columns(path=segment, depth=pl.lit(0))
    rest = tree.filter(pl.col("parent_id").is_not_null())
    depth = 0
    # One join per level of the tree (five at most), never one query per unit.
    while rest.height:
        depth += 1
        parents = done.filter(pl.col("depth") == depth - 1).select(
            pl.col("pk").alias("parent_pk"), pl.col("path").alias("parent_path")
        )
        level = rest.join(parents, on="parent_pk", how="inner")
        if level.height == 0:
            raise BulkLoadError(BAD_TREE.format(n=rest.height, example=rest["unit_id"][0]))
        level = level.with_columns(path=pl.col("parent_path") + segment, depth=pl.lit(depth)).drop(
            "parent_path"
        )
        done = pl.concat([done, level], how="diagonal")
        rest = rest.join(level.select("pk"), on="pk", how="anti")
    return done.sort("i").select("unit_id", "pk", "parent_pk", "path", "depth")


def _check_types(units: pl.DataFrame) -> None:
    parents = units.select(pl.col("unit_id").alias("parent_id"), pl.col("unit_type").alias("parent_type"))
    pairs = (
        units.join(parents, on="parent_id", how="left")
        .select("unit", "unit_type", pl.col("parent_type").fill_null(""))
        .unique(subset=["unit_type", "parent_type"], keep="first", maintain_order=True)
    )
    for name, unit_type, parent_type in pairs.iter_rows():
        if unit_type not in ALLOWED_CHILDREN.get(parent_type, set()):
            raise BulkLoadError(BAD_TYPE.format(name=name, unit_type=unit_type, parent_type=parent_type or "顶层"))


def units_bulk_load(
    *, units: pl.DataFrame, since: date, now: datetime, source: str = "synth",
    progress: Progress | None = None,
) -> pl.DataFrame:
    """Insert the units and one fact row each (in force from `since`).

    Returns unit_id (the frame's code) → pk, for loading workers against. Runs inside the
    caller's transaction."""
    _check_types(units)
    roots = units.filter(pl.col("parent_id").is_null())["unit"].to_list()
    clash = Unit.objects.filter(parent__isnull=True, name__in=roots).values_list("name", flat=True).first()
    if clash:
        raise BulkLoadError(ROOT_EXISTS.format(name=clash))
    unit_table = Unit._meta.db_table
    first = reserve_ids(unit_table, units.height)
    tree = unit_tree_frame(units, first)
    rows = units.select(
        pl.col("unit").alias("name"), "unit_type", pl.col("unit_id").alias("code")
    ).hstack(tree.select(pl.col("pk").alias("id"), pl.col("parent_pk").alias("parent_id"), "path", "depth"))
    rows = rows.with_columns(created_at=_timestamp(now)).select(
        "id", "name", "unit_type", "parent_id", "path", "depth", "code", "created_at"
    )
    frame_insert(unit_table, rows, progress=progress)

    fact_table = UnitFact._meta.db_table
    first_fact = reserve_ids(fact_table, units.height)
    facts = units.select(
        (pl.int_range(0, pl.len(), dtype=pl.Int64) + first_fact).alias("id"),
        tree["pk"].alias("unit_id"),
        pl.lit(since).alias("since"),
        pl.col("households").fill_null(0),
        pl.col("population").fill_null(0),
        pl.col("urban_population").fill_null(0),
        pl.lit(None, dtype=pl.String).alias("area_km2"),
        pl.col("unit_class").fill_null(""),
        pl.lit(source).alias("source"),
    )
    # A nation-sized synthetic "city" sums past a 32-bit column; such a total is derivable
    # from its children and no rule reads it, so it is left out rather than wrapped.
    facts = facts.filter(pl.col("population") <= INT32_MAX)
    frame_insert(fact_table, facts, progress=progress)
    return tree.select("unit_id", "pk")
