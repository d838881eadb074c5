"""A-FILE publishing and the confirmation of consequences run as background jobs: the
page shows their progress, a refusal is kept on the job in Chinese with nothing written,
and a second submission while one runs is the same job."""

from __future__ import annotations

from typing import Any

from shequ.assessment.models import Result
from shequ.assessment.services import (
    ScoreEntry,
    campaign_submit_confirm,
    campaign_submit_publish,
    scores_save,
)
from shequ.jobs import services as jobs
from shequ.jobs.models import Job, JobStatus
from shequ.workers.models import EventKind, WorkerEvent
from tests.assessment.helpers import bind, campaign
from tests.factories import make_worker

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


def _scored(world: Any) -> Any:
    bind(world)
    a = make_worker(world.community_a1, name="甲", post="助理", grade=3)
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=a.pk, indicators={}, tier="称职"),
        ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="称职")])
    return c


def test_a_file_publishing_from_the_page_runs_as_a_job_and_files_every_result(world: Any, client_for: Any) -> None:
    c = _scored(world)
    client = client_for(world.street_a_hr)
    response = client.post(f"/assessment/{c.pk}/publish/", {"confirmed": "1"}, follow=True)
    job = Job.objects.get(key=f"assessment.publish:{c.pk}")
    assert job.status == JobStatus.SUCCEEDED and job.total == job.done == 2 and job.result == {"published": 2}
    assert "已公布 2 人的考核结果" in response.content.decode()
    assert Result.objects.filter(campaign=c).count() == 2
    assert WorkerEvent.objects.filter(kind=EventKind.ASSESSMENT).count() == 2


def test_a_file_publishing_submitted_twice_while_queued_is_one_job_shown_on_the_campaign_page(
    world: Any, client_for: Any, settings: Any
) -> None:
    settings.TASKS = DUMMY
    c = _scored(world)
    first = campaign_submit_publish(campaign=c, actor=world.street_a_hr)
    second = campaign_submit_publish(campaign=c, actor=world.city_admin)
    assert first.pk == second.pk and first.status == JobStatus.QUEUED
    page = client_for(world.street_a_hr).get(f"/assessment/{c.pk}/").content.decode()
    assert f'hx-get="/jobs/{first.pk}/progress?reload=1"' in page and "等待后台进程开始" in page
    jobs.job_execute(job_id=first.pk)
    assert Result.objects.filter(campaign=c).count() == 2


def test_a_file_publishing_refused_by_a_missing_tier_keeps_the_reason_on_the_job_and_writes_nothing(
    world: Any, settings: Any
) -> None:
    settings.TASKS = DUMMY
    c = _scored(world)
    job = campaign_submit_publish(campaign=c, actor=world.street_a_hr)
    make_worker(world.community_a1, name="未评", post="助理", grade=3)  # joins before the worker starts
    jobs.job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "未评" in job.error
    assert not Result.objects.filter(campaign=c).exists()
    assert not WorkerEvent.objects.filter(kind=EventKind.ASSESSMENT).exists()


def test_confirming_consequences_runs_as_a_job_visible_only_within_scope(world: Any, client_for: Any) -> None:
    """ORG-1: street B's HR cannot read the job of a street A campaign."""
    c = _scored(world)
    campaign_submit_publish(campaign=c, actor=world.street_a_hr)
    from datetime import date

    job = campaign_submit_confirm(campaign=c, actor=world.city_admin, effective=date(2026, 1, 1))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert set(job.result) == {"steps", "promote", "warn", "dismiss"} and job.outcome.startswith("已确认")
    c.refresh_from_db()
    assert c.status == "confirmed"
    assert client_for(world.street_b_hr).get(f"/api/v1/tasks/{job.pk}").status_code == 404
    assert client_for(world.street_a_hr).get(f"/api/v1/tasks/{job.pk}").json()["status"] == "succeeded"
