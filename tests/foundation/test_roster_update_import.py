"""Updating the roster by sheet (issue 13, point 3; FORMATS.md "Roster update"): rows match
workers by ID number, the preview lists each changed field old → new, every change becomes
a dated event with its cause, unchanged rows are skipped, transfers and exits come by sheet
too, all or nothing, and only within the clerk's own scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shequ.common.models import ImportBatch
from shequ.workers.imports import NO_CHANGES, OUT_OF_SCOPE
from shequ.workers.models import EventKind, Worker, WorkerEvent
from tests.factories import make_worker

pytestmark = pytest.mark.django_db


def _csv(header: str, *rows: str, encoding: str = "utf-8-sig") -> bytes:
    return (header + "\n" + "".join(r + "\n" for r in rows)).encode(encoding)


def _stage(client, content: bytes, name: str = "更新.csv"):
    page = client.post("/imports/roster-update/", {"file": SimpleUploadedFile(name, content)}, follow=True)
    return ImportBatch.objects.latest("pk"), page.content.decode()


def _commit(client, batch):
    return client.post(f"/imports/{batch.pk}/", {"commit": "1"}, follow=True)


def test_changed_fields_are_previewed_old_to_new_and_become_dated_events_with_their_cause(world, client_for):
    client = client_for(world.street_a_hr)
    w = world.worker_a1
    other = make_worker(world.community_a1, name="王二")
    batch, page = _stage(client, _csv(
        "身份证号,姓名,岗位,学历,变动日期,变动原因",
        f"{w.id_number},刘少萌,主办,硕士研究生,2026-07-01,竞聘上岗",
        f"{other.id_number},王二,助理,本科,,",  # the same as on the roster: skipped
    ))
    assert batch.status == "ready", batch.errors
    assert [r["worker_id"] for r in batch.rows] == [w.pk]
    assert batch.rows[0]["changes_text"] == "岗位：助理 → 主办；学历：本科 → 硕士研究生"
    assert batch.summary["unchanged"] == 1
    assert "助理 → 主办" in page and "竞聘上岗" in page
    _commit(client, batch)
    w.refresh_from_db()
    assert (w.post, w.education) == ("主办", "硕士研究生")
    event = w.events.get(kind=EventKind.POST_CHANGE)
    assert event.effective == date(2026, 7, 1) and event.cause == "竞聘上岗"
    assert event.data["before"] == {"post": "助理", "education": "本科"}
    assert event.data["after"] == {"post": "主办", "education": "硕士研究生"}
    assert not WorkerEvent.objects.filter(worker=other).exists()


def test_a_unit_change_is_a_transfer_and_leaving_is_an_exit_by_sheet(world, client_for):
    client = client_for(world.street_a_hr)
    w = world.worker_a1
    other = make_worker(world.community_a1, name="王二")
    batch, _ = _stage(client, _csv(
        "身份证号,所属单位,状态,离职日期,离职原因,变动日期,变动原因",
        f"{w.id_number},槐阳北社区,,,,2026-05-01,工作需要",
        f"{other.id_number},,离职,2026-06-30,辞职,,本人申请",
    ))
    assert batch.status == "ready", batch.errors
    _commit(client, batch)
    w.refresh_from_db()
    other.refresh_from_db()
    assert w.unit == world.community_a2
    transfer = w.events.get(kind=EventKind.TRANSFER)
    assert (transfer.effective, transfer.cause) == (date(2026, 5, 1), "工作需要")
    assert other.status == "left" and other.left_on == date(2026, 6, 30) and other.exit_reason == "辞职"
    assert other.events.get(kind=EventKind.EXIT).cause == "本人申请"


def test_one_bad_row_changes_nobody(world, client_for):
    client = client_for(world.street_a_hr)
    w = world.worker_a1
    other = make_worker(world.community_a1, name="王二")
    batch, page = _stage(client, _csv(
        "身份证号,岗位,学历",
        f"{w.id_number},主办,本科",
        f"{other.id_number},主办,博士后",
    ))
    assert batch.status == "invalid"
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "学历")]
    assert "第 3 行" in page
    w.refresh_from_db()
    assert w.post == "助理" and not w.events.exists()


def test_a_street_clerk_cannot_update_a_worker_of_another_street(world, client_for):
    client = client_for(world.street_b_hr)
    w = world.worker_a1
    batch, _ = _stage(client, _csv("身份证号,岗位", f"{w.id_number},主办"))
    assert batch.status == "invalid"
    assert batch.errors == [{"row": 2, "column": "身份证号", "message": OUT_OF_SCOPE.format(id_number=w.id_number)}]
    assert "刘少萌" not in str(batch.errors)  # nothing about the other street's worker leaks
    w.refresh_from_db()
    assert w.post == "助理"


def test_a_transfer_into_another_street_is_refused(world, client_for):
    client = client_for(world.street_a_hr)
    batch, _ = _stage(client, _csv("身份证号,所属单位", f"{world.worker_a1.id_number},东门社区"))
    assert batch.status == "invalid"
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "所属单位")]


def test_a_sheet_identical_to_the_roster_says_there_is_nothing_to_change(world, client_for):
    client = client_for(world.street_a_hr)
    w = world.worker_a1
    batch, _ = _stage(client, _csv("身份证号,姓名,岗位", f"{w.id_number},刘少萌,助理"))
    assert batch.errors == [{"row": 1, "column": "", "message": NO_CHANGES.format(n=1)}]
    assert not WorkerEvent.objects.exists()


def test_a_change_made_after_the_preview_refuses_the_whole_commit(world, client_for):
    client = client_for(world.street_a_hr)
    w = world.worker_a1
    other = make_worker(world.community_a1, name="王二")
    batch, _ = _stage(client, _csv("身份证号,岗位", f"{other.id_number},主办", f"{w.id_number},主办"))
    assert batch.status == "ready"
    Worker.objects.filter(pk=w.pk).update(post="副主管")
    page = _commit(client, batch).content.decode()
    assert "导入失败，未做任何更改" in page
    other.refresh_from_db()
    assert other.post == "助理" and not WorkerEvent.objects.exists()
