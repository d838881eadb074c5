"""Tables that only grow, partitioned by month on PostgreSQL (issue 19.3, ADR 0008).

`partition_by_month` turns an existing table into a declaratively partitioned one in place:
same name, columns, defaults, checks, foreign keys, indexes and identity; the primary key
becomes (id, column), since a partitioned table's unique keys must hold the partition key
(the identity sequence still makes id unique, which is all Django relies on). One partition
per month from the oldest row (or `back` months before today) to `ahead` months past today, and a DEFAULT partition for
anything outside. SQLite has no partitions: these functions do nothing there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

PARTITION_NAME = "{table}_m{year:04d}{month:02d}"


def _months(first: date, last: date) -> list[date]:
    out, d = [], date(first.year, first.month, 1)
    while d <= last:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def _next(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def is_partitioned(cur: Any, table: str) -> bool:
    cur.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
    row = cur.fetchone()
    return bool(row and row[0] == "p")


def ensure_months(cur: Any, table: str, *, through: date, since: date | None = None) -> int:
    """Create the monthly partitions of `table` missing up to `through` (from `since`, else
    from the newest one that exists); rows already in DEFAULT for such a month are moved."""
    cur.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s)", [table],
    )
    existing = {name for (name,) in cur.fetchall()}
    if since is None:
        months = sorted(n for n in existing if n.startswith(f"{table}_m"))
        last = months[-1][-6:] if months else None
        since = _next(date(int(last[:4]), int(last[4:]), 1)) if last else date.today().replace(day=1)
    created = 0
    default = f"{table}_default"
    column = _partition_column(cur, table)
    for month in _months(since, through):
        name = PARTITION_NAME.format(table=table, year=month.year, month=month.month)
        if name in existing:
            continue
        bounds = (month.isoformat(), _next(month).isoformat())
        cur.execute(f"SELECT 1 FROM {default} WHERE {column} >= %s AND {column} < %s LIMIT 1", list(bounds))
        stray = cur.fetchone() is not None
        if stray:  # a DEFAULT partition may not hold rows of a partition being created
            cur.execute(f"CREATE TEMP TABLE _stray AS SELECT * FROM {default} "
                        f"WHERE {column} >= %s AND {column} < %s", list(bounds))
            cur.execute(f"DELETE FROM {default} WHERE {column} >= %s AND {column} < %s", list(bounds))
        cur.execute(f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES FROM (%s) TO (%s)", list(bounds))
        if stray:
            cur.execute(f"INSERT INTO {table} SELECT * FROM _stray")
            cur.execute("DROP TABLE _stray")
        created += 1
    return created


def _partition_column(cur: Any, table: str) -> str:
    cur.execute(
        "SELECT a.attname FROM pg_partitioned_table p JOIN pg_attribute a "
        "ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] WHERE p.partrelid = to_regclass(%s)", [table],
    )
    return str(cur.fetchone()[0])


def partition_by_month(schema_editor: Any, table: str, column: str, *, ahead: int = 24, back: int = 36) -> None:
    """Rebuild `table` partitioned by month of `column`, keeping its rows and constraints.
    Triggers are not carried over: the caller recreates its own."""
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    old = f"{table}_unpartitioned"
    with conn.cursor() as cur:
        if is_partitioned(cur, table):
            return
        cur.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f') ORDER BY contype DESC", [table],
        )
        constraints = cur.fetchall()
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s))", [table, table],
        )
        indexes = cur.fetchall()
        cur.execute(f"SELECT MIN({column}) FROM {table}")
        oldest = cur.fetchone()[0]
        cur.execute(f"ALTER TABLE {table} RENAME TO {old}")
        cur.execute(
            f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY "
            f"INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({column})"
        )
        today = date.today().replace(day=1)
        # History loaded later (older pay months, imported audit) still finds its month.
        first = min(date(oldest.year, oldest.month, 1) if oldest else today, _add_months(today, -back))
        cur.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
        ensure_months(cur, table, since=first, through=_add_months(today, ahead))
        cur.execute(f"INSERT INTO {table} SELECT * FROM {old}")
        cur.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)",
                    [table])
        cur.execute(f"DROP TABLE {old}")
        for name, kind, definition in constraints:
            if kind == "p":
                definition = f"PRIMARY KEY (id, {column})"
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        # Read before the rename, so they name the table as it is called again now.
        for _name, definition in indexes:
            cur.execute(definition)


def unpartition(schema_editor: Any, table: str, column: str) -> None:
    """The reverse: one plain table again, primary key on id alone."""
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    old = f"{table}_partitioned"
    with conn.cursor() as cur:
        if not is_partitioned(cur, table):
            return
        cur.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f') ORDER BY contype DESC", [table],
        )
        constraints = cur.fetchall()
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s))", [table, table],
        )
        indexes = cur.fetchall()
        cur.execute(f"ALTER TABLE {table} RENAME TO {old}")
        cur.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)")
        cur.execute(f"INSERT INTO {table} SELECT * FROM {old}")
        cur.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)",
                    [table])
        cur.execute(f"DROP TABLE {old} CASCADE")
        for name, kind, definition in constraints:
            if kind == "p":
                definition = "PRIMARY KEY (id)"
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cur.execute(definition.replace(" ON ONLY ", " ON "))
