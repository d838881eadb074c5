"""Entry and exit rules over frames: exam eligibility and ranking (E-EXAM), dispatch
conversion (E-DISP), retirement dates (C-RETIRE)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from shequ.rules import errors as E
from shequ.rules import vocab
from shequ.rules.errors import PolicyError
from shequ.rules.evaluate import full_years
from shequ.rules.policy import Policy

AGE_OVER = "年龄 {age} 岁，超过上限 {max} 岁"
EDUCATION_BELOW = "学历低于{min}"
NOT_RESIDENT = "不符合户籍或居住地要求"
NO_CONVERSION = "在本单位工作不满 {years} 年"
TIER_TOO_LOW = "近 {years} 年年度考核须为{tier}（或以上）"
NOT_IN_COMMUNITY = "不在社区工作的人员一律不得转入"
BELOW_STANDARD = "不符合标准条件的人员一律不得转入"
NOT_CONVERTED_CATEGORY = "人员类别「{category}」不在转入范围内"
NOT_DIRECT = "从「{old}」到「{new}」不能直接套转，须按晋升条件和程序办理"


def _require(df: pl.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise PolicyError(E.MISSING_COLUMNS.format(columns="、".join(missing)), place=what)


def exam_rank(policy: Policy, applicants: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """E-EXAM: eligibility (age, education, residence) with reasons, preference points for
    certificate holders and veterans, the weighted written + interview score, and the rank
    among eligible applicants (1 = first; ties share a rank).

    in: birth_date, education, written, interview; optional certificate, veteran (bool),
        local_resident (bool). out: + age, eligible, reasons, preference_points, total_score, rank.
    """
    x = policy.params(on).exam
    _require(applicants, ["birth_date", "education", "written", "interview"], "exam")
    age = full_years(pl.col("birth_date"), on)
    edu_rank = pl.col("education").replace_strict(list(vocab.EDUCATION), list(range(len(vocab.EDUCATION))), default=None, return_dtype=pl.Int64)
    reasons = []
    if x.max_age is not None:
        reasons.append(pl.when(age > x.max_age).then(pl.format(AGE_OVER.replace("{age}", "{}").replace("{max}", str(x.max_age)), age)))
    if x.min_education is not None:
        reasons.append(pl.when(edu_rank < vocab.EDUCATION_RANK[x.min_education]).then(pl.lit(EDUCATION_BELOW.format(min=x.min_education))))
    if x.residence_required:
        local = pl.col("local_resident").fill_null(False) if "local_resident" in applicants.columns else pl.lit(False)
        reasons.append(pl.when(~local).then(pl.lit(NOT_RESIDENT)))
    reason_list = pl.concat_list(reasons).list.drop_nulls() if reasons else pl.lit([], dtype=pl.List(pl.Utf8))
    cert = (pl.col("certificate").fill_null("无") != "无") if "certificate" in applicants.columns else pl.lit(False)
    veteran = pl.col("veteran").fill_null(False) if "veteran" in applicants.columns else pl.lit(False)
    points = pl.when(cert).then(pl.lit(x.certificate_points)).otherwise(0.0) + pl.when(veteran).then(pl.lit(x.veteran_points)).otherwise(0.0)
    total = (pl.col("written").cast(pl.Float64) * x.written_weight
             + pl.col("interview").cast(pl.Float64) * x.interview_weight + points).round(2, mode="half_away_from_zero")
    out = applicants.with_columns(age.alias("age"), reason_list.alias("reasons"), points.alias("preference_points"), total.alias("total_score"))
    out = out.with_columns((pl.col("reasons").list.len() == 0).alias("eligible"))
    rank = pl.when(pl.col("eligible")).then(pl.col("total_score")).otherwise(None).rank(method="min", descending=True).cast(pl.Int64)
    return out.with_columns(rank.alias("rank"))


def dispatch_conversion(policy: Policy, dispatch: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """E-DISP: which dispatch workers (劳务派遣) may convert, and how many per unit.

    in: worker_id, unit, street_work_start (Date: start of work at the street); optional
        `vacant` (the unit's vacant quota posts); `recent_tiers` (list of tiers, the latest
        completed year first) when the policy asks for a result (min_tier).
    out: + years, eligible, reason, years_ok, tier_ok, unit_cap (at most max_share of the unit's dispatch
        workers, rounded as cap_rounding says, and within vacancies).
    """
    d = policy.params(on).dispatch
    if d.min_years is None or d.max_share is None:
        raise PolicyError(E.NO_DISPATCH_RULE, file=policy.label, place="dispatch")
    _require(dispatch, ["worker_id", "unit", "street_work_start"] + (["recent_tiers"] if d.min_tier else []), "dispatch")
    years = full_years(pl.col("street_work_start"), on)
    raw = pl.len().over("unit") * d.max_share
    # The epsilon keeps 10 × 0.1 at exactly 1 in either direction.
    rounded = {"down": (raw + 1e-9).floor(), "up": (raw - 1e-9).ceil(),
               "nearest": raw.round(0, mode="half_away_from_zero")}[d.cap_rounding]
    cap: pl.Expr = rounded.cast(pl.Int64)
    if "vacant" in dispatch.columns and d.within_quota:
        cap = pl.min_horizontal(cap, pl.col("vacant").cast(pl.Int64).fill_null(0))
    long_enough = years >= d.min_years
    reason = pl.when(long_enough).then(None).otherwise(pl.lit(NO_CONVERSION.format(years=f"{d.min_years:g}")))
    eligible = long_enough
    good: pl.Expr = pl.lit(True)
    if d.min_tier is not None:
        aliases = policy.params(on).assessment.aliases
        need = vocab.TIER_RANK[d.min_tier]
        ranks = pl.col("recent_tiers").list.head(d.tier_years).list.eval(
            pl.element().replace(aliases).replace_strict(vocab.TIER_RANK, default=-1, return_dtype=pl.Int64))
        good = (pl.col("recent_tiers").list.len() >= d.tier_years).fill_null(False) & (ranks.list.min() >= need).fill_null(False)
        eligible = long_enough & good
        tier_reason = pl.lit(TIER_TOO_LOW.format(years=d.tier_years, tier=d.min_tier))
        reason = (pl.when(~long_enough & ~good).then(pl.concat_str([reason, tier_reason], separator="；"))
                  .when(~good).then(tier_reason).otherwise(reason))
    return dispatch.with_columns(
        years.alias("years"), eligible.alias("eligible"), reason.alias("reason"), long_enough.alias("years_ok"), good.alias("tier_ok"),
        cap.alias("unit_cap"))


def retirement(policy: Policy, workers: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """C-RETIRE: retirement age by sex and post, the date it is reached, and whether it has
    been reached by `on`. in: sex, post, birth_date. out: + retirement_age, retirement_date, retired."""
    _require(workers, ["sex", "post", "birth_date"], "retirement")
    ages = policy.params(on).retirement.ages
    keys, values = [], []
    for sex, by_post in ages.items():
        for post, years in by_post.items():
            keys.append(f"{sex}|{post}")
            values.append(years)
    specific = pl.concat_str([pl.col("sex"), pl.lit("|"), pl.col("post")]).replace_strict(keys, values, default=None, return_dtype=pl.Int64)
    default = pl.concat_str([pl.col("sex"), pl.lit("|default")]).replace_strict(keys, values, default=None, return_dtype=pl.Int64)
    out = workers.with_columns(pl.coalesce(specific, default).alias("retirement_age"))
    out = out.with_columns(pl.col("birth_date").dt.offset_by(pl.format("{}y", pl.col("retirement_age"))).alias("retirement_date"))
    return out.with_columns((pl.col("retirement_date") <= on).alias("retired"))


def conversion_eligible(policy: Policy, candidates: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """E-TWO: the "two always" of a bulk conversion (套改/套转): nobody who does not work in a
    community and nobody who fails the standard may be converted in.

    in: works_in_community (bool), meets_standard (bool) as the policy requires; category when
    the policy limits categories. out: + eligible, reasons List[Utf8]."""
    c = policy.params(on).conversion
    needs = (["works_in_community"] if c.requires_community_work else []) + (["meets_standard"] if c.requires_standard else [])
    needs += ["category"] if c.categories else []
    _require(candidates, needs, "conversion")
    reasons: list[pl.Expr] = []
    if c.requires_community_work:
        reasons.append(pl.when(~pl.col("works_in_community").fill_null(False)).then(pl.lit(NOT_IN_COMMUNITY)))
    if c.requires_standard:
        reasons.append(pl.when(~pl.col("meets_standard").fill_null(False)).then(pl.lit(BELOW_STANDARD)))
    if c.categories:
        reasons.append(pl.when(~pl.col("category").is_in(c.categories)).then(
            pl.format(NOT_CONVERTED_CATEGORY.replace("{category}", "{}"), pl.col("category"))))
    listed = pl.concat_list(reasons).list.drop_nulls() if reasons else pl.lit([], dtype=pl.List(pl.Utf8))
    out = candidates.with_columns(listed.alias("reasons"))
    return out.with_columns((pl.col("reasons").list.len() == 0).alias("eligible"))


def post_change(policy: Policy, workers: pl.DataFrame) -> pl.DataFrame:
    """G-TR: a worker elected or appointed into another post converts directly when the new
    post lists the old one in `direct_from`: the grade is kept and moved into the new post's
    range. Otherwise the change needs the promotion procedure (direct = false, with a reason).

    in: post, grade, new_post. out: + direct, new_grade (null when not direct), reason."""
    _require(workers, ["post", "grade", "new_post"], "post_change")
    posts = policy.posts
    unknown = workers.filter(~pl.col("new_post").is_in(list(posts)))
    if unknown.height:
        raise PolicyError(E.UNKNOWN_POST_REF.format(post=unknown.get_column("new_post")[0]), file=policy.label, place="posts")
    pairs = [f"{old}|{new}" for new, p in posts.items() for old in p.direct_from]
    direct = pl.concat_str([pl.col("post"), pl.lit("|"), pl.col("new_post")]).is_in(pairs)
    lo = pl.col("new_post").replace_strict(list(posts), [p.grade_min for p in posts.values()], return_dtype=pl.Int64)
    hi = pl.col("new_post").replace_strict(list(posts), [p.grade_max for p in posts.values()], return_dtype=pl.Int64)
    moved = pl.min_horizontal(pl.max_horizontal(pl.col("grade").cast(pl.Int64), lo), hi)
    reason = pl.format(NOT_DIRECT.replace("{old}", "{}").replace("{new}", "{}"), pl.col("post"), pl.col("new_post"))
    return workers.with_columns(
        direct.alias("direct"),
        pl.when(direct).then(moved).otherwise(None).alias("new_grade"),
        pl.when(direct).then(None).otherwise(reason).alias("reason"),
    )
