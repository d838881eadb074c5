"""ORG-1: every user sees and changes only their own subtree — through pages, API and exports."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from shequ.accounts.models import ApiToken, hash_token
from shequ.common.scope import ScopeError
from shequ.org.services import FactValues, unit_fact_set
from shequ.workers.services import worker_exit, worker_transfer
from tests.factories import make_worker

pytestmark = pytest.mark.django_db


def _read_xlsx(content: bytes) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


def test_it_hides_street_a_workers_from_street_b_on_the_roster_page(world, client_for):
    page = client_for(world.street_b_hr).get("/workers/").content.decode()
    assert world.worker_b1.name in page
    assert world.worker_a1.name not in page


def test_it_shows_both_streets_to_the_city_admin(world, client_for):
    page = client_for(world.city_admin).get("/workers/").content.decode()
    assert world.worker_a1.name in page and world.worker_b1.name in page


def test_it_answers_404_for_a_worker_of_another_street(world, client_for):
    assert client_for(world.street_b_hr).get(f"/workers/{world.worker_a1.pk}/").status_code == 404
    assert client_for(world.street_a_hr).get(f"/workers/{world.worker_a1.pk}/").status_code == 200


def test_it_answers_404_for_a_unit_of_another_street(world, client_for):
    c = client_for(world.street_b_hr)
    assert c.get(f"/org/units/{world.community_a1.pk}/").status_code == 404
    assert c.get(f"/org/?unit={world.community_a1.pk}").status_code == 404
    assert c.get(f"/workers/?unit={world.community_a1.pk}").status_code == 404


def test_it_refuses_a_street_admin_from_another_street_changing_unit_facts(world, client_for):
    c = client_for(world.street_b_hr)
    response = c.post(f"/org/units/{world.community_a1.pk}/", {
        "since": "2026-01-01", "households": 1, "population": 1, "urban_population": 1,
    })
    assert response.status_code == 404
    assert world.community_a1.facts.count() == 1
    with pytest.raises(ScopeError):
        unit_fact_set(unit=world.community_a1, since=date(2026, 1, 1),
                      values=FactValues(households=1, population=1, urban_population=1), actor=world.street_b_hr)


def test_it_exports_only_the_users_own_street(world, client_for):
    response = client_for(world.street_b_hr).get("/workers/export.xlsx")
    assert response.status_code == 200
    rows = _read_xlsx(response.content)
    names = {r[0] for r in rows}
    assert world.worker_b1.name in names
    assert world.worker_a1.name not in names
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "范围：东门街道" in book["说明"]["A2"].value  # scope stated beside the list
    csv_names = {line.split(",")[0] for line in b"".join(
        client_for(world.street_b_hr).get("/workers/export.xlsx?format=csv").streaming_content).decode("utf-8-sig").splitlines()}
    assert world.worker_b1.name in csv_names and world.worker_a1.name not in csv_names


def test_it_refuses_a_transfer_or_exit_of_another_streets_worker(world):
    with pytest.raises(ScopeError):
        worker_transfer(worker=world.worker_a1, to_unit=world.community_b1, effective=date(2026, 1, 1),
                        actor=world.street_b_hr, cause="调入")
    with pytest.raises(ScopeError):
        worker_exit(worker=world.worker_a1, on=date(2026, 1, 1), reason="辞职", actor=world.street_b_hr)
    world.worker_a1.refresh_from_db()
    assert world.worker_a1.unit_id == world.community_a1.pk and world.worker_a1.status == "active"


def test_it_keeps_the_audit_page_to_the_users_subtree(world, client_for):
    unit_fact_set(unit=world.community_a1, since=date(2026, 1, 1),
                  values=FactValues(households=3700, population=9900, urban_population=9600), actor=world.street_a_hr)
    assert "迎宾社区" in client_for(world.street_a_hr).get("/audit/").content.decode()
    assert "迎宾社区" not in client_for(world.street_b_hr).get("/audit/").content.decode()


def _token(user) -> str:
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=user, name="测试", key_hash=hash_token(raw), prefix=raw[:8])
    return raw


def test_it_scopes_every_api_endpoint_to_the_token_owner(world, client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(world.street_b_hr)}"}
    listed = client.get("/api/v1/workers/", **auth).json()
    assert [w["name"] for w in listed] == [world.worker_b1.name]
    assert client.get(f"/api/v1/workers/{world.worker_a1.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/workers/{world.worker_a1.pk}/events", **auth).status_code == 404
    assert client.get(f"/api/v1/units/{world.community_a1.pk}", **auth).status_code == 404
    unit_names = {u["name"] for u in client.get("/api/v1/units/", **auth).json()}
    assert "东门社区" in unit_names and "迎宾社区" not in unit_names
    moved = client.post(
        f"/api/v1/workers/{world.worker_b1.pk}/transfer",
        data={"to_unit": world.community_a1.pk, "effective": "2026-01-01", "cause": "调入"},
        content_type="application/json", **auth,
    )
    assert moved.status_code == 404
    world.worker_b1.refresh_from_db()
    assert world.worker_b1.unit_id == world.community_b1.pk


def test_it_refuses_the_api_without_a_valid_token(world, client):
    assert client.get("/api/v1/workers/").status_code == 401
    assert client.get("/api/v1/workers/", HTTP_AUTHORIZATION="Bearer sq_wrong").status_code == 401


def test_it_keeps_the_secretary_read_only(world, client_for):
    c = client_for(world.secretary_a1)
    assert c.get("/workers/").status_code == 200
    assert c.get("/workers/export.xlsx").status_code == 403
    assert c.post(f"/org/units/{world.community_a1.pk}/", {
        "since": "2026-01-01", "households": 1, "population": 1, "urban_population": 1}).status_code == 403
    page = c.get("/workers/").content.decode()
    assert world.worker_a1.name in page  # own community


def test_it_limits_the_secretary_to_their_community(world, client_for):
    other = make_worker(world.community_a2, name="邻社区人员")
    page = client_for(world.secretary_a1).get("/workers/").content.decode()
    assert other.name not in page


def test_a_second_city_stays_outside_the_first_citys_admin(world, client_for):
    """The unfiltered fast path for a sole root must switch off once another root exists."""
    from tests.factories import make_unit

    other_city = make_unit("邻市", "市")
    other_street = make_unit("邻街道", "街道", make_unit("邻区", "区县", other_city))
    stranger = make_worker(make_unit("邻社区", "城市社区", other_street), name="邻市人员")
    page = client_for(world.city_admin).get("/workers/").content.decode()
    assert world.worker_a1.name in page and stranger.name not in page
