"""Writes to the org tree. Each runs in one transaction with its audit rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from shequ.common.audit import audit_bulk, audit_record, snapshot
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Invalid
from shequ.org.models import ALLOWED_CHILDREN, Unit, UnitFact, unit_path_segment

if TYPE_CHECKING:
    from shequ.accounts.models import User

BAD_CHILD_TYPE = "“{parent}”（{parent_type}）下不能设立{child_type}"
DUPLICATE_NAME = "“{parent}”下已有名为“{name}”的单位"
URBAN_OVER_POPULATION = "城镇常住人口（{urban}）不能大于常住人口（{population}）"


class OrgError(Invalid):
    pass


def _check_child_type(parent: Unit | None, unit_type: str) -> None:
    parent_type = parent.unit_type if parent else ""
    if unit_type not in ALLOWED_CHILDREN.get(parent_type, set()):
        raise OrgError(
            BAD_CHILD_TYPE.format(
                parent=parent.name if parent else "顶层", parent_type=parent_type or "无", child_type=unit_type
            )
        )


@transaction.atomic
def unit_create(*, name: str, unit_type: str, parent: Unit | None, actor: User, code: str = "") -> Unit:
    if parent is not None:
        require_unit_in_scope(actor, parent)
    elif not getattr(actor, "is_superuser", False):
        require_unit_in_scope(actor, None)
    _check_child_type(parent, unit_type)
    if Unit.objects.filter(parent=parent, name=name).exists():
        raise OrgError(DUPLICATE_NAME.format(parent=parent.name if parent else "顶层", name=name))
    unit = Unit.objects.create(
        name=name, unit_type=unit_type, parent=parent, code=code,
        path=f"tmp-{name}-{parent.pk if parent else 0}", depth=(parent.depth + 1) if parent else 0,
    )
    unit.path = (parent.path if parent else "") + unit_path_segment(unit.pk)
    unit.save(update_fields=["path"])
    audit_record(actor=actor, action=AuditAction.UNIT_CREATE, target=unit, unit=unit, after=snapshot(unit))
    return unit


@dataclass(frozen=True)
class FactValues:
    households: int
    population: int
    urban_population: int
    unit_class: str = ""
    area_km2: Decimal | None = None


@transaction.atomic
def unit_fact_set(*, unit: Unit, since: date, values: FactValues, actor: User, source: str = "") -> UnitFact:
    """Record the unit's facts in force from `since` (ORG-3); same date replaces."""
    require_unit_in_scope(actor, unit)
    if values.urban_population > values.population:
        raise OrgError(URBAN_OVER_POPULATION.format(urban=values.urban_population, population=values.population))
    existing = UnitFact.objects.filter(unit=unit, since=since).first()
    before = snapshot(existing) if existing else None
    fact, _ = UnitFact.objects.update_or_create(
        unit=unit,
        since=since,
        defaults={
            "households": values.households,
            "population": values.population,
            "urban_population": values.urban_population,
            "unit_class": values.unit_class,
            "area_km2": values.area_km2,
            "source": source,
        },
    )
    audit_record(actor=actor, action=AuditAction.UNIT_FACTS, target=fact, unit=unit, before=before, after=snapshot(fact),
                 summary=f"{unit.name} 自 {since} 起的单位情况")
    return fact


@dataclass(frozen=True)
class KeyedUnit:
    key: str
    parent_key: str  # "" for a root
    name: str
    unit_type: str
    unit_class: str
    households: int
    population: int
    urban_population: int
    since: date | None = None  # when its facts take effect; None: the load's `since`


@transaction.atomic
def units_load(
    *, units: list[KeyedUnit], since: date, actor: User, existing: dict[str, Unit] | None = None
) -> dict[str, Unit]:
    """Create a whole tree given stable keys, level by level in bulk, with facts and one
    audit row per unit. A parent_key is another new unit's key, a key of `existing`
    (units already in the tree), or "" for a new root (superusers only)."""
    existing = existing or {}
    for known in existing.values():
        require_unit_in_scope(actor, known)
    made: dict[str, Unit] = {}
    children: dict[str, list[KeyedUnit]] = {}
    for u in units:
        children.setdefault(u.parent_key, []).append(u)
    level: list[tuple[KeyedUnit, Unit | None]] = []
    for parent_key, kids in children.items():
        if parent_key == "":
            if not getattr(actor, "is_superuser", False):
                require_unit_in_scope(actor, None)
            level += [(u, None) for u in kids]
        elif parent_key in existing:
            level += [(u, existing[parent_key]) for u in kids]
    while level:
        for u, parent in level:
            _check_child_type(parent, u.unit_type)
        objs = [
            Unit(name=u.name, unit_type=u.unit_type, parent=parent, depth=(parent.depth + 1) if parent else 0,
                 path=f"tmp-{u.key}")
            for u, parent in level
        ]
        Unit.objects.bulk_create(objs, batch_size=2000)
        if any(o.pk is None for o in objs):
            ids = dict(Unit.objects.filter(path__startswith="tmp-").values_list("path", "pk"))
            for o in objs:
                o.pk = ids[o.path]
        for (u, parent), obj in zip(level, objs, strict=True):
            obj.path = (parent.path if parent else "") + unit_path_segment(obj.pk)
            made[u.key] = obj
        Unit.objects.bulk_update(objs, ["path"], batch_size=2000)
        level = [(c, made[u.key]) for u, _ in level for c in children.get(u.key, [])]
    if len(made) != len(units):
        missing = sorted({u.parent_key for u in units if u.key not in made})[:5]
        raise OrgError(f"找不到上级单位：{'、'.join(missing)}")
    by_key = {u.key: u for u in units}
    UnitFact.objects.bulk_create(
        [
            UnitFact(unit=obj, since=by_key[k].since or since, households=by_key[k].households, population=by_key[k].population,
                     urban_population=by_key[k].urban_population, unit_class=by_key[k].unit_class, source="初始化")
            for k, obj in made.items()
        ],
        batch_size=2000,
    )
    audit_bulk(
        actor=actor, action=AuditAction.UNIT_LOAD, target_type="org.unit",
        rows=[(o.pk, o.name, o, None, {"name": o.name, "unit_type": o.unit_type}) for o in made.values()],
        summary=f"建立单位 {len(made)} 个",
    )
    return made
