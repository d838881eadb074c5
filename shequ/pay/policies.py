"""Which policy version governs each unit of a scope on a date, resolved for all units at
once (the same rule as shequ.policy.selectors.policy_for: the nearest binding on the unit
or its ancestors, latest `since` first; the deployment default when there is none)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db.models import Q

from shequ.org.models import Unit
from shequ.policy.models import PolicyBinding, PolicyVersion
from shequ.policy.selectors import _compiled, _default_policy
from shequ.rules import Policy


@dataclass(frozen=True)
class Governing:
    label: str
    digest: str  # "" for the deployment default
    policy: Policy


def _default() -> Governing:
    policy = _default_policy()
    return Governing(label=f"{policy.id}@{policy.version}（默认）", digest="", policy=policy)


def _of(version: PolicyVersion) -> Governing:
    return Governing(label=version.label, digest=version.digest,
                     policy=_compiled(version.digest, version.text, version.label))


def policies_by_unit(*, scope: Unit, units: pl.DataFrame, on: date) -> tuple[pl.DataFrame, dict[str, Governing]]:
    """(unit_id → policy_label frame, label → Governing) for the units of `units`
    (columns unit_id, unit_path)."""
    ancestors = scope.ancestor_ids()
    bindings = list(
        PolicyBinding.objects.filter(since__lte=on)
        .filter(Q(unit__path__startswith=scope.path) | Q(unit_id__in=ancestors))
        .order_by()
        .values_list("unit_id", "since", "version_id")
    )
    # Per binding unit: the version of its latest binding in force.
    latest: dict[int, tuple[date, int]] = {}
    for unit_id, since, version_id in bindings:
        if unit_id not in latest or since > latest[unit_id][0]:
            latest[unit_id] = (since, version_id)
    versions = {v.pk: v for v in PolicyVersion.objects.filter(pk__in={v for _, v in latest.values()})}
    governing: dict[str, Governing] = {}
    by_version: dict[int | None, str] = {}

    def label_of(version_id: int | None) -> str:
        if version_id not in by_version:
            g = _of(versions[version_id]) if version_id is not None else _default()
            governing[g.label] = g
            by_version[version_id] = g.label
        return by_version[version_id]

    # Walk each unit's ancestry deepest first; units are few next to workers.
    labels: list[str] = []
    ids = units.get_column("unit_id").to_list()
    for path in units.get_column("unit_path").to_list():
        chain = [int(p) for p in path.strip("/").split("/") if p]
        found = next((latest[u][1] for u in reversed(chain) if u in latest), None)
        labels.append(label_of(found))
    return pl.DataFrame({"unit_id": ids, "policy_label": labels}, schema={"unit_id": pl.Int64, "policy_label": pl.Utf8}), governing


def policy_by_label(*, label: str, digest: str) -> Policy:
    """Recompile the policy a line was computed under (explanations of locked lines)."""
    if not digest:
        return _default_policy()
    version = PolicyVersion.objects.get(digest=digest)
    return _compiled(version.digest, version.text, version.label)
