"""Population evaluators: quota per unit, placement, monthly pay. DataFrame in, DataFrame out."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any, cast

import polars as pl

from shequ.rules import errors as E
from shequ.rules import vocab
from shequ.rules.errors import PolicyError
from shequ.rules.formula import Env, Formula, to_expr
from shequ.rules.policy import (
    BENEFIT_BASE,
    EMPLOYEE_BENEFITS,
    EMPLOYER_BENEFITS,
    PAY_INPUTS,
    PLACE_INPUTS,
    QUOTA_INPUTS,
    TOTAL,
    Policy,
)
from shequ.rules.trace import FormulaTrace, Recorder, Tracer, drop_traced

_TMP = "__shequ_"


def _require(df: pl.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise PolicyError(E.MISSING_COLUMNS.format(columns="、".join(missing)), place=what)


def _env(policy: Policy, on: dt.date, columns: dict[str, pl.Expr],
         rec: Recorder | None = None, ft: FormulaTrace | None = None) -> Env:
    def value(name: str) -> pl.Expr:
        if name in columns:
            return columns[name]
        v = policy.value(name, on)
        if rec is not None:
            rec.read(ft, name)
        return pl.lit(float(v))

    def table(name: str) -> dict[str, Any]:
        return cast(dict[str, Any], policy.value(name, on))

    if rec is None:
        return Env(value=value, table=table)

    def on_lookup(name: str, nodes: list[Any], keys: list[pl.Expr], found: pl.Expr) -> None:
        assert rec is not None
        rec.lookup(ft, name, nodes, keys, found)

    return Env(value=value, table=table, on_lookup=on_lookup)


def _trace_inputs(rec: Recorder, names: Iterable[str], cols: dict[str, pl.Expr], given: Iterable[str]) -> None:
    """Trace the inputs the engine derives (years, ranks, age…) that the frame lacks."""
    have = set(given)
    for n in sorted(names):
        if n not in have and n in cols:
            rec.keep(f"input:{n}", cols[n])


def full_years(start: pl.Expr, on: dt.date) -> pl.Expr:
    """Completed years from `start` to `on` (an anniversary not yet reached does not count)."""
    before = (start.dt.month() > on.month) | ((start.dt.month() == on.month) & (start.dt.day() > on.day))
    years = pl.lit(on.year, dtype=pl.Int64) - start.dt.year().cast(pl.Int64) - before.cast(pl.Int64)
    return pl.max_horizontal(years, pl.lit(0, dtype=pl.Int64))


# Beyond this a number is no count or amount of money (and no longer fits an Int64).
_MAX_VALUE = 1e15


def _finite(s: pl.Series) -> bool:
    # One sum answers the common case (inf and NaN propagate into it); only a suspect
    # column is looked at row by row.
    total = s.abs().sum()
    if math.isfinite(total) and total <= _MAX_VALUE:
        return True
    big = s.abs().max()
    return bool(s.is_finite().fill_null(True).all()) and not (isinstance(big, (int, float)) and big > _MAX_VALUE)


def _check_finite(df: pl.DataFrame, columns: list[str], key: str, rule_of: dict[str, str], *, sentinel: str | None = None) -> None:
    """Division by zero or overflow in a formula (a parameter set to 0, say) is refused
    naming the rule and the row, instead of becoming a Polars cast error or infinite pay.
    With a sentinel (a sum every column flows into), only it is checked unless it fails."""
    if _finite(df.get_column(sentinel)) if sentinel else all(_finite(df.get_column(c)) for c in columns):
        return
    bad = pl.any_horizontal([~pl.col(c).is_finite() | (pl.col(c).abs() > _MAX_VALUE) for c in columns]).fill_null(False)
    idx = df.with_row_index(_TMP + "i").filter(bad).row(0, named=True)
    c = next(c for c in columns if idx[c] is not None and not abs(idx[c]) <= _MAX_VALUE)
    who = str(idx.get(key, "")) if key in df.columns else ""
    raise PolicyError(E.NOT_FINITE.format(rule=rule_of.get(c, c), index=idx[_TMP + "i"] + 1, who=who or "—"))


def _check_nulls(df: pl.DataFrame, columns: list[str], key: str, rule_of: dict[str, str]) -> None:
    for c in columns:
        n = df.get_column(c).null_count()
        if n:
            idx = df.with_row_index(_TMP + "i").filter(pl.col(c).is_null()).row(0, named=True)
            who = str(idx.get(key, "")) if key in df.columns else ""
            raise PolicyError(E.LOOKUP_MISS.format(rule=rule_of.get(c, c), index=idx[_TMP + "i"] + 1, who=who or "—"))


# ---- quota ----------------------------------------------------------------------------------

def quota(policy: Policy, units: pl.DataFrame, on: dt.date, *, tracer: Tracer | None = None) -> pl.DataFrame:
    """Approved posts (核定员额) per unit: the policy's quota formula, as of `on`.
    With a tracer, each rule's value and every parameter read are recorded."""
    section = policy.quota_section
    if section is None:
        raise PolicyError(E.NO_QUOTA_RULE, file=policy.label, place="quota")
    rules = policy.formulas["quota"]
    used = set().union(*(f.names for f in rules.values())) & QUOTA_INPUTS
    _require(units, sorted(used | {"unit_type"}), "quota")
    cols: dict[str, pl.Expr] = {n: pl.col(n) for n in QUOTA_INPUTS if n in units.columns}
    for n in ("households", "population", "urban_population"):
        if n in cols:
            cols[n] = pl.col(n).cast(pl.Float64)
    rec = Recorder(policy, on, "quota") if tracer is not None else None
    out = units
    for layer in policy.layers["quota"]:
        exprs = []
        for name in layer:
            ft = rec.start(name, rules[name]) if rec is not None else None
            env = _env(policy, on, cols, rec, ft)
            exprs.append(to_expr(rules[name], env).alias(_TMP + name))
        if rec is not None:
            exprs.extend(rec.take())
        out = out.with_columns(exprs)
        for name in layer:
            cols[name] = pl.col(_TMP + name)
            if rec is not None:
                rec.columns[f"rule:{name}"] = _TMP + name
    raw = pl.col(_TMP + "quota").cast(pl.Float64)
    if not _finite(out.get_column(_TMP + "quota").cast(pl.Float64)):
        _check_finite(out.select(raw.alias("quota"), *[c for c in ("unit", "name") if c in out.columns]),
                      ["quota"], "unit" if "unit" in out.columns else "name", {"quota": "员额规则"})
    result = raw.round(0, mode="half_away_from_zero").cast(pl.Int64)
    if section.applies_to:
        result = pl.when(pl.col("unit_type").is_in(section.applies_to)).then(result).otherwise(None)
    out = out.with_columns(result.alias("quota"))
    if rec is not None and tracer is not None:
        rec.finish(tracer, frozenset(used | {"unit_type"}), out)
    return out.drop([c for c in out.columns if c.startswith(_TMP)])


# ---- placement ------------------------------------------------------------------------------

def _post_expr(policy: Policy, attr: str) -> pl.Expr:
    posts = policy.posts
    return pl.col("post").replace_strict(list(posts), [getattr(p, attr) for p in posts.values()],
                                         default=None, return_dtype=pl.Int64)


def _derived(policy: Policy, df: pl.DataFrame | Iterable[str], on: dt.date) -> dict[str, pl.Expr]:
    """Input names formulas may read, as expressions over the frame (or its column names)."""
    names = list(df.columns if isinstance(df, pl.DataFrame) else df)
    cols: dict[str, pl.Expr] = {c: pl.col(c) for c in names}
    cols["grade_min"] = _post_expr(policy, "grade_min")
    cols["grade_max"] = _post_expr(policy, "grade_max")
    if "education" in names:
        cols["education_rank"] = pl.col("education").replace_strict(
            list(vocab.EDUCATION), list(range(len(vocab.EDUCATION))), default=None, return_dtype=pl.Int64)
    if "certificate" in names:
        cols["certificate_rank"] = pl.col("certificate").replace_strict(
            list(vocab.CERTIFICATES), list(range(len(vocab.CERTIFICATES))), default=None, return_dtype=pl.Int64)
    if "years" in names:
        cols["years"] = pl.col("years").cast(pl.Float64)
    if "birth_date" in names:
        cols["age"] = full_years(pl.col("birth_date"), on).cast(pl.Float64)
    if "last_tier" in names:
        cols["last_tier"] = pl.col("last_tier").cast(pl.Utf8).replace(vocab.TIER_ALIASES)
    else:
        # Optional: a worker without last year's result (e.g. a new hire) reads as null.
        cols["last_tier"] = pl.lit(None, dtype=pl.Utf8)
    # Optional too: most workers hold no economic treatment (P-TREAT).
    cols["treatment"] = pl.col("treatment").cast(pl.Utf8).fill_null("") if "treatment" in names else pl.lit("")
    cols["last_tier_rank"] = cols["last_tier"].replace_strict(
            list(vocab.TIER_RANK), list(vocab.TIER_RANK.values()), default=None, return_dtype=pl.Int64)
    return cols


def _check_posts(policy: Policy, df: pl.DataFrame) -> None:
    bad = df.filter(~pl.col("post").is_in(list(policy.posts)) | pl.col("post").is_null())
    if bad.height:
        post = bad.get_column("post")[0]
        raise PolicyError(E.UNKNOWN_POST_REF.format(post=post), file=policy.label, place="posts")


def education_basis(policy: Policy, workers: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """W-EDU: where the policy places and pays by full-time education and the frame has
    `education_full_time`, `education` becomes it; a worker with no full-time record keeps
    the roster's education (recorded before kinds were)."""
    if policy.params(on).education.placement_basis != "全日制" or "education_full_time" not in workers.columns:
        return workers
    ft = pl.col("education_full_time")
    return workers.with_columns(
        pl.when(ft.is_not_null() & (ft != "")).then(ft).otherwise(pl.col("education")).alias("education"))


def place(policy: Policy, workers: pl.DataFrame, on: dt.date, *, tracer: Tracer | None = None) -> pl.DataFrame:
    """Grade (等级) per worker: kept when given, else placed by the policy's placement formula,
    always within the post's range. Adds `years` of community work as of `on`. With a
    tracer, the formula's raw value and every parameter read are recorded."""
    workers = education_basis(policy, workers, on)
    section = policy.placement_section
    if section is None:
        raise PolicyError(E.NO_PLACEMENT_RULE, file=policy.label, place="placement")
    f = policy.formulas["place"]["grade"]
    needs = {"post"} | (f.names & {"education", "certificate", "category", "sex"})
    if "years" not in workers.columns or "community_work_start" in workers.columns:
        needs.add("community_work_start")
    if "education_rank" in f.names:
        needs.add("education")
    if "certificate_rank" in f.names:
        needs.add("certificate")
    if "age" in f.names:
        needs.add("birth_date")
    _require(workers, sorted(needs), "place")
    rec = Recorder(policy, on, "place") if tracer is not None else None
    out = _place_lazy(policy, workers.lazy(), workers.columns, on, rec).collect()
    if rec is not None and tracer is not None:
        rec.finish(tracer, frozenset(f.names & PLACE_INPUTS), out)
        out = drop_traced(out)
    return _place_checked(policy, workers, out)


_GMIN, _GMAX, _RAW = _TMP + "gmin", _TMP + "gmax", _TMP + "raw_grade"


def _place_checked(policy: Policy, workers: pl.DataFrame, out: pl.DataFrame) -> pl.DataFrame:
    if out.get_column(_GMIN).null_count():
        _check_posts(policy, workers)
    raw = out.get_column(_RAW)
    if not _finite(raw):
        placed = workers.get_column("grade").is_null() if "grade" in workers.columns else pl.repeat(True, out.height, eager=True)
        bad = out.with_row_index(_TMP + "i").filter(~raw.is_finite().fill_null(True) & placed)
        if bad.height:
            r = bad.row(0, named=True)
            raise PolicyError(E.NOT_FINITE.format(rule="定级公式", index=r[_TMP + "i"] + 1, who=str(r.get("worker_id", "")) or "—"))
    _check_nulls(out, ["grade"], "worker_id", {"grade": "定级公式"})
    return out.drop(_GMIN, _GMAX, _RAW)


def _place_lazy(policy: Policy, lf: pl.LazyFrame, columns: list[str], on: dt.date,
                rec: Recorder | None = None) -> pl.LazyFrame:
    f = policy.formulas["place"]["grade"]
    workers_columns = columns
    if "community_work_start" in workers_columns:
        lf = lf.with_columns(full_years(pl.col("community_work_start").cast(pl.Date), on).alias("years"))
    else:
        lf = lf.with_columns(pl.col("years").cast(pl.Int64))
    gmin, gmax = _GMIN, _GMAX
    lf = lf.with_columns(_post_expr(policy, "grade_min").alias(gmin), _post_expr(policy, "grade_max").alias(gmax))
    cols = _derived(policy, [*workers_columns, "years"], on)
    cols["grade_min"], cols["grade_max"] = pl.col(gmin), pl.col(gmax)
    ft = rec.start("grade", f) if rec is not None else None
    raw = to_expr(f, _env(policy, on, cols, rec, ft)).cast(pl.Float64)
    # The raw value is kept so that _place_checked can refuse a non-finite one (division by
    # zero) after the fact: a flag per row here cost the population run a third more.
    placed = pl.min_horizontal(pl.max_horizontal(raw.floor(), pl.col(gmin).cast(pl.Float64)),
                               pl.col(gmax).cast(pl.Float64)).cast(pl.Int64)
    grade = pl.coalesce(pl.col("grade").cast(pl.Int64), placed) if "grade" in workers_columns else placed
    if rec is None:
        return lf.with_columns(grade.alias("grade"), raw.alias(_RAW))
    rec.keep("rule:grade", raw)
    _trace_inputs(rec, f.names & PLACE_INPUTS, cols, workers_columns)
    return lf.with_columns(grade.alias("grade"), raw.alias(_RAW), *rec.take())


# ---- pay ------------------------------------------------------------------------------------

def _pay_exprs(policy: Policy, df: pl.DataFrame | list[str], on: dt.date,
               rec: Recorder | None = None) -> list[list[pl.Expr]]:
    cols = _derived(policy, df, on)
    cols["grade"] = pl.col("grade").cast(pl.Float64)
    env = _env(policy, on, cols)
    stages: list[list[pl.Expr]] = []
    rules = policy.formulas["pay"]
    if rec is not None:
        names_read: set[str] = set()
        for f in [*rules.values(), *policy.formulas.get("floor", {}).values()]:
            names_read |= f.names & PAY_INPUTS
        _trace_inputs(rec, names_read, cols, df.columns if isinstance(df, pl.DataFrame) else df)
    for layer in policy.layers["pay"]:
        exprs = []
        for name in layer:
            if rec is not None:
                env = _env(policy, on, cols, rec, rec.start(name, rules[name]))
            exprs.append(to_expr(rules[name], env).cast(pl.Float64).round(2, mode="half_away_from_zero").alias(name))
        if rec is not None:
            exprs.extend(rec.take())
        stages.append(exprs)
        for name in layer:
            cols[name] = pl.col(name)
    names = [c.name for c in policy.components]
    subtotal = pl.sum_horizontal([pl.col(n) for n in names]) if names else pl.lit(0.0)
    final: list[pl.Expr] = []
    if policy.floor is not None:
        floor_f: Formula = policy.formulas["floor"][policy.floor.name]
        if rec is not None:
            env = _env(policy, on, cols, rec, rec.start(policy.floor.name, floor_f))
        floor_amount = to_expr(floor_f, env).cast(pl.Float64)
        topup = pl.max_horizontal(floor_amount - subtotal, pl.lit(0.0)).round(2, mode="half_away_from_zero")
        stages.append([topup.alias(policy.floor.name), *(rec.take() if rec is not None else [])])
        subtotal = subtotal + pl.col(policy.floor.name)
    final.append(subtotal.round(2, mode="half_away_from_zero").alias(TOTAL))
    stages.append(final)
    b = policy.params(on).benefits
    base = pl.col(TOTAL)
    if b.base_floor is not None:
        base = pl.max_horizontal(base, pl.lit(b.base_floor))
    if b.base_cap is not None:
        base = pl.min_horizontal(base, pl.lit(b.base_cap))
    employer = sum(i.employer for i in b.items.values())
    employee = sum(i.employee for i in b.items.values())
    if rec is not None:
        rec.keep(f"rule:{BENEFIT_BASE}", base)
    stages.append([
        (base * employer).round(2, mode="half_away_from_zero").alias(EMPLOYER_BENEFITS),
        (base * employee).round(2, mode="half_away_from_zero").alias(EMPLOYEE_BENEFITS),
        *(rec.take() if rec is not None else []),
    ])
    return stages


def _pay_needs(policy: Policy) -> set[str]:
    used: set[str] = set()
    for f in policy.formulas["pay"].values():
        used |= f.names
    for f in policy.formulas.get("floor", {}).values():
        used |= f.names
    needed = {"post", "grade"} | (used & {"education", "certificate", "years", "category", "sex"})
    if "education_rank" in used:
        needed.add("education")
    if "certificate_rank" in used:
        needed.add("certificate")
    if "age" in used:
        needed.add("birth_date")
    return needed


_KNOWN = _TMP + "known_post"


def _pay_lazy(policy: Policy, lf: pl.LazyFrame, columns: list[str], on: dt.date,
              rec: Recorder | None = None) -> pl.LazyFrame:
    key = ("pay_exprs", on, tuple(columns))
    stages = policy._cache.get(key) if rec is None else None
    if stages is None:
        stages = _pay_exprs(policy, columns, on, rec)
        if rec is None:
            policy._cache[key] = stages
    lf = lf.with_columns(pl.col("post").is_in(list(policy.posts)).alias(_KNOWN))
    for exprs in stages:
        lf = lf.with_columns(exprs)
    return lf


def _pay_checked(policy: Policy, workers: pl.DataFrame, out: pl.DataFrame) -> pl.DataFrame:
    if not out.get_column(_KNOWN).all():
        _check_posts(policy, workers)
    out = out.drop(_KNOWN)
    _check_nulls(out, policy.component_names() + [TOTAL], "worker_id", {})
    # Every component flows into the total (inf or NaN stays so), so it alone is checked.
    _check_finite(out, policy.component_names() + [TOTAL, EMPLOYER_BENEFITS, EMPLOYEE_BENEFITS], "worker_id", {}, sentinel=TOTAL)
    return out


def pay(policy: Policy, workers: pl.DataFrame, on: dt.date, *, tracer: Tracer | None = None) -> pl.DataFrame:
    """Monthly pay by component (P-COMP), floor top-up (P-FLOOR), total, and 五险一金 (P-BEN).
    With a tracer, every parameter read, each lookup and the benefit base are recorded."""
    workers = education_basis(policy, workers, on)
    _require(workers, sorted(_pay_needs(policy)), "pay")
    rec = Recorder(policy, on, "pay") if tracer is not None else None
    out = _pay_lazy(policy, workers.lazy(), workers.columns, on, rec).collect()
    if rec is not None and tracer is not None:
        used: set[str] = set()
        for f in policy.formulas["pay"].values():
            used |= f.names & PAY_INPUTS
        rec.finish(tracer, frozenset(used), out, {"benefits": policy.params(on).benefits})
        out = drop_traced(out)
    return _pay_checked(policy, workers, out)


def place_and_pay(policy: Policy, workers: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """place() then pay() fused into one Polars query: the same result, one pass."""
    workers = education_basis(policy, workers, on)
    placed_columns = [*workers.columns, *[c for c in ("years", "grade") if c not in workers.columns]]
    missing = sorted(_pay_needs(policy) - set(placed_columns))
    if missing:
        raise PolicyError(E.MISSING_COLUMNS.format(columns="、".join(missing)), place="pay")
    place(policy, workers.head(0), on)  # column checks of place() on an empty frame
    lf = _place_lazy(policy, workers.lazy(), workers.columns, on)
    out = _pay_lazy(policy, lf, [*placed_columns, _GMIN, _GMAX, _RAW], on).collect()
    out = _place_checked(policy, workers, out)
    return _pay_checked(policy, workers, out)


# ---- headcount against quota and pay statistics ----------------------------------------------

def quota_use(policy: Policy, units: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Q-USE: quota with headcount (column `headcount`): vacant and over quota per unit;
    Q-TR: workers per 10,000 urban residents when urban_population is given."""
    _require(units, ["headcount"], "quota_use")
    out = quota(policy, units, on)
    head = pl.col("headcount").cast(pl.Int64)
    out = out.with_columns(
        pl.when(pl.col("quota").is_not_null()).then(pl.max_horizontal(pl.col("quota") - head, pl.lit(0))).alias("vacant"),
        pl.when(pl.col("quota").is_not_null()).then(pl.max_horizontal(head - pl.col("quota"), pl.lit(0))).alias("over"),
    )
    if "urban_population" in out.columns:
        out = out.with_columns(
            pl.when(pl.col("urban_population") > 0)
            .then((head * 10000 / pl.col("urban_population")).round(1, mode="half_away_from_zero"))
            .alias("per_10k"))
    return out


def can_hire(quota_value: int | None, headcount: int, n: int = 1) -> bool:
    """Q-USE: hiring or transferring in n people is refused beyond the quota."""
    return quota_value is not None and headcount + n <= quota_value


def pay_summary(paid: pl.DataFrame) -> dict[str, float]:
    """P-STATS: headcount, monthly total and average of 应发合计, and employer cost."""
    n = paid.height
    total = float(paid.get_column(TOTAL).sum()) if n else 0.0
    employer = float(paid.get_column(EMPLOYER_BENEFITS).sum()) if n and EMPLOYER_BENEFITS in paid.columns else 0.0
    return {
        "headcount": n,
        "total": round(total, 2),
        "average": round(total / n, 2) if n else 0.0,
        "employer_cost": round(total + employer, 2),
        "annual_cost": round((total + employer) * 12, 2),
    }
