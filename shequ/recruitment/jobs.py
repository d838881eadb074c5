"""The recruitment area's background jobs (see shequ.jobs.registry)."""

from __future__ import annotations

from django.urls import reverse

from shequ.jobs.models import Job
from shequ.jobs.progress import Progress
from shequ.jobs.registry import Done
from shequ.recruitment.conversion import conversion_batch_confirm
from shequ.recruitment.models import ConversionBatch

NO_ACTOR = "提交任务的用户已被删除，请重新提交"


def confirm(*, job: Job, progress: Progress) -> Done:
    if job.actor is None:
        raise ValueError(NO_ACTOR)
    batch = ConversionBatch.objects.select_related("scope").get(pk=job.params["batch_id"])
    n = conversion_batch_confirm(batch=batch, actor=job.actor, progress=progress)
    return Done(url=reverse("recruitment:conversion", args=[batch.pk]), message=f"套改已确认：{n} 人",
                data={"batch_id": batch.pk, "people": n})
