"""A real worker process (`manage.py db_worker`) on PostgreSQL, killed with SIGKILL in
the middle of writing a pay run's lines: the run keeps no line, the job is marked failed,
and the resubmitted job gives exactly one complete run."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection

from shequ.common.models import AuditEntry
from shequ.jobs.models import JobStatus
from shequ.pay import services
from shequ.pay.models import PayLine, PayRun
from tests.factories import make_worker
from tests.jobs.worker_process import DATABASE, kill_while_writing, reap, resubmit_and_finish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MARCH = date(2026, 3, 1)


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

    # The worker reports through its second connection while the lines are written
    # but not committed; that is the moment to kill it.
    kill_while_writing(job, stage="写入明细")

    assert PayLine.objects.filter(run=run).count() == 0
    failed = reap(job, settings=settings, stage="写入明细")
    assert PayLine.objects.filter(run=run).count() == 0 and PayRun.objects.get(pk=run.pk).computed_at is None

    done = resubmit_and_finish(failed, actor=world.street_a_hr)
    run.refresh_from_db()
    assert run.headcount == 21 and PayLine.objects.filter(run=run).count() == 21 == done.total == done.done
    assert AuditEntry.objects.filter(action="pay.run.compute", target_id=str(run.pk)).count() == 1
