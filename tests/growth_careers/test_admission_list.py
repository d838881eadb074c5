"""ORG-5: the community affairs admission list (社区工作准入清单). A street proposes an item,
the bureau (growth.approve) approves it; only approved items may be pushed down."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.scope import ScopeError
from shequ.errors import Forbidden
from shequ.growth.careers import selectors, services
from shequ.growth.careers.models import AdmissionItem
from tests.factories import make_user

ON = date(2025, 7, 1)


def _propose(world, *, actor=None, unit=None, title="居民养老保险参保登记"):
    return services.admission_item_propose(unit=unit or world.street_a, title=title, category="社会保障",
                                           department="区人社局", basis="区政府文件", actor=actor or world.street_a_hr)


def test_a_proposed_item_is_not_in_force_until_the_bureau_approves_it_org_5(world):
    item = _propose(world)
    assert list(selectors.admission_list_for(unit=world.community_a1, on=ON)) == []
    services.admission_item_decide(item=item, approve=True, actor=world.city_admin, effective=date(2025, 6, 1))
    assert [i.title for i in selectors.admission_list_for(unit=world.community_a1, on=ON)] == ["居民养老保险参保登记"]
    # A street's own item governs only its communities.
    assert list(selectors.admission_list_for(unit=world.community_b1, on=ON)) == []


def test_a_street_cannot_approve_org_5(world):
    item = _propose(world)
    with pytest.raises(Forbidden) as err:
        services.admission_item_decide(item=item, approve=True, actor=world.street_a_hr)
    assert str(err.value) == "您的角色无权进行此操作"
    item.refresh_from_db()
    assert item.status == "proposed"


def test_the_bureau_cannot_approve_its_own_proposal_org_5(world):
    item = _propose(world, actor=world.city_admin, unit=world.city)
    with pytest.raises(services.CareersError) as err:
        services.admission_item_decide(item=item, approve=True, actor=world.city_admin)
    assert str(err.value) == services.ADMISSION_SELF_APPROVAL
    other = make_user("city_admin_2", "bureau_admin", world.city)
    services.admission_item_decide(item=item, approve=True, actor=other)
    # The city's list governs every community below it.
    assert selectors.admission_list_for(unit=world.community_b1, on=date.today()).count() == 1


def test_a_rejected_item_stays_out_and_may_be_proposed_again_org_5(world):
    item = _propose(world)
    services.admission_item_decide(item=item, approve=False, actor=world.city_admin, note="应由部门自行承担")
    item.refresh_from_db()
    assert item.status == "rejected" and item.effective is None
    with pytest.raises(services.CareersError) as err:
        services.admission_item_decide(item=item, approve=True, actor=world.city_admin)
    assert str(err.value) == services.ADMISSION_NOT_PROPOSED.format(title="居民养老保险参保登记")
    _propose(world)  # a new proposal is allowed


def test_the_same_item_cannot_be_listed_twice_org_5(world):
    _propose(world)
    with pytest.raises(services.CareersError) as err:
        _propose(world)
    assert str(err.value) == services.ADMISSION_DUPLICATE.format(unit="槐阳街道", title="居民养老保险参保登记")
    assert AdmissionItem.objects.count() == 1


def test_the_bureau_removes_an_item_from_a_date_org_5(world):
    item = _propose(world)
    services.admission_item_decide(item=item, approve=True, actor=world.city_admin, effective=date(2025, 1, 1))
    services.admission_item_remove(item=item, on=date(2025, 6, 1), actor=world.city_admin, note="减负")
    assert selectors.admission_list_for(unit=world.community_a1, on=date(2025, 5, 31)).count() == 1
    assert selectors.admission_list_for(unit=world.community_a1, on=date(2025, 6, 1)).count() == 0


def test_items_need_a_title_and_category_and_sit_at_street_level_or_above_org_5(world):
    with pytest.raises(services.CareersError) as err:
        services.admission_item_propose(unit=world.street_a, title=" ", category="x", actor=world.street_a_hr)
    assert str(err.value) == services.ADMISSION_TITLE_REQUIRED
    with pytest.raises(services.CareersError) as err:
        services.admission_item_propose(unit=world.street_a, title="x", category="", actor=world.street_a_hr)
    assert str(err.value) == services.ADMISSION_CATEGORY_REQUIRED
    with pytest.raises(services.CareersError) as err:
        services.admission_item_propose(unit=world.community_a1, title="x", category="y", actor=world.street_a_hr)
    assert str(err.value) == services.ADMISSION_UNIT_TOO_LOW.format(unit="迎宾社区", unit_type="城市社区")


def test_a_secretary_cannot_propose_org_5(world):
    with pytest.raises(Forbidden):
        _propose(world, actor=world.secretary_a1, unit=world.street_a)


def test_it_refuses_a_street_admin_from_another_street_org_5(world):
    with pytest.raises(ScopeError):
        _propose(world, actor=world.street_b_hr, unit=world.street_a)
    item = _propose(world)
    assert selectors.admission_items(user=world.street_b_hr).count() == 0
    district_item = _propose(world, actor=world.city_admin, unit=world.district, title="区级事项")
    services.admission_item_decide(item=district_item, approve=True, actor=make_user("c2", "bureau_admin", world.city))
    # Street B sees the district's approved list, never street A's proposal.
    assert [i.title for i in selectors.admission_items(user=world.street_b_hr)] == ["区级事项"]
    assert item.pk in selectors.admission_items(user=world.street_a_hr).values_list("pk", flat=True)
