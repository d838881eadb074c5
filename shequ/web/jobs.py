"""Background jobs of the shared imports (see shequ.jobs.registry): validating a kept
upload and committing a validated batch."""

from __future__ import annotations

from django.urls import reverse

from shequ.common.imports import import_commit as commit_batch
from shequ.common.imports import import_validate_stored
from shequ.common.models import ImportBatch
from shequ.jobs.models import Job
from shequ.jobs.progress import Progress
from shequ.jobs.registry import Done
from shequ.web.imports import IMPORT_KINDS

NO_ACTOR = "提交导入的用户已被删除，请重新上传"


def _batch(job: Job) -> ImportBatch:
    if job.actor is None:
        raise ValueError(NO_ACTOR)
    return ImportBatch.objects.select_related("unit").get(pk=job.params["batch_id"])


def import_validate(*, job: Job, progress: Progress) -> Done:
    batch = _batch(job)
    assert job.actor is not None
    batch = import_validate_stored(batch=batch, actor=job.actor, validate=IMPORT_KINDS[batch.kind].validate,
                                   progress=progress)
    message = (f"校验完成：{batch.filename} 有 {len(batch.errors)} 处错误，未导入任何数据" if batch.errors
               else f"校验通过：{batch.filename} 共 {len(batch.rows)} 行，待确认导入")
    return Done(url=reverse("import_preview", args=[batch.pk]), message=message,
                data={"batch_id": batch.pk, "rows": len(batch.rows), "errors": len(batch.errors)})


def import_commit(*, job: Job, progress: Progress) -> Done:
    batch = _batch(job)
    assert job.actor is not None
    spec = IMPORT_KINDS[batch.kind]
    batch = commit_batch(batch=batch, actor=job.actor, commit=spec.commit, progress=progress)
    return Done(url=spec.done_url, message=f"已导入 {batch.summary.get('created', 0)} 条（{batch.filename}）",
                data={"batch_id": batch.pk, **{k: v for k, v in batch.summary.items() if isinstance(v, int)}})
