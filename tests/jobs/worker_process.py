"""A real worker process (`manage.py db_worker`) on the test database, for the tests that
kill one in the middle of a job's write transaction and then let another finish the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import LazySettings
from django.db import connection

from shequ.jobs import services as jobs
from shequ.jobs.models import Job, JobStatus

ROOT = Path(__file__).resolve().parents[2]
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def start_worker(*, pause: float, batch: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url(), "SHEQU_TASKS": "database",
           "SHEQU_TASK_STEP_PAUSE": str(pause)}
    args = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    return subprocess.Popen([*args, "--batch"] if batch else args, cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(predicate: Any, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def kill_while_writing(job: Job, *, stage: str, pause: float = 1.0) -> None:
    """Run the queued job in a worker and SIGKILL it once `stage` has reported some rows
    done: the handler reports after writing them, inside its still open transaction, and
    then sleeps `pause`, which is when the kill lands."""
    worker = start_worker(pause=pause, batch=False)
    try:
        wait_for(lambda: Job.objects.filter(pk=job.pk, stage=stage, done__gt=0).exists(),
                 seconds=60, what=f"the worker to be in “{stage}”")
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)
    assert worker.returncode == -signal.SIGKILL


def reap(job: Job, *, settings: LazySettings, stage: str) -> Job:
    """Nobody notices the dead worker until its heartbeat is stale; then the job is failed."""
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    settings.TASK_STALE_SECONDS = 1
    time.sleep(1.5)
    assert jobs.job_reap_stale() == 1
    failed = Job.objects.get(pk=job.pk)
    assert failed.status == JobStatus.FAILED and stage in failed.error
    return failed


def resubmit_and_finish(failed: Job, *, actor: Any) -> Job:
    """Resubmit the failed job and run a worker until the queue is empty."""
    again = jobs.job_resubmit(job=failed, actor=actor)
    assert again.status == JobStatus.QUEUED
    finisher = start_worker(pause=0, batch=True)
    _, err = finisher.communicate(timeout=120)
    assert finisher.returncode == 0, err.decode()
    done = Job.objects.get(pk=again.pk)
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert list(Job.objects.filter(key=failed.key).values_list("status", flat=True).order_by("id")) == [
        JobStatus.FAILED, JobStatus.SUCCEEDED]
    return done
