"""Assessment consequences (A-TIER, A-IND, A-PTS, A-STEP) from a history of annual results."""

from __future__ import annotations

import datetime as dt

import polars as pl

from shequ.rules import errors as E
from shequ.rules import vocab
from shequ.rules.errors import PolicyError
from shequ.rules.policy import Policy
from shequ.rules.schema import AssessmentParams
from shequ.rules.trace import Recorder, Tracer

STEP, PROMOTE, WARN, DISMISS = vocab.ACTIONS
RUN_GOOD, RUN_EXCELLENT, RUN_FAILED = "good_run", "excellent_run", "failed_run"
NEGATIVE = "negative_breach"


def _params(policy: Policy, year: int) -> AssessmentParams:
    return policy.params(dt.date(year, 12, 31)).assessment


def canonical_results(policy: Policy, results: pl.DataFrame, year: int) -> pl.DataFrame:
    """Results with tiers read through the aliases (A-TIER), scores from indicators (A-IND)
    and tiers from points where only a score is given (A-PTS)."""
    a = _params(policy, year)
    df = results.with_columns(pl.col("year").cast(pl.Int64))
    if "score" not in df.columns:
        df = df.with_columns(pl.lit(None, dtype=pl.Float64).alias("score"))
    if "tier" not in df.columns:
        df = df.with_columns(pl.lit(None, dtype=pl.Utf8).alias("tier"))
    df = df.with_columns(pl.col("score").cast(pl.Float64), pl.col("tier").cast(pl.Utf8).str.strip_chars())
    if a.indicator_weights and all(k in df.columns for k in a.indicator_weights):
        weighted = pl.sum_horizontal([pl.col(k).cast(pl.Float64) * w for k, w in a.indicator_weights.items()])
        df = df.with_columns(pl.coalesce(pl.col("score"), weighted.round(2)).alias("score"))
    mapping = {**{t: t for t in a.tiers}, **a.aliases}
    tier = pl.col("tier").replace_strict(list(mapping), list(mapping.values()), default=None, return_dtype=pl.Utf8)
    bad = df.filter(pl.col("tier").is_not_null() & tier.is_null())
    if bad.height:
        raise PolicyError(E.UNKNOWN_TIER.format(tier=bad.get_column("tier")[0]))
    if a.points:
        by_points: pl.Expr = pl.lit(vocab.TIERS[-1])
        for th in sorted(a.points, key=lambda t: t.min):
            by_points = pl.when(pl.col("score") >= th.min).then(pl.lit(th.tier)).otherwise(by_points)
        tier = pl.coalesce(tier, pl.when(pl.col("score").is_not_null()).then(by_points))
    if "negative" in df.columns:
        # A breach of the negative list overrides the tier of that year.
        breach = pl.col("negative").cast(pl.Utf8).str.strip_chars().fill_null("") != ""
        tier = pl.when(breach).then(pl.lit(vocab.TIERS[-1])).otherwise(tier)
    else:
        breach = pl.lit(False)
    return df.with_columns(tier.alias("tier"), breach.alias(NEGATIVE))


def _run(flag: pl.Expr) -> pl.Expr:
    """Length of the run of consecutive years with `flag`, ending at each row (0 if not flag)."""
    gap = (pl.col("year").diff().over("worker_id") != 1).fill_null(True)
    brk = (~flag) | gap
    run_id = brk.cast(pl.Int64).cum_sum().over("worker_id")
    return pl.when(flag).then(flag.cast(pl.Int64).cum_sum().over(["worker_id", run_id])).otherwise(0)


def runs(policy: Policy, results: pl.DataFrame, year: int) -> pl.DataFrame:
    """Each worker's results up to `year`, with the three runs A-STEP reads."""
    a = _params(policy, year)
    rank = pl.col("tier").replace_strict(list(vocab.TIER_RANK), list(vocab.TIER_RANK.values()), default=None, return_dtype=pl.Int64)
    df = (canonical_results(policy, results, year)
          .filter(pl.col("year") <= year)
          .unique(subset=["worker_id", "year"], keep="last", maintain_order=True)
          .sort(["worker_id", "year"]))
    good = (rank >= vocab.TIER_RANK[a.step_min_tier]).fill_null(False)
    return df.with_columns(
        _run(good).alias(RUN_GOOD),
        _run((pl.col("tier") == a.promote_tier).fill_null(False)).alias(RUN_EXCELLENT),
        _run((pl.col("tier") == a.dismiss_tier).fill_null(False)).alias(RUN_FAILED),
    )


def assess(policy: Policy, workers: pl.DataFrame, results: pl.DataFrame, year: int, *,
           tracer: Tracer | None = None) -> pl.DataFrame:
    """Consequences for `year`: 晋升一级 / 优先晋升 / 约谈提醒 / 解聘, and the grade after them.
    With a tracer, the parameters read, each worker's history with its runs, and the
    runs and top grade of `year` are recorded."""
    for col in ("worker_id", "post", "grade"):
        if col not in workers.columns:
            raise PolicyError(E.MISSING_COLUMNS.format(columns=col), place="assess")
    for col in ("worker_id", "year"):
        if col not in results.columns:
            raise PolicyError(E.MISSING_COLUMNS.format(columns=col), place="assess")
    a = _params(policy, year)
    hist = runs(policy, results, year)
    now = hist.filter(pl.col("year") == year).select(
        "worker_id", "tier", "score", RUN_GOOD, RUN_EXCELLENT, RUN_FAILED, NEGATIVE,
        *[c for c in ("unit",) if c in hist.columns and c not in workers.columns])
    key_dtype = workers.schema["worker_id"]
    now = now.with_columns(pl.col("worker_id").cast(key_dtype))
    drop = [c for c in ("tier", "score") if c in workers.columns]
    df = workers.drop(drop).join(now, on="worker_id", how="left")
    posts = policy.posts
    grade_max = pl.col("post").replace_strict(list(posts), [p.grade_max for p in posts.values()], default=None, return_dtype=pl.Int64)
    grade = pl.col("grade").cast(pl.Int64)

    step = pl.lit(False)
    if a.step_every_years:
        step = (pl.col(RUN_GOOD) > 0) & (pl.col(RUN_GOOD) % a.step_every_years == 0)
    # A-STEP: a grade never passes the top of the post range, so no step at the top.
    step = (step & (grade < grade_max)).fill_null(False)
    promote = (pl.col(RUN_EXCELLENT) >= a.promote_years).fill_null(False) if a.promote_years else pl.lit(False)
    dismiss = (pl.col(RUN_FAILED) >= a.dismiss_years).fill_null(False) if a.dismiss_years else pl.lit(False)
    if a.negative_list_dismiss:
        dismiss = dismiss | pl.col(NEGATIVE).fill_null(False)
    warn = pl.lit(False)
    if a.last_place_warning:
        # Rank those who stay: a worker dismissed this year is not "last" for a warning talk,
        # and a group needs at least two ranked workers to have a last place.
        ranked = pl.col("score").is_not_null() & ~dismiss
        score = pl.when(ranked).then(pl.col("score"))
        group = "unit" if a.last_place_scope == "unit" and "unit" in df.columns else None
        lowest = score.min().over(group) if group else score.min()
        count = ranked.cast(pl.Int64).sum().over(group) if group else ranked.cast(pl.Int64).sum()
        warn = (ranked & (pl.col("score") == lowest) & (count >= 2)).fill_null(False)
    actions = pl.concat_list([
        pl.when(step).then(pl.lit(STEP)).otherwise(None),
        pl.when(promote).then(pl.lit(PROMOTE)).otherwise(None),
        pl.when(warn).then(pl.lit(WARN)).otherwise(None),
        pl.when(dismiss).then(pl.lit(DISMISS)).otherwise(None),
    ]).list.drop_nulls()
    out = df.with_columns(actions.alias("actions"))
    out = out.with_columns(
        pl.when(pl.col("actions").list.len() > 0)
        .then(pl.col("actions").list.join(vocab.ACTION_SEPARATOR))
        .otherwise(pl.lit(vocab.NO_ACTION)).alias("处理"),
        pl.when(step).then(grade + 1).otherwise(grade).alias("new_grade"),
    )
    if tracer is not None:
        rec = Recorder(policy, dt.date(year, 12, 31), "assess")
        for run in (RUN_GOOD, RUN_EXCELLENT, RUN_FAILED):
            rec.keep(f"rule:{run}", pl.col(run))
        rec.keep("input:grade_max", grade_max)
        ids = workers.get_column("worker_id").to_list()
        history = hist.with_columns(pl.col("worker_id").cast(key_dtype)).filter(pl.col("worker_id").is_in(ids))
        rec.finish(tracer, frozenset({"worker_id", "post", "grade"}), out.with_columns(rec.take()),
                   {"assessment": a, "history": history, "year": year})
    return out.drop([RUN_GOOD, RUN_EXCELLENT, RUN_FAILED, NEGATIVE])


def excellent_share(policy: Policy, results: pl.DataFrame, year: int) -> tuple[float, float | None]:
    """Share of 优秀 in `year` and the policy's cap (None when the policy sets none)."""
    a = _params(policy, year)
    df = canonical_results(policy, results, year).filter(pl.col("year") == year)
    share = df.filter(pl.col("tier") == "优秀").height / df.height if df.height else 0.0
    return share, a.excellent_share_cap
