"""Reads of the audit log, limited to the caller's subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from shequ.common.audit_actions import AuditAction
from shequ.common.models import AuditEntry
from shequ.common.scope import scope_path

if TYPE_CHECKING:
    from shequ.accounts.models import User


@dataclass(frozen=True)
class AuditFilter:
    action: AuditAction | None = None
    actor_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive: the whole day


def audit_list(*, user: User, filters: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    path = scope_path(user)
    qs = AuditEntry.objects.select_related("actor", "unit")
    if path is None:
        return qs.none()
    if path:
        qs = qs.filter(unit_path__startswith=path)
    f = filters or AuditFilter()
    if f.action is not None:
        qs = qs.filter(action=f.action)
    if f.actor_id is not None:
        qs = qs.filter(actor_id=f.actor_id)
    tz = timezone.get_current_timezone()
    if f.since is not None:
        qs = qs.filter(at__gte=dt.datetime.combine(f.since, dt.time.min, tzinfo=tz))
    if f.until is not None:
        qs = qs.filter(at__lt=dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs


def audit_actors(*, user: User) -> QuerySet[Any]:
    """The accounts of the caller's subtree, for the 操作人 filter."""
    path = scope_path(user)
    qs = get_user_model().objects.order_by("username")
    if path is None:
        return qs.none()
    return qs.filter(unit__path__startswith=path) if path else qs
