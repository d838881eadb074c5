"""Reads of the audit log, limited to the caller's subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from shequ.common.models import AuditEntry
from shequ.common.scope import scope_path

if TYPE_CHECKING:
    from shequ.accounts.models import User


def audit_list(*, user: User, action: str = "") -> QuerySet[AuditEntry]:
    path = scope_path(user)
    qs = AuditEntry.objects.select_related("actor")
    if path is None:
        return qs.none()
    if path:
        qs = qs.filter(unit_path__startswith=path)
    if action:
        qs = qs.filter(action__startswith=action)
    return qs
