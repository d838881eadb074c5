"""Logins and failed logins go to the audit log (PIPL: who looked at personal data, and who tried)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from shequ.common.audit import audit_record
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction

if TYPE_CHECKING:
    from shequ.accounts.models import User


def _address(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "") or ""


def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        audit_record(actor=user, action=AuditAction.LOGIN, target=user, unit=user.unit,
                     after={"address": _address(request)}, summary="登录成功")


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, locked: bool = False, **kwargs: Any
) -> None:
    # Only the name tried is kept; Django has already masked the password in `credentials`.
    User = get_user_model()
    name = str(credentials.get(User.USERNAME_FIELD, "") or "")[:150]
    user = User.objects.select_related("unit").filter(**{User.USERNAME_FIELD: name}).first() if name else None
    with transaction.atomic():
        # Filed under the account's unit so the account's own street sees attempts on it;
        # an unknown name has no unit and is seen only by a superuser without a unit.
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED, target=user, unit=getattr(user, "unit", None),
                     target_label=name, after={"username": name, "address": _address(request), "locked": locked},
                     summary="登录失败（失败次数过多，已暂时锁定）" if locked else "登录失败")
