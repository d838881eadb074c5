"""`{% if user|can:"pay.view" %}`: pages hide links a role could not follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from shequ.accounts.roles import has_capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shequ.accounts.models import User

register = template.Library()


@register.filter
def can(user: User | AnonymousUser, capability: str) -> bool:
    return has_capability(user, capability)
