"""T-EXCH exchange placements and T-ALL 全岗通 rotation: events with dates and places,
rotation coverage per community."""

from __future__ import annotations

import io
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from shequ.common.scope import ScopeError
from shequ.growth.training import services
from shequ.growth.training.coverage import rotation_coverage
from shequ.growth.training.models import Placement
from shequ.workers.models import EventKind, WorkerEvent
from tests.factories import make_worker
from tests.growth.training_setup import bind_policy

ON = date(2026, 11, 1)


@pytest.fixture
def colleague(world):
    bind_policy(world)
    return make_worker(world.community_a1, name="赵同事", post="主办")


def test_an_exchange_placement_is_an_event_with_dates_and_place_T_EXCH(world, colleague):
    p = services.placement_record(kind="exchange", worker=colleague, place="广东省东莞市东泰社区", start=date(2026, 4, 1),
                                  end=date(2026, 5, 31), actor=world.street_a_hr)
    e = WorkerEvent.objects.get(kind=EventKind.EXCHANGE, worker=colleague)
    assert e.effective == date(2026, 4, 1)
    assert e.data["after"] == {"placement_id": p.pk, "place": "广东省东莞市东泰社区", "post": "",
                               "start": "2026-04-01", "end": "2026-05-31"}
    assert "东泰社区" in e.cause


def test_an_end_before_start_and_a_missing_place_are_refused_T_EXCH(world, colleague):
    with pytest.raises(services.TrainingError) as err:
        services.placement_record(kind="exchange", worker=colleague, place="东莞", start=date(2026, 5, 1),
                                  end=date(2026, 4, 1), actor=world.street_a_hr)
    assert str(err.value) == services.END_BEFORE_START.format(start=date(2026, 5, 1), end=date(2026, 4, 1))
    with pytest.raises(services.TrainingError) as err:
        services.placement_record(kind="exchange", worker=colleague, place=" ", start=date(2026, 4, 1),
                                  end=date(2026, 5, 1), actor=world.street_a_hr)
    assert str(err.value) == services.PLACE_MISSING
    assert Placement.objects.count() == 0


def test_rotation_coverage_counts_rotated_workers_and_full_rotation_per_community_T_ALL(world, colleague):
    for post, month in (("民政救助", 1), ("社会保障", 3)):
        services.placement_record(kind="rotation", worker=colleague, place="迎宾社区", post_served=post,
                                  start=date(2026, month, 1), end=date(2026, month + 1, 1), actor=world.street_a_hr)
    services.placement_record(kind="rotation", worker=world.worker_a1, place="迎宾社区", post_served="民政救助",
                              start=date(2026, 6, 1), end=date(2026, 7, 1), actor=world.street_a_hr)
    rows = {r["unit_name"]: r for r in rotation_coverage(user=world.city_admin, root=None, on=ON).to_dicts()}
    assert rows["迎宾社区"]["headcount"] == 2 and rows["迎宾社区"]["rotated"] == 2
    assert rows["迎宾社区"]["all_posts"] == 1  # min_posts = 2 in the policy
    assert rows["迎宾社区"]["share_rotated"] == 1.0
    assert rows["东门社区"]["rotated"] == 0
    # As of a date before the second rotation nobody has two posts yet.
    early = {r["unit_name"]: r for r in rotation_coverage(user=world.city_admin, root=None, on=date(2026, 2, 1)).to_dicts()}
    assert early["迎宾社区"]["rotated"] == 1 and early["迎宾社区"]["all_posts"] == 0


def test_a_rotation_must_name_the_post_served_T_ALL(world, colleague):
    with pytest.raises(services.TrainingError) as err:
        services.placement_record(kind="rotation", worker=colleague, place="迎宾社区", start=date(2026, 1, 1),
                                  end=date(2026, 2, 1), actor=world.street_a_hr)
    assert str(err.value) == services.POST_MISSING


def test_street_b_cannot_record_or_see_street_a_placements_T_ALL_T_EXCH(world, colleague, client_for):
    with pytest.raises(ScopeError):
        services.placement_record(kind="rotation", worker=colleague, place="x", post_served="y", start=date(2026, 1, 1),
                                  end=date(2026, 2, 1), actor=world.street_b_hr)
    services.placement_record(kind="exchange", worker=colleague, place="东莞", start=date(2026, 1, 1),
                              end=date(2026, 2, 1), actor=world.street_a_hr)
    b = client_for(world.street_b_hr)
    assert "赵同事" not in b.get("/growth/training/placements/").content.decode()
    assert b.get("/api/v1/growth/training/placements?kind=exchange").json() == []
    r = b.post("/growth/training/placements/", {"kind": "exchange", "worker": colleague.pk, "place": "x",
                                                "start": "2026-01-01", "end": "2026-02-01"})
    assert r.status_code == 404 and Placement.objects.count() == 1  # out of scope looks like missing
    r = b.post("/api/v1/growth/training/placements", {"kind": "exchange", "worker_id": colleague.pk, "place": "x",
               "start": "2026-01-01", "end": "2026-02-01"}, content_type="application/json")
    assert r.status_code == 404
    units = {r["unit_name"] for r in b.get("/api/v1/growth/training/rotation/coverage").json()}
    assert units == {"东门社区"}
    book = CalamineWorkbook.from_filelike(io.BytesIO(b.get("/growth/training/placements.xlsx").content))
    assert {r[0] for r in book.get_sheet_by_name("全岗通覆盖").to_python()[3:]} == {"东门社区"}


def test_the_placements_page_records_a_rotation_T_ALL(world, colleague, client_for):
    a = client_for(world.street_a_hr)
    r = a.post("/growth/training/placements/", {"kind": "rotation", "worker": colleague.pk, "place": "迎宾社区",
                                                "post_served": "综合治理", "start": "2026-01-01", "end": "2026-03-01"})
    assert r.status_code == 302
    assert Placement.objects.get().post_served == "综合治理"
    assert "综合治理" in a.get("/growth/training/placements/").content.decode()


def test_the_api_answers_bad_input_with_a_chinese_error_and_writes_nothing_T_EXCH(world, colleague, client_for):
    a = client_for(world.street_a_hr)
    r = a.post("/api/v1/growth/training/placements", {"kind": "holiday", "worker_id": colleague.pk, "place": "x",
               "start": "2026-01-01", "end": "2026-02-01"}, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["detail"] == services.BAD_KIND.format(kind="holiday")
    r = a.post("/api/v1/growth/training/placements", {"kind": "exchange", "worker_id": colleague.pk, "place": "x" * 101,
               "start": "2026-01-01", "end": "2026-02-01"}, content_type="application/json")
    assert r.status_code == 400 and "100" in r.json()["detail"]
    assert Placement.objects.count() == 0
