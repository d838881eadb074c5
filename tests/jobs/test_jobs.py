"""Background jobs with the immediate backend: a pay run computed as a job, its progress,
its failure, one run per submission, and the page, API and scope around it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from shequ.common.models import AuditEntry
from shequ.common.scope import ScopeError
from shequ.jobs import services as jobs
from shequ.jobs.models import Job, JobStatus
from shequ.pay import services
from shequ.pay.models import PayLine, PayRun
from tests.factories import make_worker

MARCH = date(2026, 3, 1)
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


@pytest.fixture
def street_run(world: Any, bind: Any) -> PayRun:
    bind(world.city, "baohe")
    for i in range(3):
        make_worker(world.community_a1, name=f"工作者{i}", post="助理")
    run, _ = services.payrun_create(unit=world.street_a, month=MARCH, actor=world.street_a_hr)
    return run


def _computes(run: PayRun) -> int:
    return AuditEntry.objects.filter(action="pay.run.compute", target_id=str(run.pk)).count()


def test_a_pay_run_submitted_as_a_job_is_computed_and_the_job_records_its_stages_and_result(
    world: Any, street_run: PayRun
) -> None:
    job = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.kind == "pay.compute" and job.unit == world.street_a and job.actor == world.street_a_hr
    assert job.stage == "完成" and job.total == PayLine.objects.filter(run=street_run).count() == 4
    assert job.done == job.total and job.percent == 100
    assert job.result_url == f"/pay/runs/{street_run.pk}/"
    assert job.finished_at is not None and job.error == ""


def test_the_same_computation_submitted_twice_while_queued_is_one_job_and_runs_once(
    world: Any, street_run: PayRun, settings: Any
) -> None:
    settings.TASKS = DUMMY
    first = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    second = services.payrun_submit_compute(run=street_run, actor=world.city_admin)
    assert first.pk == second.pk and first.status == JobStatus.QUEUED
    assert Job.objects.filter(key=f"pay.compute:{street_run.pk}").count() == 1
    # The queue may deliver the task twice (a retry, two workers): the claim lets one run.
    jobs.job_execute(job_id=first.pk)
    jobs.job_execute(job_id=first.pk)
    assert _computes(street_run) == 1
    assert Job.objects.get(pk=first.pk).status == JobStatus.SUCCEEDED


def test_after_a_job_finishes_the_same_action_can_be_submitted_again(world: Any, street_run: PayRun) -> None:
    first = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    second = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    assert first.pk != second.pk and second.status == JobStatus.SUCCEEDED
    assert _computes(street_run) == 2 and PayLine.objects.filter(run=street_run).count() == 4


def test_a_job_that_crashes_while_writing_records_a_chinese_message_and_leaves_the_earlier_lines(
    world: Any, street_run: PayRun, monkeypatch: Any
) -> None:
    services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    before = sorted(PayLine.objects.filter(run=street_run).values_list("worker_id", "gross"))
    real_write = services._write_lines
    calls = {"n": 0}

    def write_then_fail(lines: Any) -> None:
        calls["n"] += 1
        real_write(lines)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_write_lines", write_then_fail)
    job = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    assert calls["n"] == 1
    assert job.status == JobStatus.FAILED
    assert "未写入任何结果" in job.error and "disk" not in job.error
    assert not re.search(r"[A-Za-z]{4,}", job.error), job.error
    assert sorted(PayLine.objects.filter(run=street_run).values_list("worker_id", "gross")) == before
    assert _computes(street_run) == 1


def test_a_refused_computation_records_the_services_chinese_reason(
    world: Any, street_run: PayRun, settings: Any, lock: Any
) -> None:
    settings.TASKS = DUMMY
    job = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    # The run was approved between submission and the worker picking the job up.
    PayRun.objects.filter(pk=street_run.pk).update(status="approved")
    jobs.job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "只有草稿可以重新核算" in job.error
    assert PayLine.objects.filter(run=street_run).count() == 0


def test_a_running_job_without_progress_is_marked_failed_and_can_be_resubmitted_to_completion(
    world: Any, street_run: PayRun, settings: Any
) -> None:
    settings.TASKS = DUMMY
    job = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    # What a worker killed in the middle leaves: running, heartbeat long ago, no lines.
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, stage="写入明细", heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    assert jobs.job_reap_stale() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "写入明细" in job.error and "可以重新提交" in job.error
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    again = jobs.job_resubmit(job=job, actor=world.street_a_hr)
    assert again.pk != job.pk and again.status == JobStatus.SUCCEEDED
    assert PayLine.objects.filter(run=street_run).count() == 4 and _computes(street_run) == 1


def test_a_job_still_reporting_progress_is_not_reaped(world: Any, street_run: PayRun, settings: Any) -> None:
    settings.TASKS = DUMMY
    job = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    assert jobs.job_reap_stale() == 0
    with pytest.raises(ValueError, match="只有失败的任务可以重新提交"):
        jobs.job_resubmit(job=Job.objects.get(pk=job.pk), actor=world.street_a_hr)


def test_the_progress_fragment_polls_while_the_job_runs_and_stops_when_it_ends(
    world: Any, street_run: PayRun, settings: Any, client_for: Any
) -> None:
    settings.TASKS = DUMMY
    job = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, stage="写入明细", done=2, total=4,
                                         heartbeat_at=timezone.now())
    client = client_for(world.street_a_hr)
    page = client.get(f"/pay/runs/{street_run.pk}/").content.decode()
    assert f'hx-get="/jobs/{job.pk}/progress?reload=1"' in page and "写入明细" in page and "2 / 4" in page
    fragment = client.get(f"/jobs/{job.pk}/progress", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.content.decode() and "HX-Refresh" not in fragment
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=4)
    done = client.get(f"/jobs/{job.pk}/progress?reload=1", HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in done.content.decode() and done["HX-Refresh"] == "true"


def test_the_run_page_offers_resubmission_of_a_failed_computation(
    world: Any, street_run: PayRun, settings: Any, client_for: Any
) -> None:
    settings.TASKS = DUMMY
    job = services.payrun_submit_compute(run=street_run, actor=world.street_a_hr)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="后台进程中断，未写入任何结果；可以重新提交")
    client = client_for(world.street_a_hr)
    page = client.get(f"/pay/runs/{street_run.pk}/").content.decode()
    assert "后台进程中断" in page and f"/jobs/{job.pk}/resubmit" in page
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    client.post(f"/jobs/{job.pk}/resubmit", {"next": f"/pay/runs/{street_run.pk}/"})
    assert PayLine.objects.filter(run=street_run).count() == 4


def test_the_new_run_page_computes_through_a_job(world: Any, bind: Any, client_for: Any) -> None:
    bind(world.city, "baohe")
    client = client_for(world.street_a_hr)
    response = client.post("/pay/runs/new", {"unit": world.street_a.pk, "month": "2026-03"})
    run = PayRun.objects.get(unit=world.street_a, month=MARCH)
    assert response.status_code == 302
    job = Job.objects.get(key=f"pay.compute:{run.pk}")
    assert job.status == JobStatus.SUCCEEDED and PayLine.objects.filter(run=run).count() == 1


def test_the_api_gives_a_tasks_state_only_within_the_callers_subtree(
    world: Any, street_run: PayRun, client_for: Any
) -> None:
    """ORG-1: a job of street A is invisible to street B's HR, as if it did not exist."""
    client = client_for(world.street_a_hr)
    body = client.post(f"/api/v1/pay/runs/{street_run.pk}/compute").json()
    task = client.get(f"/api/v1/tasks/{body['task_id']}").json()
    assert task["status"] == "succeeded" and task["kind"] == "pay.compute" and task["done"] == task["total"] == 4
    assert task["result_url"] and task["unit_name"] == world.street_a.name
    other = client_for(world.street_b_hr).get(f"/api/v1/tasks/{body['task_id']}")
    assert other.status_code == 404
    assert client_for(world.street_b_hr).get(f"/jobs/{body['task_id']}/progress").status_code == 404


def test_a_user_of_another_street_cannot_submit_a_computation_of_this_street(world: Any, street_run: PayRun) -> None:
    """ORG-1: submitting is scoped like every write."""
    with pytest.raises(ScopeError):
        services.payrun_submit_compute(run=street_run, actor=world.street_b_hr)
    assert not Job.objects.exists()
