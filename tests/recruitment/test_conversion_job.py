"""E-CONV confirmation as a background job: submitted twice while queued it is one job,
the batch page shows its progress instead of the confirm button, and the job is not
visible to another street (ORG-1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from shequ.jobs import services as jobs
from shequ.jobs.models import JobStatus
from shequ.recruitment.conversion import conversion_batch_create, conversion_batch_submit_confirm
from shequ.recruitment.models import BatchStatus
from shequ.workers.models import EventKind, WorkerEvent
from tests.factories import make_worker

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
ON = date(2026, 1, 1)


def _batch(world: Any) -> Any:
    people = [make_worker(world.community_a1, name=f"两委{i}", category="两委成员", post="主办", education="本科",
                          community_work_start=date(2015, 1, 1)) for i in range(3)]
    return conversion_batch_create(scope=world.street_a, title="第一批", effective=ON, workers=people, actor=world.street_a_hr)


def test_confirming_a_batch_twice_while_queued_is_one_job_and_the_page_shows_its_progress_e_conv(
    world: Any, policy_label: str, client_for: Any, settings: Any
) -> None:
    batch = _batch(world)
    settings.TASKS = DUMMY
    client = client_for(world.street_a_hr)
    page = client.post(f"/recruitment/conversions/{batch.pk}/confirm/", follow=True).content.decode()
    assert "已在后台开始：确认套改第一批" in page
    first = conversion_batch_submit_confirm(batch=batch, actor=world.street_a_hr)
    assert first.status == JobStatus.QUEUED and first.key == f"conversion.confirm:{batch.pk}"
    page = client.get(f"/recruitment/conversions/{batch.pk}/").content.decode()
    assert f"/jobs/{first.pk}/progress?reload=1" in page and "整批确认套改" not in page
    jobs.job_execute(job_id=first.pk)
    jobs.job_execute(job_id=first.pk)
    first.refresh_from_db()
    batch.refresh_from_db()
    assert first.status == JobStatus.SUCCEEDED and first.outcome == "套改已确认：3 人"
    assert batch.status == BatchStatus.CONFIRMED
    assert WorkerEvent.objects.filter(kind=EventKind.CONVERSION).count() == 3


def test_another_streets_user_cannot_follow_a_conversion_job_org_1(
    world: Any, policy_label: str, client_for: Any, settings: Any
) -> None:
    """ORG-1: the job confirming street A's batch is not found for street B's HR."""
    settings.TASKS = DUMMY
    job = conversion_batch_submit_confirm(batch=_batch(world), actor=world.street_a_hr)
    assert client_for(world.street_b_hr).get(f"/api/v1/tasks/{job.pk}").status_code == 404
    assert client_for(world.street_a_hr).get(f"/api/v1/tasks/{job.pk}").status_code == 200
