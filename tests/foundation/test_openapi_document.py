"""The OpenAPI document (issue 11 point 7): every schema name unique, every documented request
body accepted, every operation documents its response."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from shequ.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2] / "shequ"


def _doc(client: Any) -> dict[str, Any]:
    doc: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return doc


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def minimal(doc: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The smallest value the schema documents as valid: its example, else required fields only."""
    schema = _resolve(doc, schema)
    if "example" in schema:
        return schema["example"]
    if "examples" in schema and schema["examples"]:
        return schema["examples"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(doc, o).get("type") != "null"]
            return minimal(doc, options[0])
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: minimal(doc, props[name]) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal(doc, schema.get("items", {}))] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1) if schema.get("maximum", 10**9) >= 1 else schema["maximum"]
    if kind == "number":
        return max(float(schema.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format")
        text = {"date": "2026-03-01", "date-time": "2026-03-01T00:00:00+08:00"}.get(fmt or "", "示例")
        return text if fmt else text.ljust(int(schema.get("minLength", 0)), "例")
    return "示例"


def test_every_schema_name_is_used_by_one_class_only():
    """Ninja names a component after its class: two classes of one name overwrite each other."""
    names: dict[str, list[str]] = {}
    for path in ROOT.rglob("api.py"):
        for name in re.findall(r"^class (\w+)\((?:Schema|ModelSchema)\)", path.read_text(encoding="utf-8"), re.M):
            names.setdefault(name, []).append(path.relative_to(ROOT).as_posix())
    assert {n: where for n, where in names.items() if len(where) > 1} == {}


def test_every_operation_documents_its_response(client):
    doc = _doc(client)
    missing = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            ok = [code for code in op["responses"] if str(code).startswith("2")]
            if not any("content" in op["responses"][code] for code in ok):
                missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_the_worker_events_schema_lists_the_fields_it_returns(world, client_for):
    from shequ.workers.services import worker_transfer

    worker_transfer(worker=world.worker_a1, to_unit=world.community_a2, effective=world.worker_a1.community_work_start,
                    actor=world.city_admin, cause="工作需要")
    c = client_for(world.city_admin)
    doc = _doc(c)
    event = _resolve(doc, doc["components"]["schemas"]["WorkerEventOut"])
    data = _resolve(doc, event["properties"]["data"])
    [ev] = [e for e in c.get(f"/api/v1/workers/{world.worker_a1.pk}/events").json() if e["kind"] == "transfer"]
    assert set(ev) <= set(event["properties"])
    assert {k for k, v in ev["data"].items() if v is not None} <= set(data["properties"])


def test_every_documented_request_body_is_accepted(world, client):
    """A body built from the document (its example, else its required fields) is never refused
    as malformed (422) nor a server error: business refusals (400/403/404/409) are fine."""
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=world.city_admin, name="文档", key_hash=hash_token(raw), prefix=raw[:8])
    doc = _doc(client)
    tried, refused = 0, []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            body = op.get("requestBody")
            if not body or "application/json" not in body["content"]:
                continue
            value = minimal(doc, body["content"]["application/json"]["schema"])
            url = re.sub(r"\{[^}]+\}", "1", path)
            r = getattr(client, method)(url, data=value, content_type="application/json",
                                        HTTP_AUTHORIZATION=f"Bearer {raw}")
            tried += 1
            if r.status_code == 422 or r.status_code >= 500:
                refused.append(f"{method.upper()} {path} {value} → {r.status_code} {r.content[:200]!r}")
    assert tried >= 30 and refused == []


def test_the_body_walk_catches_a_refused_body(world, client):
    """The walk above can fail: a body missing a required field is a 422."""
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=world.city_admin, name="文档", key_hash=hash_token(raw), prefix=raw[:8])
    r = client.post("/api/v1/quota/approve", data={}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 422
