"""The Chinese pages and the API end to end: create, enter scores, fix the cap, record a
breach, publish, preview, confirm, second confirmation."""

from __future__ import annotations

from typing import Any

from shequ.assessment.models import Campaign, Consequence, Score
from shequ.assessment.services import BREACH_NEEDS_REASON, CAP_BREACHED
from shequ.workers.models import Status
from tests.assessment.helpers import bind, history
from tests.factories import make_worker

WEIGHTS = {"任务完成情况": 0.5, "群众满意度": 0.5}


def test_pages_walk_a_campaign_from_creation_to_dismissal(world: Any, client_for: Any) -> None:
    bind(world, indicator_weights=WEIGHTS, points=[{"tier": "优秀", "min": 90}, {"tier": "称职", "min": 70}, {"tier": "基本称职", "min": 60}],
         excellent_share_cap=0.34, negative_list=["违反廉洁纪律", "弄虚作假"])
    fail = make_worker(world.community_a1, name="连续不称职", post="助理", grade=4)
    star = make_worker(world.community_a1, name="高分", post="助理", grade=4)
    history(fail, {2024: "不称职"})
    hr = client_for(world.street_a_hr)
    r = hr.post("/assessment/", {"unit": world.street_a.pk, "year": 2025})
    c = Campaign.objects.get()
    assert r.status_code == 302 and c.name == "槐阳街道2025年度社区工作者考核"
    page = hr.get(f"/assessment/{c.pk}/scores/?unit=迎宾社区").content.decode()
    assert "任务完成情况" in page and "群众满意度" in page
    # A partial row is refused with the worker named; nothing saved.
    bad = {f"w{star.pk}-i0": "95", f"w{fail.pk}-tier": "不合格"}
    page = hr.post(f"/assessment/{c.pk}/scores/?unit=迎宾社区", bad, follow=True).content.decode()
    assert "未保存" in page and "高分" in page and not Score.objects.exists()
    ok = {f"w{star.pk}-i0": "95", f"w{star.pk}-i1": "93", f"w{fail.pk}-tier": "不合格", f"w{world.worker_a1.pk}-score": "92"}
    hr.post(f"/assessment/{c.pk}/scores/?unit=迎宾社区", ok)
    assert Score.objects.filter(campaign=c).count() == 3
    # Two 优秀 of three is over the 34% cap: listed, publishing refused.
    page = hr.get(f"/assessment/{c.pk}/").content.decode()
    assert 'id="cap-breaches"' in page and "须调减 1 人" in page
    page = hr.post(f"/assessment/{c.pk}/publish/", {"confirmed": "1"}, follow=True).content.decode()
    assert CAP_BREACHED.format(excellent=2, allowed=1, cap=0.34, over=1) in page
    page = hr.post(f"/assessment/{c.pk}/breaches/", {"id_number": world.worker_a1.id_number, "reason": " "}, follow=True).content.decode()
    assert BREACH_NEEDS_REASON in page
    hr.post(f"/assessment/{c.pk}/breaches/", {"id_number": world.worker_a1.id_number, "reason": "违反廉洁自律规定"})
    page = hr.get(f"/assessment/{c.pk}/").content.decode()
    assert 'id="cap-breaches"' not in page  # the breach made 刘少萌 不称职
    hr.post(f"/assessment/{c.pk}/publish/", {"confirmed": "1"})
    c.refresh_from_db()
    assert c.status == "published"
    page = hr.get(f"/assessment/{c.pk}/preview/").content.decode()
    assert "连续不称职" in page and "确认结果运用" not in page  # street HR may not confirm
    admin = client_for(world.city_admin)
    assert "确认结果运用" in admin.get(f"/assessment/{c.pk}/preview/").content.decode()
    r = admin.post(f"/assessment/{c.pk}/confirm/", {"effective": "2026-01-01", "confirmed": "1"})
    assert r.status_code == 302 and r["Location"].endswith("/dismissals/")
    p = Consequence.objects.get(campaign=c, action="解聘")
    admin.post(f"/assessment/{c.pk}/dismissals/", {"consequence": p.pk, "decision": "confirm", "on": "2026-02-01", "confirmed": "1"})
    fail.refresh_from_db()
    assert fail.status == Status.LEFT
    page = admin.get(f"/assessment/{c.pk}/preview/").content.decode()
    assert 'id="consequences"' in page and "已解聘" in page
    # The published list keeps the people it was published with, including who has left.
    assert "连续不称职" in admin.get(f"/assessment/{c.pk}/").content.decode()


def test_api_walks_a_campaign(world: Any, client_for: Any) -> None:
    bind(world, step_every_years=1, excellent_share_cap=1.0, negative_list=["违反廉洁纪律", "弄虚作假"])
    w = make_worker(world.community_a1, name="甲", post="助理", grade=3)
    js = "application/json"
    hr = client_for(world.street_a_hr)
    r = hr.post("/api/v1/assessment/campaigns", {"unit": world.street_a.pk, "year": 2025}, content_type=js)
    assert r.status_code == 201
    cid = r.json()["id"]
    base = f"/api/v1/assessment/campaigns/{cid}"
    r = hr.put(base + "/scores", [{"worker_id": w.pk, "tier": "合格"}, {"worker_id": world.worker_a1.pk, "tier": "甲等"}], content_type=js)
    assert r.status_code == 400 and "甲等" in r.json()["detail"]
    assert hr.put(base + "/scores", [{"worker_id": w.pk, "tier": "合格"}, {"worker_id": world.worker_a1.pk, "score": 80, "tier": "称职"}],
                  content_type=js).json() == {"saved": 2}
    assert hr.post(base + "/breaches", {"worker_id": world.worker_a1.pk, "reason": "违反工作纪律"}, content_type=js).status_code == 201
    tiers = {x["worker_id"]: x["tier"] for x in hr.get(base + "/results").json()["rows"]}
    assert tiers == {w.pk: "称职", world.worker_a1.pk: "不称职"}
    published = hr.post(base + "/publish", content_type=js).json()
    assert published["published"] == 2
    assert hr.get(f"/api/v1/tasks/{published['task_id']}").json()["status"] == "succeeded"
    assert hr.post(base + "/confirm", {}, content_type=js).status_code == 403
    admin = client_for(world.city_admin)
    confirmed = admin.post(base + "/confirm", {"effective": "2026-01-01"}, content_type=js).json()
    assert {k: v for k, v in confirmed.items() if k != "task_id"} == {"steps": 1, "promote": 0, "warn": 0, "dismiss": 0}
    cons = admin.get(base + "/consequences").json()
    assert [(x["name"], x["action"], x["grade_before"], x["grade_after"]) for x in cons] == [("甲", "晋升一级", 3, 4)]


def test_a_bad_effective_date_is_refused_in_chinese_and_nothing_is_confirmed(world: Any, client_for: Any) -> None:
    from shequ.assessment.services import ScoreEntry, campaign_publish, scores_save
    from shequ.common.params import BAD_DATE
    from tests.assessment.helpers import campaign

    bind(world, excellent_share_cap=1.0)
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="称职")])
    campaign_publish(campaign=c, actor=world.street_a_hr)
    page = client_for(world.city_admin).post(f"/assessment/{c.pk}/confirm/", {"effective": "2026/13/01", "confirmed": "1"}, follow=True).content.decode()
    assert BAD_DATE.format(label="生效日期", value="2026/13/01") in page
    c.refresh_from_db()
    assert c.status == "published"
