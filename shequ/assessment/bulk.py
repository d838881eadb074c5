"""Bulk reads into Polars and bulk writes for whole campaigns: SQL straight to frames, and
COPY on PostgreSQL (bulk_create elsewhere), so a province-size campaign is not a Python loop
over model instances."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, cast

import polars as pl
from django.db import connection
from django.db.models import Field, Model, QuerySet


def frame(qs: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """A `values_list` queryset (columns in `schema` order) read with one cursor."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    raw = {k: (pl.Float64 if v == pl.Float64 else v) for k, v in schema.items()}
    if not rows:
        return pl.DataFrame(schema=raw)
    cols = list(zip(*rows, strict=True))
    data = {}
    for (name, dtype), values in zip(raw.items(), cols, strict=True):
        if dtype == pl.Float64:
            values = tuple(float(v) if v is not None else None for v in values)  # Decimal → float
        data[name] = pl.Series(name, values, dtype=dtype)
    return pl.DataFrame(data)


def insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert plain rows (values in `fields` order; JSON fields as dicts). COPY on PostgreSQL."""
    opts = model._meta
    columns = [cast(str, cast("Field[Any, Any]", opts.get_field(f)).column) for f in fields]
    json_at = {i for i, f in enumerate(fields) if opts.get_field(f).get_internal_type() == "JSONField"}
    n = 0
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cur:
            with cur.cursor.copy(f"COPY {connection.ops.quote_name(opts.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([json.dumps(v, ensure_ascii=False) if i in json_at else v for i, v in enumerate(row)])
                    n += 1
        return n
    objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    model._default_manager.bulk_create(objs, batch_size=2000)
    return len(objs)
