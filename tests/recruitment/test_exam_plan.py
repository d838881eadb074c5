"""E-EXAM: a recruitment plan per scope, posts per unit bounded by vacancies, an announcement."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.scope import ScopeError
from shequ.recruitment.models import PlanStatus
from shequ.recruitment.services import (
    PLACES_OVER_VACANCY,
    PLAN_NO_POSTS,
    PLAN_NOT_DRAFT,
    UNIT_NOT_IN_PLAN,
    UNKNOWN_POST,
    RecruitmentError,
    plan_announce,
    plan_create,
    plan_post_set,
)
from shequ.recruitment.vacancy import vacancy_of
from tests.recruitment.helpers import ON, counts, fill_unit


def test_the_vacancy_is_the_engine_quota_minus_workers_who_hold_a_place_e_exam(world, policy_label):
    # 迎宾社区: 城市社区 16 × 二类 1.0 = 16 (Q-BH); one worker; a dispatch worker holds no place.
    from tests.factories import make_worker

    make_worker(world.community_a1, name="派遣甲", category="劳务派遣")
    v = vacancy_of(unit=world.community_a1, on=ON)
    assert (v.quota, v.filled, v.vacant) == (16, 1, 15)


def test_a_plan_records_the_policy_version_of_its_scope(world, policy_label):
    plan = plan_create(scope=world.street_a, title="槐阳街道招聘", actor=world.street_a_hr, on=ON)
    assert plan.policy_version == policy_label
    assert plan.status == PlanStatus.DRAFT


def test_places_up_to_the_vacancy_are_accepted_e_exam(world, policy_label):
    fill_unit(world.community_a1, 12)  # 13 filled of 16
    plan = plan_create(scope=world.street_a, title="计划", actor=world.street_a_hr, on=ON)
    plan_post_set(plan=plan, unit=world.community_a1, post="助理", places=2, actor=world.street_a_hr, on=ON)
    pp = plan_post_set(plan=plan, unit=world.community_a1, post="主办", places=1, actor=world.street_a_hr, on=ON)
    assert pp.places == 1


def test_places_beyond_the_vacancy_are_refused_and_nothing_changes_e_exam(world, policy_label):
    fill_unit(world.community_a1, 12)  # vacancy 3
    plan = plan_create(scope=world.street_a, title="计划", actor=world.street_a_hr, on=ON)
    plan_post_set(plan=plan, unit=world.community_a1, post="助理", places=2, actor=world.street_a_hr, on=ON)
    before = counts()
    with pytest.raises(RecruitmentError) as err:
        plan_post_set(plan=plan, unit=world.community_a1, post="主办", places=2, actor=world.street_a_hr, on=ON)
    assert str(err.value) == PLACES_OVER_VACANCY.format(unit="迎宾社区", vacant=3, quota=16, filled=13, planned=2, places=2)
    assert counts() == before


def test_a_post_the_policy_does_not_name_is_refused(world, policy_label):
    plan = plan_create(scope=world.street_a, title="计划", actor=world.street_a_hr, on=ON)
    with pytest.raises(RecruitmentError) as err:
        plan_post_set(plan=plan, unit=world.community_a1, post="书记", places=1, actor=world.street_a_hr, on=ON)
    assert str(err.value) == UNKNOWN_POST.format(post="书记", policy="招聘测试政策", posts="主管、副主管、主办、助理")


def test_a_unit_outside_the_plan_scope_is_refused(world, policy_label):
    plan = plan_create(scope=world.community_a2, title="计划", actor=world.street_a_hr, on=ON)
    with pytest.raises(RecruitmentError) as err:
        plan_post_set(plan=plan, unit=world.community_a1, post="助理", places=1, actor=world.street_a_hr, on=ON)
    assert str(err.value) == UNIT_NOT_IN_PLAN.format(unit="迎宾社区", scope="槐阳北社区")


def test_it_refuses_a_plan_for_another_street(world, policy_label):
    with pytest.raises(ScopeError):
        plan_create(scope=world.street_a, title="计划", actor=world.street_b_hr, on=ON)
    plan = plan_create(scope=world.street_a, title="计划", actor=world.street_a_hr, on=ON)
    with pytest.raises(ScopeError):
        plan_post_set(plan=plan, unit=world.community_b1, post="助理", places=1, actor=world.street_b_hr, on=ON)


def test_an_announcement_needs_posts_and_then_freezes_them(world, policy_label):
    plan = plan_create(scope=world.street_a, title="计划", actor=world.street_a_hr, on=ON)
    with pytest.raises(RecruitmentError) as err:
        plan_announce(plan=plan, text="公告", announced_on=ON, apply_from=ON, apply_until=date(2026, 3, 20),
                      exam_on=None, actor=world.street_a_hr)
    assert str(err.value) == PLAN_NO_POSTS
    plan_post_set(plan=plan, unit=world.community_a1, post="助理", places=1, actor=world.street_a_hr, on=ON)
    plan_announce(plan=plan, text="公开招聘", announced_on=ON, apply_from=ON, apply_until=date(2026, 3, 20),
                  exam_on=date(2026, 4, 1), actor=world.street_a_hr)
    plan.refresh_from_db()
    assert (plan.status, plan.announcement, plan.apply_until) == (PlanStatus.ANNOUNCED, "公开招聘", date(2026, 3, 20))
    with pytest.raises(RecruitmentError) as err:
        plan_post_set(plan=plan, unit=world.community_a1, post="助理", places=1, actor=world.street_a_hr, on=ON)
    assert str(err.value) == PLAN_NOT_DRAFT


def test_places_promised_by_another_running_plan_count_against_the_vacancy_e_exam(world, policy_label):
    fill_unit(world.community_a1, 12)  # vacancy 3
    first = plan_create(scope=world.street_a, title="第一个计划", actor=world.street_a_hr, on=ON)
    plan_post_set(plan=first, unit=world.community_a1, post="助理", places=2, actor=world.street_a_hr, on=ON)
    second = plan_create(scope=world.street_a, title="第二个计划", actor=world.street_a_hr, on=ON)
    with pytest.raises(RecruitmentError) as err:
        plan_post_set(plan=second, unit=world.community_a1, post="助理", places=2, actor=world.street_a_hr, on=ON)
    assert str(err.value) == PLACES_OVER_VACANCY.format(unit="迎宾社区", vacant=3, quota=16, filled=13, planned=2, places=2)
    assert plan_post_set(plan=second, unit=world.community_a1, post="助理", places=1, actor=world.street_a_hr, on=ON).places == 1


def test_a_closed_plan_no_longer_holds_places_e_exam(world, policy_label):
    from shequ.recruitment.services import PLAN_CLOSED, plan_close

    fill_unit(world.community_a1, 12)  # vacancy 3
    first = plan_create(scope=world.street_a, title="第一个计划", actor=world.street_a_hr, on=ON)
    plan_post_set(plan=first, unit=world.community_a1, post="助理", places=3, actor=world.street_a_hr, on=ON)
    plan_close(plan=first, actor=world.street_a_hr)
    second = plan_create(scope=world.street_a, title="第二个计划", actor=world.street_a_hr, on=ON)
    assert plan_post_set(plan=second, unit=world.community_a1, post="助理", places=3, actor=world.street_a_hr, on=ON).places == 3
    with pytest.raises(RecruitmentError) as err:
        plan_close(plan=first, actor=world.street_a_hr)
    assert str(err.value) == PLAN_CLOSED


def test_a_unit_without_an_approved_quota_cannot_be_in_a_plan_q_use(world):
    from shequ.recruitment.vacancy import NO_APPROVED_QUOTA

    plan = plan_create(scope=world.street_a, title="计划", actor=world.street_a_hr, on=ON)
    with pytest.raises(RecruitmentError) as err:
        plan_post_set(plan=plan, unit=world.community_a1, post="助理", places=1, actor=world.street_a_hr, on=ON)
    assert str(err.value) == NO_APPROVED_QUOTA.format(unit="迎宾社区")
