"""Which policy governs a unit on a date: the nearest binding on the unit or its ancestors."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.conf import settings

from shequ.org.models import Unit
from shequ.policy.models import PolicyBinding, PolicyVersion
from shequ.rules import Policy, load_policy, load_policy_text


@lru_cache(maxsize=64)
def _compiled(digest: str, text: str, name: str) -> Policy:
    # Versions are immutable, so the digest is a safe cache key.
    return load_policy_text(text, name=name, base_dir=settings.POLICY_DIR)


def policy_version_for(*, unit: Unit, on: date) -> PolicyVersion | None:
    binding = (
        PolicyBinding.objects.filter(unit_id__in=unit.ancestor_ids(), since__lte=on)
        .select_related("version", "unit")
        .order_by("-unit__depth", "-since")
        .first()
    )
    return binding.version if binding else None


def policy_for(*, unit: Unit, on: date) -> tuple[Policy, str]:
    """The compiled policy and the label that events record as the deciding version.

    Units with no binding anywhere above them fall back to the deployment's default preset
    (SHEQU_DEFAULT_POLICY), labelled as such."""
    version = policy_version_for(unit=unit, on=on)
    if version is None:
        policy = _default_policy()
        return policy, f"{policy.id}@{policy.version}（默认）"
    return _compiled(version.digest, version.text, version.label), version.label


@lru_cache(maxsize=1)
def _default_policy() -> Policy:
    return load_policy(settings.DEFAULT_POLICY)


def bindings_in_scope(*, user: Any) -> list[PolicyBinding]:
    from shequ.common.scope import scoped

    return list(scoped(PolicyBinding.objects.select_related("unit", "version"), user).order_by("unit__path", "-since"))
