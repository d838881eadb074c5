"""Store policy versions and bind them to org nodes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings

from shequ.common.audit import audit_record, snapshot
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.org.models import Unit
from shequ.policy.models import PolicyBinding, PolicyVersion
from shequ.rules import load_policy_text

if TYPE_CHECKING:
    from shequ.accounts.models import User


@transaction.atomic
def policy_version_store(*, text: str, actor: User, is_draft: bool = False) -> PolicyVersion:
    """Validate and store a policy text; the same text is stored once."""
    policy = load_policy_text(text, name="<上传的政策>", base_dir=settings.POLICY_DIR)
    # The engine's digest covers the resolved content, parents included.
    digest = policy.digest
    existing = PolicyVersion.objects.filter(digest=digest).first()
    if existing:
        return existing
    version = PolicyVersion.objects.create(
        policy_id=policy.id, name=policy.name, version=str(policy.version), text=text, digest=digest,
        is_draft=is_draft, created_by=actor if getattr(actor, "pk", None) else None,
    )
    if actor is not None and getattr(actor, "unit", None) is not None:
        audit_record(actor=actor, action=AuditAction.POLICY_STORE, target=version, unit=actor.unit,
                     after={"policy_id": version.policy_id, "version": version.version, "digest": digest})
    return version


def policy_version_from_preset(*, preset: str, actor: User) -> PolicyVersion:
    path = settings.POLICY_DIR / f"{preset}.toml"
    return policy_version_store(text=path.read_text(encoding="utf-8"), actor=actor)


@transaction.atomic
def policy_bind(*, unit: Unit, version: PolicyVersion, since: date, actor: User) -> PolicyBinding:
    require_unit_in_scope(actor, unit)
    binding, _ = PolicyBinding.objects.update_or_create(unit=unit, since=since, defaults={"version": version})
    audit_record(actor=actor, action=AuditAction.POLICY_BIND, target=binding, unit=unit, after=snapshot(binding),
                 summary=f"{unit.name} 自 {since} 起适用 {version.label}")
    return binding
