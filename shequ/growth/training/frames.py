"""Population frames for the growth checks: the workers in scope as of a date, in one
query, with the label of the policy that governs each one's unit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db.models import Q, QuerySet

from shequ.common.bulk import frame_from_queryset
from shequ.common.scope import scoped
from shequ.org.models import Unit
from shequ.policy.selectors import policies_for_paths
from shequ.rules import Policy
from shequ.workers.models import Worker

if TYPE_CHECKING:
    from shequ.accounts.models import User

WORKER_SCHEMA = {
    "worker_id": pl.Int64, "name": pl.Utf8, "id_number": pl.Utf8, "unit_id": pl.Int64, "unit_name": pl.Utf8,
    "unit_path": pl.Utf8, "post": pl.Utf8, "sex": pl.Utf8, "birth_date": pl.Date, "hired_on": pl.Date,
    "community_work_start": pl.Date, "certificate": pl.Utf8, "education": pl.Utf8, "grade": pl.Int64,
}


def workers_qs(*, user: User, root: Unit | None, on: date) -> QuerySet[Worker]:
    """Workers in the caller's scope (under `root`) who were on the roster on `on`."""
    qs = (
        scoped(Worker.objects.all(), user)
        .filter(Q(hired_on__isnull=True) | Q(hired_on__lte=on))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
    )
    if root is not None:
        qs = qs.filter(unit__path__startswith=root.path)
    return qs


def worker_ids(*, user: User, root: Unit | None, on: date) -> QuerySet[Worker, Mapping[str, object]]:
    """The same population as a subquery: `worker_id__in=worker_ids(...)` sends one SQL
    statement instead of a parameter per worker."""
    return workers_qs(user=user, root=root, on=on).order_by().values("pk")


def workers_frame(*, user: User, root: Unit | None, on: date) -> pl.DataFrame:
    rows = workers_qs(user=user, root=root, on=on).order_by("unit__path", "name").values_list(
        "pk", "name", "id_number", "unit_id", "unit__name", "unit__path", "post", "sex", "birth_date", "hired_on",
        "community_work_start", "certificate", "education", "grade",
    )
    return frame_from_queryset(rows, WORKER_SCHEMA)


def with_policy(frame: pl.DataFrame, *, on: date) -> tuple[pl.DataFrame, dict[str, Policy]]:
    """Add `policy` (the version label) per row; return the policies by label."""
    units = frame.select("unit_id", "unit_path").unique().rows()
    by_unit = policies_for_paths(dict(units), on)
    policies = {label: policy for policy, label in by_unit.values()}
    mapping = pl.DataFrame(
        [(u, label) for u, (_, label) in by_unit.items()], schema={"unit_id": pl.Int64, "policy": pl.Utf8}, orient="row"
    )
    return frame.join(mapping, on="unit_id", how="left"), policies


def age_on(on: date) -> pl.Expr:
    b = pl.col("birth_date")
    before_birthday = (b.dt.month() > on.month) | ((b.dt.month() == on.month) & (b.dt.day() > on.day))
    return (pl.lit(on.year) - b.dt.year() - before_birthday.cast(pl.Int32)).cast(pl.Int64)


def add_months(d: date, months: int) -> date:
    """The same day `months` later (earlier when negative), clipped to the month's end."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - date.resolution).day
    return date(year, month, min(d.day, last))


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()
