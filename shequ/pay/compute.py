"""A month's pay for a whole scope, as a Polars frame: no database writes here.

Steps: workers as they stood at the month's end (worker_states_on); who worked in the
month and for how many days; the governing policy per unit; one engine call (place, then
pay) per policy version over all its workers; pro rata by calendar days; probation days
at the policy's probation share (E-PROB: the shipped presets pay probation in full)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from shequ.errors import Invalid
from shequ.growth.training.certification import allowance_cutoff, levels_before
from shequ.org.models import Unit
from shequ.pay.items import ItemError, with_items
from shequ.pay.leave import treatments_on, unpaid_leave_days
from shequ.policy.resolve import Governing, governing_frame
from shequ.rules import pay, place
from shequ.rules.policy import EMPLOYEE_BENEFITS, EMPLOYER_BENEFITS, TOTAL
from shequ.workers.models import Worker
from shequ.workers.selectors import worker_states_on

# The columns a pay line's worker state keeps (the snapshot shown on payslips and diffed for arrears).
STATE_COLUMNS = [
    "post", "grade", "education", "certificate", "category", "years", "last_tier", "treatment", "days", "probation_days",
    "unit_id",
]
STATE_LABELS = {
    "post": "岗位", "grade": "等级", "education": "学历", "certificate": "职业资格", "category": "人员类别",
    "years": "社区工作年限", "last_tier": "上年考核等次", "treatment": "经济待遇", "days": "计薪天数", "probation_days": "试用期天数", "unit_id": "单位",
    "policy_label": "政策版本",
}


@dataclass
class MonthPay:
    month: date
    frame: pl.DataFrame  # one row per worker; component columns by name
    governing: dict[str, Governing] = field(default_factory=dict)
    components: list[str] = field(default_factory=list)


def month_bounds(month: date) -> tuple[date, date, int]:
    days = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=days), days


def add_months(month: date, n: int) -> date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return date(y, m + 1, 1)


def compute_month(*, scope: Unit, month: date) -> MonthPay:
    first, last, dim = month_bounds(month)
    states = worker_states_on(scope=scope, on=last)
    start = pl.max_horizontal(pl.col("hired_on").fill_null(first), pl.lit(first))
    end = pl.min_horizontal(pl.col("left_on").fill_null(last), pl.lit(last))
    prob_end = pl.min_horizontal(pl.col("probation_until"), end)
    working = (
        states.filter(
            (pl.col("hired_on").is_null() | (pl.col("hired_on") <= last))
            & (pl.col("left_on").is_null() | (pl.col("left_on") >= first))
        )
        .with_columns(
            ((end - start).dt.total_days() + 1).cast(pl.Int64).alias("days"),
            pl.when(pl.col("probation_until").is_not_null() & (pl.col("probation_until") >= start))
            .then((prob_end - start).dt.total_days() + 1)
            .otherwise(0)
            .cast(pl.Int64)
            .alias("probation_days"),
        )
        .filter(pl.col("days") > 0)
    )
    working = working.join(last_tiers(scope=scope, year=first.year - 1), on="worker_id", how="left")
    labels, governing = governing_frame(units=working.select("unit_id", "unit_path").unique(), on=last)
    working = working.join(labels, on="unit_id", how="left")
    working = _certificates_for_allowance(working, scope=scope, first=first, governing=governing)
    working = _less_unpaid_leave(working, scope=scope, first=first, last=last, governing=governing)
    working = working.join(treatments_on(scope=scope, on=last), on="worker_id", how="left").with_columns(
        pl.col("treatment").fill_null(""))
    parts: list[pl.DataFrame] = []
    components: list[str] = []
    used: dict[str, Governing] = {}
    for label in sorted(working.get_column("policy_label").unique().to_list()):
        g = governing[label]
        used[label] = g
        group = working.filter(pl.col("policy_label") == label)
        parts.append(_pay_group(g, group, last, dim))
        components += [c for c in g.policy.component_names() if c not in components]
    frame = pl.concat(parts, how="diagonal_relaxed") if parts else _empty(components)
    frame = frame.with_columns(pl.lit(dim, dtype=pl.Int64).alias("days_in_month"))
    try:
        frame = with_items(frame, scope=scope, month=first, on=last, governing=used)
    except ItemError as exc:
        raise PayComputeError(str(exc)) from None
    return MonthPay(month=first, frame=frame.sort("unit_id", "worker_id"), governing=used, components=components)


def _certificates_for_allowance(
    working: pl.DataFrame, *, scope: Unit, first: date, governing: dict[str, Governing]
) -> pl.DataFrame:
    """T-CERT: the qualification allowance follows the certificate held before the policy's
    cutoff (allowance_lag_months = 1: a certificate obtained in November pays from December),
    not the one held at the month's end."""
    if working.is_empty():
        return working
    cutoffs = pl.DataFrame(
        [(label, allowance_cutoff(governing[label].policy, first)) for label in working["policy_label"].unique().to_list()],
        orient="row", schema={"policy_label": pl.Utf8, "cutoff": pl.Date},
    )
    ids = Worker.objects.filter(unit__path__startswith=scope.path).values("id")
    held = levels_before(working.select("worker_id", "certificate", "policy_label").join(cutoffs, on="policy_label"), ids)
    return working.drop("certificate").join(
        held.select("worker_id", pl.col("level").alias("certificate")), on="worker_id", how="left"
    )


def _less_unpaid_leave(
    working: pl.DataFrame, *, scope: Unit, first: date, last: date, governing: dict[str, Governing]
) -> pl.DataFrame:
    """P-LEAVE: approved unpaid leave days come off the paid days, as a part month does;
    probation days never exceed the days left."""
    if working.is_empty():
        return working
    unpaid = unpaid_leave_days(scope=scope, first=first, last=last, working=working, governing=governing)
    if unpaid.is_empty():
        return working
    out = working.join(unpaid, on="worker_id", how="left").with_columns(
        pl.max_horizontal(pl.col("days") - pl.col("unpaid_days").fill_null(0), pl.lit(0)).cast(pl.Int64).alias("days"),
    )
    return out.with_columns(pl.min_horizontal("probation_days", "days").cast(pl.Int64).alias("probation_days")).drop("unpaid_days")


UNKNOWN_POSTS = "以下人员的岗位不在适用政策“{policy}”中，无法核算：{who}"


class PayComputeError(Invalid):
    pass


def _check_posts(g: Governing, group: pl.DataFrame) -> None:
    bad = group.filter(~pl.col("post").is_in(g.policy.post_names()) | pl.col("post").is_null())
    if bad.height:
        who = "、".join(f"{r['name']}（{r['unit_name']}，{r['post']}）" for r in bad.head(5).iter_rows(named=True))
        more = f" 等 {bad.height} 人" if bad.height > 5 else ""
        raise PayComputeError(UNKNOWN_POSTS.format(policy=g.label, who=who + more))


def _pay_group(g: Governing, group: pl.DataFrame, on: date, dim: int) -> pl.DataFrame:
    """One engine call over every worker this policy version governs."""
    _check_posts(g, group)
    engine_in = group.select(
        "worker_id", "post", "grade", "education", "certificate", "category", "sex", "birth_date",
        "community_work_start", "last_tier", "treatment", *[c for c in ("education_full_time",) if c in group.columns],
    )
    paid = pay(g.policy, place(g.policy, engine_in, on), on)
    share = g.policy.params(on).probation.pay_share
    names = g.policy.component_names()
    # Days on probation count at the policy's share (E-PROB), the rest in full; then pro rata.
    factor = (pl.col("days") - pl.col("probation_days") * (1.0 - share)) / dim
    out = group.drop("grade").join(
        paid.select("worker_id", "grade", "years", *names, TOTAL, EMPLOYER_BENEFITS, EMPLOYEE_BENEFITS),
        on="worker_id", how="left",
    )
    out = out.with_columns([(pl.col(n) * factor).round(2, mode="half_away_from_zero").alias(n) for n in names])
    b = g.policy.params(on).benefits
    base = pl.col(TOTAL)
    if b.base_floor is not None:
        base = pl.max_horizontal(base, pl.lit(b.base_floor))
    if b.base_cap is not None:
        base = pl.min_horizontal(base, pl.lit(b.base_cap))
    # P-BEN per item (the tax office's sheet has a column each); the engine gives the sum.
    personal = [(base * i.employee).round(2, mode="half_away_from_zero").alias(k) for k, i in b.items.items() if i.employee]
    return out.with_columns(
        (pl.struct(personal).struct.json_encode() if personal else pl.lit("{}")).alias("contributions"),
        pl.sum_horizontal(names).round(2, mode="half_away_from_zero").alias("gross"),
        # Contributions are monthly on the legal base (P-BEN), not prorated by days.
        pl.col(EMPLOYER_BENEFITS).alias("employer_benefits"),
        pl.col(EMPLOYEE_BENEFITS).alias("employee_benefits"),
        pl.struct(names).struct.json_encode().alias("components"),
    ).drop(TOTAL, EMPLOYER_BENEFITS, EMPLOYEE_BENEFITS)


def last_tiers(*, scope: Unit, year: int) -> pl.DataFrame:
    """worker_id → last_tier: each worker's assessment result for `year` (A-FILE), for
    workers now in the scope or assessed in it."""
    from shequ.assessment.selectors import results_frame

    return results_frame(scope=scope, year=year).rename({"tier": "last_tier"})


def _empty(components: list[str]) -> pl.DataFrame:
    return pl.DataFrame(schema={
        "worker_id": pl.Int64, "name": pl.Utf8, "id_number": pl.Utf8, "unit_id": pl.Int64, "unit_name": pl.Utf8,
        "unit_path": pl.Utf8, "policy_label": pl.Utf8, "post": pl.Utf8, "grade": pl.Int64, "education": pl.Utf8,
        "certificate": pl.Utf8, "category": pl.Utf8, "years": pl.Int64, "last_tier": pl.Utf8, "treatment": pl.Utf8,
        "days": pl.Int64,
        "probation_days": pl.Int64, "components": pl.Utf8, "gross": pl.Float64, "employer_benefits": pl.Float64,
        "employee_benefits": pl.Float64,
    })


def month_last_day(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)
