"""A real worker process (`manage.py db_worker`) on PostgreSQL, killed with SIGKILL in
the middle of writing a pay run's lines: the run keeps no line, the job is marked failed,
and the resubmitted job gives exactly one complete run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from shequ.common.models import AuditEntry
from shequ.jobs import services as jobs
from shequ.jobs.models import Job, JobStatus
from shequ.pay import services
from shequ.pay.models import PayLine, PayRun
from tests.factories import make_worker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
MARCH = date(2026, 3, 1)
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _worker(*, pause: float, batch: bool) -> subprocess.Popen[bytes]:
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "SHEQU_TASKS": "database", "SHEQU_TASK_STEP_PAUSE": str(pause)}
    args = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    return subprocess.Popen([*args, "--batch"] if batch else args, cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for(predicate: Any, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_write_leaves_no_lines_and_the_resubmitted_job_completes_once(
    world: Any, bind: Any, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("kills a worker holding a PostgreSQL transaction; run with DATABASE_URL=postgres://...")
    bind(world.city, "baohe")
    for i in range(20):
        make_worker(world.community_a1, name=f"工作者{i}", post="助理")
    run, _ = services.payrun_create(unit=world.street_a, month=MARCH, actor=world.street_a_hr)
    settings.TASKS = DATABASE
    job = services.payrun_submit_compute(run=run, actor=world.street_a_hr)
    assert job.status == JobStatus.QUEUED

    worker = _worker(pause=1.0, batch=False)
    try:
        # The worker reports through its second connection while the lines are written
        # but not committed; that is the moment to kill it.
        _wait_for(lambda: Job.objects.filter(pk=job.pk, stage="写入明细", done__gt=0).exists(),
                  seconds=60, what="the worker to be writing lines")
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)

    assert PayLine.objects.filter(run=run).count() == 0
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING  # nobody has noticed yet
    settings.TASK_STALE_SECONDS = 1
    time.sleep(1.5)
    assert jobs.job_reap_stale() == 1
    failed = Job.objects.get(pk=job.pk)
    assert failed.status == JobStatus.FAILED and "写入明细" in failed.error
    assert PayLine.objects.filter(run=run).count() == 0 and PayRun.objects.get(pk=run.pk).computed_at is None

    again = jobs.job_resubmit(job=failed, actor=world.street_a_hr)
    assert again.status == JobStatus.QUEUED
    finisher = _worker(pause=0, batch=True)
    _, err = finisher.communicate(timeout=120)
    assert finisher.returncode == 0, err.decode()

    done = Job.objects.get(pk=again.pk)
    assert done.status == JobStatus.SUCCEEDED, done.error
    run.refresh_from_db()
    assert run.headcount == 21 and PayLine.objects.filter(run=run).count() == 21 == done.total == done.done
    assert AuditEntry.objects.filter(action="pay.run.compute", target_id=str(run.pk)).count() == 1
    assert list(Job.objects.filter(key=f"pay.compute:{run.pk}").values_list("status", flat=True).order_by("id")) == [
        JobStatus.FAILED, JobStatus.SUCCEEDED]
