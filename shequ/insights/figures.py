"""The outcome figures of a scope on a date (S-AGE, S-EDU, S-RATIO, S-CERT, S-PAY, Q-USE):
grouped Polars over the whole roster, the engine for quota and pay, one dict out that feeds
the page, the charts, the API and the exports alike."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from shequ.org.models import COMMUNITY_TYPES, STAFFED_TYPES, Unit
from shequ.org.selectors import units_frame
from shequ.policy.resolve import Governing, governing_frame
from shequ.policy.selectors import policy_for
from shequ.rules import PolicyError, place_and_pay, quota_use
from shequ.rules.policy import EMPLOYER_BENEFITS, TOTAL
from shequ.rules.schema import StatisticsParams
from shequ.rules.vocab import EDUCATION
from shequ.workers.selectors import AGE_BANDS, roster_on, years_before

NO_CERTIFICATE = "无"
DISPATCH = "劳务派遣"  # hold no quota place (E-DISP)
RATIO_PARAM = "workers_per_10k"  # Q-TR standard, when the scope's policy sets one (tongren: 18)
PAY_BASIS = "按政策测算"  # pay is computed from the policy in force, not read from a locked pay run
PAY_FAILED = "薪酬测算失败（{label}）：{reason}"
QUOTA_FAILED = "员额测算失败（{label}）：{reason}"
OWN_LEVEL = "本级（{name}）"

PAY_INPUTS = ("worker_id", "post", "education", "community_work_start", "certificate", "grade", "category", "birth_date", "sex")


def age_expr(on: date) -> pl.Expr:
    """Whole years on `on`: one less when the birthday has not come yet that year."""
    b = pl.col("birth_date")
    before_birthday = (b.dt.month() > on.month) | ((b.dt.month() == on.month) & (b.dt.day() > on.day))
    return (pl.lit(on.year) - b.dt.year() - before_birthday.cast(pl.Int32)).cast(pl.Int32).alias("age")


def half_up(x: float, digits: int) -> float:
    """Round half away from zero, as the engine and the seeds do (Python's round() is banker's)."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def _pct(part: float, whole: float) -> float:
    return half_up(part * 100 / whole, 2) if whole else 0.0


def pay_frame(roster: pl.DataFrame, governing: dict[str, Governing], on: date) -> tuple[pl.DataFrame, list[str], list[str]]:
    """(worker_id + one column per pay component + totals, component names, errors): one
    engine call per governing policy (usually one for the whole scope)."""
    parts: list[pl.DataFrame] = []
    components: list[str] = []
    errors: list[str] = []
    for key, g in governing.items():
        sub = roster.filter(pl.col("policy_label") == key).select(PAY_INPUTS)
        if sub.is_empty():
            continue
        try:
            paid = place_and_pay(g.policy, sub, on)
        except PolicyError as exc:
            errors.append(PAY_FAILED.format(label=g.label, reason=str(exc)))
            continue
        names = [c for c in g.policy.component_names() if c in paid.columns]
        components += [c for c in names if c not in components]
        parts.append(paid.select("worker_id", *names, TOTAL, EMPLOYER_BENEFITS))
    if not parts:
        return pl.DataFrame(schema={"worker_id": pl.Int64, TOTAL: pl.Float64, EMPLOYER_BENEFITS: pl.Float64}), components, errors
    out = pl.concat(parts, how="diagonal").with_columns(pl.col(pl.Float64).fill_null(0.0))
    return out, components, errors


def compute_figures(*, root: Unit, on: date) -> dict[str, Any]:
    units = units_frame(root=root, on=on)
    keyed, governing = governing_frame(units=units, on=on, path_column="path")
    units = units.join(keyed, on="unit_id", how="left")
    roster = roster_on(scope=root, on=on).join(
        units.select("unit_id", "child_path", "policy_label"), on="unit_id", how="left"
    ).with_columns(age_expr(on))

    # S-AGE / S-EDU cut-offs are the scope's policy data ([statistics], base preset).
    stats = policy_for(unit=root, on=on)[0].params(on).statistics
    paid, components, errors = pay_frame(roster, governing, on)
    roster = roster.join(paid, on="worker_id", how="left")
    for c in [*components, TOTAL, EMPLOYER_BENEFITS]:
        if c not in roster.columns:
            roster = roster.with_columns(pl.lit(0.0).alias(c))

    people = _people_by_child(roster, components, stats)
    ledger = quota_ledger_frame(units=units, roster=roster, governing=governing, on=on,
                                approved=approved_quota_frame(root=root, on=on), errors=errors)
    quota_by_child = ledger.group_by("child_path").agg(pl.col(c).sum() for c in QUOTA_SUMS)
    urban = _urban_by_child(units, root)
    trained = _trained_by_child(root=root, units=units, on=on)
    reserves = _reserves_by_child(root=root, units=units, on=on, young_age=stats.reserve_young_age or 0)
    locked = _locked_pay_by_child(root=root, units=units, on=on)

    child_rows = units.filter(pl.col("parent_id") == root.pk).sort("path")
    has_children = set(units["parent_id"].drop_nulls().unique().to_list())
    rows: list[dict[str, Any]] = []
    keys = [(r["path"], r["unit_id"], r["unit"], r["unit_type"]) for r in child_rows.iter_rows(named=True)]
    if root.path in people:
        keys.insert(0, (root.path, root.pk, OWN_LEVEL.format(name=root.name), root.unit_type))
    for path, unit_id, name, unit_type in keys:
        own = path == root.path
        rows.append({
            "unit_id": unit_id, "name": name, "unit_type": unit_type,
            "drillable": (not own) and unit_id in has_children,
            **_figures(people.get(path), _row(quota_by_child, path), urban.get(path, (0, 0)) if not own else (0, 0),
                       trained.get(path, 0), components, reserves.get(path, (0, 0))),
            **_locked(locked.get(path)),
        })
    total_people = _people_total(roster, components, stats)
    root_key = keyed.filter(pl.col("unit_id") == root.pk)["policy_label"]
    root_policy = governing.get(root_key[0]) if root_key.len() else None
    ratio_target = root_policy.policy.params(on).values.get(RATIO_PARAM) if root_policy else None
    total_quota = {k: int(ledger[k].sum() or 0) for k in QUOTA_SUMS}
    return {
        "scope": {"unit_id": root.pk, "name": root.name, "unit_type": root.unit_type},
        "on": on.isoformat(),
        "basis": PAY_BASIS,
        "policies": [g.label for g in governing.values()],
        "ratio_target": ratio_target,
        "errors": errors,
        "components": components,
        "educations": list(EDUCATION),
        "age_bands": list(AGE_BANDS),
        "young_age": stats.young_age,
        "reserve_young_age": stats.reserve_young_age,
        "total": {
            **_figures(total_people, total_quota, _urban_of(units, root), sum(trained.values()), components,
                       (sum(r[0] for r in reserves.values()), sum(r[1] for r in reserves.values()))),
            **_locked(_sum_locked(locked.values())),
        },
        "locked_month": _month(on).isoformat(),
        "children": rows,
    }


def _row(frame: pl.DataFrame, path: str) -> dict[str, Any] | None:
    found = frame.filter(pl.col("child_path") == path)
    return found.row(0, named=True) if found.height else None


def _full_time() -> pl.Expr:
    ft = pl.col("education_full_time")
    return pl.when(ft.is_not_null() & (ft != "")).then(ft).otherwise(pl.col("education"))


def _people_aggs(components: list[str], stats: StatisticsParams) -> list[pl.Expr]:
    # "under35" keeps its name for the page and API; the age itself is the policy's young_age.
    aggs: list[pl.Expr] = [
        pl.len().alias("headcount"),
        pl.col("age").sum().alias("age_sum"),
        (pl.col("age") < (stats.young_age or 0)).sum().alias("under35"),
        pl.col("education").is_in(stats.bachelor_plus).sum().alias("bachelor_plus"),
        pl.col("education").is_in(stats.college_plus).sum().alias("college_plus"),
        # W-EDU: the same cut-offs on full-time education (the roster's where none is recorded).
        _full_time().is_in(stats.bachelor_plus).sum().alias("bachelor_plus_ft"),
        _full_time().is_in(stats.college_plus).sum().alias("college_plus_ft"),
        (pl.col("certificate") != NO_CERTIFICATE).sum().alias("certified"),
        pl.col(TOTAL).sum().alias("pay_total"),
        pl.col(EMPLOYER_BENEFITS).sum().alias("employer_benefits"),
    ]
    for band, (low, high) in AGE_BANDS.items():
        aggs.append(pl.col("age").is_between(low, high).sum().alias(f"band:{band}"))
    for edu in EDUCATION:
        aggs.append((pl.col("education") == edu).sum().alias(f"edu:{edu}"))
    for c in components:
        aggs.append(pl.col(c).sum().alias(f"comp:{c}"))
    return aggs


def _people_by_child(roster: pl.DataFrame, components: list[str], stats: StatisticsParams) -> dict[str, dict[str, Any]]:
    grouped = roster.group_by("child_path").agg(_people_aggs(components, stats))
    return {r["child_path"]: r for r in grouped.iter_rows(named=True)}


def _people_total(roster: pl.DataFrame, components: list[str], stats: StatisticsParams) -> dict[str, Any] | None:
    if roster.is_empty():
        return None
    return roster.select(_people_aggs(components, stats)).row(0, named=True)


QUOTA_SUMS = ("quota", "computed_quota", "filled", "vacant", "over", "unset")


def approved_quota_frame(*, root: Unit, on: date) -> pl.DataFrame:
    """The quota approved and in force on `on` for every staffed unit of the subtree (null when
    none is approved): the quota area's stored decisions (Q-REV), one query."""
    from shequ.quota.selectors import approved_quota_subquery

    rows = list(
        Unit.objects.filter(path__startswith=root.path, unit_type__in=list(STAFFED_TYPES))
        .annotate(approved=approved_quota_subquery(on)).values_list("id", "approved")
    )
    return pl.DataFrame(rows, schema={"unit_id": pl.Int64, "quota": pl.Int64}, orient="row")


def quota_ledger_frame(*, units: pl.DataFrame, roster: pl.DataFrame, governing: dict[str, Governing], on: date,
                       approved: pl.DataFrame, errors: list[str] | None = None) -> pl.DataFrame:
    """Q-USE per staffed unit: the approved quota in force (stored decisions) against the
    places filled (劳务派遣 hold none, E-DISP), and the quota the policy computes (Q-BH/Q-HC)
    beside it. A unit without an approved quota is 未核定: no vacancies, nobody over."""
    dispatch = pl.col("category") == DISPATCH
    heads = roster.group_by("unit_id").agg(
        pl.len().cast(pl.Int64).alias("headcount"), (~dispatch).sum().cast(pl.Int64).alias("filled")
    )
    staffed = units.filter(pl.col("unit_type").is_in(list(STAFFED_TYPES))).join(heads, on="unit_id", how="left").with_columns(
        pl.col("headcount").fill_null(0), pl.col("filled").fill_null(0)
    )
    parts = []
    for key, g in governing.items():
        sub = staffed.filter(pl.col("policy_label") == key)
        if sub.is_empty():
            continue
        try:
            parts.append(quota_use(g.policy, sub, on).drop("vacant", "over"))
        except PolicyError as exc:
            # The approved quota still shows; only the policy's figure is missing.
            (errors if errors is not None else []).append(QUOTA_FAILED.format(label=g.label, reason=str(exc)))
            parts.append(sub.with_columns(pl.lit(None, dtype=pl.Int64).alias("quota"), pl.lit(None, dtype=pl.Float64).alias("per_10k")))
    computed = (
        pl.concat(parts, how="diagonal") if parts
        else staffed.with_columns(pl.lit(None, dtype=pl.Int64).alias("quota"), pl.lit(None, dtype=pl.Float64).alias("per_10k"))
    ).rename({"quota": "computed_quota"})
    out = computed.join(approved, on="unit_id", how="left")
    return out.with_columns(
        (pl.col("quota") - pl.col("filled")).clip(lower_bound=0).fill_null(0).alias("vacant"),
        (pl.col("filled") - pl.col("quota")).clip(lower_bound=0).fill_null(0).alias("over"),
        pl.col("quota").is_null().cast(pl.Int64).alias("unset"),
    ).sort("path")


def _urban_by_child(units: pl.DataFrame, root: Unit) -> dict[str, tuple[int, int]]:
    """(urban residents of the communities under each child, the child's own figure)."""
    communities = units.filter(pl.col("unit_type").is_in(list(COMMUNITY_TYPES)))
    summed = dict(communities.group_by("child_path").agg(pl.col("urban_population").sum()).iter_rows())
    own = dict(units.select("path", "urban_population").iter_rows())
    return {path: (int(summed.get(path, 0) or 0), int(own.get(path, 0) or 0)) for path in own}


def _urban_of(units: pl.DataFrame, root: Unit) -> tuple[int, int]:
    communities = int(units.filter(pl.col("unit_type").is_in(list(COMMUNITY_TYPES)))["urban_population"].sum() or 0)
    own = units.filter(pl.col("unit_id") == root.pk)["urban_population"]
    return communities, int(own[0] or 0) if own.len() else 0


def _trained_by_child(*, root: Unit, units: pl.DataFrame, on: date) -> dict[str, int]:
    """S-CERT trained person-times this year: attendances (growth.training) from 1 January
    to `on`, counted where the worker was then (Attendance.unit)."""
    from django.db.models import Count

    from shequ.growth.training.models import Attendance

    rows = list(
        Attendance.objects.filter(
            attended_on__gte=date(on.year, 1, 1), attended_on__lte=on, unit__path__startswith=root.path,
        ).order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    if not rows:
        return {}
    counted = pl.DataFrame(rows, schema={"unit_id": pl.Int64, "n": pl.Int64}, orient="row")
    joined = counted.join(units.select("unit_id", "child_path"), on="unit_id").group_by("child_path").agg(pl.col("n").sum())
    return {p: int(n) for p, n in joined.iter_rows()}


def _month(on: date) -> date:
    return on.replace(day=1)


def _locked_pay_by_child(*, root: Unit, units: pl.DataFrame, on: date) -> dict[str, tuple[int, float, float]]:
    """S-PAY as paid: the month's own lines (not adjustments) of locked pay runs (app pay), per
    child — (people, 应发合计, 单位五险一金). Shown beside the policy's figures, never mixed in."""
    from django.db.models import Count, Sum

    from shequ.pay.models import LineKind, PayLine, RunStatus

    rows = list(
        PayLine.objects.filter(
            run__status=RunStatus.LOCKED, kind=LineKind.REGULAR, for_month=_month(on), unit__path__startswith=root.path,
        ).order_by().values("unit_id")
        .annotate(n=Count("id"), gross=Sum("gross"), emp=Sum("employer_benefits"))
        .values_list("unit_id", "n", "gross", "emp")
    )
    if not rows:
        return {}
    counted = pl.DataFrame([(u, n, float(g or 0), float(e or 0)) for u, n, g, e in rows],
                           schema={"unit_id": pl.Int64, "n": pl.Int64, "gross": pl.Float64, "emp": pl.Float64}, orient="row")
    joined = counted.join(units.select("unit_id", "child_path"), on="unit_id").group_by("child_path").agg(
        pl.col("n").sum(), pl.col("gross").sum(), pl.col("emp").sum()
    )
    return {p: (int(n), float(g), float(e)) for p, n, g, e in joined.iter_rows()}


def _sum_locked(values: Any) -> tuple[int, float, float] | None:
    vals = list(values)
    if not vals:
        return None
    return (sum(v[0] for v in vals), sum(v[1] for v in vals), sum(v[2] for v in vals))


def _locked(v: tuple[int, float, float] | None) -> dict[str, Any]:
    n, gross, emp = v or (0, 0.0, 0.0)
    return {
        "locked_headcount": n,
        "locked_pay_total": half_up(gross, 2),
        "locked_pay_average": half_up(gross / n, 2) if n else None,
        "locked_employer_cost": half_up(gross + emp, 2),
    }


def _reserves_by_child(*, root: Unit, units: pl.DataFrame, on: date, young_age: int) -> dict[str, tuple[int, int]]:
    """S-AGE among reserves (Q-RESV pool, growth.careers): (in the pool on `on`, of them under
    the policy's reserve_young_age) per child, one grouped query."""
    from django.db.models import Count, Q

    from shequ.growth.careers.models import ReserveCandidate

    young = Q(birth_date__gt=years_before(on, young_age))
    rows = list(
        ReserveCandidate.objects.filter(community__path__startswith=root.path, added_on__lte=on)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))
        .order_by().values("community_id")
        .annotate(n=Count("id"), young=Count("id", filter=young))
        .values_list("community_id", "n", "young")
    )
    if not rows:
        return {}
    counted = pl.DataFrame(rows, schema={"unit_id": pl.Int64, "n": pl.Int64, "young": pl.Int64}, orient="row")
    joined = counted.join(units.select("unit_id", "child_path"), on="unit_id").group_by("child_path").agg(
        pl.col("n").sum(), pl.col("young").sum()
    )
    return {p: (int(n), int(y)) for p, n, y in joined.iter_rows()}


def _figures(people: dict[str, Any] | None, quota: dict[str, Any] | None, urban: tuple[int, int], trained: int,
             components: list[str], reserves: tuple[int, int] = (0, 0)) -> dict[str, Any]:
    p = people or {}
    n = int(p.get("headcount") or 0)
    communities_urban, own_urban = urban
    # S-RATIO: urban residents of the communities in scope; the unit's own figure when its
    # communities record none (e.g. a street whose facts are kept only at street level).
    urban_population = communities_urban or own_urban
    pay_total = round(float(p.get("pay_total") or 0.0), 2)
    employer = round(pay_total + float(p.get("employer_benefits") or 0.0), 2)
    q = quota or {}
    return {
        "headcount": n,
        "quota": int(q.get("quota") or 0),
        "computed_quota": int(q.get("computed_quota") or 0),
        "filled": int(q.get("filled") or 0),
        "unset": int(q.get("unset") or 0),
        "vacant": int(q.get("vacant") or 0),
        "over": int(q.get("over") or 0),
        "urban_population": urban_population,
        "per_10k": half_up(n * 10000 / urban_population, 1) if urban_population else None,
        "age_mean": half_up(float(p.get("age_sum") or 0) / n, 1) if n else None,
        "under35": int(p.get("under35") or 0),
        "under35_share": _pct(float(p.get("under35") or 0), n),
        "age_bands": {band: int(p.get(f"band:{band}") or 0) for band in AGE_BANDS},
        "reserves": reserves[0],
        "reserves_under45": reserves[1],
        "reserves_under45_share": _pct(reserves[1], reserves[0]),
        "education": {edu: int(p.get(f"edu:{edu}") or 0) for edu in EDUCATION},
        "bachelor_plus_share": _pct(float(p.get("bachelor_plus") or 0), n),
        "college_plus_share": _pct(float(p.get("college_plus") or 0), n),
        "bachelor_plus_ft_share": _pct(float(p.get("bachelor_plus_ft") or 0), n),
        "college_plus_ft_share": _pct(float(p.get("college_plus_ft") or 0), n),
        "certified": int(p.get("certified") or 0),
        "certified_share": _pct(float(p.get("certified") or 0), n),
        "trained": trained,
        "pay_total": pay_total,
        "pay_average": half_up(pay_total / n, 2) if n else 0.0,
        "employer_cost": employer,
        "annual_cost": round(employer * 12, 2),
        "components": {c: round(float(p.get(f"comp:{c}") or 0.0), 2) for c in components},
    }


def quota_ledger(*, root: Unit, on: date) -> pl.DataFrame:
    """The quota ledger of a scope: one row per staffed unit, with the name of the
    child of `root` it belongs to."""
    units = units_frame(root=root, on=on)
    keyed, governing = governing_frame(units=units, on=on, path_column="path")
    units = units.join(keyed, on="unit_id", how="left")
    roster = roster_on(scope=root, on=on).select("unit_id", "category")
    ledger = quota_ledger_frame(units=units, roster=roster, governing=governing, on=on,
                                approved=approved_quota_frame(root=root, on=on))
    names = units.select(pl.col("path").alias("child_path"), pl.col("unit").alias("child_name"))
    return ledger.join(names, on="child_path", how="left").sort("path")
