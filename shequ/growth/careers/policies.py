"""Which policy governs each of many units, resolved with one query (the careers lists
cover whole streets and districts; one policy lookup per unit would not scale)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shequ.org.models import Unit
from shequ.policy.models import PolicyBinding
from shequ.policy.selectors import policy_for
from shequ.rules import Policy


def policies_for_units(units: Iterable[Unit], on: date) -> dict[int, tuple[Policy, str]]:
    """unit id → (compiled policy, version label), the nearest binding on the unit or an
    ancestor in force on `on` (the same rule as shequ.policy.selectors.policy_for)."""
    units = list(units)
    ancestor_ids = {a for u in units for a in u.ancestor_ids()}
    bindings = list(
        PolicyBinding.objects.filter(unit_id__in=ancestor_ids, since__lte=on)
        .select_related("unit").order_by("-unit__depth", "-since").values_list("unit_id", "version_id")
    )
    chosen: dict[int, int | None] = {}
    for u in units:
        mine = set(u.ancestor_ids())
        chosen[u.pk] = next((v for unit_id, v in bindings if unit_id in mine), None)
    compiled: dict[int | None, tuple[Policy, str]] = {}
    out: dict[int, tuple[Policy, str]] = {}
    for u in units:
        key = chosen[u.pk]
        if key not in compiled:
            compiled[key] = policy_for(unit=u, on=on)
        out[u.pk] = compiled[key]
    return out
