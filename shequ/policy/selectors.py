"""Which policy governs a unit on a date: the nearest binding on the unit or its ancestors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings

from shequ.org.models import Unit
from shequ.policy.models import PolicyBinding, PolicyVersion
from shequ.rules import Policy, load_policy, load_policy_text

if TYPE_CHECKING:
    from shequ.accounts.models import User


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


def bindings_in_scope(*, user: User) -> list[PolicyBinding]:
    from shequ.common.scope import scoped

    return list(scoped(PolicyBinding.objects.select_related("unit", "version"), user).order_by("unit__path", "-since"))


def policies_for_paths(paths: Mapping[int, str], on: date) -> dict[int, tuple[Policy, str]]:
    """unit id → (compiled policy, version label) for many units given by id and path, with
    one query for the bindings and one compile per distinct version: the rule of
    `policy_for` (the nearest binding on the unit or an ancestor; the latest `since` of
    several on one node), for population-wide work."""
    in_force: dict[str, int] = {}
    for path, version_id in PolicyBinding.objects.filter(since__lte=on).order_by("since").values_list(
        "unit__path", "version_id"
    ):
        in_force[path] = version_id  # ascending `since`: the latest wins

    memo: dict[str, int | None] = {}

    def nearest(path: str) -> int | None:
        if path not in memo:
            parent = path[: path.rstrip("/").rfind("/") + 1]
            memo[path] = in_force.get(path) or (nearest(parent) if parent else None)
        return memo[path]

    chosen = {uid: nearest(path) for uid, path in paths.items()}
    compiled: dict[int | None, tuple[Policy, str]] = {}
    for uid, version in chosen.items():
        if version not in compiled:
            compiled[version] = policy_for(unit=Unit.objects.get(pk=uid), on=on)
    return {uid: compiled[version] for uid, version in chosen.items()}


def policies_for_units(units: Iterable[Unit], on: date) -> dict[int, tuple[Policy, str]]:
    return policies_for_paths({u.pk: u.path for u in units}, on)
