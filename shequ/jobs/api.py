"""/api/v1/tasks: a background job's state, within the caller's subtree."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema

from shequ.accounts.types import AuthedRequest
from shequ.jobs import services
from shequ.jobs.models import Job
from shequ.jobs.selectors import job_get

router = Router()


class TaskOut(Schema):
    id: int
    kind: str
    label: str
    unit_id: int
    unit_name: str
    status: str
    status_label: str
    stage: str
    done: int
    total: int
    percent: int
    error: str
    result_url: str
    outcome: str
    result: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def task_out(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk, "kind": job.kind, "label": job.label, "unit_id": job.unit_id, "unit_name": job.unit.name,
        "status": job.status, "status_label": job.get_status_display(), "stage": job.stage, "done": job.done,
        "total": job.total, "percent": job.percent, "error": job.error, "result_url": job.result_url,
        "outcome": job.outcome, "result": job.result,
        "created_at": job.created_at, "started_at": job.started_at, "finished_at": job.finished_at,
    }


@router.get("/{task_id}", response=TaskOut, summary="后台任务的状态与进度")
def get_task(request: AuthedRequest, task_id: int) -> dict[str, Any]:
    services.job_reap_stale()
    return task_out(job_get(user=request.user, pk=task_id))
