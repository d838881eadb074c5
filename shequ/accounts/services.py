"""Writes about users: API tokens (only their hash is kept)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shequ.accounts.models import ApiToken, hash_token
from shequ.common import provinces
from shequ.common.audit import audit_record
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction

if TYPE_CHECKING:
    from shequ.accounts.models import User

NAME_REQUIRED = "请填写令牌用途"


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the raw key is returned once and never stored."""
    if not name.strip():
        raise ValueError(NAME_REQUIRED)
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
