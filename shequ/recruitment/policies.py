"""The policy in force for many units at once: one query for every binding above them,
then one `policy_for` per distinct version (not one per unit or per person)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shequ.org.models import Unit
from shequ.policy.models import PolicyBinding
from shequ.policy.selectors import policy_for
from shequ.rules import Policy


def policies_for_units(*, units: Iterable[Unit], on: date) -> dict[int, tuple[Policy, str]]:
    units = {u.pk: u for u in units}
    ancestors = {a for u in units.values() for a in u.ancestor_ids()}
    bindings = list(
        PolicyBinding.objects.filter(unit_id__in=ancestors, since__lte=on)
        .order_by("-unit__depth", "-since")
        .values_list("unit_id", "version_id")
    )
    version_of: dict[int, int | None] = {}
    for uid, u in units.items():
        chain = set(u.ancestor_ids())
        # Same rule as policy_version_for: the deepest binding, then the latest.
        version_of[uid] = next((v for b_unit, v in bindings if b_unit in chain), None)
    by_version: dict[int | None, tuple[Policy, str]] = {}
    out: dict[int, tuple[Policy, str]] = {}
    for uid, version in version_of.items():
        if version not in by_version:
            by_version[version] = policy_for(unit=units[uid], on=on)
        out[uid] = by_version[version]
    return out
