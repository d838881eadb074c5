"""Which policy governs each unit, resolved for many units at once (one query for the
bindings, one compile per distinct version) so population-wide checks stay bulk."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shequ.org.models import Unit
from shequ.policy.models import PolicyBinding
from shequ.policy.selectors import policy_for
from shequ.rules import Policy


def policies_for_units(*, units: Iterable[tuple[int, str]], on: date) -> dict[int, tuple[Policy, str]]:
    """units: (unit_id, path) pairs → {unit_id: (policy, version label)}.

    The rule is policy_for's: the binding of the deepest ancestor (or the unit itself)
    with the latest `since` on or before `on`; no binding → the default preset."""
    bindings: dict[int, list[PolicyBinding]] = {}
    for b in PolicyBinding.objects.filter(since__lte=on).select_related("unit").order_by("since"):
        bindings.setdefault(b.unit_id, []).append(b)
    governing: dict[int, int | None] = {}  # unit_id -> bound unit id (None = default)
    for unit_id, path in units:
        chosen = None
        for anc in reversed([int(p) for p in path.strip("/").split("/") if p]):
            if anc in bindings:
                chosen = anc
                break
        governing[unit_id] = chosen
    resolved: dict[int | None, tuple[Policy, str]] = {}
    for bound in set(governing.values()):
        if bound is None:
            any_unit = next(u for u, g in governing.items() if g is None)
            resolved[None] = policy_for(unit=Unit.objects.get(pk=any_unit), on=on)
        else:
            resolved[bound] = policy_for(unit=bindings[bound][-1].unit, on=on)
    return {unit_id: resolved[bound] for unit_id, bound in governing.items()}
