"""ORG-4: grids of 300–500 households (from the policy), each with a grid party
organisation and the worker in charge."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.scope import ScopeError
from shequ.growth.careers import selectors, services
from shequ.growth.careers.models import GridInfo
from shequ.org.models import Unit

ON = date(2025, 7, 1)


def _grid(world, households: int, *, actor=None, community=None, leader=None, name="第一网格", party_org="第一网格党支部"):
    return services.grid_create(community=community or world.community_a1, name=name, households=households,
                                party_org=party_org, leader=leader, on=ON, actor=actor or world.street_a_hr)


def test_a_grid_of_420_households_is_created_with_its_party_org_and_leader_org_4(world):
    info = _grid(world, 420, leader=world.worker_a1)
    assert info.unit.unit_type == "网格" and info.unit.parent == world.community_a1
    (row,) = selectors.grid_rows(user=world.street_a_hr, on=ON)
    assert (row.households, row.party_org, row.leader_id, row.in_standard) == (420, "第一网格党支部", world.worker_a1.pk, True)


@pytest.mark.parametrize("households", [299, 501])
def test_a_grid_outside_300_to_500_households_is_refused_and_nothing_is_created_org_4(world, households):
    with pytest.raises(services.CareersError) as err:
        _grid(world, households)
    assert str(err.value).startswith(f"网格户数 {households} 户不在 300—500 户的标准内")
    assert not Unit.objects.filter(unit_type="网格").exists() and not GridInfo.objects.exists()


@pytest.mark.parametrize("households", [300, 500])
def test_the_bounds_are_inside_the_standard_org_4(world, households):
    _grid(world, households)


def test_a_policy_may_set_its_own_range_org_4(world, five_posts):
    from shequ.policy.services import policy_bind, policy_version_store
    from tests.growth_careers.conftest import FIVE_POSTS

    text = FIVE_POSTS.replace('id = "careers-test"', 'id = "big-grids"').replace("households_max = 500", "households_max = 800")
    policy_bind(unit=world.street_a, version=policy_version_store(text=text, actor=world.city_admin),
                since=date(2020, 1, 1), actor=world.city_admin)
    _grid(world, 700)
    with pytest.raises(services.CareersError):
        _grid(world, 700, community=world.community_b1, actor=world.street_b_hr)


def test_every_grid_has_a_party_organisation_org_4(world):
    with pytest.raises(services.CareersError) as err:
        _grid(world, 400, party_org=" ")
    assert str(err.value) == services.GRID_PARTY_ORG_REQUIRED


def test_the_worker_in_charge_works_in_that_community_org_4(world):
    with pytest.raises(services.CareersError) as err:
        _grid(world, 400, leader=world.worker_b1)
    assert str(err.value) == services.GRID_LEADER_ELSEWHERE.format(name="宋大哥", community="迎宾社区")


def test_grids_hang_under_communities_only_org_4(world):
    with pytest.raises(services.CareersError) as err:
        _grid(world, 400, community=world.street_a_office)
    assert str(err.value) == services.GRID_PARENT_NOT_COMMUNITY.format(unit="槐阳街道机关", unit_type="街道机关")


def test_an_update_checks_the_range_again_org_4(world):
    info = _grid(world, 400)
    with pytest.raises(services.CareersError):
        services.grid_update(grid=info.unit, households=650, party_org="p", leader=None, on=date(2025, 8, 1), actor=world.street_a_hr)
    services.grid_update(grid=info.unit, households=480, party_org="新党支部", leader=world.worker_a1,
                         on=date(2025, 8, 1), actor=world.street_a_hr)
    (row,) = selectors.grid_rows(user=world.city_admin, on=date(2025, 8, 1))
    assert (row.households, row.party_org) == (480, "新党支部")
    (row,) = selectors.grid_rows(user=world.city_admin, on=ON)
    assert row.households == 400  # dated facts: the old size on the old date


def test_it_refuses_a_street_admin_from_another_street_org_4(world):
    with pytest.raises(ScopeError):
        _grid(world, 400, actor=world.street_b_hr)
    info = _grid(world, 400)
    with pytest.raises(ScopeError):
        services.grid_update(grid=info.unit, households=400, party_org="p", leader=None, on=ON, actor=world.street_b_hr)
    assert selectors.grid_rows(user=world.street_b_hr, on=ON) == []
