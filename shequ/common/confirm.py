"""A second look before anything irreversible.

`@confirm_first(describe)` on a POST view: a POST without `confirmed=1` does nothing and
shows a page that says what will happen, in numbers, with every field the user sent
carried into a 确认 button; only that second POST reaches the view. `describe` is the
area's own read of the consequences (it must not write), so the numbers on the page are
the numbers the action will use. `describe` returns None where there is nothing to
confirm (a reversible choice, or input the view itself refuses with its own message)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from shequ.accounts.types import AuthedRequest

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Consequences:
    """What an action will do: a title, one line per effect, and where 取消 goes back to."""

    title: str
    lines: list[str]
    back: str
    warning: str = "此操作不可撤销。"
    button: str = "确认"
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value) rows


Describe = Callable[..., "Consequences | None"]


def confirm_first(describe: Describe) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST" or request.POST.get(CONFIRMED) == "1":
                return view(request, *args, **kwargs)
            what = describe(request, *args, **kwargs)
            if what is None:
                return view(request, *args, **kwargs)
            carried = [(k, v) for k, values in request.POST.lists() if k not in ("csrfmiddlewaretoken", CONFIRMED)
                       for v in values]
            return render(request, "common/confirm.html", {
                "page_title": what.title, "what": what, "carried": carried, "action": request.get_full_path(),
            })

        return wrapped

    return decorator
