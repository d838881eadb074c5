"""The quota area's background jobs (see shequ.jobs.registry)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from shequ.jobs.models import Job
from shequ.jobs.progress import Progress
from shequ.jobs.registry import Done
from shequ.org.models import Unit
from shequ.quota.services import quota_propose_recomputed

NO_ACTOR = "提交测算的用户已被删除，请重新提交"


def recompute(*, job: Job, progress: Progress) -> Done:
    if job.actor is None:
        raise ValueError(NO_ACTOR)
    p = job.params
    result = quota_propose_recomputed(
        root=Unit.objects.get(pk=p["root_id"]), since=date.fromisoformat(p["since"]), actor=job.actor,
        include_unchanged=bool(p.get("include_unchanged")), reason=str(p.get("reason", "")), progress=progress,
    )
    return Done(
        url=reverse("quota:decisions"),
        message=(f"已提出 {len(result.created)} 项员额调整，待审批；员额不变 {result.unchanged} 个单位，"
                 f"已有待审批 {result.skipped_open} 个单位，不在政策适用范围 {result.not_covered} 个单位"),
        data={"created": len(result.created), "unchanged": result.unchanged, "skipped_open": result.skipped_open,
              "not_covered": result.not_covered},
    )
