"""C-PATH over a population: the list of workers the policy lets be promoted, with the
conditions each still misses. It must say exactly what the one-worker check says."""

from __future__ import annotations

from datetime import date

from shequ.growth.careers import services
from shequ.growth.careers.eligibility import promotion_candidates
from shequ.policy.selectors import policy_for
from shequ.workers.models import EventKind, WorkerEvent
from tests.factories import make_worker

ON = date(2025, 7, 1)


def _assessed(worker, year: int, tier: str, *, nested: bool = False) -> None:
    data = {"after": {"year": year, "tier": tier}} if nested else {"year": year, "tier": tier}
    WorkerEvent.objects.create(worker=worker, kind=EventKind.ASSESSMENT, effective=date(year, 12, 31),
                               unit=worker.unit, data=data)


def _population(world):
    a, b = world.community_a1, world.community_b1
    ok = make_worker(a, name="全满足", post="五岗", grade=4, education="大专", community_work_start=date(2018, 1, 1),
                     hired_on=date(2018, 1, 1))
    _assessed(ok, 2023, "合格", nested=True)
    _assessed(ok, 2024, "优秀")
    low = make_worker(a, name="学历不够", post="五岗", grade=2, education="高中", community_work_start=date(2023, 9, 1),
                      hired_on=date(2023, 9, 1))
    _assessed(low, 2024, "基本合格")
    moved = make_worker(b, name="新任五岗", post="五岗", grade=3, education="本科", community_work_start=date(2010, 1, 1),
                        hired_on=date(2010, 1, 1))
    WorkerEvent.objects.create(worker=moved, kind=EventKind.POST_CHANGE, effective=date(2023, 3, 1), unit=b,
                               data={"before": {"post": "四岗"}, "after": {"post": "五岗"}})
    _assessed(moved, 2023, "不合格")
    _assessed(moved, 2024, "称职")
    make_worker(a, name="四岗的人", post="四岗", grade=5)  # no rule from 四岗: not listed
    return ok, low, moved


def test_the_list_says_what_the_one_worker_check_says_c_path(world, five_posts):
    workers = _population(world)
    frame = promotion_candidates(user=world.city_admin, on=ON)
    got = {r["name"]: (r["to_post"], r["eligible"], r["unmet"]) for r in frame.iter_rows(named=True)}
    policy, _ = policy_for(unit=world.community_a1, on=ON)
    (rule,) = policy.params(ON).careers.promotions
    want = {}
    for w in workers:
        unmet = services.promotion_unmet(worker=w, rule=rule, on=ON, policy=policy)
        want[w.name] = ("四岗", not unmet, "；".join(unmet))
    assert got == want
    assert got["全满足"][1] is True and got["学历不够"][1] is False
    assert "任现岗位满 3 年（现 2 年）" in got["新任五岗"][2] and "2023年不称职、2024年称职" in got["新任五岗"][2]


def test_the_list_keeps_to_the_callers_street_c_path(world, five_posts):
    _population(world)
    assert promotion_candidates(user=world.street_b_hr, on=ON)["name"].to_list() == ["新任五岗"]
    assert sorted(promotion_candidates(user=world.street_a_hr, on=ON)["name"].to_list()) == ["全满足", "学历不够"]


def test_a_policy_without_promotion_rules_lists_nobody_c_path(world):
    make_worker(world.community_a1, name="包河助理", post="助理")
    assert promotion_candidates(user=world.city_admin, on=ON).height == 0
