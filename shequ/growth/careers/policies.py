"""Which policy governs each of many units, resolved with one query (the careers lists
cover whole cities; one policy lookup per unit would not scale)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from shequ.org.models import Unit
from shequ.policy.models import PolicyBinding
from shequ.policy.selectors import policy_for
from shequ.rules import Policy


def policies_for_paths(paths: Mapping[int, str], on: date) -> dict[int, tuple[Policy, str]]:
    """unit id → (compiled policy, version label) for units given by id and path: the
    nearest binding on the unit or an ancestor in force on `on`, the latest of several
    on the same node (the rule of shequ.policy.selectors.policy_for)."""
    in_force: dict[str, int] = {}
    for path, version in PolicyBinding.objects.filter(since__lte=on).order_by("since").values_list(
        "unit__path", "version_id"
    ):
        in_force[path] = version  # ascending `since`: the latest wins

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
