"""Write audit rows. Call only inside the transaction of the change being recorded."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

from shequ.common.audit_actions import AuditAction, audit_action
from shequ.common.models import AuditEntry
from shequ.common.provinces import connection

if TYPE_CHECKING:
    from shequ.accounts.models import User

_PLAIN = (str, int, float, bool, type(None))


def _jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:  # the common case first: bulk imports call this per field
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a row, JSON-ready, for before/after."""
    names = list(fields) if fields is not None else [
        f.attname for f in obj._meta.concrete_fields if f.attname not in {"id", "path"}
    ]
    return {name: _jsonable(getattr(obj, name)) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys that changed, on both sides."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def audit_record(
    *,
    actor: User | None,
    action: AuditAction,
    target: models.Model | None,
    unit: Any,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    summary: str = "",
    target_label: str | None = None,
) -> AuditEntry:
    """One audit row. `target=None` with a `target_label` for what has no row of its own
    (a failed login under an unknown name)."""
    action = audit_action(action)  # a name outside AuditAction is refused, not stored
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the change's transaction")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label if target_label is not None else str(target))[:200],
        unit=unit,
        unit_path=getattr(unit, "path", "") or "",
        summary=summary[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )


def audit_bulk(
    *, actor: User | None, action: AuditAction, target_type: str, rows: Iterable[tuple[int | str, str, Any, Mapping[str, Any] | None, Mapping[str, Any] | None]], summary: str = "",
    json_ready: bool = False,
) -> int:
    """One audit row per changed record, in one INSERT. rows: (target_id, label, unit, before, after).

    `json_ready=True` when before/after come from `snapshot()` already (skips a second walk)."""
    action = audit_action(action)
    convert: Callable[[Any], Any] = (lambda v: v) if json_ready else _jsonable
    if not connection.in_atomic_block:
        raise RuntimeError("audit_bulk must run inside the change's transaction")
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    entries = [
        AuditEntry(
            actor_id=actor_id,  # ids, not objects: no descriptor call per row
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            target_label=str(label)[:200],
            unit_id=getattr(unit, "pk", unit),
            unit_path=getattr(unit, "path", "") or "",
            summary=summary[:300],
            before=convert(before) if before is not None else None,
            after=convert(after) if after is not None else None,
        )
        for target_id, label, unit, before, after in rows
    ]
    from shequ.common.bulk import objects_insert  # COPY on PostgreSQL

    objects_insert(entries)
    return len(entries)
