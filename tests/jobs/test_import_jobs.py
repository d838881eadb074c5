"""Imports validate and commit as background jobs: the preview page shows the job's
progress, a batch is written once however often 确认导入 is pressed, and a failing commit
writes nothing."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from shequ.common.models import ImportBatch
from shequ.errors import Invalid
from shequ.jobs import services as jobs
from shequ.jobs.models import Job, JobStatus
from shequ.org.models import Unit

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
HEADER = "单位名称,上级单位,单位类型,单位类别,户数,常住人口,城镇常住人口\n"
ROWS = "新华社区,槐阳街道,城市社区,二类,3200,8000,7900\n第一网格,新华社区,网格,,400,1000,1000\n"


def _upload(client: Any, text: str = ROWS) -> Any:
    return client.post("/imports/units/", {"file": SimpleUploadedFile("单位表.csv", (HEADER + text).encode("utf-8-sig"))})


def test_an_upload_is_validated_by_a_job_while_the_preview_shows_its_progress(
    world: Any, client_for: Any, settings: Any
) -> None:
    settings.TASKS = DUMMY
    client = client_for(world.street_a_hr)
    _upload(client)
    batch = ImportBatch.objects.get()
    assert batch.status == "validating" and bytes(batch.content).startswith(b"\xef\xbb\xbf")
    job = Job.objects.get(key=f"import.validate:{batch.pk}")
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "正在逐行校验" in page and f"/jobs/{job.pk}/progress?reload=1" in page and "确认导入" not in page
    jobs.job_execute(job_id=job.pk)
    batch.refresh_from_db()
    job.refresh_from_db()
    assert batch.status == "ready" and len(batch.rows) == 2 and bytes(batch.content) == b""
    assert job.status == JobStatus.SUCCEEDED and "校验通过" in job.outcome and job.result["rows"] == 2
    assert "确认导入全部 2 行" in client.get(f"/imports/{batch.pk}/").content.decode()


def test_pressing_commit_twice_while_the_job_is_queued_imports_the_batch_once(
    world: Any, client_for: Any, settings: Any
) -> None:
    client = client_for(world.street_a_hr)
    _upload(client)
    batch = ImportBatch.objects.get()
    assert batch.status == "ready", batch.errors
    settings.TASKS = DUMMY
    client.post(f"/imports/{batch.pk}/", {"commit": "1"})
    client.post(f"/imports/{batch.pk}/", {"commit": "1"})
    job = Job.objects.get(key=f"import.commit:{batch.pk}")
    assert job.status == JobStatus.QUEUED
    jobs.job_execute(job_id=job.pk)
    jobs.job_execute(job_id=job.pk)
    assert Unit.objects.filter(name="新华社区").count() == 1
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert Job.objects.get(pk=job.pk).outcome == "已导入 2 条（单位表.csv）"


def test_a_commit_that_fails_midway_writes_nothing_and_keeps_the_reason_on_the_job(
    world: Any, client_for: Any, monkeypatch: Any
) -> None:
    from shequ.web import imports as web_imports

    client = client_for(world.street_a_hr)
    _upload(client)
    batch = ImportBatch.objects.get()
    spec = web_imports.IMPORT_KINDS["units"]
    real = spec.commit

    def commit_then_refuse(rows: Any, unit: Any, actor: Any) -> Any:
        real(rows, unit, actor)
        raise Invalid("第 3 行：上级单位“新华社区”已被他人删除")

    monkeypatch.setitem(web_imports.IMPORT_KINDS, "units", type(spec)(**{**spec.__dict__, "commit": commit_then_refuse}))
    response = client.post(f"/imports/{batch.pk}/", {"commit": "1"}, follow=True)
    assert "导入失败，未做任何更改：第 3 行：上级单位“新华社区”已被他人删除" in response.content.decode()
    assert not Unit.objects.filter(name__in=["新华社区", "第一网格"]).exists()
    batch.refresh_from_db()
    assert batch.status == "ready"
    assert Job.objects.get(key=f"import.commit:{batch.pk}").status == JobStatus.FAILED


def test_another_streets_user_cannot_follow_an_import_job(world: Any, client_for: Any) -> None:
    """ORG-1: the job of street A's upload is not found for street B's HR."""
    _upload(client_for(world.street_a_hr))
    job = Job.objects.get(kind="import.validate")
    assert client_for(world.street_b_hr).get(f"/jobs/{job.pk}/").status_code == 404
    assert client_for(world.street_a_hr).get(f"/jobs/{job.pk}/").status_code == 200
