"""Bulk SQL ⇄ Polars: COPY on PostgreSQL, plain cursors on SQLite. No per-row ORM."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import polars as pl
from django.db import connection

# Columns read as text from SQL and typed here, so both databases give the same frame.
_DATE = pl.Date
_CSV_NATIVE = (pl.Int64, pl.Float64, pl.Date, pl.Utf8)


def _typed(df: pl.DataFrame, schema: dict[str, Any]) -> pl.DataFrame:
    exprs = []
    for name, dtype in schema.items():
        if df.schema[name] == dtype:
            continue
        col = pl.col(name)
        if dtype == _DATE:
            exprs.append(col.cast(pl.Utf8).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=True).alias(name))
        elif dtype == pl.Boolean:
            exprs.append(col.cast(pl.Utf8).is_in(["t", "true", "1", "True"]).alias(name))
        else:
            exprs.append(col.cast(dtype).alias(name))
    return df.with_columns(exprs) if exprs else df


def frame_from_sql(sql: str, params: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Run a SELECT whose columns are, in order, the keys of `schema`; return a typed frame."""
    names = list(schema)
    if connection.vendor == "postgresql":
        buf = io.BytesIO()
        with connection.cursor() as cur:
            # psycopg 3 binds COPY parameters client-side.
            with cur.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, NULL '\\N')", params) as copy:
                for block in copy:
                    buf.write(block)
        raw = pl.read_csv(
            buf.getvalue(), has_header=False, new_columns=names, null_values="\\N",
            # Typed straight from the CSV (COPY writes ISO dates and plain numbers).
            schema_overrides={n: (t if t in _CSV_NATIVE else pl.Utf8) for n, t in schema.items()}, quote_char='"',
        ) if buf.tell() else pl.DataFrame({n: [] for n in names}, schema={n: pl.Utf8 for n in names})
    else:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
        raw = pl.DataFrame(
            [[None if v is None else str(v) for v in r] for r in rows] if rows else None,
            schema={n: pl.Utf8 for n in names}, orient="row",
        )
    return _typed(raw, schema)


def csv_bytes(columns: Sequence[str], frame: pl.DataFrame) -> bytes:
    """The bytes COPY reads (CSV, \\N for null), in `columns` order."""
    buf = io.BytesIO()
    frame.select(columns).write_csv(buf, include_header=False, null_value="\\N", quote_style="necessary")
    return buf.getvalue()


def copy_statement(table: str, columns: Sequence[str]) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    return f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"


def copy_into(table: str, columns: Sequence[str], frame: pl.DataFrame) -> int:
    """Insert a frame whose columns are `columns` (in order) into `table` with COPY."""
    if frame.height == 0:
        return 0
    data = csv_bytes(columns, frame)
    with connection.cursor() as cur:
        with cur.cursor.copy(copy_statement(table, columns)) as copy:
            copy.write(data)
    return frame.height
