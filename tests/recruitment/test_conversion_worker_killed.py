"""Faults (issue 20, point 5): confirming a 套改 batch (E-CONV) runs as a background job; a
real worker on PostgreSQL killed with SIGKILL in the middle of its transaction changes no
post or grade and files no event, contract or audit row; the resubmitted job converts each
person exactly once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection

from shequ.common.audit_actions import AuditAction
from shequ.common.models import AuditEntry
from shequ.jobs.models import JobStatus
from shequ.recruitment.conversion import (
    conversion_batch_create,
    conversion_batch_submit_confirm,
    conversion_line_contract,
)
from shequ.recruitment.models import BatchStatus, ConversionBatch
from shequ.workers.models import Contract, EventKind, Worker, WorkerEvent
from tests.factories import make_worker
from tests.jobs.worker_process import DATABASE, kill_while_writing, reap, resubmit_and_finish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ON = date(2026, 1, 1)
STAGE = "写入岗位、等级与个人档案"


def _audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_a_worker_killed_while_confirming_a_conversion_batch_converts_nobody_and_the_retry_converts_each_once_e_conv(
    world: Any, policy_label: str, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("kills a worker holding a PostgreSQL transaction; run with DATABASE_URL=postgres://...")
    people = [make_worker(world.community_a1 if i % 2 else world.community_a2, name=f"两委{i}", category="两委成员",
                          post="主办", education="本科", community_work_start=date(2012 + i % 8, 1, 1)) for i in range(60)]
    batch = conversion_batch_create(scope=world.street_a, title="第一批", effective=ON, workers=people, actor=world.street_a_hr)
    signing = list(batch.lines.order_by("id")[:10])
    for line in signing:
        conversion_line_contract(line=line, voluntary=True, actor=world.street_a_hr)
    finals = {ln.worker_id: (ln.final_post, ln.final_grade) for ln in batch.lines.all()}
    assert len(finals) == len(people) and any(g is not None for _, g in finals.values())
    ids = [w.pk for w in people]
    settings.TASKS = DATABASE
    job = conversion_batch_submit_confirm(batch=batch, actor=world.street_a_hr)
    assert job.status == JobStatus.QUEUED

    # The stage reports its rows after the grades and events are written, before the audit and contracts.
    kill_while_writing(job, stage=STAGE)

    def nothing_written() -> None:
        assert set(Worker.objects.filter(pk__in=ids).values_list("grade", flat=True)) == {None}
        assert not WorkerEvent.objects.filter(kind=EventKind.CONVERSION).exists()
        assert not Contract.objects.filter(worker_id__in=ids).exists()
        assert _audits(AuditAction.WORKER_CONVERSION) == 0 == _audits(AuditAction.RECRUIT_CONVERSION_CONFIRM)
        assert _audits(AuditAction.CONTRACT_SIGN) == 0
        assert ConversionBatch.objects.get(pk=batch.pk).status == BatchStatus.PROVISIONAL

    nothing_written()
    failed = reap(job, settings=settings, stage=STAGE)
    nothing_written()

    done = resubmit_and_finish(failed, actor=world.street_a_hr)
    assert done.result["people"] == len(people) and done.total == done.done == len(people)
    assert {w.pk: (w.post, w.grade) for w in Worker.objects.filter(pk__in=ids)} == finals
    assert WorkerEvent.objects.filter(kind=EventKind.CONVERSION).count() == len(people)
    assert WorkerEvent.objects.filter(kind=EventKind.CONVERSION).values("worker").distinct().count() == len(people)
    assert Contract.objects.filter(worker_id__in=ids).count() == len(signing)
    assert _audits(AuditAction.WORKER_CONVERSION) == len(people) and _audits(AuditAction.RECRUIT_CONVERSION_CONFIRM) == 1
    assert _audits(AuditAction.CONTRACT_SIGN) == len(signing)
    assert ConversionBatch.objects.get(pk=batch.pk).status == BatchStatus.CONFIRMED
