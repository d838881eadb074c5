"""Bulk writes of whole Polars frames: COPY on PostgreSQL, batched INSERTs on SQLite.

For loads of hundreds of thousands to millions of rows (synthetic populations, benchmark
floors) where the ORM's per-object work would dominate. Callers hand over frames whose
columns are already the table's column names and whose values are already final (ids,
paths, timestamps); this module only moves bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from typing import cast

import polars as pl
from django.db import connection, models

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
