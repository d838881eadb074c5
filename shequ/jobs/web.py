"""What a page says after submitting a job (the immediate backend has run it already)."""

from __future__ import annotations

from django.contrib import messages

from shequ.accounts.types import AuthedRequest
from shequ.jobs.models import Job, JobStatus
from shequ.jobs.selectors import job_latest_for
from shequ.jobs.services import job_reap_stale


def pending_job(key: str) -> Job | None:
    """The latest job for `key` if a page should show it: still running, or failed."""
    job_reap_stale(key=key)
    job = job_latest_for(key=key)
    return job if job is not None and job.status != JobStatus.SUCCEEDED else None


def announce(request: AuthedRequest, job: Job) -> None:
    if job.status == JobStatus.SUCCEEDED:
        messages.success(request, job.outcome or f"已完成：{job.label}")
    elif job.status == JobStatus.FAILED:
        messages.error(request, job.error)
    else:
        messages.info(request, f"已在后台开始：{job.label}，本页显示进度")
