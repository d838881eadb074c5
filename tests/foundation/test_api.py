"""The API at /api/v1: OpenAPI served, token auth, events of a worker."""

from __future__ import annotations

import pytest

from shequ.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def test_it_serves_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/workers/" in doc["paths"] and "/api/v1/units/" in doc["paths"]


def test_a_token_reads_the_roster_and_a_worker_history(world, client):
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=world.city_admin, name="集成", key_hash=hash_token(raw), prefix=raw[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    names = {w["name"] for w in client.get("/api/v1/workers/", **auth).json()}
    assert names == {world.worker_a1.name, world.worker_b1.name}
    response = client.post(
        f"/api/v1/workers/{world.worker_a1.pk}/transfer",
        data={"to_unit": world.community_a2.pk, "effective": "2026-02-01", "cause": "工作需要"},
        content_type="application/json", **auth,
    )
    assert response.status_code == 200, response.content
    events = client.get(f"/api/v1/workers/{world.worker_a1.pk}/events", **auth).json()
    assert events[0]["kind"] == "transfer" and events[0]["data"]["after"] == {"unit": "槐阳北社区"}


def test_a_revoked_token_is_refused(world, client):
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=world.city_admin, name="旧", key_hash=hash_token(raw), prefix=raw[:8], revoked=True)
    assert client.get("/api/v1/workers/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_user_makes_a_token_on_the_page_and_the_api_accepts_it(world, client_for, client):
    page = client_for(world.street_b_hr).post("/accounts/tokens/", {"name": "对接"}).content.decode()
    raw = page.split('id="new-token"')[1].split('<code>')[1].split('</code>')[0]
    assert raw.startswith("sq_")
    client.logout()
    names = {w["name"] for w in client.get("/api/v1/workers/", HTTP_AUTHORIZATION=f"Bearer {raw}").json()}
    assert names == {world.worker_b1.name}


def test_a_user_cannot_revoke_someone_elses_token(world, client_for):
    other = ApiToken.objects.create(user=world.street_a_hr, name="A", key_hash="x" * 64, prefix="sq_x")
    assert client_for(world.street_b_hr).post("/accounts/tokens/", {"revoke": other.pk}).status_code == 404
    other.refresh_from_db()
    assert not other.revoked
