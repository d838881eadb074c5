"""The one queued task: run the job with this id. django-tasks carries only the id; the
job row holds everything else."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from shequ.jobs.services import job_execute

    job_execute(job_id=job_id)
