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
        `vacant` (the unit's vacant quota posts). out: + years, eligible, reason, unit_cap
        (at most max_share of the unit's dispatch workers, rounded down, and within vacancies).
    """
    d = policy.params(on).dispatch
    if d.min_years is None or d.max_share is None:
        raise PolicyError("政策没有规定劳务派遣人员转岗（dispatch）", file=policy.file, place="dispatch")
    _require(dispatch, ["worker_id", "unit", "street_work_start"], "dispatch")
    years = full_years(pl.col("street_work_start"), on)
    cap: pl.Expr = (pl.len().over("unit") * d.max_share + 1e-9).floor().cast(pl.Int64)
    if "vacant" in dispatch.columns and d.within_quota:
        cap = pl.min_horizontal(cap, pl.col("vacant").cast(pl.Int64).fill_null(0))
    eligible = years >= d.min_years
    return dispatch.with_columns(
        years.alias("years"), eligible.alias("eligible"),
        pl.when(eligible).then(None).otherwise(pl.lit(NO_CONVERSION.format(years=f"{d.min_years:g}"))).alias("reason"),
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
