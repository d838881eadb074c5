"""Province databases (ADR 0008): one deployment, one PostgreSQL database per province.

Every request, command and task works in exactly one database alias, held in a context
variable: the signed-in user's province (set by `ProvinceMiddleware` from the session or the
API token), `SHEQU_PROVINCE` for a command pinned to one province, else "default". The router
sends every model there, so a user, page, export or API call cannot reach another
province's database. `transaction` and `connection` here are Django's, resolved to that
same alias: `@transaction.atomic` on Django's own would open its transaction on "default"
while the writes went to the province.

Without `SHEQU_PROVINCES` there is one alias, "default", and all of this changes nothing.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator
from contextlib import ContextDecorator, contextmanager
from typing import Any, TypeVar, cast, overload

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import transaction as _django_transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

NATIONAL = DEFAULT_DB_ALIAS
SESSION_KEY = "shequ_province"
ALIAS_RE = re.compile(r"^[a-z][a-z0-9_]{1,30}$")
# API tokens carry their province in front of the key: "guizhou.sq_…" ("." is not in the key's alphabet).
TOKEN_SEPARATOR = "."

# The 31 provincial-level bureaus, by the alias a deployment gives their database.
PROVINCE_NAMES = {
    "beijing": "北京市", "tianjin": "天津市", "hebei": "河北省", "shanxi": "山西省", "neimenggu": "内蒙古自治区",
    "liaoning": "辽宁省", "jilin": "吉林省", "heilongjiang": "黑龙江省", "shanghai": "上海市", "jiangsu": "江苏省",
    "zhejiang": "浙江省", "anhui": "安徽省", "fujian": "福建省", "jiangxi": "江西省", "shandong": "山东省",
    "henan": "河南省", "hubei": "湖北省", "hunan": "湖南省", "guangdong": "广东省", "guangxi": "广西壮族自治区",
    "hainan": "海南省", "chongqing": "重庆市", "sichuan": "四川省", "guizhou": "贵州省", "yunnan": "云南省",
    "xizang": "西藏自治区", "shaanxi": "陕西省", "gansu": "甘肃省", "qinghai": "青海省", "ningxia": "宁夏回族自治区",
    "xinjiang": "新疆维吾尔自治区",
}
NATIONAL_NAME = "民政部（全国）"
CROSS_PROVINCE = "不能在{here}的数据库中使用{there}的数据"

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("shequ_province", default=None)


class CrossProvinceError(RuntimeError):
    pass


def parse_provinces(raw: str) -> dict[str, str]:
    """SHEQU_PROVINCES="guizhou=postgres://…,anhui=postgres://…" → {alias: url}; loud on bad input."""
    out: dict[str, str] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        alias, sep, url = item.partition("=")
        alias = alias.strip()
        if not sep or not url.strip():
            raise ValueError(f"SHEQU_PROVINCES: {item!r} is not alias=url")
        if not ALIAS_RE.match(alias) or alias == NATIONAL:
            raise ValueError(f"SHEQU_PROVINCES: bad alias {alias!r} (lowercase letters, digits, _; not 'default')")
        if alias in out:
            raise ValueError(f"SHEQU_PROVINCES: {alias!r} given twice")
        out[alias] = url.strip()
    return out


def provinces() -> list[str]:
    """The province aliases of this deployment, in the order configured."""
    return list(getattr(settings, "PROVINCES", {}))


def multi() -> bool:
    return bool(provinces())


def province_name(alias: str) -> str:
    return NATIONAL_NAME if alias == NATIONAL else PROVINCE_NAMES.get(alias, alias)


def database_label(alias: str) -> str:
    """How a command names the database it worked on: a single-database deployment has one."""
    return province_name(alias) if multi() else "本库"


def current() -> str:
    alias = _current.get()
    if alias is None:
        alias = getattr(settings, "SHEQU_PROVINCE", "") or NATIONAL
    return alias


@contextmanager
def use(alias: str) -> Iterator[str]:
    """Work in one province's database (or the national one) for the block."""
    if alias != NATIONAL and alias not in provinces():
        raise CrossProvinceError(f"unknown province {alias!r}")
    token = _current.set(alias)
    try:
        yield alias
    finally:
        _current.reset(token)


def _is_province(alias: str | None) -> bool:
    return bool(alias) and alias != NATIONAL


class ProvinceRouter:
    """Every model in the current alias; an object loaded from another province is refused."""

    def _route(self, model: type, hints: dict[str, Any]) -> str | None:
        if not multi():
            return None
        if model._meta.app_label == "sessions":  # type: ignore[attr-defined]
            return NATIONAL  # sessions say which province a browser signed into
        here = current()
        instance = hints.get("instance")
        there = getattr(getattr(instance, "_state", None), "db", None)
        if there and there != here and (_is_province(here) or _is_province(there)):
            raise CrossProvinceError(CROSS_PROVINCE.format(here=province_name(here), there=province_name(there)))
        return here

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return self._route(model, hints)

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return self._route(model, hints)

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        if not multi():
            return None
        return bool(obj1._state.db == obj2._state.db)

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return None  # the same schema in every province and in the national database


F = TypeVar("F", bound=Callable[..., Any])


class _Atomic(ContextDecorator):
    """transaction.atomic on the alias current when the block starts, not when decorated."""

    def __init__(self, using: str | None = None, savepoint: bool = True, durable: bool = False) -> None:
        self.using, self.savepoint, self.durable = using, savepoint, durable
        self._inner: Any = None

    def _recreate_cm(self) -> _Atomic:
        return _Atomic(self.using, self.savepoint, self.durable)

    def __enter__(self) -> Any:
        self._inner = _django_transaction.atomic(using=self.using or current(), savepoint=self.savepoint, durable=self.durable)
        return self._inner.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self._inner.__exit__(*exc)


class _Transaction:
    """django.db.transaction with `atomic` and `on_commit` on the current province."""

    @overload
    def atomic(self, using: F) -> F: ...
    @overload
    def atomic(self, using: str | None = None, savepoint: bool = True, durable: bool = False) -> _Atomic: ...
    def atomic(self, using: Any = None, savepoint: bool = True, durable: bool = False) -> Any:
        if callable(using):  # bare @transaction.atomic
            return _Atomic()(using)
        return _Atomic(using, savepoint, durable)

    def on_commit(self, func: Callable[[], Any], using: str | None = None, robust: bool = False) -> None:
        _django_transaction.on_commit(func, using=using or current(), robust=robust)

    def __getattr__(self, name: str) -> Any:
        return getattr(_django_transaction, name)


class _Connection:
    """django.db.connection, but the current province's."""

    def __getattr__(self, name: str) -> Any:
        return getattr(connections[current()], name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(connections[current()], name, value)


transaction = _Transaction()
connection = cast(BaseDatabaseWrapper, _Connection())


def _alias_from_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or TOKEN_SEPARATOR not in key:
        return None
    return key.split(TOKEN_SEPARATOR, 1)[0]


class ProvinceMiddleware:
    """Runs the whole request in the signed-in user's province. Sits after the session
    middleware and before authentication, so the user is looked up in that province."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not multi():
            return self.get_response(request)
        alias = request.session.get(SESSION_KEY, NATIONAL)
        if request.path.startswith("/api/"):
            alias = _alias_from_token(request) or NATIONAL
        if alias != NATIONAL and alias not in provinces():
            # A token naming no province of this deployment, or a province since removed.
            alias = NATIONAL
            request.session.flush()
        with use(alias):
            request.province = alias  # type: ignore[attr-defined]
            return self.get_response(request)
