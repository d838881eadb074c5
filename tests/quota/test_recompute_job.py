"""Q-REV recompute as a background job: submitted from the page, run once per scope and
date while queued, a refusal kept on the job in Chinese with nothing proposed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.common.scope import ScopeError
from shequ.jobs import services as jobs
from shequ.jobs.models import Job, JobStatus
from shequ.quota.models import QuotaDecision
from shequ.quota.services import NOTHING_TO_PROPOSE, quota_submit_recompute

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
SINCE = date(2024, 7, 1)


def test_q_rev_a_recompute_from_the_page_runs_as_a_job_and_proposes_every_change(
    world: Any, bind: Any, client_for: Any
) -> None:
    bind("baohe")
    response = client_for(world.street_a_hr).post("/quota/propose/", {
        "mode": "recompute", "unit": world.street_a.pk, "since": SINCE.isoformat(), "reason": "三年复核"}, follow=True)
    job = Job.objects.get(kind="quota.recompute")
    assert job.status == JobStatus.SUCCEEDED and job.result["created"] == 3 and job.done == job.total == 3
    assert "已提出 3 项员额调整" in response.content.decode()
    assert QuotaDecision.objects.filter(status="proposed").count() == 3


def test_q_rev_the_same_recompute_submitted_twice_while_queued_proposes_once(world: Any, bind: Any, settings: Any) -> None:
    bind("baohe")
    settings.TASKS = DUMMY
    first = quota_submit_recompute(root=world.street_a, since=SINCE, actor=world.street_a_hr)
    second = quota_submit_recompute(root=world.street_a, since=SINCE, actor=world.city_admin)
    assert first.pk == second.pk and first.status == JobStatus.QUEUED
    jobs.job_execute(job_id=first.pk)
    jobs.job_execute(job_id=first.pk)
    assert QuotaDecision.objects.filter(status="proposed").count() == 3


def test_q_rev_a_recompute_with_nothing_to_propose_fails_with_the_reason_and_writes_nothing(
    world: Any, bind: Any, settings: Any
) -> None:
    bind("baohe")
    quota_submit_recompute(root=world.street_a, since=SINCE, actor=world.street_a_hr)
    again = quota_submit_recompute(root=world.street_a, since=SINCE, actor=world.street_a_hr)
    assert again.status == JobStatus.FAILED and again.error == NOTHING_TO_PROPOSE
    assert QuotaDecision.objects.filter(status="proposed").count() == 3


def test_org_1_another_street_cannot_submit_or_follow_this_streets_recompute(
    world: Any, bind: Any, client_for: Any
) -> None:
    bind("baohe")
    job = quota_submit_recompute(root=world.street_a, since=SINCE, actor=world.street_a_hr)
    assert client_for(world.street_b_hr).get(f"/api/v1/tasks/{job.pk}").status_code == 404
    with pytest.raises(ScopeError):
        quota_submit_recompute(root=world.street_a, since=SINCE, actor=world.street_b_hr)
    assert Job.objects.count() == 1
