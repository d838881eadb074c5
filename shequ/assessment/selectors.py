"""Reads of the annual assessment, always within the caller's subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from django.db.models import Q, QuerySet

from shequ.assessment.models import Breach, Campaign, Consequence, ConsequenceStatus, Result
from shequ.common.bulk import frame_from_queryset
from shequ.common.scope import get_in_scope_or_404, scoped
from shequ.org.models import STREET_TYPES, Unit

RESULTS_SCHEMA = {"worker_id": pl.Int64, "tier": pl.Utf8}

if TYPE_CHECKING:
    from shequ.accounts.models import User


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    """Campaigns whose scope lies in the user's subtree."""
    return scoped(Campaign.objects.select_related("unit"), user)


def campaign_get(*, user: User, pk: int) -> Campaign:
    """Out of scope looks like missing (404)."""
    return get_in_scope_or_404(Campaign.objects.select_related("unit"), user, pk=pk)


def campaign_units(*, user: User) -> QuerySet[Unit]:
    """Units a campaign may be run for: the user's own unit and streets/districts below it."""
    qs = scoped(Unit.objects.all(), user, unit_field="")
    own = getattr(user, "unit_id", None)
    return qs.filter(Q(pk=own) | Q(unit_type__in=[*STREET_TYPES, "区县", "市"])).order_by("path")


def breach_list(*, campaign: Campaign) -> QuerySet[Breach]:
    return Breach.objects.filter(campaign=campaign).select_related("worker", "unit", "recorded_by")


def consequence_list(*, campaign: Campaign, action: str = "") -> QuerySet[Consequence]:
    qs = Consequence.objects.filter(campaign=campaign).select_related("worker", "unit", "second_by")
    return qs.filter(action=action) if action else qs


def proposed_dismissals(*, campaign: Campaign) -> QuerySet[Consequence]:
    return consequence_list(campaign=campaign, action="解聘").filter(status=ConsequenceStatus.PROPOSED)


def results_frame(*, scope: Unit, year: int) -> pl.DataFrame:
    """worker_id → tier: the assessment result (A-FILE) of `year` of every worker assessed
    in `scope`'s subtree or now in it, in bulk (pay reads the year before as `last_tier`)."""
    from shequ.workers.models import Worker

    units = Unit.objects.filter(path__startswith=scope.path).values("id")
    qs = (
        Result.objects.filter(year=year)
        .filter(Q(unit_id__in=units) | Q(worker_id__in=Worker.objects.filter(unit_id__in=units).values("id")))
        .order_by()
        .values_list("worker_id", "tier")
    )
    return frame_from_queryset(qs, RESULTS_SCHEMA)


def consequences_in_scope(*, user: User) -> QuerySet[Consequence]:
    """Consequences of workers in the user's subtree, whichever campaign decided them."""
    return scoped(Consequence.objects.select_related("campaign", "worker", "unit"), user)


def worker_results(*, worker_id: int) -> QuerySet[Result]:
    """A worker's final tier of every year (A-FILE), oldest first; the caller has already
    found the worker in its scope."""
    return Result.objects.filter(worker_id=worker_id).select_related("unit").order_by("year")
