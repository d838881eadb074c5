"""ORG-1 for the entry area: street B's HR can neither see nor change street A's plans,
applications, dispatch conversions or 套改 batches — pages, API endpoints and exports."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
import python_calamine

from shequ.recruitment.conversion import conversion_batch_create
from shequ.recruitment.services import application_hire, plan_publish
from tests.factories import make_worker
from tests.recruitment.helpers import announced_plan, apply_and_score, counts


@pytest.fixture
def street_a(world, policy_label):
    plan, pp = announced_plan(world, places=1)
    a, b = apply_and_score(plan, pp, world.street_a_hr, [("甲", 80, 90), ("乙", 70, 70)])
    plan_publish(plan=plan, on=date(2026, 4, 20), actor=world.street_a_hr)
    application_hire(application=a, effective=date(2026, 5, 1), actor=world.street_a_hr)
    dispatch = make_worker(world.community_a1, name="派遣甲", category="劳务派遣", hired_on=date(2019, 1, 1))
    member = make_worker(world.community_a1, name="两委甲", category="两委成员", post="主办")
    batch = conversion_batch_create(scope=world.street_a, title="槐阳第一批", effective=date(2026, 1, 1), workers=[member],
                                    actor=world.street_a_hr)
    return {"plan": plan, "app": b, "dispatch": dispatch, "batch": batch, "line": batch.lines.get()}


def _gets(o):
    p, bt = o["plan"].pk, o["batch"].pk
    return [f"/recruitment/plans/{p}/", f"/recruitment/plans/{p}/ranking/", f"/recruitment/plans/{p}/ranking.xlsx",
            f"/recruitment/plans/{p}/applications.xlsx", f"/recruitment/plans/{p}/import/",
            f"/recruitment/conversions/{bt}/", f"/recruitment/conversions/{bt}/export.xlsx",
            f"/api/v1/recruitment/plans/{p}", f"/api/v1/recruitment/plans/{p}/applications",
            f"/api/v1/recruitment/plans/{p}/ranking", f"/api/v1/recruitment/conversions/{bt}",
            f"/api/v1/recruitment/conversions/{bt}/report"]


def _posts(o, world):
    p, a, bt, ln, w = o["plan"].pk, o["app"].pk, o["batch"].pk, o["line"].pk, o["dispatch"].pk
    form = [
        (f"/recruitment/plans/{p}/posts/", {"unit": world.community_a1.pk, "post": "助理", "places": 1}),
        (f"/recruitment/plans/{p}/announce/", {"announcement": "x", "announced_on": "2026-03-01", "apply_from": "2026-03-01", "apply_until": "2026-03-02"}),
        (f"/recruitment/plans/{p}/applications/", {"plan_post": o["plan"].posts.get().pk, "name": "x", "id_number": "x", "education": "本科"}),
        (f"/recruitment/plans/{p}/publish/", {"published_on": "2026-04-01"}),
        (f"/recruitment/plans/{p}/close/", {}),
        (f"/recruitment/applications/{a}/scores/", {"written": "99", "interview": "99"}),
        (f"/recruitment/applications/{a}/hire/", {"effective": "2026-05-01"}),
        (f"/recruitment/applications/{a}/withdraw/", {"reason": "x", "effective": "2026-05-01"}),
        (f"/recruitment/dispatch/{w}/convert/", {"effective": "2026-05-01"}),
        (f"/recruitment/conversion-lines/{ln}/", {"post": "主办", "grade": "5", "reason": "x"}),
        (f"/recruitment/conversion-lines/{ln}/contract/", {"voluntary": "1"}),
        (f"/recruitment/conversions/{bt}/confirm/", {}),
    ]
    api = [
        (f"/api/v1/recruitment/plans/{p}/posts", {"unit": world.community_a1.pk, "post": "助理", "places": 1}),
        (f"/api/v1/recruitment/applications/{a}/scores", {"written": 99, "interview": 99}),
        (f"/api/v1/recruitment/plans/{p}/close", {}),
        (f"/api/v1/recruitment/applications/{a}/hire", {"on": "2026-05-01"}),
        (f"/api/v1/recruitment/applications/{a}/withdraw", {"reason": "x", "on": "2026-05-01"}),
        (f"/api/v1/recruitment/dispatch/{w}/convert", {"on": "2026-05-01"}),
        (f"/api/v1/recruitment/conversion-lines/{ln}", {"post": "主办", "grade": 5, "reason": "x"}),
        (f"/api/v1/recruitment/conversion-lines/{ln}/contract", {"voluntary": True}),
        (f"/api/v1/recruitment/conversions/{bt}/confirm", {}),
    ]
    return form, api


def test_street_b_gets_404_on_every_page_endpoint_and_export_of_street_a(world, street_a, client_for):
    c = client_for(world.street_b_hr)
    for url in _gets(street_a):
        assert c.get(url).status_code == 404, url


def test_street_b_changes_nothing_of_street_a_through_pages_or_api(world, street_a, client_for):
    c = client_for(world.street_b_hr)
    before = counts()
    form, api = _posts(street_a, world)
    for url, data in form:
        assert c.post(url, data).status_code == 404, url
    for url, data in api:
        assert c.post(url, json.dumps(data), content_type="application/json").status_code == 404, url
    assert counts() == before


def test_street_b_cannot_make_a_plan_or_batch_for_street_a(world, street_a, client_for):
    c = client_for(world.street_b_hr)
    before = counts()
    assert c.post("/recruitment/plans/new/", {"scope": world.street_a.pk, "title": "越权"}).status_code == 404
    r = c.post("/api/v1/recruitment/plans", json.dumps({"scope": world.street_a.pk, "title": "越权"}), content_type="application/json")
    assert r.status_code == 404
    r = c.post("/api/v1/recruitment/conversions", json.dumps({"scope": world.street_a.pk, "title": "越权", "effective": "2026-01-01", "workers": []}),
               content_type="application/json")
    assert r.status_code == 404
    assert counts() == before


def _xlsx_text(content: bytes) -> str:
    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    return "\n".join("|".join(str(c) for c in r) for r in rows)


def test_street_b_lists_and_exports_show_none_of_street_a(world, street_a, client_for):
    make_worker(world.community_b1, name="东门派遣", category="劳务派遣")
    c = client_for(world.street_b_hr)
    assert "槐阳" not in c.get("/recruitment/").content.decode()
    assert "槐阳第一批" not in c.get("/recruitment/conversions/").content.decode()
    assert "两委甲" not in c.get("/recruitment/conversions/").content.decode()
    page = c.get("/recruitment/dispatch/").content.decode()
    assert "东门派遣" in page and "派遣甲" not in page
    assert "槐阳" not in _xlsx_text(c.get("/recruitment/plans.xlsx").content)
    assert "槐阳第一批" not in _xlsx_text(c.get("/recruitment/conversions.xlsx").content)
    dispatch = _xlsx_text(c.get("/recruitment/dispatch.xlsx").content)
    assert "东门派遣" in dispatch and "派遣甲" not in dispatch
    assert c.get("/api/v1/recruitment/plans").json() == []
    assert c.get("/api/v1/recruitment/conversions").json() == []
    assert [d["name"] for d in c.get("/api/v1/recruitment/dispatch").json()] == ["东门派遣"]
    # and the same export does list it for street A
    assert "槐阳第一批" in _xlsx_text(client_for(world.street_a_hr).get("/recruitment/conversions.xlsx").content)


def test_street_a_and_the_city_see_street_a(world, street_a, client_for):
    for user in (world.street_a_hr, world.city_admin):
        c = client_for(user)
        for url in _gets(street_a):
            assert c.get(url).status_code == 200, (user, url)


def test_a_secretary_reads_but_changes_nothing(world, street_a, client_for):
    c = client_for(world.secretary_a1)
    assert c.get("/recruitment/").status_code == 200
    # The plan belongs to the street, above the secretary's community: out of scope.
    assert c.get(f"/recruitment/plans/{street_a['plan'].pk}/ranking/").status_code == 404
    before = counts()
    form, api = _posts(street_a, world)
    for url, data in form:
        assert c.post(url, data).status_code == 403, url
    for url, data in api:
        assert c.post(url, json.dumps(data), content_type="application/json").status_code == 403, url
    assert counts() == before


def test_finance_has_no_access_to_recruitment(world, street_a, client_for):
    c = client_for(world.finance)
    assert c.get("/recruitment/").status_code == 403
    assert c.get("/api/v1/recruitment/plans").status_code == 403
