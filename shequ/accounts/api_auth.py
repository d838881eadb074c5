"""Capability checks for API handlers, mirroring the page decorator."""

from __future__ import annotations

from typing import Any

from shequ.accounts.decorators import NO_CAPABILITY
from shequ.accounts.roles import has_capability


def need(request: Any, capability: str) -> None:
    if not has_capability(request.user, capability):
        raise PermissionError(NO_CAPABILITY)
