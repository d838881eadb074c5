"""/api/v1/recruitment: the whole exam flow, dispatch and 套改 through the API, with the
same errors as the pages."""

from __future__ import annotations

import json
from datetime import date

from shequ.recruitment.exam import SCORE_OUT_OF_RANGE
from shequ.recruitment.services import DUPLICATE_APPLICATION
from shequ.workers.models import Worker
from tests.factories import id_number, make_worker
from tests.recruitment.helpers import counts, rated_dispatch


def _post(c, url, body):
    return c.post(f"/api/v1/recruitment{url}", json.dumps(body), content_type="application/json")


def test_the_exam_flow_through_the_api_e_exam_e_prob(world, policy_label, client_for):
    c = client_for(world.street_a_hr)
    r = _post(c, "/plans", {"scope": world.street_a.pk, "title": "API 招聘"})
    assert r.status_code == 201
    plan_id = r.json()["id"]
    r = _post(c, f"/plans/{plan_id}/posts", {"unit": world.community_a1.pk, "post": "助理", "places": 1})
    assert r.json()["posts"][0]["places"] == 1
    pp = r.json()["posts"][0]["id"]
    r = _post(c, f"/plans/{plan_id}/posts", {"unit": world.community_a1.pk, "post": "助理", "places": 99})
    assert r.status_code == 400 and "空编 15 个" in r.json()["detail"]
    r = _post(c, f"/plans/{plan_id}/announce", {"announcement": "公告", "announced_on": "2026-03-01",
                                                 "apply_from": "2026-03-01", "apply_until": "2026-03-20"})
    assert r.json()["status"] == "announced"
    idn = id_number(date(1996, 1, 1))
    a = _post(c, f"/plans/{plan_id}/applications", {"plan_post": pp, "name": "甲", "id_number": idn, "education": "本科",
                                                    "residence_local": True, "veteran": True}).json()
    assert (a["status"], a["bonus"]) == ("eligible", "3.00")
    before = counts()
    r = _post(c, f"/plans/{plan_id}/applications", {"plan_post": pp, "name": "甲", "id_number": idn, "education": "本科"})
    assert r.status_code == 400 and r.json()["detail"] == DUPLICATE_APPLICATION.format(id_number=idn, name="甲")
    r = _post(c, f"/applications/{a['id']}/scores", {"written": 100.5, "interview": 80})
    assert r.status_code == 400 and r.json()["detail"] == SCORE_OUT_OF_RANGE.format(what="笔试成绩", value="100.5", max="100")
    assert counts() == before
    r = _post(c, f"/applications/{a['id']}/scores", {"written": 80, "interview": 90})
    assert r.json()["total"] == "89.00"
    r = _post(c, f"/applications/{a['id']}/hire", {"on": "2026-05-01"})
    assert r.status_code == 400 and "尚未公示" in r.json()["detail"]
    assert _post(c, f"/plans/{plan_id}/publish", {"on": "2026-04-20"}).json()["published_on"] == "2026-04-20"
    ranking = c.get(f"/api/v1/recruitment/plans/{plan_id}/ranking").json()
    assert ranking[0]["ranked"][0]["within_places"] is True
    r = _post(c, f"/applications/{a['id']}/hire", {"on": "2026-05-01"})
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["probation_until"]) == ("probation", "2026-11-01")
    assert Worker.objects.get(pk=r.json()["worker_id"]).name == "甲"


def test_dispatch_and_conversion_through_the_api_e_disp_e_conv(world, policy_label, client_for):
    for i in range(10):
        rated_dispatch(world.community_a1, name=f"派遣{i}", hired_on=date(2019, 1, 1))
    members = [make_worker(world.community_a1, name=f"两委{i}", category="两委成员", post="主办") for i in range(2)]
    c = client_for(world.street_a_hr)
    rows = c.get("/api/v1/recruitment/dispatch").json()
    assert len(rows) == 10 and all(r["eligible"] for r in rows)
    r = _post(c, f"/dispatch/{rows[0]['worker_id']}/convert", {"on": date.today().isoformat()})
    assert r.status_code == 200 and r.json()["grade"] is not None
    r = _post(c, f"/dispatch/{rows[1]['worker_id']}/convert", {"on": date.today().isoformat()})
    assert r.status_code == 400 and "上限 1 人" in r.json()["detail"]
    r = _post(c, "/conversions", {"scope": world.street_a.pk, "title": "API 套改", "effective": "2026-01-01",
                                  "workers": [m.pk for m in members]})
    assert r.status_code == 201
    batch = r.json()
    line = batch["lines"][0]
    r = _post(c, f"/conversion-lines/{line['id']}", {"post": "主办", "grade": 7, "reason": "复核"})
    assert r.json()["final_grade"] == 7
    assert _post(c, f"/conversion-lines/{line['id']}/contract", {"voluntary": True}).json()["voluntary_contract"] is True
    report = c.get(f"/api/v1/recruitment/conversions/{batch['id']}/report").json()
    assert report["total"] == 2 and report["posts"] == ["主办"]
    r = _post(c, f"/conversions/{batch['id']}/confirm", {})
    assert r.json()["status"] == "confirmed"
    assert Worker.objects.get(pk=line["worker_id"]).grade == 7
