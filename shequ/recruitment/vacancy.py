"""Vacancies per unit (vacancy = quota − filled), the bound of every hire and conversion.

The quota ledger (app `quota`) stores approved quotas; until its selector is on main this
computes the quota through the engine (`shequ.rules.quota`) on the unit facts in force,
with each unit's own policy. Filled = workers who have not left, not counting dispatch
workers (劳务派遣): they are employed through an agency and hold no quota place, which is
why converting one (E-DISP) must fit within quota.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from shequ.org.models import Unit
from shequ.org.selectors import unit_facts_frame
from shequ.policy.selectors import policy_for
from shequ.rules import Policy
from shequ.rules import quota as engine_quota
from shequ.workers.models import Category, Status, Worker


@dataclass(frozen=True)
class Vacancy:
    unit_id: int
    quota: int | None  # None: the policy's quota rule does not cover this unit type
    filled: int

    @property
    def vacant(self) -> int:
        return max(0, (self.quota or 0) - self.filled)


def filled_counts(unit_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Worker.objects.filter(unit_id__in=list(unit_ids))
        .exclude(status=Status.LEFT)
        .exclude(category=Category.DISPATCH)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )


def vacancies(*, units: Iterable[Unit], on: date) -> dict[int, Vacancy]:
    """One engine call per policy governing the units (usually one)."""
    units = list(units)
    by_policy: dict[str, tuple[Policy, list[int]]] = {}
    for u in units:
        policy, label = policy_for(unit=u, on=on)
        by_policy.setdefault(label, (policy, []))[1].append(u.pk)
    quotas: dict[int, int | None] = {}
    for policy, ids in by_policy.values():
        frame = unit_facts_frame(units=Unit.objects.filter(pk__in=ids), on=on)
        out = engine_quota(policy, frame, on)
        quotas.update(dict(zip(out["unit_id"].to_list(), out["quota"].to_list(), strict=True)))
    filled = filled_counts(quotas)
    return {uid: Vacancy(unit_id=uid, quota=q, filled=filled.get(uid, 0)) for uid, q in quotas.items()}


def vacancy_of(*, unit: Unit, on: date) -> Vacancy:
    return vacancies(units=[unit], on=on)[unit.pk]
