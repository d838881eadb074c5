"""Writes about users: API tokens (only their hash is kept), and users managed in the app by
a bureau or street administrator within their own subtree (create, change role, unit and
name, disable and enable, reset a password). Every change is audited; passwords never
reach the audit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from shequ.accounts.models import ApiToken, Role, User, hash_token
from shequ.accounts.roles import can_grant, has_capability
from shequ.common import provinces
from shequ.common.audit import audit_record
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import unit_in_scope
from shequ.errors import Invalid

if TYPE_CHECKING:
    from shequ.org.models import Unit

NAME_REQUIRED = "请填写令牌用途"


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the raw key is returned once and never stored."""
    if not name.strip():
        raise Invalid(NAME_REQUIRED, field="name")
    raw = ApiToken.new_raw_key()
    if provinces.multi() and provinces.current() != provinces.NATIONAL:
        # The key names its province, so the API knows which database to look it up in.
        raw = f"{provinces.current()}{provinces.TOKEN_SEPARATOR}{raw}"
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], key_hash=hash_token(raw),
                                   prefix=raw.rsplit(provinces.TOKEN_SEPARATOR, 1)[-1][:8])
    audit_record(actor=user, action=AuditAction.TOKEN_CREATE, target=token, unit=user.unit, after={"name": token.name, "prefix": token.prefix})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(actor=actor, action=AuditAction.TOKEN_REVOKE, target=token, unit=actor.unit,
                 before={"revoked": False}, after={"revoked": True})


# ---- users managed in the app --------------------------------------------------------

NO_RIGHT = "您的角色无权管理用户"
UNIT_OUT_OF_SCOPE = "不能把用户设在“{unit}”：只能设在您所在单位“{own}”及其下级单位"
ROLE_TOO_HIGH = "不能授予“{role}”：该角色有您没有的权限"
USER_OUT_OF_SCOPE = "无权管理用户“{user}”：该用户不在您的单位及下级单位，或其角色权限高于您"
NOT_SELF = "不能{what}自己的账号，请由上级管理员办理"
USERNAME_REQUIRED = "请填写登录名"
USERNAME_TAKEN = "登录名“{username}”已被使用"
UNIT_REQUIRED = "请选择所属单位"
PASSWORD_INVALID = "密码不符合要求：{reasons}"


class UserAdminError(ValueError):
    pass


def _require_manager(actor: User) -> None:
    if not has_capability(actor, "users.manage"):
        raise PermissionError(NO_RIGHT)


def _require_unit(actor: User, unit: Unit | None) -> Unit:
    if unit is None:
        raise UserAdminError(UNIT_REQUIRED)
    if not unit_in_scope(actor, unit):
        own = actor.unit.name if actor.unit else "—"
        raise PermissionError(UNIT_OUT_OF_SCOPE.format(unit=unit.name, own=own))
    return unit


def _require_role(actor: User, role: str) -> None:
    if not can_grant(actor, role):
        label = dict(Role.choices).get(role, role)
        raise PermissionError(ROLE_TOO_HIGH.format(role=label))


def _require_target(actor: User, target: User, *, what: str | None = None) -> None:
    if target.is_superuser or not unit_in_scope(actor, target.unit) or not can_grant(actor, target.role):
        raise PermissionError(USER_OUT_OF_SCOPE.format(user=target))
    if what is not None and target.pk == actor.pk:
        raise UserAdminError(NOT_SELF.format(what=what))


# Django's zh-Hans catalogue leaves some validator messages in English; say them by code.
PASSWORD_RULES = {
    "password_too_short": "至少 {min_length} 个字符",
    "password_too_common": "不能是常见密码",
    "password_entirely_numeric": "不能全是数字",
    "password_too_similar": "不能与登录名或姓名相近",
}


def password_problems(password: str, user: User | None = None) -> list[str]:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), in Chinese."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        problems = []
        for error in exc.error_list:
            rule = PASSWORD_RULES.get(error.code or "")
            problems.append(rule.format(**(error.params or {})) if rule else "；".join(error.messages))
        return problems
    return []


def _check_password(password: str, user: User) -> None:
    problems = password_problems(password, user)
    if problems:
        raise UserAdminError(PASSWORD_INVALID.format(reasons="；".join(problems)))


def _state(user: User) -> dict[str, object]:
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "unit": user.unit.name if user.unit else None, "is_active": user.is_active}


@transaction.atomic
def user_create(
    *, actor: User, username: str, display_name: str, role: str, unit: Unit | None, password: str
) -> User:
    """A new user who must change the given password at the first login."""
    _require_manager(actor)
    unit = _require_unit(actor, unit)
    _require_role(actor, role)
    username = username.strip()
    if not username:
        raise UserAdminError(USERNAME_REQUIRED)
    if User.objects.filter(username__iexact=username).exists():
        raise UserAdminError(USERNAME_TAKEN.format(username=username))
    user = User(username=username, display_name=display_name.strip()[:50], role=role, unit=unit,
                must_change_password=True)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action=AuditAction.USER_CREATE, target=user, unit=unit, after=_state(user),
                 summary=f"新建用户 {user.username}")
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, role: str, unit: Unit | None, display_name: str) -> User:
    _require_manager(actor)
    # Lock only the user row: PostgreSQL refuses FOR UPDATE on the nullable unit join.
    user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    _require_target(actor, user, what="修改角色或单位" if (role != user.role or unit != user.unit) else None)
    unit = _require_unit(actor, unit)
    _require_role(actor, role)
    before = _state(user)
    user.role, user.unit, user.display_name = role, unit, display_name.strip()[:50]
    user.save(update_fields=["role", "unit", "display_name"])
    audit_record(actor=actor, action=AuditAction.USER_UPDATE, target=user, unit=unit, before=before, after=_state(user),
                 summary=f"修改用户 {user.username}")
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Disable (the user can no longer sign in, and their API tokens stop working) or enable."""
    _require_manager(actor)
    user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    _require_target(actor, user, what="停用" if not active else "启用")
    before = _state(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action=AuditAction.USER_ENABLE if active else AuditAction.USER_DISABLE, target=user, unit=user.unit,
                 before=before, after=_state(user), summary=f"{'启用' if active else '停用'}用户 {user.username}")
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user: User, password: str) -> User:
    """A new password the user must change at the next login."""
    _require_manager(actor)
    user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    _require_target(actor, user, what="重置密码")
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=actor, action=AuditAction.USER_PASSWORD_RESET, target=user, unit=user.unit,
                 after={"must_change_password": True}, summary=f"重置用户 {user.username} 的密码")
    return user
