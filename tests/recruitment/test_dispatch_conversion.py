"""E-DISP: dispatch workers with enough years at the street convert within quota, at most
the policy's share of the unit's dispatch workers a year. E-TWO: nobody outside community
work, nobody below the standard."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from shequ.assessment.models import Result
from shequ.policy.selectors import policy_for
from shequ.recruitment.conversion import (
    BELOW_STANDARD,
    NO_DISPATCH_RULE,
    NO_VACANCY,
    NOT_COMMUNITY_WORK,
    NOT_DISPATCH,
    SHARE_EXCEEDED,
    TIER_REFUSED,
    TOO_FEW_YEARS,
    ConversionError,
    dispatch_check,
    dispatch_convert,
)
from shequ.rules import entry, place
from shequ.rules.entry import NO_CONVERSION, TIER_TOO_LOW
from shequ.workers.models import EventKind
from tests.factories import make_worker
from tests.recruitment.helpers import counts, fill_unit

ON = date(2026, 3, 1)


def _dispatch(unit, name="派遣", tier="优秀", **kw):
    """A dispatch worker rated `tier` in the last completed assessment year (2025)."""
    fields = {"category": "劳务派遣", "hired_on": date(2020, 3, 1), "community_work_start": date(2020, 3, 1), "post": "助理"}
    fields.update(kw)
    worker = make_worker(unit, name=name, **fields)
    if tier:
        Result.objects.create(worker=worker, year=ON.year - 1, tier=tier, unit=unit)
    return worker


def _ten(world):
    return [_dispatch(world.community_a1, name=f"派遣{i}") for i in range(10)]


def test_an_eligible_dispatch_worker_converts_with_a_conversion_and_a_placement_event_e_disp(world, policy_label):
    w = _ten(world)[0]
    assert dispatch_check(worker=w, on=ON).eligible
    dispatch_convert(worker=w, effective=ON, actor=world.street_a_hr)
    w.refresh_from_db()
    assert w.category == "专职社区工作者"
    conv = w.events.get(kind=EventKind.CONVERSION)
    assert conv.data == {"before": {"category": "劳务派遣"}, "after": {"category": "专职社区工作者"}}
    assert conv.policy_version == policy_label
    policy, _ = policy_for(unit=w.unit, on=ON)
    expected = place(policy, pl.DataFrame({"post": ["助理"], "education": ["本科"], "community_work_start": [date(2020, 3, 1)],
                                           "certificate": ["无"]}), ON)["grade"][0]
    assert w.grade == expected
    assert w.events.get(kind=EventKind.PLACEMENT).data["after"] == {"grade": expected}


def test_fewer_years_at_the_street_than_the_policy_asks_are_refused_e_disp(world, policy_label):
    _ten(world)
    w = _dispatch(world.community_a1, name="新派遣", hired_on=date(2024, 6, 1))
    assert dispatch_check(worker=w, on=ON).reasons == [TOO_FEW_YEARS.format(name="新派遣", reason=NO_CONVERSION.format(years="3"), years=1)]
    before = counts()
    with pytest.raises(ConversionError) as err:
        dispatch_convert(worker=w, effective=ON, actor=world.street_a_hr)
    assert str(err.value) == TOO_FEW_YEARS.format(name="新派遣", reason=NO_CONVERSION.format(years="3"), years=1)
    assert counts() == before


def test_the_years_come_from_the_policy_e_disp(world, bind_policy):
    bind_policy(min_years=1)
    _ten(world)
    w = _dispatch(world.community_a1, name="新派遣", hired_on=date(2024, 6, 1))
    assert dispatch_check(worker=w, on=ON).eligible


def test_at_most_the_policy_share_of_the_units_dispatch_workers_convert_a_year_e_disp(world, policy_label):
    ten = _ten(world)
    dispatch_convert(worker=ten[0], effective=ON, actor=world.street_a_hr)
    check = dispatch_check(worker=ten[1], on=ON)
    assert check.reasons == [SHARE_EXCEEDED.format(street="槐阳街道", used=1, base=10, share="10%", cap=1)]
    # A new year counts afresh: with ten dispatch workers again, one more may convert.
    _dispatch(world.community_a1, name="派遣新")
    Result.objects.create(worker=ten[1], year=2026, tier="优秀", unit=world.community_a1)
    assert dispatch_check(worker=ten[1], on=date(2027, 1, 5)).eligible


def test_a_unit_with_too_few_dispatch_workers_converts_nobody_e_disp(world, policy_label):
    w = _dispatch(world.community_a1)
    assert dispatch_check(worker=w, on=ON).reasons == [SHARE_EXCEEDED.format(street="槐阳街道", used=0, base=1, share="10%", cap=0)]


def test_only_a_worker_rated_excellent_last_year_may_convert_e_disp(world, policy_label):
    """E-DISP "优秀劳务派遣人员": the required result is policy data (min_tier = 优秀 for one year)."""
    _ten(world)
    fair = _dispatch(world.community_a1, name="称职派遣", tier="称职")
    unrated = _dispatch(world.community_a1, name="未考核派遣", tier="")
    reason = TIER_TOO_LOW.format(years=1, tier="优秀")
    assert dispatch_check(worker=fair, on=ON).reasons == [TIER_REFUSED.format(name="称职派遣", reason=reason, results="2025 年称职")]
    assert dispatch_check(worker=unrated, on=ON).reasons == [
        TIER_REFUSED.format(name="未考核派遣", reason=reason, results="2025 年无考核结果")]
    before = counts()
    with pytest.raises(ConversionError):
        dispatch_convert(worker=fair, effective=ON, actor=world.street_a_hr)
    assert counts() == before


def test_the_required_result_and_its_years_come_from_the_policy_e_disp(world, bind_policy):
    bind_policy(min_tier="称职")
    _ten(world)
    assert dispatch_check(worker=_dispatch(world.community_a1, name="称职派遣", tier="称职"), on=ON).eligible
    assert not dispatch_check(worker=_dispatch(world.community_a1, name="基本称职派遣", tier="基本称职"), on=ON).eligible


@pytest.mark.parametrize("rounding,workers,cap", [("down", 9, 0), ("nearest", 4, 0), ("nearest", 5, 1), ("up", 1, 1),
                                                  ("up", 11, 2), ("down", 19, 1)])
def test_the_rounding_of_the_share_cap_is_policy_data_e_disp(world, bind_policy, rounding, workers, cap):
    """E-DISP "原则上 10% 以内": how 10% of a small unit rounds is the policy's cap_rounding."""
    bind_policy(cap_rounding=rounding)
    people = [_dispatch(world.community_a1, name=f"派遣{i}") for i in range(workers)]
    check = dispatch_check(worker=people[0], on=ON)
    if cap:
        assert check.eligible
    else:
        assert check.reasons == [SHARE_EXCEEDED.format(street="槐阳街道", used=0, base=workers, share="10%", cap=0)]


def test_baohe_reads_in_principle_as_rounding_up_marked_assumed_e_disp():
    from shequ.rules import load_policy

    baohe = load_policy("baohe")
    d = baohe.params(ON).dispatch
    assert (d.min_tier, d.tier_years, d.cap_rounding) == ("优秀", 1, "up")
    assert baohe.entry("dispatch", "min_tier", ON).source == "003"
    assert baohe.entry("dispatch", "cap_rounding", ON).assumed


def test_conversion_must_fit_within_quota_e_disp(world, policy_label):
    ten = _ten(world)
    fill_unit(world.community_a1, 15)  # 16 of 16 (dispatch workers hold no place)
    assert dispatch_check(worker=ten[0], on=ON).reasons == [NO_VACANCY.format(unit="迎宾社区", quota=16, filled=16)]


def test_nobody_outside_community_work_is_converted_e_two(world, policy_label):
    _ten(world)
    w = _dispatch(world.street_a_office, name="机关派遣")
    reasons = dispatch_check(worker=w, on=ON).reasons
    assert NOT_COMMUNITY_WORK.format(name="机关派遣", unit="槐阳街道机关", unit_type="街道机关", reason=entry.NOT_IN_COMMUNITY) in reasons


def test_nobody_below_the_standard_is_converted_e_two(world, policy_label):
    _ten(world)
    w = _dispatch(world.community_a1, name="高中派遣", education="高中")
    before = counts()
    with pytest.raises(ConversionError) as err:
        dispatch_convert(worker=w, effective=ON, actor=world.street_a_hr)
    assert str(err.value) == BELOW_STANDARD.format(name="高中派遣", education="高中", min_education="大专", reason=entry.BELOW_STANDARD)
    assert counts() == before


def test_only_dispatch_workers_take_this_route(world, policy_label):
    assert dispatch_check(worker=world.worker_a1, on=ON).reasons == [NOT_DISPATCH.format(name="刘少萌", category="专职社区工作者")]


def test_a_policy_without_a_dispatch_rule_converts_nobody_e_disp(world, policy_label):
    from shequ.policy.services import policy_bind, policy_version_from_preset

    version = policy_version_from_preset(preset="hunchun", actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2020, 1, 1), actor=world.city_admin)
    w = _dispatch(world.community_a1, post="一般")
    policy, _ = policy_for(unit=w.unit, on=ON)
    assert dispatch_check(worker=w, on=ON).reasons == [NO_DISPATCH_RULE.format(policy=policy.name)]


def test_the_dispatch_list_reads_in_a_fixed_number_of_queries(world, policy_label, django_assert_max_num_queries):
    from shequ.recruitment.selectors import dispatch_list

    for i in range(30):
        _dispatch(world.community_a1 if i % 2 else world.community_a2, name=f"派遣{i}")
    with django_assert_max_num_queries(15):
        checks = dispatch_list(user=world.street_a_hr, scope=world.street_a, on=ON)
    assert len(checks) == 30 and sum(c.eligible for c in checks) == 30
