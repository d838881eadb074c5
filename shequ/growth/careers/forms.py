"""Reading submitted fields for the careers pages and API: each bad value gets a Chinese
error that names its field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal, overload

from shequ.common import params
from shequ.errors import Invalid

FIELD_REQUIRED = "请填写“{label}”"
FIELD_BAD_CHOICE = "“{label}”只能是：{choices}（收到“{value}”）"


class FieldError(Invalid):
    pass


def text(data: Mapping[str, Any], name: str, label: str, *, required: bool = True) -> str:
    value = str(data.get(name, "") or "").strip()
    if required and not value:
        raise FieldError(FIELD_REQUIRED.format(label=label))
    return value


@overload
def a_date(data: Mapping[str, Any], name: str, label: str, *, required: Literal[True] = ...) -> date: ...
@overload
def a_date(data: Mapping[str, Any], name: str, label: str, *, required: bool) -> date | None: ...
def a_date(data: Mapping[str, Any], name: str, label: str, *, required: bool = True) -> date | None:
    return params.a_date(data.get(name), label=label, field=name, required=required)


def an_int(data: Mapping[str, Any], name: str, label: str) -> int:
    """A required whole number (an id, a count) the database can hold."""
    return params.an_int(data.get(name), label=label, field=name, lo=0, hi=params.MAX_ID)


def choice(data: Mapping[str, Any], name: str, label: str, choices: Sequence[str]) -> str:
    value = text(data, name, label)
    if value not in choices:
        raise FieldError(FIELD_BAD_CHOICE.format(label=label, choices="、".join(choices), value=value))
    return value
