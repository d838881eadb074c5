"""Reads of the careers area, always within the caller's scope. Population-wide lists
(reserve shortfall, retirements due) are one aggregate query or one Polars pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

import polars as pl
from django.db.models import Count, Q, QuerySet

from shequ.common.bulk import frame_from_queryset
from shequ.common.scope import scope_path, scoped
from shequ.growth.careers.models import (
    TWO_REPS_ONE_MEMBER,
    AdmissionItem,
    AdmissionStatus,
    GridInfo,
    Honour,
    ReserveCandidate,
    ReserveKind,
)
from shequ.org.models import COMMUNITY_TYPES, Unit, UnitFact, UnitType
from shequ.policy.selectors import policies_for_paths
from shequ.rules import retirement
from shequ.rules.vocab import EDUCATION_RANK
from shequ.workers.models import EventKind, Status, Worker, WorkerEvent

if TYPE_CHECKING:
    from shequ.accounts.models import User

# S-AGE / S-EDU as Tongren reports its reserve pool (004): share aged 45 or under
# ("45岁以下" counts 45) and share with 大专 or above.
RESERVE_AGE_LIMIT = 45
RESERVE_EDUCATION_FLOOR = "大专"


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a common year
        return d.replace(year=d.year + years, day=28)


def _months_later(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


# ---- reserve pool (Q-RESV) ---------------------------------------------------------------

def _in_pool(on: date) -> Q:
    """In the pool on `on`: added by then, not removed, and not a roster worker who had
    left by then (an exit anywhere ends a candidacy without a second step)."""
    return (Q(added_on__lte=on) & (Q(removed_on__isnull=True) | Q(removed_on__gt=on))
            & (Q(worker__isnull=True) | Q(worker__left_on__isnull=True) | Q(worker__left_on__gt=on)))


def reserve_list(*, user: User, on: date, unit: Unit | None = None, kind: str = "") -> QuerySet[ReserveCandidate]:
    qs = scoped(ReserveCandidate.objects.select_related("community", "community__parent", "worker"), user,
                unit_field="community")
    qs = qs.filter(_in_pool(on))
    if unit is not None:
        qs = qs.filter(community__path__startswith=unit.path)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def reserve_counts(*, units: QuerySet[Unit], on: date | None = None, kind: str = ReserveKind.SECRETARY) -> dict[int, int]:
    """Q-RESV: unit id → secretary reserve candidates in that community on `on` (the quota
    ledger shows this next to each community). One aggregate query; units without
    candidates are absent. Without `on`: everyone in the pool now or added for later."""
    qs = ReserveCandidate.objects.filter(community__in=units, kind=kind).filter(_in_pool(on or date.max))
    return dict(qs.values("community_id").annotate(n=Count("id")).values_list("community_id", "n"))


@dataclass(frozen=True)
class ReserveRow:
    unit_id: int
    unit_name: str
    street_name: str
    count: int
    minimum: int | None
    policy: str
    target: int | None = None

    @property
    def shortfall(self) -> int:
        return max(0, (self.minimum or 0) - self.count)

    @property
    def to_target(self) -> int:
        """Q-RESV: candidates still missing to reach the policy's target (the upper bound)."""
        return max(0, (self.target or 0) - self.count)


def reserve_by_community(*, user: User, on: date, unit: Unit | None = None) -> list[ReserveRow]:
    """Every community in scope with its secretary reserve count and the policy minimum."""
    units = scoped(Unit.objects.filter(unit_type__in=COMMUNITY_TYPES), user, unit_field="")
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    rows = list(units.order_by("path").values_list("pk", "name", "path", "parent__name"))
    counts = reserve_counts(units=units, on=on)
    policies = policies_for_paths({pk: path for pk, _, path, _ in rows}, on)
    reserve = {pk: policies[pk][0].params(on).reserve for pk, *_ in rows}
    return [
        ReserveRow(unit_id=pk, unit_name=name, street_name=street or "", count=counts.get(pk, 0),
                   minimum=reserve[pk].min_per_community, target=reserve[pk].target_per_community,
                   policy=policies[pk][1])
        for pk, name, _, street in rows
    ]


def reserve_shortfall(*, user: User, on: date, unit: Unit | None = None) -> list[ReserveRow]:
    return [r for r in reserve_by_community(user=user, on=on, unit=unit) if r.shortfall > 0]


@dataclass(frozen=True)
class ReserveStats:
    total: int
    young: int
    educated: int

    @property
    def young_share(self) -> float | None:
        return self.young / self.total if self.total else None

    @property
    def educated_share(self) -> float | None:
        return self.educated / self.total if self.total else None

    @property
    def young_pct(self) -> str:
        return "—" if self.young_share is None else f"{self.young_share * 100:.2f}%"

    @property
    def educated_pct(self) -> str:
        return "—" if self.educated_share is None else f"{self.educated_share * 100:.2f}%"


def reserve_stats(*, user: User, on: date, unit: Unit | None = None, kind: str = ReserveKind.SECRETARY) -> ReserveStats:
    """S-AGE/S-EDU of the pool: share aged ≤ 45 and share with 大专 or above on `on`."""
    qs = reserve_list(user=user, on=on, unit=unit, kind=kind)
    born_after = _add_years(on, -(RESERVE_AGE_LIMIT + 1))  # aged ≤ 45 ⇔ born after this day
    educated = [e for e, r in EDUCATION_RANK.items() if r >= EDUCATION_RANK[RESERVE_EDUCATION_FLOOR]]
    agg = qs.aggregate(
        total=Count("id"), young=Count("id", filter=Q(birth_date__gt=born_after)),
        educated=Count("id", filter=Q(education__in=educated)),
    )
    return ReserveStats(total=agg["total"], young=agg["young"], educated=agg["educated"])


# ---- careers and honours (C-PATH, C-HONOR) -----------------------------------------------

CAREER_EVENT_KINDS = (EventKind.POST_CHANGE, EventKind.CONVERSION, EventKind.CAREER, EventKind.TRANSFER)


def career_events(*, user: User, kinds: tuple[str, ...] = CAREER_EVENT_KINDS, since: date | None = None) -> QuerySet[WorkerEvent]:
    """Promotions, conversions, selections and moves recorded in the caller's scope. A
    move shows for the receiving side (the event's unit) and for the sending side."""
    qs = WorkerEvent.objects.select_related("worker", "unit").filter(kind__in=kinds)
    path = scope_path(user)
    if path is None:
        return qs.none()
    if path:
        # The sending side of a move: the event sits with the receiving unit, the worker
        # has gone, and only the event's data remembers where from.
        sending = list(Unit.objects.filter(path__startswith=path).values_list("pk", flat=True))
        qs = qs.filter(Q(unit__path__startswith=path) | Q(worker__unit__path__startswith=path)
                       | Q(kind=EventKind.TRANSFER, data__from_unit_id__in=sending))
    if since is not None:
        qs = qs.filter(effective__gte=since)
    return qs.order_by("-effective", "-id")


def honour_list(*, user: User, kind: str = "", unit: Unit | None = None) -> QuerySet[Honour]:
    qs = scoped(Honour.objects.select_related("worker", "worker__unit"), user, unit_field="worker__unit")
    if kind == "两代表一委员":
        qs = qs.filter(kind__in=TWO_REPS_ONE_MEMBER)
    elif kind:
        qs = qs.filter(kind=kind)
    if unit is not None:
        qs = qs.filter(worker__unit__path__startswith=unit.path)
    return qs


def honour_summary(*, user: User, on: date) -> dict[str, int]:
    """C-HONOR as the seeds count it: workers who serve as 两代表一委员 (Dalian 205) and
    workers named model workers (Dalian 40), each person once."""
    qs = honour_list(user=user).filter(awarded_on__lte=on)
    reps = qs.filter(kind__in=TWO_REPS_ONE_MEMBER).values("worker_id").distinct().count()
    models_ = qs.filter(kind="劳动模范").values("worker_id").distinct().count()
    county_up = qs.filter(level__in=["国家级", "省级", "市级", "县级"]).values("worker_id").distinct().count()
    return {"两代表一委员": reps, "劳动模范": models_, "县级以上表彰": county_up}


# ---- retirement (C-RETIRE) ---------------------------------------------------------------

def _full_years_expr(col: str, on: date) -> pl.Expr:
    c = pl.col(col)
    before_birthday = (c.dt.month().cast(pl.Int64) * 100 + c.dt.day().cast(pl.Int64)) > (on.month * 100 + on.day)
    return pl.lit(on.year, dtype=pl.Int64) - c.dt.year().cast(pl.Int64) - before_birthday.cast(pl.Int64)


def _frame(qs: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """A values_list queryset straight into Polars (common.bulk: COPY on PostgreSQL)."""
    return frame_from_queryset(qs, schema)


RETIREMENT_COLUMNS = ["worker_id", "name", "unit", "sex", "post", "birth_date", "age_now", "retire_age", "retire_on", "policy"]


def retirements_due(*, user: User, on: date, months: int = 12, unit: Unit | None = None) -> pl.DataFrame:
    """C-RETIRE: who reaches the policy's retirement age for their sex and post within
    `months` after `on` (and anyone already past it and still working): the workers in
    scope read in one query, their dates computed by the engine (shequ.rules.retirement)."""
    qs = scoped(Worker.objects.exclude(status=Status.LEFT), user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    schema = {"worker_id": pl.Int64, "name": pl.Utf8, "unit_id": pl.Int64, "unit": pl.Utf8, "unit_path": pl.Utf8,
              "sex": pl.Utf8, "post": pl.Utf8, "birth_date": pl.Date}
    workers = _frame(qs.values_list("pk", "name", "unit_id", "unit__name", "unit__path", "sex", "post", "birth_date"),
                     schema)
    if workers.is_empty():
        return pl.DataFrame(schema={**schema, "age_now": pl.Int64, "retire_age": pl.Int64, "retire_on": pl.Date,
                                    "policy": pl.Utf8}).select(RETIREMENT_COLUMNS)
    units = workers.select("unit_id", "unit_path").unique()
    policies = policies_for_paths(dict(zip(units["unit_id"].to_list(), units["unit_path"].to_list(), strict=True)), on)
    unit_policy = pl.DataFrame({"unit_id": list(policies), "policy": [v[1] for v in policies.values()]},
                               schema={"unit_id": pl.Int64, "policy": pl.Utf8})
    workers = workers.join(unit_policy, on="unit_id", how="left")
    by_label = {label: policy for policy, label in policies.values()}
    # The engine's C-RETIRE evaluator, once per policy in force (usually one or two).
    parts = [retirement(by_label[label], group, on) for (label,), group in workers.group_by("policy")]
    horizon = _months_later(on, months)
    out = (
        pl.concat(parts)
        .rename({"retirement_age": "retire_age", "retirement_date": "retire_on"})
        .filter(pl.col("retire_age").is_not_null() & (pl.col("retire_on") < pl.lit(horizon)))
        .with_columns(age_now=_full_years_expr("birth_date", on))
        .sort(["retire_on", "name"])
    )
    return out.select(RETIREMENT_COLUMNS)


def exits(*, user: User, since: date | None = None) -> QuerySet[WorkerEvent]:
    qs = scoped(WorkerEvent.objects.select_related("worker", "unit").filter(kind=EventKind.EXIT), user)
    if since is not None:
        qs = qs.filter(effective__gte=since)
    return qs.order_by("-effective", "-id")


# ---- grids (ORG-4) -----------------------------------------------------------------------

@dataclass(frozen=True)
class GridRow:
    unit_id: int
    name: str
    community: str
    households: int | None
    party_org: str
    leader_id: int | None
    leader_name: str
    low: int | None
    high: int | None

    @property
    def in_standard(self) -> bool:
        if self.households is None:
            return False
        return (self.low is None or self.households >= self.low) and (self.high is None or self.households <= self.high)


def grid_leader_choices(*, user: User) -> QuerySet[Worker]:
    """Workers in scope who may be put in charge of a grid: community workers in post."""
    qs = scoped(Worker.objects.exclude(status=Status.LEFT).select_related("unit"), user)
    return qs.filter(unit__unit_type__in=COMMUNITY_TYPES).order_by("unit__path", "name")


def grid_rows(*, user: User, on: date, unit: Unit | None = None) -> list[GridRow]:
    """ORG-4: every grid in scope with the households in force on `on`, its party
    organisation, the worker in charge and the household range of its policy."""
    grids = scoped(Unit.objects.filter(unit_type=UnitType.GRID), user, unit_field="")
    if unit is not None:
        grids = grids.filter(path__startswith=unit.path)
    rows = list(grids.order_by("path").values_list("pk", "name", "parent_id", "parent__name", "parent__path"))
    households: dict[int, int] = {}
    for unit_id, n in UnitFact.objects.filter(unit__in=grids, since__lte=on).order_by("unit_id", "since").values_list(
        "unit_id", "households"
    ):
        households[unit_id] = n  # ascending `since`: the last one is in force
    infos = {uid: (party, lid, lname) for uid, party, lid, lname in GridInfo.objects.filter(unit__in=grids).values_list(
        "unit_id", "party_org", "leader_id", "leader__name")}
    policies = policies_for_paths({parent: path for _, _, parent, _, path in rows if parent is not None}, on)
    ranges = {pid: policies[pid][0].params(on).grids for pid in policies}
    out = []
    for pk, name, parent, community, _ in rows:
        g = ranges.get(parent) if parent is not None else None
        party, leader_id, leader_name = infos.get(pk, ("", None, ""))
        out.append(GridRow(unit_id=pk, name=name, community=community or "", households=households.get(pk),
                           party_org=party, leader_id=leader_id, leader_name=leader_name or "",
                           low=g.households_min if g else None, high=g.households_max if g else None))
    return out


# ---- admission list (ORG-5) --------------------------------------------------------------

def admission_items(*, user: User, status: str = "") -> QuerySet[AdmissionItem]:
    """Items on the lists that govern the caller's units (set by an ancestor, e.g. the
    district's list) and items proposed or set within the caller's subtree. A street
    never sees another street's own items or proposals."""
    qs = AdmissionItem.objects.select_related("unit", "proposed_by", "decided_by")
    path = scope_path(user)
    if path is None:
        return qs.none()
    if path:
        ancestors = cast(Unit, user.unit).ancestor_ids()  # a non-empty scope path is the user's unit's
        qs = qs.filter(Q(unit__path__startswith=path) | Q(unit_id__in=ancestors, status=AdmissionStatus.APPROVED)
                       | Q(unit_id__in=ancestors, status=AdmissionStatus.REMOVED))
    if status:
        qs = qs.filter(status=status)
    return qs


def admission_list_for(*, unit: Unit, on: date) -> QuerySet[AdmissionItem]:
    """ORG-5: the items that may be pushed down to `unit` on `on`: approved by then, not
    removed, on the list of the unit or one of its ancestors."""
    return AdmissionItem.objects.filter(
        unit_id__in=unit.ancestor_ids(), status__in=[AdmissionStatus.APPROVED, AdmissionStatus.REMOVED],
        effective__lte=on,
    ).filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on)).select_related("unit")


def worker_reserve(*, user: User, worker: Worker) -> QuerySet[ReserveCandidate]:
    """Every reserve candidacy of one roster worker, current and past, newest first."""
    qs = scoped(ReserveCandidate.objects.select_related("community"), user, unit_field="community")
    return qs.filter(worker=worker).order_by("-added_on")


def worker_honours(*, user: User, worker: Worker) -> QuerySet[Honour]:
    return honour_list(user=user).filter(worker=worker).order_by("-awarded_on")
