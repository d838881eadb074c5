"""C-PATH for a whole population: every worker in scope whose post the policy lets them be
promoted from, with the conditions they do not yet meet, in one Polars pass. It applies
the same rules as services.promotion_unmet (one worker) and says so in the same words;
a test holds the two together."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db.models.fields.json import KT

from shequ.common.scope import scoped
from shequ.growth.careers import services
from shequ.org.models import Unit
from shequ.policy.selectors import policies_for_paths
from shequ.rules.vocab import CERTIFICATE_RANK, EDUCATION_RANK, TIER_ALIASES, TIER_RANK
from shequ.workers.models import EventKind, Status, Worker, WorkerEvent

if TYPE_CHECKING:
    from shequ.accounts.models import User

COLUMNS = ["worker_id", "name", "unit", "post", "grade", "to_post", "eligible", "unmet", "policy"]

_WORKER_SCHEMA = {
    "worker_id": pl.Int64, "name": pl.Utf8, "unit": pl.Utf8, "unit_id": pl.Int64, "unit_path": pl.Utf8,
    "post": pl.Utf8, "grade": pl.Int64, "education": pl.Utf8, "certificate": pl.Utf8,
    "community_work_start": pl.Date, "hired_on": pl.Date,
}
_POST_EVENT_KINDS = [EventKind.POST_CHANGE, EventKind.CONVERSION, EventKind.PLACEMENT, EventKind.EDIT]


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={"worker_id": pl.Int64, "name": pl.Utf8, "unit": pl.Utf8, "post": pl.Utf8,
                                "grade": pl.Int64, "to_post": pl.Utf8, "eligible": pl.Boolean, "unmet": pl.Utf8,
                                "policy": pl.Utf8})


def promotion_candidates(*, user: User, on: date, unit: Unit | None = None) -> pl.DataFrame:
    from shequ.growth.careers.selectors import _frame
    from shequ.growth.careers.selectors import _full_years_expr as _full_years

    qs = scoped(Worker.objects.exclude(status=Status.LEFT), user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    # Resolve the policies first: only workers in a post some rule starts from are read.
    unit_paths = dict(qs.order_by().values_list("unit_id", "unit__path").distinct())
    if not unit_paths:
        return _empty()
    policies = policies_for_paths(unit_paths, on)
    rules: list[dict[str, Any]] = []
    aliases = dict(TIER_ALIASES)
    for policy, label in {v[1]: v for v in policies.values()}.values():
        params = policy.params(on)
        aliases.update(params.assessment.aliases)
        for r in params.careers.promotions:
            rules.append({
                "policy": label, "post": r.from_post, "to_post": r.to_post,
                "min_years_in_post": r.min_years_in_post, "need_years_in_post": f"{r.min_years_in_post:g}" if r.min_years_in_post is not None else None,
                "min_community_years": r.min_community_years,
                "need_community_years": f"{r.min_community_years:g}" if r.min_community_years is not None else None,
                "min_education": r.min_education, "min_education_rank": EDUCATION_RANK.get(r.min_education or "", None),
                "min_certificate": r.min_certificate, "min_certificate_rank": CERTIFICATE_RANK.get(r.min_certificate or "", None),
                "min_tier": r.min_tier, "min_tier_rank": TIER_RANK.get(r.min_tier or "", None),
                "tier_years": r.tier_years, "min_grade": r.min_grade,
            })
    if not rules:
        return _empty()
    ids = qs.filter(post__in={r["post"] for r in rules})
    workers = _frame(ids.values_list("pk", "name", "unit__name", "unit_id", "unit__path", "post", "grade", "education",
                                     "certificate", "community_work_start", "hired_on"), _WORKER_SCHEMA)
    unit_policy = pl.DataFrame({"unit_id": list(policies), "policy": [v[1] for v in policies.values()]},
                               schema={"unit_id": pl.Int64, "policy": pl.Utf8})
    cand = workers.join(unit_policy, on="unit_id").join(pl.DataFrame(rules, infer_schema_length=None), on=["policy", "post"])
    if cand.is_empty():
        return _empty()

    # When each worker took the current post: the last event that set it, else entry.
    post_events = pl.DataFrame(
        list(WorkerEvent.objects.filter(worker__in=ids, kind__in=_POST_EVENT_KINDS)
             .values_list("worker_id", "effective", KT("data__after__post"))),
        schema={"worker_id": pl.Int64, "effective": pl.Date, "post": pl.Utf8}, orient="row",
    )
    since = post_events.group_by("worker_id", "post").agg(pl.col("effective").max().alias("post_since"))
    cand = cand.join(since, on=["worker_id", "post"], how="left").with_columns(
        post_since=pl.coalesce("post_since", "hired_on", "community_work_start"))

    # Assessment tiers by year, as services.assessment_tiers reads them.
    tiers = pl.DataFrame(
        list(WorkerEvent.objects.filter(worker__in=ids, kind=EventKind.ASSESSMENT).order_by("effective", "id").values_list(
            "worker_id", "effective", KT("data__year"), KT("data__after__year"), KT("data__tier"), KT("data__after__tier"))),
        schema={"worker_id": pl.Int64, "effective": pl.Date, "y1": pl.Utf8, "y2": pl.Utf8, "t1": pl.Utf8, "t2": pl.Utf8},
        orient="row",
    ).select(
        "worker_id",
        year=pl.coalesce(pl.col("y1").cast(pl.Int64, strict=False), pl.col("y2").cast(pl.Int64, strict=False),
                         pl.col("effective").dt.year().cast(pl.Int64)),
        tier=pl.coalesce("t1", "t2").replace(aliases),
    ).filter(pl.col("tier").is_not_null()).unique(["worker_id", "year"], keep="last")
    tiers = tiers.with_columns(rank=pl.col("tier").replace_strict(TIER_RANK, default=None, return_dtype=pl.Int64))
    # Every year of each rule's window, with its tier or 无结果.
    window = (
        cand.select("worker_id", "to_post", "tier_years", "min_tier_rank")
        .filter(pl.col("min_tier_rank").is_not_null())
        .with_columns(year=pl.int_ranges(on.year - pl.col("tier_years"), on.year, dtype=pl.Int64))
        .explode("year")
        .join(tiers, on=["worker_id", "year"], how="left")
        .sort("year")
        .group_by("worker_id", "to_post")
        .agg(good_years=(pl.col("rank") >= pl.col("min_tier_rank")).fill_null(False).sum(),
             record=pl.format("{}年{}", "year", pl.col("tier").fill_null("无结果")).str.join("、"))
    )
    cand = cand.join(window, on=["worker_id", "to_post"], how="left")

    edu_rank = pl.col("education").replace_strict(EDUCATION_RANK, default=-1, return_dtype=pl.Int64)
    cert_rank = pl.col("certificate").replace_strict(CERTIFICATE_RANK, default=0, return_dtype=pl.Int64)
    in_post = _full_years("post_since", on)
    served = _full_years("community_work_start", on)
    checks = [
        pl.when(pl.col("min_years_in_post").is_not_null() & (in_post < pl.col("min_years_in_post")))
        .then(pl.format(services.COND_YEARS_IN_POST.replace("{need:g}", "{}").replace("{have}", "{}"),
                        "need_years_in_post", in_post)),
        pl.when(pl.col("min_community_years").is_not_null() & (served < pl.col("min_community_years")))
        .then(pl.format(services.COND_COMMUNITY_YEARS.replace("{need:g}", "{}").replace("{have}", "{}"),
                        "need_community_years", served)),
        pl.when(pl.col("min_education_rank").is_not_null() & (edu_rank < pl.col("min_education_rank")))
        .then(pl.format(services.COND_EDUCATION.replace("{need}", "{}").replace("{have}", "{}"), "min_education", "education")),
        pl.when(pl.col("min_certificate_rank").is_not_null() & (cert_rank < pl.col("min_certificate_rank")))
        .then(pl.format(services.COND_CERTIFICATE.replace("{need}", "{}").replace("{have}", "{}"),
                        "min_certificate", "certificate")),
        pl.when(pl.col("min_tier_rank").is_not_null() & (pl.col("good_years").fill_null(0) < pl.col("tier_years")))
        .then(pl.format(services.COND_TIER.replace("{years}", "{}").replace("{need}", "{}").replace("{have}", "{}"),
                        "tier_years", "min_tier", pl.col("record").fill_null("无结果"))),
        pl.when(pl.col("min_grade").is_not_null() & (pl.col("grade").fill_null(0) < pl.col("min_grade")))
        .then(pl.format(services.COND_GRADE.replace("{need}", "{}").replace("{have}", "{}"), "min_grade",
                        pl.col("grade").cast(pl.Utf8).fill_null("—"))),
    ]
    out = cand.with_columns(unmet=pl.concat_list(checks).list.drop_nulls().list.join("；")).with_columns(
        eligible=pl.col("unmet") == "")
    return out.select(COLUMNS).sort(["eligible", "unit", "name"], descending=[True, False, False])
