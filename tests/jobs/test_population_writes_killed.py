"""Faults (issue 20, point 5): a real worker on PostgreSQL, killed with SIGKILL while a
population-wide write is inside its transaction (a roster import commit, A-FILE publishing,
the confirmation of consequences), leaves nothing half-written; the job is marked failed
once its heartbeat is stale, and the resubmitted job writes everything exactly once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from shequ.assessment.models import Campaign, CampaignStatus, Consequence, Result
from shequ.assessment.services import (
    ScoreEntry,
    campaign_publish,
    campaign_submit_confirm,
    campaign_submit_publish,
    scores_save,
)
from shequ.common.audit_actions import AuditAction
from shequ.common.models import AuditEntry, ImportBatch
from shequ.jobs import services as jobs
from shequ.jobs.models import JobStatus
from shequ.workers.models import EventKind, Worker, WorkerEvent
from tests.assessment.helpers import bind, campaign
from tests.factories import id_number, make_worker
from tests.jobs.worker_process import DATABASE, kill_while_writing, reap, resubmit_and_finish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HEADER = "姓名,身份证号,所属单位,人员类别,岗位,学历,参加社区工作时间,职业资格\n"
ROSTER_ROWS = 300


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("kills a worker holding a PostgreSQL transaction; run with DATABASE_URL=postgres://...")


def _audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_a_worker_killed_while_committing_a_roster_import_adds_nobody_and_the_retry_imports_each_row_once(
    world: Any, client_for: Any, settings: Any
) -> None:
    rows = "".join(f"导入{i},{id_number(date(1990, 1, 1) if i % 2 else date(1995, 6, 1))},迎宾社区,专职社区工作者,助理,本科,"
                   f"2021-03-01,无\n" for i in range(ROSTER_ROWS))
    client_for(world.street_a_hr).post("/imports/roster/", {
        "file": SimpleUploadedFile("花名册.csv", (HEADER + rows).encode("utf-8-sig"))})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY and len(batch.rows) == ROSTER_ROWS, batch.errors
    people_before, events_before = Worker.objects.count(), WorkerEvent.objects.count()
    settings.TASKS = DATABASE
    job = jobs.job_submit(kind="import.commit", unit=batch.unit, actor=world.street_a_hr,
                          key=f"import.commit:{batch.pk}", label=f"导入 {batch.filename}", params={"batch_id": batch.pk})
    assert job.status == JobStatus.QUEUED

    kill_while_writing(job, stage="写入")

    def nothing_written() -> None:
        assert Worker.objects.count() == people_before and WorkerEvent.objects.count() == events_before
        assert _audits(AuditAction.WORKER_IMPORT) == 0 == _audits(AuditAction.IMPORT_ROSTER)
        assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.READY

    nothing_written()
    failed = reap(job, settings=settings, stage="写入")
    nothing_written()

    done = resubmit_and_finish(failed, actor=world.street_a_hr)
    assert done.result["created"] == ROSTER_ROWS and done.total == done.done == ROSTER_ROWS
    imported = Worker.objects.filter(name__startswith="导入")
    assert imported.count() == ROSTER_ROWS == Worker.objects.count() - people_before
    assert imported.values("id_number").distinct().count() == ROSTER_ROWS
    assert WorkerEvent.objects.filter(kind=EventKind.IMPORT, worker__in=imported).count() == ROSTER_ROWS
    assert WorkerEvent.objects.count() - events_before == ROSTER_ROWS
    assert _audits(AuditAction.WORKER_IMPORT) == ROSTER_ROWS and _audits(AuditAction.IMPORT_ROSTER) == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.COMMITTED


def _scored_campaign(world: Any, n: int) -> tuple[Campaign, list[Any]]:
    # A-STEP every year at 称职, so confirming steps every rated worker (a write per person).
    bind(world, step_every_years=1, excellent_share_cap=1.0)
    people = [make_worker(world.community_a1, name=f"考核{i}", post="助理", grade=3) for i in range(n)]
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr,
                entries=[ScoreEntry(worker_id=w.pk, indicators={}, tier="称职") for w in [*people, world.worker_a1]])
    return c, people


def test_a_worker_killed_while_publishing_a_file_files_no_result_and_the_retry_files_each_once(
    world: Any, settings: Any
) -> None:
    """A-FILE: the results, their events and audit rows are one transaction."""
    c, people = _scored_campaign(world, 40)
    rated = len(people) + 1
    settings.TASKS = DATABASE
    job = campaign_submit_publish(campaign=c, actor=world.street_a_hr)
    assert job.status == JobStatus.QUEUED

    # Its first report in this stage comes after the Result rows, before the events.
    kill_while_writing(job, stage="写入考核结果与个人档案")

    def nothing_written() -> None:
        assert not Result.objects.filter(campaign=c).exists()
        assert not WorkerEvent.objects.filter(kind=EventKind.ASSESSMENT).exists()
        assert _audits(AuditAction.ASSESSMENT_RESULT) == 0 == _audits(AuditAction.ASSESSMENT_PUBLISH)
        assert Campaign.objects.get(pk=c.pk).status == CampaignStatus.DRAFT

    nothing_written()
    failed = reap(job, settings=settings, stage="写入考核结果与个人档案")
    nothing_written()

    done = resubmit_and_finish(failed, actor=world.street_a_hr)
    assert done.result == {"published": rated}
    assert Result.objects.filter(campaign=c).count() == rated
    assert Result.objects.filter(campaign=c).values("worker").distinct().count() == rated
    assert WorkerEvent.objects.filter(kind=EventKind.ASSESSMENT).count() == rated
    assert _audits(AuditAction.ASSESSMENT_RESULT) == rated and _audits(AuditAction.ASSESSMENT_PUBLISH) == 1
    assert Campaign.objects.get(pk=c.pk).status == CampaignStatus.PUBLISHED


def test_a_worker_killed_while_confirming_consequences_steps_nobody_and_the_retry_steps_each_once(
    world: Any, settings: Any
) -> None:
    """A-STEP on confirmation: the grades, consequences, events and audit rows are one transaction."""
    c, people = _scored_campaign(world, 40)
    campaign_publish(campaign=c, actor=world.street_a_hr)
    settings.TASKS = DATABASE
    job = campaign_submit_confirm(campaign=c, actor=world.city_admin, effective=date(2026, 1, 1))
    assert job.status == JobStatus.QUEUED

    # Its report in this stage comes after the grades, consequences and events, before the audit.
    kill_while_writing(job, stage="写入晋级、名单与个人档案")

    def nothing_written() -> None:
        assert set(Worker.objects.filter(pk__in=[w.pk for w in people]).values_list("grade", flat=True)) == {3}
        assert not Consequence.objects.filter(campaign=c).exists()
        assert not WorkerEvent.objects.filter(kind=EventKind.GRADE_STEP).exists()
        assert _audits(AuditAction.ASSESSMENT_CONSEQUENCE) == 0 == _audits(AuditAction.ASSESSMENT_CONFIRM)
        assert Campaign.objects.get(pk=c.pk).status == CampaignStatus.PUBLISHED

    nothing_written()
    failed = reap(job, settings=settings, stage="写入晋级、名单与个人档案")
    nothing_written()

    done = resubmit_and_finish(failed, actor=world.city_admin)
    assert done.result["steps"] == len(people)
    assert set(Worker.objects.filter(pk__in=[w.pk for w in people]).values_list("grade", flat=True)) == {4}
    assert Consequence.objects.filter(campaign=c, action="晋升一级").count() == len(people)
    assert Consequence.objects.filter(campaign=c).values("worker", "action").distinct().count() == \
        Consequence.objects.filter(campaign=c).count()
    assert WorkerEvent.objects.filter(kind=EventKind.GRADE_STEP).count() == len(people)
    assert _audits(AuditAction.ASSESSMENT_CONFIRM) == 1
    assert _audits(AuditAction.ASSESSMENT_CONSEQUENCE) == Consequence.objects.filter(campaign=c).count()
    assert Campaign.objects.get(pk=c.pk).status == CampaignStatus.CONFIRMED
