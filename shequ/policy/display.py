"""A policy as a clerk reads it: its Chinese name and version date, never its label.

Decisions record a label such as `baohe@1.0.0#d6c4f412` (or `base@1.1.0（默认）` for the
deployment default); pages show 合肥市包河区…（2020-08-14 版）. Labels name immutable
versions, so the answer is cached per label."""

from __future__ import annotations

import re
from functools import lru_cache

from shequ.policy.models import PolicyVersion
from shequ.policy.resolve import DEFAULT_MARK, default_governing, governing_of
from shequ.rules import Policy

_LABEL = re.compile(r"^(?P<id>[\w-]+)@(?P<version>[\w.+-]+?)(?:#(?P<digest>[0-9a-f]{6,64}))?(?P<default>（默认）)?$")


def _title(policy: Policy) -> str:
    since = policy.meta.since
    return f"{policy.meta.name}（{since:%Y-%m-%d} 版）" if since else policy.meta.name


@lru_cache(maxsize=512)
def policy_title(label: str) -> str:
    """The display name for a recorded policy label; the label itself if it names no
    policy this deployment knows (an old label stays readable, never an error)."""
    m = _LABEL.match(label or "")
    if m is None:
        return label or "—"
    if m["default"] or not m["digest"]:
        default = default_governing()
        if default.policy.meta.id == m["id"]:
            return _title(default.policy) + ("（系统默认）" if label.endswith(DEFAULT_MARK) else "")
        return label
    version = PolicyVersion.objects.filter(
        policy_id=m["id"], version=m["version"], digest__startswith=m["digest"]
    ).first()
    return _title(governing_of(version).policy) if version else label
