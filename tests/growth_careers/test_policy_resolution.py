"""The careers lists resolve the policy of many units at once; it must agree with
policy_for (nearest binding in force, the latest on the same node) for every unit."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.org.models import Unit
from shequ.policy.selectors import policies_for_units, policy_for
from shequ.policy.services import policy_bind, policy_version_from_preset


@pytest.mark.parametrize("on", [date(2019, 6, 1), date(2021, 6, 1), date(2023, 6, 1)])
def test_bulk_resolution_agrees_with_policy_for_on_every_unit(world, on):
    tongren = policy_version_from_preset(preset="tongren", actor=world.city_admin)
    dalian = policy_version_from_preset(preset="dalian", actor=world.city_admin)
    policy_bind(unit=world.city, version=tongren, since=date(2020, 1, 1), actor=world.city_admin)
    policy_bind(unit=world.street_b, version=dalian, since=date(2021, 1, 1), actor=world.city_admin)
    policy_bind(unit=world.street_b, version=tongren, since=date(2022, 1, 1), actor=world.city_admin)
    units = list(Unit.objects.all())
    bulk = policies_for_units(units, on)
    assert {u.pk: bulk[u.pk][1] for u in units} == {u.pk: policy_for(unit=u, on=on)[1] for u in units}
    assert len({label for _, label in bulk.values()}) >= 1
