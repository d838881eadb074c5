"""Bulk writes of whole Polars frames: COPY on PostgreSQL, batched INSERTs on SQLite.

For loads of hundreds of thousands to millions of rows (synthetic populations, benchmark
floors) where the ORM's per-object work would dominate. Callers hand over frames whose
columns are already the table's column names and whose values are already final (ids,
paths, timestamps); this module only moves bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import polars as pl
from django.db import connection

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
