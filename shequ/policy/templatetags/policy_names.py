"""`{{ label|policy_name }}`: a recorded policy label shown by its Chinese name and date."""

from __future__ import annotations

from django import template

from shequ.policy.display import policy_title

register = template.Library()


@register.filter
def policy_name(label: str | None) -> str:
    return policy_title(label or "")
