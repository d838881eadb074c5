"""The one parser of the common inputs (dates, scope units, years, ids, counts, paging), bounded
at the edge so that a number too large for the database is a Chinese 400/422, never a 500.

Pages call the functions on `request.GET` / `request.POST` values; the API uses the bounded
types (`Id`, `Year`, …) in its signatures and input schemas, so Ninja refuses them before any
query runs. Parse failures become `Invalid` with the field's name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Literal, overload

from pydantic import Field

from shequ.errors import Invalid

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.org.models import Unit

# A bigint primary key: PostgreSQL and SQLite refuse anything larger with an overflow.
MAX_ID = 2**63 - 1
YEAR_MIN, YEAR_MAX = 1900, 2100
DATE_MIN, DATE_MAX = date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31)
COUNT_MAX = 10_000_000
AMOUNT_MAX = Decimal("1000000000")  # one billion yuan (or hours, or points): beyond any real value
LIMIT_MAX = 10_000

REQUIRED = "请填写“{label}”"
BAD_DATE = "“{label}”不是有效日期（应为 年-月-日）：{value}"
DATE_RANGE = "“{label}”应在 {lo:%Y-%m-%d} 至 {hi:%Y-%m-%d} 之间：{value}"
BAD_INT = "“{label}”应为整数：{value}"
INT_RANGE = "“{label}”应在 {lo} 至 {hi} 之间：{value}"
BAD_NUMBER = "“{label}”应为数字：{value}"

# The API's bounded types; their Chinese refusals come from shequ.common.api_errors.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
SignedCount = Annotated[int, Field(ge=-COUNT_MAX, le=COUNT_MAX)]
Limit = Annotated[int, Field(ge=1, le=LIMIT_MAX)]
Offset = Annotated[int, Field(ge=0, le=MAX_ID)]
Amount = Annotated[Decimal, Field(ge=-AMOUNT_MAX, le=AMOUNT_MAX, allow_inf_nan=False)]
Day = Annotated[date, Field(ge=DATE_MIN, le=DATE_MAX)]


def _blank(raw: object) -> bool:
    return raw is None or str(raw).strip() == ""


@overload
def a_date(raw: str | None, *, label: str, field: str | None = ..., default: date) -> date: ...
@overload
def a_date(raw: str | None, *, label: str, field: str | None = ..., default: None = ...,
           required: Literal[True] = ...) -> date: ...
@overload
def a_date(raw: str | None, *, label: str, field: str | None = ..., default: None = ..., required: bool) -> date | None: ...
def a_date(raw: str | None, *, label: str, field: str | None = None, default: date | None = None,
           required: bool = True) -> date | None:
    """A date 年-月-日 between 1900 and 2100; blank gives `default`, or is refused if required."""
    if _blank(raw):
        if default is not None or not required:
            return default
        raise Invalid(REQUIRED.format(label=label), field=field)
    text = str(raw).strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Invalid(BAD_DATE.format(label=label, value=text), field=field) from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise Invalid(DATE_RANGE.format(label=label, lo=DATE_MIN, hi=DATE_MAX, value=text), field=field)
    return day


def as_of(raw: str | None, *, today: date) -> date:
    """The ?on= filter of a list page: a bad or out-of-range date shows today's figures."""
    try:
        return a_date(raw, label="日期", field="on", default=today)
    except Invalid:
        return today


@overload
def an_int(raw: object, *, label: str, field: str | None = ..., lo: int = ..., hi: int = ..., default: int) -> int: ...
@overload
def an_int(raw: object, *, label: str, field: str | None = ..., lo: int = ..., hi: int = ..., default: None = ...,
           required: Literal[True] = ...) -> int: ...
@overload
def an_int(raw: object, *, label: str, field: str | None = ..., lo: int = ..., hi: int = ..., default: None = ...,
           required: bool) -> int | None: ...
def an_int(raw: object, *, label: str, field: str | None = None, lo: int = 0, hi: int = COUNT_MAX,
           default: int | None = None, required: bool = True) -> int | None:
    """A whole number within [lo, hi]; blank gives `default`, or is refused if required."""
    if _blank(raw):
        if default is not None or not required:
            return default
        raise Invalid(REQUIRED.format(label=label), field=field)
    text = str(raw).strip()
    # Digits only (an optional sign): int() would also take "1_000" and "٣".
    if not (text.lstrip("+-").isascii() and text.lstrip("+-").isdigit()) or len(text) > 40:
        raise Invalid(BAD_INT.format(label=label, value=text[:40]), field=field)
    value = int(text)
    if not lo <= value <= hi:
        raise Invalid(INT_RANGE.format(label=label, lo=lo, hi=hi, value=text), field=field)
    return value


def an_id(raw: object, *, label: str, field: str | None = None) -> int:
    """A required row id (1 … 2^63-1)."""
    return an_int(raw, label=label, field=field, lo=1, hi=MAX_ID)


def an_optional_id(raw: object, *, label: str, field: str | None = None) -> int | None:
    return an_int(raw, label=label, field=field, lo=1, hi=MAX_ID, required=False)


def a_year(raw: object, *, label: str = "年度", field: str | None = "year", default: int | None = None) -> int:
    if default is None:
        return an_int(raw, label=label, field=field, lo=YEAR_MIN, hi=YEAR_MAX)
    return an_int(raw, label=label, field=field, lo=YEAR_MIN, hi=YEAR_MAX, default=default)


def a_decimal(raw: object, *, label: str, field: str | None = None, lo: Decimal = -AMOUNT_MAX,
              hi: Decimal = AMOUNT_MAX) -> Decimal | None:
    """An optional number (hours, scores, money) within [lo, hi]; blank gives None."""
    if _blank(raw):
        return None
    text = str(raw).strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Invalid(BAD_NUMBER.format(label=label, value=text[:40]), field=field) from None
    if not value.is_finite() or not lo <= value <= hi:
        raise Invalid(INT_RANGE.format(label=label, lo=lo, hi=hi, value=text[:40]), field=field)
    return value


def scope_unit(raw: object, *, user: User, label: str = "单位", field: str | None = "unit") -> Unit | None:
    """The ?unit= a page is asked for, within the user's subtree (outside it looks missing);
    blank gives None (the caller's own unit)."""
    from shequ.common.scope import get_in_scope_or_404
    from shequ.org.models import Unit

    pk = an_optional_id(raw, label=label, field=field)
    if pk is None:
        return None
    found: Unit = get_in_scope_or_404(Unit.objects.all(), user, unit_field="", pk=pk)
    return found
