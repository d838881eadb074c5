"""ID numbers (身份证号) on screen and in files: masked unless the viewer's role has the
right and asked for them (PIPL; docs/data-protection.md).

`shown_id` is the one place that decides. It reads the current request, which
`PiiMiddleware` keeps for the length of each request; outside a request (commands,
tasks) numbers are masked. Every request that showed at least one full number gets one
audit row, written by the middleware once the response is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

from shequ.common.provinces import transaction

FULL_IDS_PARAM = "full_ids"
FULL_IDS_CAPABILITY = "pii.full_ids"
ID_HEADER = "身份证号"

_request: ContextVar[HttpRequest | None] = ContextVar("shequ_pii_request", default=None)


def mask_id(value: Any) -> str:
    """2201**********1234: enough to tell people apart on a list, not enough to use.

    Idempotent, so a column already masked for a public list stays as it is."""
    text = "" if value is None else str(value)
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def full_ids_allowed(request: HttpRequest | None) -> bool:
    """True when the request asked for full numbers and its user's role has the right."""
    if request is None or request.GET.get(FULL_IDS_PARAM) != "1":
        return False
    from shequ.accounts.roles import has_capability  # accounts imports common: import late

    return has_capability(getattr(request, "user", None), FULL_IDS_CAPABILITY)  # type: ignore[arg-type]


def shown_id(value: Any) -> str:
    """The ID number as the current viewer may see it; full numbers are counted for the audit."""
    request = _request.get()
    text = "" if value is None else str(value)
    # Decide per call, not once per request: the API sets request.user after the middleware.
    if text and full_ids_allowed(request):
        assert request is not None
        request._pii_full_ids = getattr(request, "_pii_full_ids", 0) + 1  # type: ignore[attr-defined]
        return text
    return mask_id(text)


def disclose_id(value: Any) -> str:
    """A full ID number the file cannot do without (a sheet sent back to match people):
    always full, and counted for the audit like any other."""
    request = _request.get()
    if request is not None and value:
        request._pii_full_ids = getattr(request, "_pii_full_ids", 0) + 1  # type: ignore[attr-defined]
    return "" if value is None else str(value)


def mask_columns(headers: Sequence[str], rows: Iterable[Sequence[Any]], show: Callable[[Any], str] = shown_id) -> Iterator[Sequence[Any]]:
    """The rows with every 身份证号 column passed through `show`, lazily (exports stream)."""
    cols = [i for i, h in enumerate(headers) if h == ID_HEADER]
    if not cols:
        yield from rows
        return
    for row in rows:
        out = list(row)
        for i in cols:
            if i < len(out):
                out[i] = show(out[i])
        yield out


class PiiMiddleware:
    """Keeps the request for `shown_id` and audits every response that carried full numbers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        count = getattr(request, "_pii_full_ids", 0)
        if count:
            _audit_disclosure(request, count)
        return response


def audit_full_ids(request: HttpRequest, count: int) -> None:
    """Record that `count` full ID numbers leave in a response the middleware cannot count
    (a stream written after it returned)."""
    _audit_disclosure(request, count)


def _audit_disclosure(request: HttpRequest, count: int) -> None:
    from shequ.common.audit import audit_record
    from shequ.common.audit_actions import AuditAction

    user = getattr(request, "user", None)
    with transaction.atomic():
        audit_record(
            actor=user, action=AuditAction.PII_FULL_IDS, target=user, unit=getattr(user, "unit", None),
            after={"path": request.path, "count": count}, summary=f"完整身份证号 {count} 个：{request.path}"[:300],
        )
