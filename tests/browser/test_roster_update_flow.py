"""A street HR exports the roster, changes a post in the sheet, uploads it through 按表更新,
sees per person each change old → new and the rows skipped, confirms, and finds the dated
event in the worker's history (issue 13, point 3)."""

from __future__ import annotations

import csv
import io

import pytest

from shequ.workers.models import Worker
from tests.browser.conftest import login, shot
from tests.factories import make_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_edit_upload_preview_and_confirm_a_roster_update(world, live_server, page, client_for, tmp_path):
    make_worker(world.community_a2, name="王二")
    exported = client_for(world.street_a_hr).get("/workers/export.xlsx?format=csv&full_ids=1")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    for r in rows[1:]:
        if r[0] == "刘少萌":
            r[header.index("岗位")] = "主办"
    header += ["变动日期", "变动原因"]
    for r in rows[1:]:
        r += ["2026-07-01", "竞聘上岗"]
    sheet = tmp_path / "花名册-更新.csv"
    with open(sheet, "w", encoding="gb18030", newline="") as fh:  # as Excel on Chinese Windows saves it
        csv.writer(fh).writerows(rows)

    login(page, live_server, "street_a_hr")
    page.click("text=花名册")
    page.wait_for_selector("#roster")
    page.click("text=按表更新")
    page.set_input_files("input[type=file]", str(sheet))
    page.click("text=上传并校验")
    page.wait_for_selector("text=校验通过：1 行")
    body = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
    assert "岗位：助理 → 主办" in body and "竞聘上岗" in body
    assert "另有 1 行与花名册一致，已跳过" in body
    shot(page, "roster-update-preview")
    page.click("text=确认导入全部 1 行")
    page.wait_for_selector("#roster")
    w = Worker.objects.get(pk=world.worker_a1.pk)
    assert w.post == "主办"
    page.goto(f"{live_server.url}/workers/{w.pk}/")
    page.wait_for_selector("#timeline")
    timeline = page.inner_text("#timeline")
    assert "岗位变动" in timeline and "2026-07-01" in timeline
    shot(page, "roster-update-timeline")
