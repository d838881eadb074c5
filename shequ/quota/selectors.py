"""Reads of quota decisions and the ledger (Q-USE), always within the caller's scope."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery

from shequ.common.scope import scoped
from shequ.org.models import COMMUNITY_TYPES, STAFFED_TYPES, Unit
from shequ.org.paths import child_prefix_length
from shequ.org.selectors import unit_facts_frame
from shequ.policy.resolve import governing_for_paths
from shequ.quota.compute import reserve_minimum, review_period_years
from shequ.quota.models import DecisionStatus, QuotaDecision
from shequ.workers.models import Category, Status, Worker

if TYPE_CHECKING:
    from shequ.accounts.models import User


def approved_quota_subquery(on: date, unit_ref: str = "pk") -> Subquery:
    """The approved quota in force on `on` for the unit in the outer query, or NULL."""
    return Subquery(
        QuotaDecision.objects.filter(unit_id=OuterRef(unit_ref), status=DecisionStatus.APPROVED, since__lte=on)
        .order_by("-since", "-id")
        .values("quota")[:1],
        output_field=IntegerField(),
    )


def approved_since_subquery(on: date) -> Subquery:
    return Subquery(
        QuotaDecision.objects.filter(unit_id=OuterRef("pk"), status=DecisionStatus.APPROVED, since__lte=on)
        .order_by("-since", "-id")
        .values("since")[:1]
    )


def quota_in_force(*, unit: Unit, on: date) -> QuotaDecision | None:
    return (
        QuotaDecision.objects.filter(unit=unit, status=DecisionStatus.APPROVED, since__lte=on)
        .order_by("-since", "-id")
        .first()
    )


def in_post_q(on: date) -> Q:
    """Workers in post on `on`: hired by then and not yet left (probation included).
    Membership is the worker's current unit (transfers move the whole record)."""
    return (Q(hired_on__isnull=True) | Q(hired_on__lte=on)) & ~Q(status=Status.LEFT, left_on__lte=on)


def filled_q(on: date) -> Q:
    """Workers holding a quota place on `on`: in post and not dispatch workers (劳务派遣
    hold no place; E-DISP)."""
    return in_post_q(on) & ~Q(category=Category.DISPATCH)


def decision_list(*, user: User, status: str = "", unit: Unit | None = None) -> QuerySet[QuotaDecision]:
    qs = scoped(QuotaDecision.objects.select_related("unit", "proposed_by", "decided_by"), user)
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("unit__path", "-since", "-id")


def decisions_in_scope(*, user: User, ids: list[int]) -> QuerySet[QuotaDecision]:
    return scoped(QuotaDecision.objects.filter(pk__in=ids).select_related("unit"), user)


def decision_history(*, unit: Unit) -> QuerySet[QuotaDecision]:
    """Every decision of one unit, newest first (callers have checked scope)."""
    return QuotaDecision.objects.filter(unit=unit).select_related("proposed_by", "decided_by").order_by("-since", "-id")


# ---- ledger ---------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    unit: Unit
    quota: int = 0
    filled: int = 0
    vacant: int = 0
    over: int = 0
    dispatch: int = 0
    units: int = 0
    unset: int = 0
    urban_population: int = 0
    reserve: int | None = None
    reserve_min: int | None = None
    reserve_short: int = 0
    drill: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def per_10k(self) -> float | None:
        """Workers per 10,000 urban residents (Q-TR reports this ratio)."""
        if not self.urban_population:
            return None
        return round(self.filled * 10000 / self.urban_population, 1)


@dataclass
class Ledger:
    root: Unit
    on: date
    rows: list[LedgerRow]
    total: LedgerRow
    has_reserve: bool


def _reserve_counts() -> Any:
    """Q-RESV: the reserve pool belongs to the growth area (careers); the ledger shows its
    counts only when that area is installed."""
    try:
        from shequ.growth.careers.selectors import reserve_counts
    except ImportError:
        return None
    return reserve_counts


def ledger_frame(*, user: User, root: Unit, on: date) -> pl.DataFrame:
    """One row per staffed unit in `root`'s subtree (within the user's scope): quota in
    force, filled, vacant, over. Two grouped queries: units with their approved quota, and
    workers counted by unit."""
    units = scoped(Unit.objects.filter(path__startswith=root.path, unit_type__in=STAFFED_TYPES), user, unit_field="")
    unit_rows = list(
        units.annotate(quota=approved_quota_subquery(on)).values_list("id", "path", "unit_type", "quota")
    )
    counts = {
        unit_id: (filled, dispatch)
        for unit_id, filled, dispatch in Worker.objects.filter(
            in_post_q(on), unit__path__startswith=root.path, unit__unit_type__in=STAFFED_TYPES
        )
        .values("unit_id")
        .annotate(
            filled=Count("id", filter=~Q(category=Category.DISPATCH)),
            dispatch=Count("id", filter=Q(category=Category.DISPATCH)),
        )
        .values_list("unit_id", "filled", "dispatch")
    }
    frame = pl.DataFrame(
        unit_rows, schema={"unit_id": pl.Int64, "path": pl.Utf8, "unit_type": pl.Utf8, "quota": pl.Int64}, orient="row"
    )
    ids = frame["unit_id"].to_list()
    frame = frame.with_columns(
        pl.Series("filled", [counts.get(u, (0, 0))[0] for u in ids], dtype=pl.Int64),
        pl.Series("dispatch", [counts.get(u, (0, 0))[1] for u in ids], dtype=pl.Int64),
    )
    # A unit without an approved quota has no vacancies and nobody over quota: unknown,
    # counted apart as 未核定.
    return frame.with_columns(
        (pl.col("quota") - pl.col("filled")).clip(lower_bound=0).fill_null(0).alias("vacant"),
        (pl.col("filled") - pl.col("quota")).clip(lower_bound=0).fill_null(0).alias("over"),
        pl.col("quota").is_null().alias("unset"),
    )


@dataclass(frozen=True)
class Vacancy:
    unit_id: int
    quota: int | None  # None: no approved quota in force
    filled: int

    @property
    def vacant(self) -> int:
        return max(0, (self.quota or 0) - self.filled)


def unit_vacancies(*, units: Iterable[Unit], on: date) -> dict[int, Vacancy]:
    """Approved quota and filled places of the given units on `on`, in two queries (callers
    have checked scope). The bound of every hire and conversion (Q-USE, E-EXAM, E-DISP)."""
    ids = [u.pk for u in units]
    quotas = dict(Unit.objects.filter(pk__in=ids).annotate(q=approved_quota_subquery(on)).values_list("id", "q"))
    filled = dict(
        Worker.objects.filter(filled_q(on), unit_id__in=ids).values("unit_id").annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return {uid: Vacancy(unit_id=uid, quota=quotas.get(uid), filled=filled.get(uid, 0)) for uid in ids}


def vacancies(*, user: User, root: Unit, on: date) -> dict[int, int | None]:
    """Vacant places per staffed unit under `root` on `on` (None: no approved quota yet).
    For recruitment plans bounded by vacancies (E-EXAM)."""
    frame = ledger_frame(user=user, root=root, on=on)
    return {
        r["unit_id"]: (None if r["unset"] else r["vacant"])
        for r in frame.select("unit_id", "unset", "vacant").iter_rows(named=True)
    }


def ledger(*, user: User, root: Unit, on: date, with_population: bool = True) -> Ledger:
    """The ledger one level below `root`: each child rolled up over its subtree (a staffed
    child is its own row). Vacant and over add up per unit, never net across units."""
    frame = ledger_frame(user=user, root=root, on=on)
    depth_prefix = child_prefix_length(root.path)
    children = list(scoped(Unit.objects.filter(parent=root), user, unit_field="").order_by("unit_type", "name"))
    if root.unit_type in STAFFED_TYPES:
        children = [root]
        frame = frame.with_columns(pl.col("path").alias("group"))
    else:
        frame = frame.with_columns(pl.col("path").str.slice(0, depth_prefix).alias("group"))
    if with_population and not frame.is_empty():
        facts = unit_facts_frame(units=Unit.objects.filter(pk__in=frame["unit_id"].to_list()), on=on)
        frame = frame.join(facts.select("unit_id", "urban_population"), on="unit_id", how="left")
    else:
        frame = frame.with_columns(pl.lit(0, pl.Int64).alias("urban_population"))

    reserve_counts = _reserve_counts()
    has_reserve = reserve_counts is not None
    if has_reserve and not frame.is_empty():
        frame = _with_reserve(frame, reserve_counts, on)
    else:
        frame = frame.with_columns(pl.lit(None, pl.Int64).alias("reserve"), pl.lit(None, pl.Int64).alias("reserve_min"))

    sums = (
        frame.group_by("group")
        .agg(_rollup())
    )
    by_group = {r["group"]: r for r in sums.to_dicts()}
    rows = []
    for child in children:
        r = by_group.get(child.path)
        rows.append(_row(child, r, has_reserve=has_reserve))
    totals = frame.select(_rollup()).to_dicts()[0]
    total = _row(root, totals, has_reserve=has_reserve)
    total.drill = False
    return Ledger(root=root, on=on, rows=rows, total=total, has_reserve=has_reserve)


def _sum_if_any(name: str) -> pl.Expr:
    # Null when no unit in the group has the value (e.g. no community, or no minimum in
    # the policy), so "none" is not shown as 0.
    return pl.when(pl.col(name).is_not_null().any()).then(pl.col(name).sum()).otherwise(None).alias(name)


def _rollup() -> list[pl.Expr]:
    """Sums over a group of units; vacant and over were computed per unit first."""
    return [
        pl.col("quota").fill_null(0).sum(), pl.col("filled").sum(), pl.col("vacant").sum(), pl.col("over").sum(),
        pl.col("dispatch").sum(), pl.len().alias("units"), pl.col("unset").sum(),
        pl.col("urban_population").fill_null(0).sum(),
        _sum_if_any("reserve"), _sum_if_any("reserve_min"),
        (pl.col("reserve_min") - pl.col("reserve").fill_null(0)).clip(lower_bound=0).sum().alias("reserve_short"),
    ]


def _row(unit: Unit, r: dict[str, Any] | None, *, has_reserve: bool) -> LedgerRow:
    if r is None:
        return LedgerRow(unit=unit, drill=unit.unit_type not in STAFFED_TYPES)
    return LedgerRow(
        unit=unit, quota=int(r["quota"] or 0), filled=int(r["filled"] or 0), vacant=int(r["vacant"] or 0),
        over=int(r["over"] or 0), dispatch=int(r["dispatch"] or 0), units=int(r["units"] or 0), unset=int(r["unset"] or 0),
        urban_population=int(r["urban_population"] or 0),
        reserve=int(r["reserve"]) if has_reserve and r["reserve"] is not None else None,
        reserve_min=int(r["reserve_min"]) if has_reserve and r["reserve_min"] is not None else None,
        reserve_short=int(r["reserve_short"] or 0) if has_reserve else 0,
        drill=unit.unit_type not in STAFFED_TYPES,
    )


def _with_reserve(frame: pl.DataFrame, reserve_counts: Any, on: date) -> pl.DataFrame:
    """Secretary reserve candidates per community (one aggregate query in the careers area)
    and the governing policy's minimum (Q-RESV); other units get nulls."""
    ids = frame["unit_id"].to_list()
    counts = reserve_counts(units=Unit.objects.filter(pk__in=ids), on=on)
    gov = governing_for_paths(paths=dict(zip(ids, frame["path"].to_list(), strict=True)), on=on)
    minimum = {g.label: reserve_minimum(governing=g, on=on) for g in gov.values()}
    is_community = frame["unit_type"].is_in(list(COMMUNITY_TYPES)).to_list()
    return frame.with_columns(
        pl.Series("reserve", [counts.get(u, 0) if c else None for u, c in zip(ids, is_community, strict=True)],
                  dtype=pl.Int64),
        pl.Series("reserve_min", [minimum[gov[u].label] if c else None for u, c in zip(ids, is_community, strict=True)],
                  dtype=pl.Int64),
    )


# ---- review (Q-REV) ---------------------------------------------------------------------------


@dataclass
class ReviewItem:
    unit: Unit
    quota: int | None
    since: date | None
    every_years: int | None
    due_on: date | None
    policy_version: str


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def review_list(*, user: User, on: date, root: Unit | None = None) -> dict[str, list[ReviewItem]]:
    """Staffed units whose quota review is due by `on`: the last approval plus the
    governing policy's review period (`[quota_review] every_years`). Also: units with no
    approved quota yet, and units whose policy sets no review period."""
    units = scoped(Unit.objects.filter(unit_type__in=STAFFED_TYPES), user, unit_field="")
    if root is not None:
        units = units.filter(path__startswith=root.path)
    rows = list(
        units.annotate(quota=approved_quota_subquery(on), approved_since=approved_since_subquery(on)).order_by("path")
    )
    gov = governing_for_paths(paths={u.pk: u.path for u in rows}, on=on)
    periods = {g.label: review_period_years(governing=g, on=on) for g in {g.label: g for g in gov.values()}.values()}
    out: dict[str, list[ReviewItem]] = {"due": [], "unset": [], "no_period": []}
    for u in rows:
        label = gov[u.pk].label
        every = periods[label]
        due_on = _add_years(u.approved_since, every) if (u.approved_since and every) else None
        item = ReviewItem(unit=u, quota=u.quota, since=u.approved_since, every_years=every, due_on=due_on,
                          policy_version=label)
        if u.quota is None:
            out["unset"].append(item)
        elif every is None:
            out["no_period"].append(item)
        elif due_on is not None and due_on <= on:
            out["due"].append(item)
    return out
