"""C-RETIRE: retirement age by sex and post from the policy; who retires in the next 12
months, computed in one pass."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.growth.careers import selectors, services
from shequ.policy.services import policy_bind, policy_version_from_preset
from tests.factories import make_worker

ON = date(2025, 7, 1)


def test_female_heads_retire_at_55_others_at_50_c_retire(world, five_posts):
    head = make_worker(world.community_a1, name="女书记", sex="女", post="一岗", birth_date=date(1970, 9, 1))
    staff = make_worker(world.community_a1, name="女干事", sex="女", post="五岗", birth_date=date(1975, 9, 1))
    man = make_worker(world.community_a1, name="男主任", sex="男", post="二岗", birth_date=date(1965, 12, 31))
    young = make_worker(world.community_a1, name="年轻人", sex="女", post="一岗", birth_date=date(1971, 7, 2))
    due = selectors.retirements_due(user=world.city_admin, on=ON)
    rows = {r["name"]: r for r in due.iter_rows(named=True)}
    assert rows["女书记"]["retire_age"] == 55 and rows["女书记"]["retire_on"] == date(2025, 9, 1)
    assert rows["女干事"]["retire_age"] == 50 and rows["女干事"]["retire_on"] == date(2025, 9, 1)
    assert rows["男主任"]["retire_age"] == 60 and rows["男主任"]["retire_on"] == date(2025, 12, 31)
    assert "年轻人" not in rows  # 55 on 2026-07-02: one day past the 12 months
    assert rows["女书记"]["age_now"] == 54
    assert {head.pk, staff.pk, man.pk} <= set(due["worker_id"].to_list()) and young.pk not in due["worker_id"].to_list()


def test_the_shipped_dalian_preset_lets_female_heads_work_to_55_c_retire(world):
    version = policy_version_from_preset(preset="dalian", actor=world.city_admin)
    policy_bind(unit=world.street_b, version=version, since=date(2021, 1, 1), actor=world.city_admin)
    make_worker(world.community_b1, name="大连女主任", sex="女", post="一档", birth_date=date(1971, 3, 1))
    make_worker(world.community_b1, name="大连女社工", sex="女", post="三档", birth_date=date(1975, 10, 1))
    due = {r["name"]: r for r in selectors.retirements_due(user=world.city_admin, on=ON).iter_rows(named=True)}
    assert due["大连女主任"]["retire_on"] == date(2026, 3, 1)
    assert due["大连女社工"]["retire_on"] == date(2025, 10, 1)


def test_someone_already_past_the_age_and_still_working_is_listed_c_retire(world, five_posts):
    make_worker(world.community_a1, name="超龄", sex="男", post="四岗", birth_date=date(1964, 1, 1))
    due = selectors.retirements_due(user=world.city_admin, on=ON)
    assert due.filter(due["name"] == "超龄")["retire_on"][0] == date(2024, 1, 1)


def test_the_list_stays_within_the_callers_street_c_retire(world, five_posts):
    make_worker(world.community_a1, name="甲街退休", sex="女", post="五岗", birth_date=date(1975, 9, 1))
    make_worker(world.community_b1, name="乙街退休", sex="女", post="五岗", birth_date=date(1975, 9, 1))
    assert selectors.retirements_due(user=world.street_b_hr, on=ON)["name"].to_list() == ["乙街退休"]
    assert selectors.retirements_due(user=world.street_a_hr, on=ON)["name"].to_list() == ["甲街退休"]


def test_retirement_before_the_policy_age_is_refused_c_retire(world, five_posts):
    w = make_worker(world.community_a1, name="女书记", sex="女", post="一岗", birth_date=date(1971, 9, 1))
    with pytest.raises(services.CareersError) as err:
        services.career_exit(worker=w, reason="退休", on=ON, actor=world.street_a_hr)
    assert str(err.value) == services.RETIRE_TOO_EARLY.format(name="女书记", on=ON, age=53, need=55, sex="女", post="一岗")
    w.refresh_from_db()
    assert w.status == "active"


def test_an_empty_scope_gives_an_empty_list_c_retire(world, five_posts):
    assert selectors.retirements_due(user=world.street_b_hr, on=ON).height == 0
