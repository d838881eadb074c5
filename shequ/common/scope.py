"""Org scope: every read and write is limited to the acting user's subtree (ORG-1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from shequ.errors import Invalid, OutOfScope

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.org.models import Unit

M = TypeVar("M", bound=Model)

OUT_OF_SCOPE = "无权访问该单位的数据"


class ScopeError(OutOfScope):
    pass


def scope_path(user: User) -> str | None:
    """The path prefix the user may see; '' means everything (superuser without a unit);
    None means nothing."""
    unit: Unit | None = getattr(user, "unit", None)
    if unit is not None:
        return unit.path
    if getattr(user, "is_superuser", False):
        return ""
    return None


def _is_sole_root(path: str) -> bool:
    """True when `path` is the only top of the tree, so its subtree is every unit."""
    from shequ.org.models import Unit

    return path.count("/") == 1 and not Unit.objects.filter(parent__isnull=True).exclude(path=path).exists()


def scoped(qs: QuerySet[M], user: User, *, unit_field: str = "unit") -> QuerySet[M]:
    """Filter any queryset to rows whose unit lies in the user's subtree."""
    path = scope_path(user)
    if path is None:
        return qs.none()
    if path == "" or _is_sole_root(path):
        # Everything is in scope: no join to the org tree (the city's roster count drops
        # from ~35 ms to ~15 ms at 300,000 workers).
        return qs
    lookup = "path__startswith" if unit_field == "" else f"{unit_field}__path__startswith"
    return qs.filter(**{lookup: path})


def unit_in_scope(user: User, unit: Unit | None) -> bool:
    path = scope_path(user)
    if path is None or unit is None:
        return False
    return unit.path.startswith(path)


def require_unit_in_scope(user: User, unit: Unit | None) -> None:
    """Services call this before any write: refuse units outside the actor's subtree."""
    if not unit_in_scope(user, unit):
        raise ScopeError(OUT_OF_SCOPE)


def get_in_scope_or_404(qs: QuerySet[M], user: User, *, unit_field: str = "unit", **lookup: Any) -> M:
    """Out-of-scope objects look exactly like missing ones: no existence leak. An id the
    database cannot hold (not a number, above 2^63-1) is missing too, not an overflow."""
    from shequ.common.params import an_optional_id

    if "pk" in lookup and not isinstance(lookup["pk"], Model):
        try:
            lookup["pk"] = an_optional_id(lookup["pk"], label="编号")
        except Invalid as exc:
            raise Http404("未找到") from exc
        if lookup["pk"] is None:
            raise Http404("未找到")
    try:
        return scoped(qs, user, unit_field=unit_field).get(**lookup)
    # Every model's DoesNotExist is an ObjectDoesNotExist; .get() raises no other kind.
    except ObjectDoesNotExist as exc:
        raise Http404("未找到") from exc
