"""Entering, correcting, moving and letting go of one worker through the pages."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.sheets.idcard import ID_CHECK
from shequ.workers.models import Worker
from tests.factories import id_number

pytestmark = pytest.mark.django_db


def _new(world, **over):
    data = {
        "name": "回硕", "id_number": id_number(date(1997, 1, 2)), "unit": world.community_a1.pk,
        "category": "专职社区工作者", "post": "助理", "education": "本科", "community_work_start": "2021-03-01",
        "certificate": "无", "grade": "", "phone": "", "effective": "2026-11-01", "cause": "招聘录用",
    }
    return data | over


def test_a_new_worker_without_a_grade_is_placed_by_the_policy(world, client_for):
    response = client_for(world.street_a_hr).post("/workers/new/", _new(world))
    worker = Worker.objects.get(name="回硕")
    assert response.status_code == 302
    assert worker.grade is not None and 1 <= worker.grade <= 12  # G-BH: 助理 1–12
    assert worker.events.get().policy_version.startswith("baohe@")


def test_a_bad_id_number_is_refused_and_what_was_typed_stays(world, client_for):
    number = id_number(date(1997, 1, 2))
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    page = client_for(world.street_a_hr).post("/workers/new/", _new(world, id_number=wrong)).content.decode()
    assert ID_CHECK.split("：")[0] in page
    assert 'value="回硕"' in page and wrong in page
    assert not Worker.objects.filter(name="回硕").exists()


def test_street_b_cannot_put_a_worker_into_street_a(world, client_for):
    response = client_for(world.street_b_hr).post("/workers/new/", _new(world))
    assert response.status_code == 200  # the unit is not among the choices: a form error
    assert not Worker.objects.filter(name="回硕").exists()


def test_an_edit_records_before_and_after_in_the_history(world, client_for):
    w = world.worker_a1
    client_for(world.street_a_hr).post(f"/workers/{w.pk}/edit/", {
        "name": w.name, "category": w.category, "post": "主办", "education": w.education,
        "community_work_start": "2015-03-01", "certificate": "无", "grade": "6", "phone": "",
        "effective": "2026-10-01", "cause": "岗位调整"})
    w.refresh_from_db()
    assert (w.post, w.grade) == ("主办", 6)
    page = client_for(world.street_a_hr).get(f"/workers/{w.pk}/").content.decode()
    assert "岗位调整" in page and "助理 → 主办" in page


def test_transfer_and_exit_through_the_pages(world, client_for):
    c = client_for(world.street_a_hr)
    w = world.worker_a1
    c.post(f"/workers/{w.pk}/transfer/", {"to_unit": world.community_a2.pk, "effective": "2026-10-01", "cause": "工作需要"})
    c.post(f"/workers/{w.pk}/exit/", {"reason": "辞职", "on": "2026-10-31", "cause": "个人原因"})
    w.refresh_from_db()
    assert w.unit == world.community_a2 and w.status == "left" and w.left_on == date(2026, 10, 31)


def test_street_b_cannot_open_the_edit_pages_of_street_a(world, client_for):
    c = client_for(world.street_b_hr)
    for action in ("edit", "transfer", "exit"):
        assert c.get(f"/workers/{world.worker_a1.pk}/{action}/").status_code == 404


def test_the_secretary_cannot_edit(world, client_for):
    assert client_for(world.secretary_a1).get(f"/workers/{world.worker_a1.pk}/edit/").status_code == 403
