"""ORG-1..3: the tree, its allowed shapes, and unit facts asked 'as of' a date."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.org.models import Unit
from shequ.org.selectors import unit_fact_on, unit_facts_frame, unit_subtree
from shequ.org.services import (
    BAD_CHILD_TYPE,
    URBAN_OVER_POPULATION,
    FactValues,
    OrgError,
    unit_create,
    unit_fact_set,
)

pytestmark = pytest.mark.django_db


def test_it_finds_a_subtree_by_its_path_prefix(world):
    names = set(unit_subtree(root=world.street_a).values_list("name", flat=True))
    assert names == {"槐阳街道", "槐阳街道机关", "迎宾社区", "槐阳北社区"}


def test_it_refuses_a_community_directly_under_a_district_ORG_2(world):
    with pytest.raises(OrgError) as err:
        unit_create(name="错社区", unit_type="城市社区", parent=world.district, actor=world.city_admin)
    assert str(err.value) == BAD_CHILD_TYPE.format(parent="甲区", parent_type="区县", child_type="城市社区")
    assert not Unit.objects.filter(name="错社区").exists()


def test_it_gives_a_grid_a_path_below_its_community_ORG_1(world):
    grid = unit_create(name="第一网格", unit_type="网格", parent=world.community_a1, actor=world.street_a_hr)
    assert grid.path.startswith(world.community_a1.path) and grid.depth == world.community_a1.depth + 1


def test_it_answers_facts_as_of_a_date_ORG_3(world):
    unit_fact_set(unit=world.community_a1, since=date(2025, 7, 1), actor=world.street_a_hr,
                  values=FactValues(households=4100, population=11000, urban_population=10900, unit_class="一类"))
    assert unit_fact_on(unit=world.community_a1, on=date(2025, 6, 30)).households == 3600
    assert unit_fact_on(unit=world.community_a1, on=date(2025, 7, 1)).households == 4100
    frame = unit_facts_frame(units=Unit.objects.filter(pk=world.community_a1.pk), on=date(2024, 1, 1))
    assert frame["households"].to_list() == [3600] and frame["unit_class"].to_list() == ["二类"]
    frame = unit_facts_frame(units=Unit.objects.filter(pk=world.community_a1.pk), on=date(2026, 1, 1))
    assert frame["households"].to_list() == [4100] and frame["unit_class"].to_list() == ["一类"]


def test_it_refuses_more_urban_residents_than_residents(world):
    with pytest.raises(OrgError) as err:
        unit_fact_set(unit=world.community_a1, since=date(2026, 1, 1), actor=world.street_a_hr,
                      values=FactValues(households=1, population=10, urban_population=11))
    assert str(err.value) == URBAN_OVER_POPULATION.format(urban=11, population=10)
