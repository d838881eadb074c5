"""Writes of jobs: submit (once per key while active), execute (claim, run, record the
outcome), reap (mark jobs whose worker died as failed) and resubmit."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.module_loading import import_string

from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import ShequError
from shequ.jobs.models import ACTIVE, Job, JobStatus
from shequ.jobs.progress import Progress
from shequ.jobs.registry import KINDS, Done

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.org.models import Unit

logger = logging.getLogger(__name__)

UNKNOWN_KIND = "未知的后台任务类型：{kind}"
STALE = "后台进程在“{stage}”阶段中断（{seconds} 秒没有进度），未写入任何结果；可以重新提交"
CRASHED = "{label}时系统出错，未写入任何结果；请重新提交，仍然出错请联系系统管理员（任务编号 {job_id}）"
NOT_FAILED = "只有失败的任务可以重新提交：{job}当前为“{status}”"


def stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "TASK_STALE_SECONDS", 300)))


def job_submit(*, kind: str, unit: Unit, actor: User, key: str, label: str, params: dict[str, Any]) -> Job:
    """Queue `kind` for `unit`, or give back the job already queued or running for `key`."""
    if kind not in KINDS:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    require_unit_in_scope(actor, unit)
    job_reap_stale(key=key)
    existing = Job.objects.filter(key=key, status__in=ACTIVE).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind, key=key, unit=unit, actor=actor if actor.pk else None, label=label, params=params,
            )
    except IntegrityError:
        return Job.objects.get(key=key, status__in=ACTIVE)
    from shequ.jobs.tasks import run_job

    # With the immediate backend (tests, the plain demo) this runs the job right here.
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_execute(*, job_id: int) -> None:
    """Run a queued job once: the claim is a conditional update, so a task delivered twice,
    or a job already reaped, does nothing."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, stage="开始",
    )
    if not claimed:
        return
    job = Job.objects.select_related("unit", "actor", "actor__unit").get(pk=job_id)
    handler = import_string(KINDS[job.kind].handler)
    progress = Progress(job.pk)
    try:
        done: Done = handler(job=job, progress=progress)
    except ShequError as exc:
        # The services refuse with a Chinese message naming what is wrong.
        _finish(job_id, status=JobStatus.FAILED, error=str(exc))
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        _finish(job_id, status=JobStatus.FAILED, error=CRASHED.format(label=KINDS[job.kind].label, job_id=job_id))
    else:
        _finish(job_id, status=JobStatus.SUCCEEDED, result_url=done.url, outcome=done.message, result=done.data)


def _finish(job_id: int, *, status: str, error: str = "", result_url: str = "", outcome: str = "",
            result: dict[str, Any] | None = None) -> None:
    fields: dict[str, Any] = {"status": status, "error": error, "result_url": result_url, "outcome": outcome,
                              "result": result or {}, "finished_at": timezone.now()}
    if status == JobStatus.SUCCEEDED:
        fields["stage"] = "完成"
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(**fields)


def job_reap_stale(*, key: str | None = None) -> int:
    """Mark running jobs whose heartbeat stopped as failed: their worker was killed, and
    their write transaction was rolled back with it."""
    cutoff = timezone.now() - stale_after()
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    if key is not None:
        stale = stale.filter(key=key)
    count = 0
    for job in stale:
        count += Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at).update(
            status=JobStatus.FAILED, finished_at=timezone.now(),
            error=STALE.format(stage=job.stage or "开始", seconds=int(stale_after().total_seconds())),
        )
    return count


def job_resubmit(*, job: Job, actor: User) -> Job:
    """Submit a failed job's action again, as a new job with the same key."""
    if job.status != JobStatus.FAILED:
        raise ValueError(NOT_FAILED.format(job=job.label, status=job.get_status_display()))
    return job_submit(kind=job.kind, unit=job.unit, actor=actor, key=job.key, label=job.label, params=job.params)
