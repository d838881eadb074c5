"""Q-RESV: reserve secretary candidates per community, the policy minimum, shortfall, and
the pool's age and education shares as Tongren reports them."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.scope import ScopeError
from shequ.growth.careers import selectors, services
from shequ.growth.careers.models import ReserveCandidate
from shequ.org.models import Unit
from tests.factories import id_number, make_worker

ON = date(2025, 6, 30)


def _add(world, community, *, birth=date(1985, 1, 1), education="本科", actor=None, **kw):
    return services.reserve_add(
        data=services.ReserveData(community=community, added_on=date(2025, 1, 1), name=kw.pop("name", "候选人"),
                                  id_number=id_number(birth), education=education, source="退役军人", **kw),
        actor=actor or world.city_admin,
    )


def test_reserve_counts_per_community_for_the_quota_ledger_q_resv(world, five_posts):
    _add(world, world.community_a1)
    _add(world, world.community_a1)
    _add(world, world.community_b1)
    _add(world, world.community_a2, kind="committee")  # other 两委 reserves are not secretary reserves
    counts = selectors.reserve_counts(units=Unit.objects.all())
    assert counts == {world.community_a1.pk: 2, world.community_b1.pk: 1}


def test_the_shortfall_list_uses_the_policy_minimum_q_resv(world, five_posts):
    _add(world, world.community_a1)
    _add(world, world.community_a1)
    _add(world, world.community_b1)
    rows = selectors.reserve_shortfall(user=world.city_admin, on=ON)
    assert [(r.unit_name, r.count, r.minimum, r.shortfall) for r in rows] == [
        ("槐阳北社区", 0, 2, 2), ("东门社区", 1, 2, 1),
    ]


def test_tongren_keeps_both_bounds_of_one_to_two_reserves_a_minimum_and_a_target_q_resv(world):
    """Q-RESV "不少于 1—2 人": below 1 is a shortfall, 1 meets the minimum yet is 1 short of the target 2."""
    from shequ.policy.services import policy_bind, policy_version_from_preset
    from shequ.rules import load_policy

    policy = load_policy("tongren")
    resv = policy.params(ON).reserve
    assert (resv.min_per_community, resv.target_per_community) == (1, 2)
    assert policy.entry("reserve", "target_per_community", ON).source == "004"
    version = policy_version_from_preset(preset="tongren", actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2020, 1, 1), actor=world.city_admin)
    _add(world, world.community_a1)
    _add(world, world.community_a1)
    _add(world, world.community_b1)
    rows = {r.unit_name: r for r in selectors.reserve_by_community(user=world.city_admin, on=ON)}
    assert (rows["迎宾社区"].shortfall, rows["迎宾社区"].to_target) == (0, 0)
    assert (rows["东门社区"].shortfall, rows["东门社区"].to_target) == (0, 1)
    assert (rows["槐阳北社区"].shortfall, rows["槐阳北社区"].to_target) == (1, 2)


def test_a_target_below_the_minimum_is_refused_q_resv():
    from shequ.rules import PolicyError, load_policy_text

    text = ('[policy]\nid = "x"\nname = "x"\nsource = "x"\nversion = "1"\nextends = "tongren"\nsince = 2024-01-01\n\n'
            '[reserve]\nsource = "x"\nmin_per_community = 3\ntarget_per_community = 2\n')
    with pytest.raises(PolicyError, match="后备人选范围不合法：下限 3 高于目标 2"):
        load_policy_text(text)


def test_a_community_without_a_reserve_minimum_in_its_policy_has_no_shortfall_q_resv(world):
    # The default preset (baohe) sets no reserve minimum.
    assert selectors.reserve_shortfall(user=world.city_admin, on=ON) == []


def test_age_and_education_shares_count_45_and_dazhuan_q_resv(world, five_posts):
    _add(world, world.community_a1, birth=date(1980, 6, 30), education="大专")  # exactly 45 on ON
    _add(world, world.community_a1, birth=date(1980, 6, 29), education="高中")  # 45 and a day: still 45
    _add(world, world.community_a1, birth=date(1979, 6, 30), education="本科")  # 46
    _add(world, world.community_b1, birth=date(1995, 1, 1), education="中专")
    s = selectors.reserve_stats(user=world.city_admin, on=ON)
    assert (s.total, s.young, s.educated) == (4, 3, 2)
    assert s.young_share == 0.75 and s.educated_share == 0.5


def test_a_roster_worker_brings_their_own_facts_q_resv(world, five_posts):
    c = services.reserve_add(
        data=services.ReserveData(community=world.community_a1, added_on=ON, worker=world.worker_a1),
        actor=world.street_a_hr,
    )
    assert (c.name, c.education, c.id_number) == ("刘少萌", world.worker_a1.education, world.worker_a1.id_number)


def test_the_same_person_is_listed_once_per_community_and_kind_q_resv(world, five_posts):
    services.reserve_add(data=services.ReserveData(community=world.community_a1, added_on=ON, worker=world.worker_a1),
                         actor=world.street_a_hr)
    with pytest.raises(services.CareersError) as err:
        services.reserve_add(data=services.ReserveData(community=world.community_a1, added_on=ON, worker=world.worker_a1),
                             actor=world.street_a_hr)
    assert str(err.value) == services.RESERVE_DUPLICATE.format(
        name="刘少萌", id_number=world.worker_a1.id_number, unit="迎宾社区", kind="书记后备人选")


def test_only_communities_hold_reserves_q_resv(world, five_posts):
    with pytest.raises(services.CareersError) as err:
        _add(world, world.street_a_office)
    assert str(err.value) == services.NOT_A_COMMUNITY.format(unit="槐阳街道机关")
    assert ReserveCandidate.objects.count() == 0


def test_a_removed_candidate_no_longer_counts_q_resv(world, five_posts):
    c = _add(world, world.community_b1)
    services.reserve_remove(candidate=c, on=date(2025, 3, 1), reason="已当选书记", actor=world.street_b_hr)
    assert selectors.reserve_counts(units=Unit.objects.all(), on=ON) == {}
    assert selectors.reserve_counts(units=Unit.objects.all(), on=date(2025, 2, 1)) == {world.community_b1.pk: 1}


def test_it_refuses_a_street_admin_from_another_street_q_resv(world, five_posts):
    with pytest.raises(ScopeError):
        _add(world, world.community_a1, actor=world.street_b_hr)
    c = _add(world, world.community_a1)
    with pytest.raises(ScopeError):
        services.reserve_remove(candidate=c, on=ON, reason="x", actor=world.street_b_hr)
    assert selectors.reserve_list(user=world.street_b_hr, on=ON).count() == 0
    assert [r.unit_name for r in selectors.reserve_by_community(user=world.street_b_hr, on=ON)] == ["东门社区"]


def test_a_worker_who_left_cannot_be_a_reserve_q_resv(world, five_posts):
    w = make_worker(world.community_a1, name="离职者", status="left", left_on=date(2024, 1, 1))
    with pytest.raises(services.CareersError) as err:
        services.reserve_add(data=services.ReserveData(community=world.community_a1, added_on=ON, worker=w),
                             actor=world.street_a_hr)
    assert str(err.value) == services.RESERVE_WORKER_LEFT.format(name="离职者")


def test_a_pool_like_tongrens_reports_94_52_and_87_40_percent_q_resv(world, five_posts):
    """Tongren (004): 365 secretary reserves, 94.52% aged 45 or under, 87.4% 大专 or above.
    A pool of 365 with 345 aged ≤ 45 and 319 with 大专+ gives the same shares."""
    rows = []
    for i in range(365):
        birth = date(1985, 1, 1) if i < 345 else date(1975, 1, 1)
        education = "本科" if i < 319 else "高中"
        rows.append(ReserveCandidate(community=world.community_a1 if i % 2 else world.community_b1, name=f"人{i}",
                                     id_number=f"X{i:017d}", sex="女", birth_date=birth,
                                     education=education, added_on=date(2024, 1, 1)))
    ReserveCandidate.objects.bulk_create(rows)
    s = selectors.reserve_stats(user=world.city_admin, on=ON)
    assert (s.total, s.young_pct, s.educated_pct) == (365, "94.52%", "87.40%")


def test_a_reserve_worker_who_leaves_stops_counting_from_that_day_q_resv(world, five_posts):
    services.reserve_add(data=services.ReserveData(community=world.community_a1, added_on=date(2025, 1, 1),
                                                   worker=world.worker_a1), actor=world.street_a_hr)
    services.career_exit(worker=world.worker_a1, reason="辞职", on=date(2025, 5, 1), actor=world.street_a_hr)
    assert selectors.reserve_counts(units=Unit.objects.all(), on=date(2025, 4, 30)) == {world.community_a1.pk: 1}
    assert selectors.reserve_counts(units=Unit.objects.all(), on=date(2025, 5, 1)) == {}
    assert selectors.reserve_counts(units=Unit.objects.all()) == {}
    assert selectors.reserve_stats(user=world.city_admin, on=ON).total == 0
