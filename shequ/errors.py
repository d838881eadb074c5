"""One application error for every area: a code, a Chinese message and the field it concerns.

Services raise these; each front door maps them once: pages in
`shequ.common.middleware.ShequErrorMiddleware` (or a form's own field), the API in one Ninja
exception handler in `shequ.api`. Pure Python, so the engine and the services can share it.
"""

from __future__ import annotations


class ShequError(Exception):
    """A refusal the user can act on. `message` is Chinese and names the row/field concerned."""

    code: str = "invalid"
    status: int = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, str | None]:
        # "detail" stays for integrations written against the first API answers.
        return {"code": self.code, "message": self.message, "field": self.field, "detail": self.message}


class Invalid(ShequError):
    """The input breaks a rule: nothing was changed."""

    code = "invalid"
    status = 400


class NotFound(ShequError):
    code = "not_found"
    status = 404


class Forbidden(ShequError):
    """The acting user lacks the capability for this action."""

    code = "forbidden"
    status = 403


class OutOfScope(Forbidden):
    """The object lies outside the acting user's org subtree (ORG-1)."""

    code = "out_of_scope"


class Conflict(ShequError):
    """The action clashes with the current state (already published, overlapping run …)."""

    code = "conflict"
    status = 409
