"""Bulk SQL ⇄ Polars, both ways: COPY on PostgreSQL, plain cursors and batched INSERTs on
SQLite. No per-row ORM.

Reads (`frame_from_sql`, `frame_from_queryset`) give the same typed frame on both
databases. Writes (`frame_insert`, `copy_into`, `objects_insert`) are for loads of hundreds of thousands to millions of rows (synthetic populations, benchmark
floors) where the ORM's per-object work would dominate. Callers hand over frames whose
columns are already the table's column names and whose values are already final (ids,
paths, timestamps); this module only moves bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from typing import Any, cast

import polars as pl
from django.db import models
from django.db.models import QuerySet

from shequ.common.provinces import connection

Progress = Callable[[int], None]

# Rows per COPY chunk: big enough to amortise the round trip, small enough for a smooth
# progress bar and a bounded CSV buffer (~30 MB at roster width).
COPY_CHUNK = 200_000
INSERT_CHUNK = 2_000


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(table: str, n: int) -> int:
    """First id of a block of `n` fresh primary keys of `table` (serial or identity).

    On PostgreSQL the sequence is advanced past the block in one statement, so concurrent
    inserts never collide with it. On SQLite the next id after the largest is used (the
    caller holds the only write transaction)."""
    with connection.cursor() as cur:
        if is_postgres():
            cur.execute(
                "SELECT pg_get_serial_sequence(%s, 'id')", [table]
            )
            seq = cur.fetchone()[0]
            cur.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE")
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            top = int(cur.fetchone()[0])
            cur.execute("SELECT last_value, is_called FROM " + seq)
            last, called = cur.fetchone()
            first = max(top, int(last) if called else int(last) - 1) + 1
            if n:
                cur.execute("SELECT setval(%s, %s, true)", [seq, first + n - 1])
            return first
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        return int(cur.fetchone()[0]) + 1


def frame_insert(table: str, frame: pl.DataFrame, *, progress: Progress | None = None) -> int:
    """Insert every row of `frame` into `table` (columns by name). Returns the row count."""
    if frame.height == 0:
        return 0
    cols = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    if is_postgres():
        sql = f"COPY {connection.ops.quote_name(table)} ({cols}) FROM STDIN (FORMAT csv)"
        with connection.cursor() as cur:
            raw = cur.cursor  # the psycopg cursor under Django's wrapper
            for start in range(0, frame.height, COPY_CHUNK):
                part = frame.slice(start, COPY_CHUNK)
                buf = io.BytesIO()
                # Strings quoted, nulls bare: PostgreSQL's CSV reads a bare empty field as
                # NULL and a quoted one as ''.
                part.write_csv(buf, include_header=False, quote_style="non_numeric")
                # Map psycopg's errors to Django's (IntegrityError etc.) as the ORM would.
                with connection.wrap_database_errors, raw.copy(sql) as copy:
                    copy.write(buf.getbuffer())
                if progress:
                    progress(part.height)
        return frame.height
    marks = ", ".join(["%s"] * len(frame.columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({cols}) VALUES ({marks})"
    with connection.cursor() as cur:
        for start in range(0, frame.height, INSERT_CHUNK):
            part = frame.slice(start, INSERT_CHUNK)
            cur.executemany(sql, part.rows())
            if progress:
                progress(part.height)
    return frame.height


def objects_insert(objs: Sequence[models.Model], *, batch_size: int = 2000) -> None:
    """Insert unsaved model instances and set their primary keys: `bulk_create` everywhere,
    but COPY on PostgreSQL, where multi-row INSERTs of 100,000 rows spend most of their
    time binding parameters. Same contract as bulk_create without signals or conflicts:
    `auto_now`/`auto_now_add` fields are filled, every field is written."""
    if not objs:
        return
    model = type(objs[0])
    if not is_postgres():
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    pk_column = meta.pk.column
    with connection.cursor() as cur:
        # Fresh ids from the table's own sequence: safe beside concurrent inserts.
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk_column, len(objs)],
        )
        ids = [row[0] for row in cur.fetchall()]
        fields = list(meta.concrete_fields)
        cols = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)
        # psycopg adapts dates, aware datetimes, numbers and strings itself; only JSON needs
        # encoding here. Field.pre_save still runs (auto_now, auto_now_add).
        json_at = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
        encoders = {i: cast(models.JSONField, fields[i]).encoder for i in json_at}
        prepared = []
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            values = [f.pre_save(obj, True) for f in fields]
            for i in json_at:
                values[i] = json.dumps(values[i], cls=encoders[i], ensure_ascii=False)
            prepared.append(values)
            obj._state.adding = False
            obj._state.db = connection.alias
        with connection.wrap_database_errors, cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for values in prepared:
                copy.write_row(values)


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


def frame_from_queryset(qs: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """A `values_list` queryset whose columns are, in order, the keys of `schema`, read in
    bulk as `frame_from_sql` reads: the ORM writes the SQL (joins, table names, LIKE
    escaping), COPY moves the rows."""
    sql, params = qs.query.sql_with_params()
    return frame_from_sql(sql, params, schema)


def frame_from_sql(sql: str, params: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Run a SELECT whose columns are, in order, the keys of `schema`; return a typed frame.

    Name tables through `Model._meta.db_table` (or prefer `frame_from_queryset`): an app's
    tables are its own."""
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
