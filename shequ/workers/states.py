"""Workers as they were on a date, for a whole scope at once (public through
shequ.workers.selectors.worker_states_on).

The roster row is today's state; every change since was recorded as a WorkerEvent with
the values before it and the date it takes effect. The state on `on` is today's row with
every event effective after `on` undone: for each field, the `before` value of the
earliest such event that touched it. Events recorded late with an earlier effective date
(a retroactive correction) are therefore part of the state from their effective date on,
which is what makes arrears possible."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from django.db.models import QuerySet

from shequ.common.bulk import frame_from_queryset
from shequ.org.models import Unit
from shequ.org.selectors import unit_paths_frame
from shequ.workers.events import event_data_from_json
from shequ.workers.models import EventKind, Worker, WorkerEvent

STATE_SCHEMA: dict[str, Any] = {
    "worker_id": pl.Int64, "name": pl.Utf8, "id_number": pl.Utf8, "unit_id": pl.Int64, "post": pl.Utf8,
    "grade": pl.Int64, "education": pl.Utf8, "education_full_time": pl.Utf8, "certificate": pl.Utf8, "category": pl.Utf8, "sex": pl.Utf8,
    "birth_date": pl.Date, "community_work_start": pl.Date, "status": pl.Utf8, "hired_on": pl.Date,
    "probation_until": pl.Date, "left_on": pl.Date,
}
# Fields an event's `before` may restore (the workers services record these names).
RESTORABLE = [c for c in STATE_SCHEMA if c not in ("worker_id", "id_number")]
_WORKER_FIELDS = ["id", *list(STATE_SCHEMA)[1:]]
_EVENT_SCHEMA: dict[str, Any] = {"worker_id": pl.Int64, "event_id": pl.Int64, "effective": pl.Date,
                                 "kind": pl.Utf8, "data": pl.Utf8}
_EVENT_FIELDS = ["worker_id", "id", "effective", "kind", "data"]


def _workers(qs: QuerySet[Worker]) -> pl.DataFrame:
    return frame_from_queryset(qs.order_by().values_list(*_WORKER_FIELDS), STATE_SCHEMA)


def _events(qs: QuerySet[WorkerEvent]) -> pl.DataFrame:
    return frame_from_queryset(qs.order_by().values_list(*_EVENT_FIELDS), _EVENT_SCHEMA)


def _restorations(events: pl.DataFrame) -> pl.DataFrame:
    """(worker_id, effective, event_id, field, value) for each field an event's `before` holds.

    Only the few events dated after `on` pass through here, so decoding their JSON one by
    one is cheap; the population itself is never looped over."""
    rows: list[tuple[int, date, int, str, str | None]] = []
    for worker_id, event_id, effective, kind, data in events.select(
        "worker_id", "event_id", "effective", "kind", "data"
    ).iter_rows():
        doc = event_data_from_json(data)
        if kind == EventKind.TRANSFER and doc.get("from_unit_id") is not None:
            rows.append((worker_id, effective, event_id, "unit_id", str(doc["from_unit_id"])))
        before = doc.get("before")
        if not isinstance(before, dict):
            continue
        for key, value in before.items():
            if key in RESTORABLE and key != "unit_id":
                rows.append((worker_id, effective, event_id, key, None if value is None else str(value)))
    return pl.DataFrame(
        rows, orient="row",
        schema={"worker_id": pl.Int64, "effective": pl.Date, "event_id": pl.Int64, "field": pl.Utf8, "value": pl.Utf8},
    )


def _cast(expr: pl.Expr, dtype: Any) -> pl.Expr:
    if dtype == pl.Date:
        return expr.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    return expr.cast(dtype, strict=False)


def states_on(*, scope: Unit, on: date) -> pl.DataFrame:
    """See shequ.workers.selectors.worker_states_on."""
    units = unit_paths_frame(scope=scope)
    in_scope = Worker.objects.filter(unit_id__in=Unit.objects.filter(path__startswith=scope.path).values("id"))
    current = _workers(in_scope)
    # Workers transferred out of the scope after `on` were still in it on `on`.
    moved = _events(WorkerEvent.objects.filter(kind=EventKind.TRANSFER, effective__gt=on))
    unit_ids = set(units.get_column("unit_id").to_list())
    moved_out = {
        wid for wid, data in moved.select("worker_id", "data").iter_rows()
        if event_data_from_json(data).get("from_unit_id") in unit_ids
    } - set(current.get_column("worker_id").to_list())
    population = current
    events = _events(WorkerEvent.objects.filter(effective__gt=on, worker_id__in=in_scope.values("id")))
    if moved_out:
        ids = sorted(moved_out)
        population = pl.concat([current, _workers(Worker.objects.filter(pk__in=ids))])
        events = pl.concat([events, _events(WorkerEvent.objects.filter(effective__gt=on, worker_id__in=ids))]).unique(
            "event_id"
        )
    population = apply_restorations(population, _restorations(events))
    return population.join(units, on="unit_id", how="inner")


def apply_restorations(population: pl.DataFrame, restorations: pl.DataFrame) -> pl.DataFrame:
    """Undo later events: each field takes the `before` of the earliest event after the date."""
    if restorations.height == 0:
        return population
    earliest = restorations.sort(["effective", "event_id"]).group_by(["worker_id", "field"], maintain_order=True).first()
    out = population
    for field in earliest.get_column("field").unique().to_list():
        dtype = STATE_SCHEMA[field]
        values = earliest.filter(pl.col("field") == field).select(
            "worker_id", pl.lit(True).alias("__restore"), _cast(pl.col("value"), dtype).alias("__value")
        )
        out = (
            out.join(values, on="worker_id", how="left")
            .with_columns(
                pl.when(pl.col("__restore").fill_null(False)).then(pl.col("__value")).otherwise(pl.col(field)).alias(field)
            )
            .drop("__restore", "__value")
        )
    return out
