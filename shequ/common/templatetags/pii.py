"""`{{ worker.id_number|id_shown }}`: the ID number as the viewer may see it (pii.shown_id)."""

from __future__ import annotations

from typing import Any

from django import template

from shequ.common.pii import shown_id

register = template.Library()


@register.filter
def id_shown(value: Any) -> str:
    return shown_id(value)
