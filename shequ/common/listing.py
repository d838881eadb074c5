"""Sorting and page size of a list page, kept in the URL beside its filters.

A page declares which columns sort and by what (a whitelist: a key the page did not list
is ignored, so no field name from the URL reaches `order_by`); `?sort=grade` ascends,
`?sort=-grade` descends; `?per_page=` takes one of PAGE_SIZES. Links built here keep
every other parameter of the request, so filters survive a sort and a page change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict

M = TypeVar("M", bound=Model)

PAGE_SIZES = (20, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50

# key → the fields it orders by, ascending; a descending sort reverses each.
Sorts = dict[str, tuple[str, ...]]


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


@dataclass(frozen=True)
class Listing:
    sorts: Sorts
    sort: str  # a key of `sorts`, or "" for the page's own order
    desc: bool
    per_page: int
    params: QueryDict  # the request's parameters

    def order(self, qs: QuerySet[M], *, tiebreak: tuple[str, ...] = ("pk",)) -> QuerySet[M]:
        """`qs` in the chosen order, ties broken by `tiebreak` so pages never overlap."""
        if not self.sort:
            return qs
        fields = self.sorts[self.sort]
        return qs.order_by(*(_flip(f) if self.desc else f for f in fields), *tiebreak)

    def url(self, **changes: str | int | None) -> str:
        """`?…` with `changes` applied (None removes), back to page 1 unless a page is given."""
        q = self.params.copy()
        q.pop("page", None)
        for k, v in changes.items():
            q.pop(k, None)
            if v is not None and v != "":
                q[k] = str(v)
        return "?" + q.urlencode()

    def sort_url(self, key: str) -> str:
        """The link of a column header: ascending first, then descending, then ascending."""
        value = f"-{key}" if self.sort == key and not self.desc else key
        return self.url(sort=value)

    def page_url(self, number: int) -> str:
        return self.url(page=number)

    def direction(self, key: str) -> str:
        """'ascending' / 'descending' / '' for aria-sort."""
        if self.sort != key:
            return ""
        return "descending" if self.desc else "ascending"


def listing_from(request: HttpRequest, sorts: Sorts) -> Listing:
    raw = request.GET.get("sort", "")
    desc = raw.startswith("-")
    key = raw[1:] if desc else raw
    if key not in sorts:
        key, desc = "", False
    size_text = request.GET.get("per_page", "")
    per_page = int(size_text) if size_text.isdigit() and int(size_text) in PAGE_SIZES else DEFAULT_PAGE_SIZE
    return Listing(sorts=sorts, sort=key, desc=desc, per_page=per_page, params=request.GET)
