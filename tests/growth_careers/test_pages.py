"""The careers pages and exports: Chinese, scoped to the user's subtree (street B never
sees or changes street A's data), refusals shown with their reason and changing nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from shequ.growth.careers import services
from shequ.growth.careers.models import AdmissionItem, GridInfo, ReserveCandidate
from shequ.workers.models import EventKind
from tests.factories import id_number, make_worker
from tests.growth_careers.helpers import read_xlsx

ON = date(2025, 7, 1)


@pytest.fixture
def filled(world, five_posts):
    """Some data on street A's side of everything."""
    a = world.community_a1
    services.reserve_add(data=services.ReserveData(community=a, added_on=date(2025, 1, 1), name="甲后备",
                                                   id_number=id_number(date(1985, 1, 1)), education="本科"),
                         actor=world.street_a_hr)
    make_worker(a, name="甲将退休", sex="女", post="五岗", birth_date=date(1975, 9, 1))
    services.honour_record(worker=world.worker_a1, kind="人大代表", level="县级", title="甲区人大代表",
                           awarded_on=date(2024, 1, 5), actor=world.street_a_hr)
    services.grid_create(community=a, name="甲一网格", households=400, party_org="甲一网格党支部", leader=None,
                         on=date(2025, 1, 1), actor=world.street_a_hr)
    services.admission_item_propose(unit=world.street_a, title="甲街事项", category="综合", actor=world.street_a_hr)
    services.career_select(worker=world.worker_a1, path="街道领导班子", organisation="槐阳街道", effective=date(2025, 2, 1),
                           actor=world.street_a_hr)
    leaver = make_worker(a, name="甲辞职者", post="五岗")
    services.career_exit(worker=leaver, reason="辞职", on=date(2025, 3, 1), actor=world.street_a_hr)
    return world


PAGES = ["index", "reserve", "promotions", "events", "honours", "retirements", "exits", "grids", "admission"]


@pytest.mark.parametrize("name", PAGES)
def test_street_a_sees_its_data_on_every_page(filled, client_for, name):
    r = client_for(filled.street_a_hr).get(reverse(f"careers:{name}") + "?on=2025-07-01")
    assert r.status_code == 200
    body = r.content.decode()
    marker = {"index": "街道领导班子", "reserve": "甲后备", "promotions": "甲将退休", "events": "刘少萌", "honours": "甲区人大代表",
              "retirements": "甲将退休", "exits": "甲辞职者", "grids": "甲一网格", "admission": "甲街事项"}[name]
    assert marker in body


@pytest.mark.parametrize("name", PAGES)
def test_street_b_sees_none_of_street_as_data_on_any_page(filled, client_for, name):
    r = client_for(filled.street_b_hr).get(reverse(f"careers:{name}") + "?on=2025-07-01")
    assert r.status_code == 200
    body = r.content.decode()
    for leak in ("甲后备", "甲将退休", "甲区人大代表", "甲一网格", "甲街事项", "甲辞职者", "刘少萌", "迎宾社区"):
        assert leak not in body, (name, leak)


EXPORTS = {
    "promotions_export": ("晋升资格", "甲将退休"),
    "reserve_export": ("书记后备人才库", "甲后备"),
    "retirements_export": ("未来12个月退休人员", "甲将退休"),
    "honours_export": ("表彰荣誉与两代表一委员", "甲区人大代表"),
    "events_export": ("晋升套转选拔与流动", "刘少萌"),
    "exits_export": ("退出人员", "甲辞职者"),
    "grids_export": ("网格", "甲一网格"),
    "admission_export": ("社区工作准入清单", "甲街事项"),
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_every_export_prints_scope_and_date_and_keeps_to_the_scope(filled, client_for, name):
    what, marker = EXPORTS[name]
    a = client_for(filled.street_a_hr).get(reverse(f"careers:{name}") + "?on=2025-07-01")
    assert a.status_code == 200
    rows = read_xlsx(a.content)
    assert rows[0][0] == what and rows[1][0].startswith("范围：槐阳街道")
    if name in ("reserve_export", "retirements_export", "grids_export", "honours_export"):
        assert "数据日期：2025-07-01" in rows[1][0]
    flat = [str(c) for row in rows for c in row]
    if name == "reserve_export":
        flat += [str(c) for row in read_xlsx(a.content, "后备人选名单") for c in row]
    assert marker in flat
    b = client_for(filled.street_b_hr).get(reverse(f"careers:{name}") + "?on=2025-07-01")
    rows_b = read_xlsx(b.content)
    assert rows_b[1][0].startswith("范围：东门街道")
    flat_b = [str(c) for row in rows_b for c in row]
    assert marker not in flat_b


def test_the_reserve_export_has_counts_minimum_shortfall_and_shares_q_resv(filled, client_for):
    rows = read_xlsx(client_for(filled.city_admin).get(reverse("careers:reserve_export") + "?on=2025-07-01").content)
    assert rows[2] == ["街道", "社区", "书记后备人选", "政策最低人数", "缺额", "政策目标人数", "距目标", "适用政策"]
    by_name = {r[1]: r for r in rows[3:]}
    assert by_name["迎宾社区"][2:5] == [1, 2, 1]
    assert by_name["东门社区"][2:5] == [0, 2, 2]
    assert "45岁及以下占比 100.00%" in rows[-1][7] and "大专及以上学历占比 100.00%" in rows[-1][7]


def test_street_b_cannot_open_a_street_a_workers_career_page(filled, client_for):
    url = reverse("careers:worker", args=[filled.worker_a1.pk])
    assert client_for(filled.street_b_hr).get(url).status_code == 404
    assert client_for(filled.street_a_hr).get(url).status_code == 200


@pytest.mark.parametrize("action,data", [
    ("promote", {"to_post": "四岗", "effective": "2025-07-01"}),
    ("elect", {"office": "一肩挑", "effective": "2025-07-01"}),
    ("select", {"path": "事业编", "effective": "2025-07-01"}),
    ("honour", {"kind": "劳动模范", "level": "县级", "title": "x", "awarded_on": "2025-07-01"}),
    ("move", {"to_unit": "0", "effective": "2025-07-01"}),
    ("exit", {"reason": "辞职", "on": "2025-07-01"}),
])
def test_street_b_cannot_act_on_a_street_a_worker(filled, client_for, action, data):
    w = filled.worker_a1
    before = w.events.count()
    r = client_for(filled.street_b_hr).post(reverse(f"careers:{action}", args=[w.pk]), data)
    assert r.status_code == 404
    assert w.events.count() == before


def test_a_refused_promotion_shows_its_reasons_and_changes_nothing(filled, client_for):
    w = make_worker(filled.community_a1, name="王五岗", post="五岗", grade=2, education="高中")
    r = client_for(filled.street_a_hr).post(reverse("careers:promote", args=[w.pk]),
                                             {"to_post": "四岗", "effective": "2025-07-01"}, follow=True)
    assert "王五岗 不符合“五岗→四岗”的晋升条件" in r.content.decode()
    w.refresh_from_db()
    assert w.post == "五岗"


def test_the_worker_page_names_the_unmet_promotion_conditions(filled, client_for):
    w = make_worker(filled.community_a1, name="王五岗", post="五岗", grade=2, education="高中")
    body = client_for(filled.street_a_hr).get(reverse("careers:worker", args=[w.pk]) + "?on=2025-07-01").content.decode()
    assert "未满足：学历大专及以上（现为高中）" in body and "退休年龄：50 周岁" in body


def test_a_move_through_the_page_by_the_city_admin(filled, client_for):
    w = make_worker(filled.community_a1, name="流动者", post="四岗", grade=5)
    r = client_for(filled.city_admin).post(reverse("careers:move", args=[w.pk]),
                                           {"to_unit": filled.community_b1.pk, "effective": "2025-07-01"}, follow=True)
    assert "已办理流动" in r.content.decode()
    w.refresh_from_db()
    assert w.unit == filled.community_b1


def test_a_bad_date_is_named_in_chinese(filled, client_for):
    w = make_worker(filled.community_a1, name="流动者", post="四岗", grade=5)
    r = client_for(filled.street_a_hr).post(reverse("careers:exit", args=[w.pk]), {"reason": "辞职", "on": "明天"}, follow=True)
    from shequ.common.params import BAD_DATE

    assert BAD_DATE.format(label="离职日期", value="明天") in r.content.decode()
    w.refresh_from_db()
    assert w.status == "active"


def test_a_grid_too_large_is_refused_on_the_page_keeping_what_was_typed(filled, client_for):
    r = client_for(filled.street_a_hr).post(reverse("careers:grid_add"), {
        "community": filled.community_a1.pk, "name": "大网格", "households": "900", "party_org": "大网格党支部",
        "on": "2025-07-01"})
    body = r.content.decode()
    assert r.status_code == 400 and "网格户数 900 户不在 300—500 户的标准内" in body
    assert 'value="大网格"' in body and 'value="900"' in body and 'value="大网格党支部"' in body
    assert GridInfo.objects.count() == 1


def test_a_bad_id_number_in_the_reserve_form_keeps_the_name(filled, client_for):
    r = client_for(filled.street_a_hr).post(reverse("careers:reserve_add"), {
        "community": filled.community_a1.pk, "kind": "secretary", "name": "张三", "id_number": "123",
        "education": "本科", "source": "其他"})
    body = r.content.decode()
    assert r.status_code == 400 and "身份证号应为 18 位，实际 3 位" in body and 'value="张三"' in body
    assert ReserveCandidate.objects.count() == 1


def test_street_a_adds_and_removes_a_reserve_through_the_page_q_resv(filled, client_for):
    c = client_for(filled.street_a_hr)
    r = c.post(reverse("careers:reserve_add"), {"community": filled.community_a2.pk, "kind": "secretary",
                                                "worker": "", "name": "李后备", "id_number": id_number(date(1990, 2, 2)),
                                                "education": "大专", "source": "退役军人"}, follow=True)
    assert "已列入后备人才库" in r.content.decode()
    cand = ReserveCandidate.objects.get(name="李后备")
    assert (cand.community, cand.source, cand.added_on) == (filled.community_a2, "退役军人", date.today())
    r = c.post(reverse("careers:reserve_remove", args=[cand.pk]), {"reason": "已当选书记"}, follow=True)
    assert "李后备 已出库" in r.content.decode()
    cand.refresh_from_db()
    assert cand.removed_reason == "已当选书记"


def test_a_proposal_without_a_category_keeps_its_title(filled, client_for):
    r = client_for(filled.street_a_hr).post(reverse("careers:admission_propose"), {
        "unit": filled.street_a.pk, "title": "新事项", "category": ""})
    body = r.content.decode()
    assert r.status_code == 400 and "请填写“事项类别”" in body and 'value="新事项"' in body


def test_street_b_cannot_add_a_grid_or_reserve_in_street_a(filled, client_for):
    c = client_for(filled.street_b_hr)
    assert c.post(reverse("careers:grid_add"), {"community": filled.community_a1.pk, "name": "x", "households": "400",
                                                "party_org": "p"}).status_code == 404
    assert c.post(reverse("careers:reserve_add"), {"community": filled.community_a1.pk, "kind": "secretary",
                                                   "name": "x", "id_number": id_number(), "education": "本科",
                                                   "source": "其他"}).status_code == 404
    cand = ReserveCandidate.objects.get()
    assert c.post(reverse("careers:reserve_remove", args=[cand.pk]), {"reason": "x"}).status_code == 404
    assert GridInfo.objects.count() == 1 and ReserveCandidate.objects.filter(removed_on__isnull=True).count() == 1


def test_the_bureau_approves_through_the_page_and_the_street_cannot(filled, client_for):
    item = AdmissionItem.objects.get()
    url = reverse("careers:admission_decide", args=[item.pk])
    assert client_for(filled.street_a_hr).post(url, {"decision": "approve"}).status_code == 403
    r = client_for(filled.city_admin).post(url, {"decision": "approve", "note": "同意"}, follow=True)
    assert "已准入" in r.content.decode()
    item.refresh_from_db()
    assert item.status == "approved"
    body = client_for(filled.street_a_hr).get(reverse("careers:admission")).content.decode()
    assert '<strong id="in-force">1</strong>' in body
    body = client_for(filled.street_b_hr).get(reverse("careers:admission")).content.decode()
    assert '<strong id="in-force">0</strong>' in body


def test_a_secretary_reads_but_cannot_write(filled, client_for):
    c = client_for(filled.secretary_a1)
    assert c.get(reverse("careers:reserve")).status_code == 200
    assert c.post(reverse("careers:exit", args=[filled.worker_a1.pk]), {"reason": "辞职", "on": "2025-07-01"}).status_code == 403
    assert filled.worker_a1.events.filter(kind=EventKind.EXIT).count() == 0


def test_finance_has_no_careers_pages(filled, client_for):
    assert client_for(filled.finance).get(reverse("careers:index")).status_code == 403
