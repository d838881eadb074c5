"""A campaign through the engine: the tier list (A-IND, A-PTS, A-TIER), the cap on 优秀 and
the consequences (A-STEP) over the whole campaign with each worker's results history.

Everything population-wide is one frame in, one frame out: the database is read with a few
`values()` queries and the rules are `shequ.rules.assess` with the policy in force."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from django.db.models import Q, QuerySet

from shequ.assessment.bulk import frame as read_frame
from shequ.assessment.models import Breach, Campaign, CampaignStatus, Consequence, Result, Score
from shequ.policy.selectors import policy_for
from shequ.rules import Policy, assess, pay, place, vocab
from shequ.rules.assess import canonical_results
from shequ.workers.models import Status, Worker

TOTAL = "应发合计"
EMPLOYER = "单位五险一金"


@dataclass
class CapCheck:
    """The cap on the share of 优秀: breaches are listed for a person to adjust."""

    cap: float | None
    total: int
    excellent: int
    allowed: int | None
    over: int
    candidates: list[dict[str, Any]] = field(default_factory=list)  # the 优秀 with the lowest points first

    @property
    def breached(self) -> bool:
        return self.over > 0


@dataclass
class Evaluation:
    campaign: Campaign
    policy: Policy
    label: str
    frame: pl.DataFrame  # one row per worker of the campaign, scored or not
    cap: CapCheck
    indicators: list[str]
    negative_items: list[str]  # the policy's negative list (负面清单); empty: the policy has none
    negative_dismiss: bool  # a breach also ends the contract (after the second confirmation)

    @property
    def scored(self) -> pl.DataFrame:
        return self.frame.filter(pl.col("tier").is_not_null())

    @property
    def missing(self) -> pl.DataFrame:
        return self.frame.filter(pl.col("tier").is_null())


def campaign_policy(campaign: Campaign) -> tuple[Policy, str]:
    """The policy in force for the campaign's scope at the end of its year."""
    return policy_for(unit=campaign.unit, on=date(campaign.year, 12, 31))


def assessment_params(policy: Policy, year: int) -> Any:
    return policy.params(date(year, 12, 31)).assessment


def negative_list(policy: Policy, year: int) -> list[str]:
    return list(assessment_params(policy, year).negative_list)


def campaign_workers(campaign: Campaign) -> QuerySet[Worker]:
    """Everyone in the campaign's subtree who has not left and was hired by the end of the
    year (someone hired the next spring is not assessed for the year before)."""
    return (
        Worker.objects.filter(unit__path__startswith=campaign.unit.path)
        .filter(Q(hired_on__isnull=True) | Q(hired_on__lte=date(campaign.year, 12, 31)))
        .exclude(status=Status.LEFT)
    )


def _campaign_worker_ids(campaign: Campaign) -> QuerySet[Worker, Mapping[str, object]]:
    # Everyone in scope now, plus anyone scored in the campaign who has left since (a
    # published list keeps the people it was published with).
    scored = Score.objects.filter(campaign=campaign).values("worker_id")
    return Worker.objects.filter(Q(pk__in=campaign_workers(campaign).values("pk")) | Q(pk__in=scored)).values("pk")


def _workers_frame(campaign: Campaign) -> pl.DataFrame:
    qs = Worker.objects.filter(pk__in=_campaign_worker_ids(campaign)).values_list(
        "pk", "name", "id_number", "unit_id", "unit__name", "post", "grade")
    return read_frame(qs, {"worker_id": pl.Int64, "name": pl.Utf8, "id_number": pl.Utf8, "unit": pl.Int64,
                      "unit_name": pl.Utf8, "post": pl.Utf8, "grade": pl.Int64})


def _year_frame(campaign: Campaign, policy: Policy) -> pl.DataFrame:
    """The campaign year's marks as the engine reads them: a hand adjustment, else the tier
    given, else the points; negative-list breaches go in as `negative` (the engine applies
    A-PTS: the tier of that year and, where the policy says so, dismissal)."""
    year = campaign.year
    breached: dict[int, list[str]] = {}
    for wid, reason in Breach.objects.filter(campaign=campaign).values_list("worker_id", "reason"):
        breached.setdefault(wid, []).append(reason)
    indicators = list(assessment_params(policy, year).indicator_weights)
    records: list[dict[str, Any]] = []
    for s in Score.objects.filter(campaign=campaign).values(
        "worker_id", "unit_id", "indicators", "score", "tier_given", "tier_adjusted"
    ):
        tier = s["tier_adjusted"] or s["tier_given"] or None
        reasons = breached.get(s["worker_id"])
        rec: dict[str, Any] = {
            "worker_id": s["worker_id"], "year": year, "unit": s["unit_id"],
            "score": float(s["score"]) if s["score"] is not None else None, "tier": tier,
            "negative": "；".join(reasons) if reasons else None,
        }
        for k in indicators:
            v = (s["indicators"] or {}).get(k)
            rec[k] = float(v) if v is not None else None
        records.append(rec)
    schema: dict[str, Any] = {"worker_id": pl.Int64, "year": pl.Int64, "unit": pl.Int64, "score": pl.Float64,
                              "tier": pl.Utf8, "negative": pl.Utf8}
    schema.update({k: pl.Float64 for k in indicators})
    df = pl.DataFrame(records, schema=schema)
    if indicators:
        # A-IND through the engine, only on rows that carry every indicator: rows without
        # them keep their own points (the weighted sum of nothing is not a score).
        full = pl.all_horizontal([pl.col(k).is_not_null() for k in indicators])
        with_ind = df.filter(full & pl.col("score").is_null())
        if with_ind.height:
            weighted = canonical_results(policy, with_ind.drop("tier").with_columns(pl.lit(None, dtype=pl.Utf8).alias("tier")), year)
            df = df.join(weighted.select("worker_id", pl.col("score").alias("_w")), on="worker_id", how="left")
            df = df.with_columns(pl.coalesce("score", "_w").alias("score")).drop("_w")
        df = df.drop(indicators)
    return df


def _history_frame(campaign: Campaign) -> pl.DataFrame:
    qs = Result.objects.filter(worker_id__in=_campaign_worker_ids(campaign), year__lt=campaign.year).values_list(
        "worker_id", "year", "unit_id", "score", "tier")
    return read_frame(qs, {"worker_id": pl.Int64, "year": pl.Int64, "unit": pl.Int64, "score": pl.Float64, "tier": pl.Utf8})


def evaluate(campaign: Campaign, *, policy: Policy | None = None, label: str = "") -> Evaluation:
    """Tiers and consequences for every worker of the campaign (engine `assess`)."""
    if policy is None:
        policy, label = campaign_policy(campaign)
    year = campaign.year
    workers = _workers_frame(campaign)
    this_year = _year_frame(campaign, policy).filter(pl.col("worker_id").is_in(workers["worker_id"].to_list()))
    history = _history_frame(campaign)
    results = pl.concat([history, this_year], how="diagonal_relaxed")
    if results.height:
        out = assess(policy, workers.select("worker_id", "post", "grade", "unit"), results, year)
        out = out.select("worker_id", "tier", "score", "actions", "处理", "new_grade")
    else:
        out = pl.DataFrame(schema={"worker_id": pl.Int64, "tier": pl.Utf8, "score": pl.Float64,
                                   "actions": pl.List(pl.Utf8), "处理": pl.Utf8, "new_grade": pl.Int64})
    breached = set(Breach.objects.filter(campaign=campaign).values_list("worker_id", flat=True))
    frame = workers.join(out, on="worker_id", how="left").with_columns(
        pl.col("worker_id").is_in(list(breached)).alias("breach"),
        pl.col("actions").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
    ).sort(["unit_name", "name"])
    if campaign.status == CampaignStatus.CONFIRMED or Consequence.objects.filter(campaign=campaign).exists():
        frame = _as_confirmed(campaign, frame)
    # A worker without a tier this year has no consequences yet.
    frame = frame.with_columns(
        pl.when(pl.col("tier").is_null()).then(pl.lit([], dtype=pl.List(pl.Utf8))).otherwise(pl.col("actions")).alias("actions"),
    )
    return Evaluation(
        campaign=campaign, policy=policy, label=label, frame=frame, cap=_cap(policy, year, frame),
        indicators=list(assessment_params(policy, year).indicator_weights),
        negative_items=negative_list(policy, year),
        negative_dismiss=assessment_params(policy, year).negative_list_dismiss,
    )


def _as_confirmed(campaign: Campaign, frame: pl.DataFrame) -> pl.DataFrame:
    """Once confirmed, the consequences are what was decided then, not a new run over
    grades that have since moved."""
    done: dict[int, dict[str, Any]] = {}
    for wid, action, before, after in Consequence.objects.filter(campaign=campaign).values_list(
        "worker_id", "action", "grade_before", "grade_after"
    ):
        d = done.setdefault(wid, {"worker_id": wid, "actions": [], "g0": before, "g1": after})
        d["actions"].append(action)
        if action == "晋升一级":
            d["g0"], d["g1"] = before, after
    order = {a: i for i, a in enumerate(vocab.ACTIONS)}
    rows = [{**d, "actions": sorted(d["actions"], key=order.__getitem__)} for d in done.values()]
    decided = pl.DataFrame(rows, schema={"worker_id": pl.Int64, "actions": pl.List(pl.Utf8), "g0": pl.Int64, "g1": pl.Int64})
    out = frame.drop("actions").join(decided, on="worker_id", how="left")
    return out.with_columns(
        pl.col("actions").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
        pl.coalesce("g0", "grade").alias("grade"),
        pl.coalesce("g1", "grade").alias("new_grade"),
    ).with_columns(
        pl.when(pl.col("actions").list.len() > 0).then(pl.col("actions").list.join(vocab.ACTION_SEPARATOR))
        .otherwise(pl.lit(vocab.NO_ACTION)).alias("处理"),
    ).drop("g0", "g1").select(frame.columns)


def _cap(policy: Policy, year: int, frame: pl.DataFrame) -> CapCheck:
    cap = assessment_params(policy, year).excellent_share_cap
    scored = frame.filter(pl.col("tier").is_not_null())
    excellent = scored.filter(pl.col("tier") == "优秀")
    if cap is None:
        return CapCheck(cap=None, total=scored.height, excellent=excellent.height, allowed=None, over=0)
    # Whole people: the share may reach the cap, never pass it.
    allowed = math.floor(cap * scored.height + 1e-9)
    over = max(0, excellent.height - allowed)
    candidates = excellent.sort("score", nulls_last=False).select("worker_id", "name", "unit_name", "score").to_dicts()
    return CapCheck(cap=cap, total=scored.height, excellent=excellent.height, allowed=allowed, over=over,
                    candidates=candidates if over else [])


# ---- cost of the consequences (engine `pay` before and after) --------------------------------

def _pay_frame(campaign: Campaign, on: date) -> pl.DataFrame:
    qs = Worker.objects.filter(pk__in=_campaign_worker_ids(campaign)).values_list(
        "pk", "unit_id", "unit__name", "post", "grade", "education", "certificate", "category", "sex",
        "birth_date", "community_work_start",
    )
    df = read_frame(qs, {"worker_id": pl.Int64, "unit": pl.Int64, "unit_name": pl.Utf8, "post": pl.Utf8, "grade": pl.Int64,
                         "education": pl.Utf8, "certificate": pl.Utf8, "category": pl.Utf8, "sex": pl.Utf8,
                         "birth_date": pl.Date, "community_work_start": pl.Date})
    # Years of community work as of the date asked, in whole and partial years.
    return df.with_columns(
        ((pl.lit(on) - pl.col("community_work_start")).dt.total_days() / 365.25).alias("years"),
    )


def _paid(policy: Policy, df: pl.DataFrame, on: date) -> pl.DataFrame:
    if df.height == 0:
        return df.with_columns(pl.lit(0.0).alias(TOTAL), pl.lit(0.0).alias(EMPLOYER))
    missing_grade = df.filter(pl.col("grade").is_null())
    if missing_grade.height:
        # Workers never graded are placed by the policy first, as a pay run would.
        placed = place(policy, missing_grade.drop("grade"), on).select("worker_id", pl.col("grade").alias("_g"))
        df = df.join(placed, on="worker_id", how="left").with_columns(pl.coalesce("grade", "_g").alias("grade")).drop("_g")
    return pay(policy, df, on)


@dataclass
class CostPreview:
    on: date
    by_unit: list[dict[str, Any]]
    total: dict[str, float]


def cost_preview(ev: Evaluation, on: date) -> CostPreview:
    """Monthly pay by unit before and after the consequences: grade steps and this year's
    tier (pay components may read `last_tier`), and what confirmed dismissals would save."""
    frame = ev.frame
    # Grades as the evaluation has them (after confirmation: as they were before it).
    base = _pay_frame(ev.campaign, on).drop("grade").join(frame.select("worker_id", "grade"), on="worker_id", how="left")
    prior = _last_tier_before(ev.campaign)
    before = base.join(prior, on="worker_id", how="left")
    after = base.join(frame.select("worker_id", pl.col("tier").alias("last_tier"), "new_grade"), on="worker_id", how="left")
    after = after.with_columns(pl.coalesce("new_grade", "grade").alias("grade"),
                               pl.coalesce("last_tier", pl.lit(None, dtype=pl.Utf8)).alias("last_tier")).drop("new_grade")
    # Keep last year's tier where this year has none (not yet scored).
    after = after.join(prior.rename({"last_tier": "_p"}), on="worker_id", how="left").with_columns(
        pl.coalesce("last_tier", "_p").alias("last_tier")).drop("_p")
    pb = _paid(ev.policy, before, on).select("worker_id", "unit_name", pl.col(TOTAL).alias("before"), pl.col(EMPLOYER).alias("before_employer"))
    pa = _paid(ev.policy, after, on).select("worker_id", pl.col(TOTAL).alias("after"), pl.col(EMPLOYER).alias("after_employer"))
    dismiss = frame.select("worker_id", pl.col("actions").list.contains("解聘").alias("dismiss"))
    df = pb.join(pa, on="worker_id").join(dismiss, on="worker_id")
    by_unit = (
        df.group_by("unit_name")
        .agg(
            pl.len().alias("headcount"),
            pl.col("before").sum(), pl.col("after").sum(),
            (pl.col("after_employer") - pl.col("before_employer")).sum().alias("employer_change"),
            pl.when(pl.col("dismiss")).then(-(pl.col("after") + pl.col("after_employer"))).otherwise(0.0).sum().alias("dismissal_change"),
        )
        .with_columns((pl.col("after") - pl.col("before")).alias("change"))
        .sort("unit_name")
    )
    rows = [{k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items()} for r in by_unit.to_dicts()]
    total = {k: round(float(by_unit[k].sum()), 2) for k in ("before", "after", "change", "employer_change", "dismissal_change")}
    total["headcount"] = int(by_unit["headcount"].sum()) if by_unit.height else 0
    return CostPreview(on=on, by_unit=rows, total=total)


def _last_tier_before(campaign: Campaign) -> pl.DataFrame:
    qs = Result.objects.filter(worker_id__in=_campaign_worker_ids(campaign), year=campaign.year - 1).values_list("worker_id", "tier")
    return read_frame(qs, {"worker_id": pl.Int64, "last_tier": pl.Utf8})
