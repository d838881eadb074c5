"""E-ASSIGN: entry by assignment (选派) beside exam and conversion — from a source pool the
policy names, into a post it names, counted against quota, with its own event (002: six
secretaries assigned from the county's volunteer cadre pool)."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.scope import ScopeError
from shequ.recruitment.services import (
    ASSIGN_BEYOND_QUOTA,
    POOL_NOT_ALLOWED,
    POST_NOT_ASSIGNABLE,
    AssignData,
    RecruitmentError,
    worker_assign,
)
from shequ.recruitment.vacancy import vacancy_of
from shequ.rules import load_policy
from shequ.workers.models import EventKind
from tests.factories import id_number
from tests.recruitment.conftest import policy_text
from tests.recruitment.helpers import counts, fill_unit

ON = date(2026, 3, 1)
ASSIGNMENT = '\n[assignment]\nsource = "测试"\npools = ["县志愿者干部队伍"]\nposts = ["主管"]\nwithin_quota = true\n'


@pytest.fixture
def assigning(bind_policy):
    return bind_policy(policy_text() + ASSIGNMENT)


def _data(world, **kw):
    fields = {"name": "选派书记", "id_number": id_number(date(1985, 4, 2)), "unit": world.community_a1, "post": "主管",
              "education": "本科", "pool": "县志愿者干部队伍"}
    fields.update(kw)
    return AssignData(**fields)


def test_an_assigned_secretary_enters_with_an_assignment_event_naming_the_pool_against_quota_e_assign(world, assigning):
    vacant = vacancy_of(unit=world.community_a1, on=ON).vacant
    w = worker_assign(data=_data(world), effective=ON, actor=world.street_a_hr)
    event = w.events.get(kind=EventKind.ASSIGNMENT)
    assert event.data["pool"] == "县志愿者干部队伍" and event.cause == "选派：来自县志愿者干部队伍"
    assert event.policy_version == assigning
    assert w.events.filter(kind=EventKind.PLACEMENT).count() == 1 and w.grade is not None
    assert not w.events.filter(kind=EventKind.HIRE).exists()
    assert vacancy_of(unit=world.community_a1, on=ON).vacant == vacant - 1


def test_only_the_pools_and_posts_the_policy_names_are_assigned_from_and_to_e_assign(world, assigning):
    before = counts()
    with pytest.raises(RecruitmentError) as err:
        worker_assign(data=_data(world, pool="社会招聘"), effective=ON, actor=world.street_a_hr)
    assert str(err.value) == POOL_NOT_ALLOWED.format(pool="社会招聘", policy=assigning, pools="县志愿者干部队伍")
    with pytest.raises(RecruitmentError) as err:
        worker_assign(data=_data(world, post="助理"), effective=ON, actor=world.street_a_hr)
    assert str(err.value) == POST_NOT_ASSIGNABLE.format(post="助理", policy=assigning, posts="主管")
    assert counts() == before


def test_an_assignment_beyond_quota_is_refused_e_assign(world, assigning):
    fill_unit(world.community_a1, 15)
    vac = vacancy_of(unit=world.community_a1, on=ON)
    assert vac.vacant == 0
    with pytest.raises(RecruitmentError) as err:
        worker_assign(data=_data(world), effective=ON, actor=world.street_a_hr)
    assert str(err.value) == ASSIGN_BEYOND_QUOTA.format(unit="迎宾社区", quota=vac.quota, filled=vac.filled)


def test_it_refuses_a_street_admin_from_another_street_e_assign(world, assigning):
    with pytest.raises(ScopeError):
        worker_assign(data=_data(world), effective=ON, actor=world.street_b_hr)


def test_baixiang_assigns_secretaries_from_the_county_volunteer_cadre_pool_e_assign():
    policy = load_policy("baixiang")
    rule = policy.params(ON).assignment
    assert (rule.pools, rule.posts, rule.within_quota) == (["县志愿者干部队伍"], ["正职"], True)
    assert policy.entry("assignment", "pools", ON).source == "002"
