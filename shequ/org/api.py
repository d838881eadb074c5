from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from shequ.accounts.api_auth import need
from shequ.accounts.types import AuthedRequest
from shequ.common.params import Day, Id, Limit, Offset
from shequ.common.scope import get_in_scope_or_404
from shequ.org.inputs import UnitFactsIn, UnitIn
from shequ.org.models import Unit
from shequ.org.selectors import unit_facts_frame, unit_list
from shequ.org.services import unit_create, unit_fact_set

router = Router()


class UnitOut(Schema):
    id: int
    name: str
    unit_type: str
    parent_id: int | None
    depth: int
    households: int | None = None
    population: int | None = None
    urban_population: int | None = None
    unit_class: str | None = None


class UnitQuery(Schema):
    parent: Id | None = None
    unit_type: str | None = None
    on: Day | None = None
    limit: Limit = 500
    offset: Offset = 0


@router.get("/", response=list[UnitOut], summary="单位列表（含某日的单位情况）")
def list_units(request: AuthedRequest, q: Query[UnitQuery]) -> list[dict[str, Any]]:
    need(request, "org.view")
    qs = unit_list(user=request.user)
    if q.parent is not None:
        parent = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=q.parent)
        qs = qs.filter(parent=parent)
    if q.unit_type:
        qs = qs.filter(unit_type=q.unit_type)
    page = qs.order_by("path")[q.offset : q.offset + min(q.limit, 5000)]
    return _with_facts(list(page), q.on or timezone.localdate())


@router.get("/{unit_id}", response=UnitOut, summary="单个单位")
def get_unit(request: AuthedRequest, unit_id: Id, on: Day | None = None) -> dict[str, Any]:
    need(request, "org.view")
    unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=unit_id)
    return _with_facts([unit], on or timezone.localdate())[0]


def _with_facts(units: list[Unit], on: date) -> list[dict[str, Any]]:
    facts = {
        r["unit_id"]: r for r in unit_facts_frame(units=Unit.objects.filter(pk__in=[u.pk for u in units]), on=on).to_dicts()
    }
    return [
        {"id": u.pk, "name": u.name, "unit_type": u.unit_type, "parent_id": u.parent_id, "depth": u.depth,
         **{k: facts[u.pk][k] for k in ("households", "population", "urban_population", "unit_class")}}
        for u in units
    ]


@router.post("/", response={201: UnitOut}, summary="新增单位（同页面导入的单位；上级须在调用者范围内）")
def create_unit(request: AuthedRequest, body: UnitIn) -> Status[dict[str, Any]]:
    need(request, "org.change")
    unit = unit_create(**body.service_kwargs(user=request.user), actor=request.user)
    return Status(201, _with_facts([unit], timezone.localdate())[0])


class UnitFactOut(Schema):
    unit_id: int
    since: date
    households: int
    population: int
    urban_population: int
    unit_class: str
    area_km2: Decimal | None


@router.post("/{unit_id}/facts", response=UnitFactOut, summary="录入单位情况（户数、人口、类别；同页面“单位情况”）")
def set_unit_facts(request: AuthedRequest, unit_id: Id, body: UnitFactsIn) -> dict[str, Any]:
    need(request, "org.change")
    unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=unit_id)
    fact = unit_fact_set(unit=unit, actor=request.user, **body.service_kwargs())
    return {"unit_id": unit.pk, "since": fact.since, "households": fact.households, "population": fact.population,
            "urban_population": fact.urban_population, "unit_class": fact.unit_class, "area_km2": fact.area_km2}
