"""One annual assessment per worker and year, even when a street's campaign and its
communities' campaigns are created at the same moment (issue 20; STYLE 22)."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from shequ.assessment.models import Campaign
from shequ.assessment.services import (
    CAMPAIGN_EXISTS,
    CAMPAIGN_OVERLAPS,
    AssessmentError,
    campaign_create,
)
from tests.assessment.helpers import bind
from tests.concurrency import needs_postgres, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

YEARS = range(2021, 2031)
REQUESTS_PER_UNIT = 2


def _create(unit: Any, year: int, actor: Any) -> int:
    return campaign_create(unit=unit, year=year, actor=actor).unit_id


def test_campaigns_of_a_street_and_its_communities_created_together_never_overlap(world: Any) -> None:
    """For each year: either the street's campaign alone, or those of its office and two
    communities; every other request is refused in Chinese, none fails on a constraint."""
    needs_postgres()
    bind(world)
    street, children = world.street_a, [world.street_a_office, world.community_a1, world.community_a2]
    units = {u.pk: u for u in [street, *children]}
    outcomes = {
        year: run_together(
            [functools.partial(_create, u, year, world.city_admin) for u in units.values() for _ in range(REQUESTS_PER_UNIT)],
            refusals=(AssessmentError,),
        )
        for year in YEARS
    }
    overlapping = [y for y in YEARS if Campaign.objects.filter(year=y, unit=street).exists()
                   and Campaign.objects.filter(year=y, unit__in=children).exists()]
    assert overlapping == [], f"street and community campaigns both made in {len(overlapping)} of {len(YEARS)} years"
    for year, results in outcomes.items():
        assert [r for r in results if r[0] not in ("ok", "refused")] == [], year
        made = set(Campaign.objects.filter(year=year, unit__path__startswith=street.path).values_list("unit_id", flat=True))
        assert made in ({street.pk}, {c.pk for c in children}), year
        assert sorted(pk for kind, pk in results if kind == "ok") == sorted(made), year
        # The second request for a unit that won finds its campaign; every loser is told who covers it.
        allowed = {CAMPAIGN_EXISTS.format(unit=units[pk].name, year=year) for pk in made} | {
            CAMPAIGN_OVERLAPS.format(other=units[other].name, year=year, unit=units[loser].name)
            for loser in units if loser not in made for other in made
        }
        refused = [msg for kind, msg in results if kind == "refused"]
        assert set(refused) <= allowed, year
        assert len(refused) == len(results) - len(made), year
