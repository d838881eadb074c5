"""Capability checks for API handlers, mirroring the page decorator."""

from __future__ import annotations

from shequ.accounts.decorators import NO_CAPABILITY
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.errors import Forbidden


def need(request: AuthedRequest, capability: str) -> None:
    if not has_capability(request.user, capability):
        raise Forbidden(NO_CAPABILITY)
