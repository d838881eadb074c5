"""A whole roster frame into the database in bulk (COPY on PostgreSQL).

For synthetic and benchmark populations of up to millions of workers: the frame of
`shequ.synth.synth_roster` (name, id_number, sex, birth_date, unit_id as a unit code,
category, post, education, community_work_start, certificate, grade) joined to the unit
codes → pks the org loader returned. Interactive imports go through the staged roster
import and `workers_bulk_create` instead, which check every row and write events.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from shequ.common.bulk import Progress, frame_insert, is_postgres, reserve_ids
from shequ.org.bulk import BulkLoadError
from shequ.workers.models import Status, Worker

UNKNOWN_UNITS = "花名册中有 {n} 人的单位编码不在单位表中（如“{example}”）"


def workers_bulk_load(
    *, roster: pl.DataFrame, unit_pks: pl.DataFrame, now: datetime, progress: Progress | None = None
) -> int:
    """Insert every worker of `roster` as active. Returns the count.

    Runs inside the caller's transaction; the unique ID number constraint still holds (a
    clash raises IntegrityError and the transaction rolls back)."""
    frame = roster.join(unit_pks.rename({"pk": "unit_pk"}), on="unit_id", how="left")
    missing = frame.filter(pl.col("unit_pk").is_null())
    if missing.height:
        raise BulkLoadError(UNKNOWN_UNITS.format(n=missing.height, example=missing["unit_id"][0]))
    stamp = now.isoformat(sep=" ") if is_postgres() else now.replace(tzinfo=None).isoformat(sep=" ")
    table = Worker._meta.db_table
    first = reserve_ids(table, frame.height)
    rows = frame.select(
        (pl.int_range(0, pl.len(), dtype=pl.Int64) + first).alias("id"),
        "name",
        "id_number",
        "sex",
        "birth_date",
        pl.col("unit_pk").alias("unit_id"),
        "category",
        "post",
        "education",
        # W-EDU: a synthetic worker has no education records; the roster's education stands.
        pl.lit("").alias("education_full_time"),
        "community_work_start",
        pl.col("certificate").fill_null("无"),
        pl.col("grade").cast(pl.Int64, strict=False).alias("grade"),
        pl.lit(Status.ACTIVE.value).alias("status"),
        # A synthetic worker was hired when community work started.
        pl.col("community_work_start").alias("hired_on"),
        pl.lit(None, dtype=pl.Date).alias("probation_until"),
        pl.lit(None, dtype=pl.Date).alias("left_on"),
        pl.lit("").alias("exit_reason"),
        pl.lit("").alias("phone"),
        pl.lit("{}").alias("extra"),
        pl.lit(stamp).alias("created_at"),
        pl.lit(stamp).alias("updated_at"),
    )
    return frame_insert(table, rows, progress=progress)
