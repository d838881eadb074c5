"""The one place views declare what they need: a capability of the user's role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from shequ.accounts.roles import has_capability

NO_CAPABILITY = "您的角色无权进行此操作"


# The view's own response type (a page, or a streamed export) passes through.
R = TypeVar("R", bound=HttpResponseBase)


def requires(capability: str) -> Callable[[Callable[..., R]], Callable[..., R]]:
    def decorator(view: Callable[..., R]) -> Callable[..., R]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
            if not has_capability(request.user, capability):
                raise PermissionDenied(NO_CAPABILITY)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
