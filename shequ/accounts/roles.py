"""What each role may do. Scope (which units) is separate: always the user's subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shequ.accounts.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shequ.accounts.models import User

# Capabilities are coarse on purpose: scope does the fine-grained work.
# "pii.full_ids": may ask for full ID numbers (?full_ids=1) on pages and exports; every
# such response is audited (shequ.common.pii). Secretaries and finance see them masked.
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(
        {
            "org.view", "org.change", "roster.view", "roster.change", "roster.export",
            "audit.view", "quota.view", "quota.change", "quota.approve",
            "recruit.view", "recruit.change", "pay.view", "pay.change", "pay.approve",
            "assess.view", "assess.change", "assess.confirm", "growth.view", "growth.change",
            "growth.approve", "insights.view", "policy.view", "policy.change", "users.manage",
            "pii.full_ids",
        }
    ),
    Role.STREET_HR: frozenset(
        {
            "org.view", "org.change", "roster.view", "roster.change", "roster.export",
            "audit.view", "quota.view", "quota.change", "recruit.view", "recruit.change",
            "pay.view", "pay.change", "assess.view", "assess.change", "growth.view",
            "growth.change", "insights.view", "policy.view", "users.manage",
            "pii.full_ids",
        }
    ),
    Role.SECRETARY: frozenset(
        {
            "org.view", "roster.view", "quota.view", "recruit.view", "assess.view",
            "growth.view", "insights.view", "policy.view",
        }
    ),
    Role.FINANCE: frozenset(
        {"org.view", "roster.view", "roster.export", "pay.view", "pay.approve", "insights.view", "policy.view", "quota.view",
         # P-NET: full bank card numbers (the transfer sheet), finance only.
         "pay.bank"}
    ),
}


def has_capability(user: User | AnonymousUser, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    if getattr(user, "unit_id", None) is None:
        return False
    return capability in CAPABILITIES.get(getattr(user, "role", ""), frozenset())


def role_capabilities(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())


def can_grant(actor: User, role: str) -> bool:
    """A role may be given only by someone holding every right it carries: nobody hands out
    more than they have (a street HR cannot make a finance approver or a bureau admin)."""
    if getattr(actor, "is_superuser", False):
        return role in CAPABILITIES
    if role not in CAPABILITIES or not has_capability(actor, "users.manage"):
        return False
    return role_capabilities(role) <= role_capabilities(actor.role)


def grantable_roles(actor: User) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Role.choices if can_grant(actor, value)]
