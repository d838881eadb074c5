"""The pay area's background jobs (see shequ.jobs.registry)."""

from __future__ import annotations

from django.urls import reverse

from shequ.jobs.models import Job
from shequ.jobs.progress import Progress
from shequ.jobs.registry import Done
from shequ.pay import services
from shequ.pay.models import PayRun


def compute(*, job: Job, progress: Progress) -> Done:
    if job.actor is None:
        raise ValueError("提交核算的用户已被删除，请重新提交")
    run = PayRun.objects.select_related("unit").get(pk=job.params["run_id"])
    run = services.payrun_compute(run=run, actor=job.actor, progress=progress)
    return Done(
        url=reverse("pay:run", args=[run.pk]),
        message=f"已核算{run}：{run.headcount} 人，应发合计 {run.total} 元",
        data={"run_id": run.pk, "headcount": run.headcount, "total": str(run.total)},
    )
