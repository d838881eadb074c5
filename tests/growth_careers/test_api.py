"""/api/v1/growth/careers: the same rules and the same scope as the pages."""

from __future__ import annotations

import json
from datetime import date

import pytest

from shequ.growth.careers import services
from shequ.growth.careers.models import AdmissionItem
from tests.factories import id_number, make_worker

API = "/api/v1/growth/careers"


def _text(r) -> str:
    return json.dumps(r.json(), ensure_ascii=False)


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def data(world, five_posts):
    services.reserve_add(data=services.ReserveData(community=world.community_a1, added_on=date(2025, 1, 1), name="甲后备",
                                                   id_number=id_number(date(1985, 1, 1)), education="本科"),
                         actor=world.street_a_hr)
    make_worker(world.community_a1, name="甲将退休", sex="女", post="五岗", birth_date=date(1975, 9, 1))
    services.honour_record(worker=world.worker_a1, kind="劳动模范", level="市级", title="市劳动模范",
                           awarded_on=date(2024, 1, 5), actor=world.street_a_hr)
    services.grid_create(community=world.community_a1, name="甲一网格", households=400, party_org="甲一网格党支部",
                         leader=None, on=date(2025, 1, 1), actor=world.street_a_hr)
    services.admission_item_propose(unit=world.street_a, title="甲街事项", category="综合", actor=world.street_a_hr)
    return world


LISTS = {
    "/reserve?on=2025-07-01": "甲后备",
    "/reserve/communities?on=2025-07-01": "迎宾社区",
    "/honours": "市劳动模范",
    "/promotions?on=2025-07-01": "甲将退休",
    "/retirements?on=2025-07-01": "甲将退休",
    "/grids?on=2025-07-01": "甲一网格",
    "/admission": "甲街事项",
}


@pytest.mark.parametrize("path", list(LISTS))
def test_lists_keep_to_the_callers_street(data, client_for, path):
    a = client_for(data.street_a_hr).get(API + path)
    assert a.status_code == 200 and LISTS[path] in _text(a)
    b = client_for(data.street_b_hr).get(API + path)
    assert b.status_code == 200 and LISTS[path] not in _text(b)


def test_reserve_shortfall_and_stats_q_resv(data, client_for):
    c = client_for(data.city_admin)
    rows = c.get(API + "/reserve/communities?on=2025-07-01&shortfall_only=true").json()
    assert {(r["unit_name"], r["count"], r["minimum"], r["shortfall"]) for r in rows} == {
        ("迎宾社区", 1, 2, 1), ("槐阳北社区", 0, 2, 2), ("东门社区", 0, 2, 2)}
    stats = c.get(API + "/reserve/stats?on=2025-07-01").json()
    assert stats == {"total": 1, "aged_45_or_under": 1, "dazhuan_or_above": 1,
                     "aged_45_or_under_share": 1.0, "dazhuan_or_above_share": 1.0}


def test_reserve_add_in_another_street_is_refused_q_resv(data, client_for):
    r = _post(client_for(data.street_b_hr), API + "/reserve", {
        "community": data.community_a1.pk, "added_on": "2025-07-01", "name": "x", "id_number": id_number(),
        "education": "本科"})
    assert r.status_code == 404


def test_promotion_check_and_refusal_c_path(data, client_for):
    w = make_worker(data.community_a1, name="王五岗", post="五岗", grade=2, education="高中")
    c = client_for(data.street_a_hr)
    (check,) = c.get(API + f"/workers/{w.pk}/promotions?on=2025-07-01").json()
    assert check["to_post"] == "四岗" and not check["eligible"] and "学历大专及以上（现为高中）" in check["unmet"]
    r = _post(c, API + f"/workers/{w.pk}/promote", {"to_post": "四岗", "effective": "2025-07-01"})
    assert r.status_code == 400 and r.json()["detail"].startswith("王五岗 不符合")


def test_election_conversion_through_the_api_g_tr(data, client_for):
    w = make_worker(data.community_a1, name="李四岗", post="四岗", grade=10)
    r = _post(client_for(data.street_a_hr), API + f"/workers/{w.pk}/elect", {"office": "两委专职成员", "effective": "2025-07-01"})
    assert r.status_code == 200 and r.json()["kind"] == "conversion"
    w.refresh_from_db()
    assert w.post == "三岗"


@pytest.mark.parametrize("action,body", [
    ("promote", {"to_post": "四岗", "effective": "2025-07-01"}),
    ("elect", {"office": "一肩挑", "effective": "2025-07-01"}),
    ("select", {"path": "事业编", "effective": "2025-07-01"}),
    ("honours", {"kind": "劳动模范", "level": "县级", "title": "x", "awarded_on": "2025-07-01"}),
    ("exit", {"reason": "辞职", "on": "2025-07-01"}),
    ("promotions", None),
])
def test_street_b_cannot_touch_a_street_a_worker(data, client_for, action, body):
    c = client_for(data.street_b_hr)
    before = data.worker_a1.events.count()
    url = API + f"/workers/{data.worker_a1.pk}/{action}"
    r = c.get(url) if body is None else _post(c, url, body)
    assert r.status_code == 404
    assert data.worker_a1.events.count() == before


def test_moves_need_both_ends_in_scope_c_move(data, client_for):
    w = make_worker(data.community_a1, name="流动者", post="四岗", grade=5)
    r = _post(client_for(data.street_a_hr), API + f"/workers/{w.pk}/move", {"to_unit": data.community_b1.pk, "effective": "2025-07-01"})
    assert r.status_code == 404
    r = _post(client_for(data.city_admin), API + f"/workers/{w.pk}/move", {"to_unit": data.community_b1.pk, "effective": "2025-07-01"})
    assert r.status_code == 200 and r.json()["unit_name"] == "东门社区"
    # Both sides see the move in their lists.
    assert "流动者" in _text(client_for(data.street_a_hr).get(API + "/events"))
    assert "流动者" in _text(client_for(data.street_b_hr).get(API + "/events"))


def test_retirement_too_early_is_a_400_with_the_reason_c_retire(data, client_for):
    r = _post(client_for(data.street_a_hr), API + f"/workers/{data.worker_a1.pk}/exit", {"reason": "退休", "on": "2025-07-01"})
    assert r.status_code == 400 and "未到适用政策规定的退休年龄 50 周岁" in r.json()["detail"]


def test_exit_through_the_api_c_exit(data, client_for):
    r = _post(client_for(data.street_a_hr), API + f"/workers/{data.worker_a1.pk}/exit",
              {"reason": "解聘", "on": "2025-07-01", "cause": "连续两年考核不称职"})
    assert r.status_code == 200 and r.json()["kind"] == "exit"
    assert "刘少萌" in _text(client_for(data.street_a_hr).get(API + "/exits"))
    assert "刘少萌" not in _text(client_for(data.street_b_hr).get(API + "/exits"))


def test_grid_create_checks_the_range_org_4(data, client_for):
    c = client_for(data.street_a_hr)
    body = {"community": data.community_a1.pk, "name": "二网格", "households": 120, "party_org": "二网格党支部", "on": "2025-07-01"}
    r = _post(c, API + "/grids", body)
    assert r.status_code == 400 and "120 户不在 300—500 户的标准内" in r.json()["detail"]
    r = _post(c, API + "/grids", {**body, "households": 350, "leader": data.worker_a1.pk})
    assert r.status_code == 200 and r.json()["in_standard"] and r.json()["leader_name"] == "刘少萌"
    assert _post(client_for(data.street_b_hr), API + "/grids", {**body, "name": "三网格", "households": 350}).status_code == 404


def test_admission_needs_the_bureau_org_5(data, client_for):
    item = AdmissionItem.objects.get()
    url = API + f"/admission/{item.pk}/decide"
    assert _post(client_for(data.street_a_hr), url, {"approve": True}).status_code == 403
    assert _post(client_for(data.street_b_hr), url, {"approve": True}).status_code == 403
    r = _post(client_for(data.city_admin), url, {"approve": True, "effective": "2025-07-01"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = _post(client_for(data.street_b_hr), API + "/admission", {"unit": data.street_a.pk, "title": "x", "category": "y"})
    assert r.status_code == 404
