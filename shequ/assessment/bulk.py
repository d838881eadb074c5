"""Bulk reads into Polars and bulk writes for whole campaigns: SQL straight to frames, and
COPY on PostgreSQL (bulk_create elsewhere), so a province-size campaign is not a Python loop
over model instances."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, cast

import polars as pl
from django.db.models import Field, Model, QuerySet

from shequ.common.bulk import frame_from_queryset
from shequ.common.provinces import connection


def frame(qs: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """A `values_list` queryset (columns in `schema` order) as a typed frame (common.bulk)."""
    return frame_from_queryset(qs, schema)


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
