"""Every action a roster or org page offers is in the API too (issue 11 point 3), through the
same input model as the page's form: create a unit, set its facts, create, edit and exit a
worker. Scope holds (ORG-1): a street's HR cannot act on another street's units or people."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.accounts.models import ApiToken, hash_token
from shequ.common.api_errors import NOT_FOUND
from shequ.org.models import Unit
from shequ.org.services import URBAN_OVER_POPULATION
from shequ.sheets.idcard import make_id_number
from shequ.workers.inputs import UNKNOWN_POST
from shequ.workers.models import EventKind, Status, Worker, WorkerEvent
from shequ.workers.services import ALREADY_LEFT

pytestmark = pytest.mark.django_db


def _api(client: Any, user: Any) -> Any:
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=user, name="集成", key_hash=hash_token(raw), prefix=raw[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        return getattr(client, method)(f"/api/v1{url}", data=body or {}, content_type="application/json", **auth)

    return call


def _new_worker(unit: Any, **extra: Any) -> dict[str, Any]:
    return {"name": "新同事", "id_number": make_id_number("220581", date(1995, 4, 2), 7, "女"), "unit": unit.pk,
            "category": "专职社区工作者", "post": "助理", "education": "本科",
            "community_work_start": "2026-03-01", "effective": "2026-03-01", **extra}


def test_a_street_creates_a_community_under_itself_but_not_under_another_street(world, client):
    api = _api(client, world.street_a_hr)
    r = api("post", "/units/", {"name": "新城社区", "unit_type": "城市社区", "parent": world.street_a.pk})
    assert r.status_code == 201, r.content
    assert Unit.objects.get(pk=r.json()["id"]).parent == world.street_a
    r = api("post", "/units/", {"name": "越界社区", "unit_type": "城市社区", "parent": world.street_b.pk})
    assert r.status_code == 404 and r.json()["message"] == NOT_FOUND
    assert not Unit.objects.filter(name="越界社区").exists()


def test_unit_facts_are_set_through_the_api_and_refused_when_urban_exceeds_population(world, client):
    api = _api(client, world.street_a_hr)
    body = {"since": "2026-01-01", "households": 3700, "population": 9900, "urban_population": 9600, "unit_class": "一类"}
    r = api("post", f"/units/{world.community_a1.pk}/facts", body)
    assert r.status_code == 200, r.content
    assert (r.json()["households"], r.json()["unit_class"]) == (3700, "一类")
    r = api("post", f"/units/{world.community_a1.pk}/facts", body | {"urban_population": 10000})
    assert r.status_code == 400
    assert r.json()["message"] == URBAN_OVER_POPULATION.format(urban=10000, population=9900)
    assert api("post", f"/units/{world.community_b1.pk}/facts", body).status_code == 404


def test_a_worker_is_created_edited_and_exits_through_the_api(world, client):
    api = _api(client, world.street_a_hr)
    r = api("post", "/workers/", _new_worker(world.community_a1))
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["grade"] is not None  # placed by the unit's policy
    r = api("patch", f"/workers/{pk}", {"phone": "13800000000", "effective": "2026-04-01", "cause": "更正电话"})
    assert r.status_code == 200, r.content
    edit = WorkerEvent.objects.get(worker_id=pk, kind=EventKind.EDIT)
    assert edit.data["after"] == {"phone": "13800000000"}
    r = api("post", f"/workers/{pk}/exit", {"reason": "辞职", "on": "2026-06-30"})
    assert r.status_code == 200 and r.json()["kind"] == EventKind.EXIT
    worker = Worker.objects.get(pk=pk)
    assert worker.status == Status.LEFT
    r = api("post", f"/workers/{pk}/exit", {"reason": "辞职", "on": "2026-07-01"})
    assert r.status_code == 400 and r.json()["message"] == ALREADY_LEFT.format(name=worker.name, left_on=worker.left_on)


def test_an_unknown_post_and_an_unknown_reason_are_refused_in_chinese(world, client):
    api = _api(client, world.street_a_hr)
    r = api("post", "/workers/", _new_worker(world.community_a1, post="站长"))
    assert r.status_code == 400 and r.json()["field"] == "post"
    assert r.json()["message"].startswith(UNKNOWN_POST.split("（")[0].format(post="站长", unit="迎宾社区"))
    r = api("post", f"/workers/{world.worker_a1.pk}/exit", {"reason": "失踪", "on": "2026-06-30"})
    assert r.status_code == 422 and r.json()["field"] == "reason" and "只能是" in r.json()["message"]


def test_another_streets_hr_cannot_create_edit_or_exit_our_workers(world, client):
    api = _api(client, world.street_b_hr)
    assert api("post", "/workers/", _new_worker(world.community_a1)).status_code == 404
    assert api("patch", f"/workers/{world.worker_a1.pk}", {"phone": "1", "effective": "2026-04-01", "cause": "x"}).status_code == 404
    assert api("post", f"/workers/{world.worker_a1.pk}/exit", {"reason": "辞职", "on": "2026-06-30"}).status_code == 404
    world.worker_a1.refresh_from_db()
    assert world.worker_a1.status != Status.LEFT and world.worker_a1.phone != "1"


def test_the_page_builds_the_same_input_model_so_a_date_past_2100_is_refused_there_too(world, client_for):
    """The Django form alone takes 2200-01-01; the shared WorkerExitIn refuses it, naming the
    form's label."""
    r = client_for(world.street_a_hr).post(f"/workers/{world.worker_a1.pk}/exit/", {"reason": "辞职", "on": "2200-01-01"})
    assert r.status_code == 200
    assert "“离职日期”应不大于 2100-12-31" in r.content.decode()
    world.worker_a1.refresh_from_db()
    assert world.worker_a1.status != Status.LEFT
