"""E-EXAM hire from the ranking with 递补; E-PROB probation at full pay; the hire goes
through worker_create (so Q-USE applies), is placed by the engine and names the policy."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from shequ.errors import Invalid
from shequ.policy.selectors import policy_for
from shequ.recruitment.models import AppStatus
from shequ.recruitment.services import (
    HIRE_BEYOND_QUOTA,
    NOT_PUBLISHED,
    OUTSIDE_PLACES,
    RecruitmentError,
    application_hire,
    application_withdraw,
    plan_publish,
)
from shequ.rules import place
from shequ.workers.models import ContractKind, EventKind, Status
from tests.recruitment.helpers import announced_plan, apply_and_score, counts, fill_unit

HIRE_ON = date(2026, 5, 1)


def _published(world, places=1, people=(("甲", 80, 90), ("乙", 70, 70), ("丙", 60, 65)), **kw):
    plan, pp = announced_plan(world, places=places, **kw)
    apps = apply_and_score(plan, pp, world.street_a_hr, list(people))
    plan_publish(plan=plan, on=date(2026, 4, 20), actor=world.street_a_hr)
    return plan, pp, apps


def test_a_hired_person_becomes_a_worker_on_probation_with_the_policy_months_e_prob(world, policy_label):
    _, _, (a, _, _) = _published(world)
    w = application_hire(application=a, effective=HIRE_ON, actor=world.street_a_hr)
    assert w.status == Status.PROBATION
    assert w.probation_until == date(2026, 11, 1)  # 6 months in the test policy
    assert (w.unit, w.post, w.category, w.hired_on) == (world.community_a1, "助理", "专职社区工作者", HIRE_ON)
    placement = w.events.get(kind=EventKind.PLACEMENT)
    assert placement.data["probation_pay_share"] == 1.0  # full pay during probation
    a.refresh_from_db()
    assert (a.status, a.worker) == (AppStatus.HIRED, w)


def test_probation_length_follows_the_policy_e_prob(world, bind_policy):
    bind_policy(months=3)
    _, _, (a, _, _) = _published(world)
    assert application_hire(application=a, effective=HIRE_ON, actor=world.street_a_hr).probation_until == date(2026, 8, 1)


def test_the_hire_is_placed_by_the_engine_and_names_the_policy_version(world, policy_label):
    _, _, (a, _, _) = _published(world, post="主办")
    w = application_hire(application=a, effective=HIRE_ON, actor=world.street_a_hr)
    policy, _ = policy_for(unit=world.community_a1, on=HIRE_ON)
    expected = place(policy, pl.DataFrame({"post": ["主办"], "education": ["本科"], "community_work_start": [HIRE_ON],
                                           "certificate": ["无"]}), HIRE_ON)["grade"][0]
    assert w.grade == expected
    hire = w.events.get(kind=EventKind.HIRE)
    assert hire.policy_version == policy_label
    assert w.events.get(kind=EventKind.PLACEMENT).policy_version == policy_label
    assert w.contracts.get().kind == ContractKind.LABOUR


def test_only_those_within_the_places_are_hired(world, policy_label):
    _, pp, (_, b, _) = _published(world)
    before = counts()
    with pytest.raises(RecruitmentError) as err:
        application_hire(application=b, effective=HIRE_ON, actor=world.street_a_hr)
    assert str(err.value) == OUTSIDE_PLACES.format(name="乙", rank=2, post=str(pp), places=1)
    assert counts() == before


def test_nobody_is_hired_before_the_list_is_published(world, policy_label):
    plan, pp = announced_plan(world)
    [a] = apply_and_score(plan, pp, world.street_a_hr, [("甲", 80, 90)])
    with pytest.raises(RecruitmentError) as err:
        application_hire(application=a, effective=HIRE_ON, actor=world.street_a_hr)
    assert str(err.value) == NOT_PUBLISHED


def test_when_someone_withdraws_the_next_in_line_moves_up_e_exam(world, policy_label):
    _, _, (a, b, c) = _published(world)
    nxt = application_withdraw(application=a, reason="另有工作", effective=HIRE_ON, actor=world.street_a_hr)
    assert nxt == b
    w = application_hire(application=b, effective=HIRE_ON, actor=world.street_a_hr)
    assert w.name == "乙"
    with pytest.raises(RecruitmentError):
        application_hire(application=c, effective=HIRE_ON, actor=world.street_a_hr)


def test_a_hired_person_who_withdraws_leaves_the_roster_and_the_next_moves_up(world, policy_label):
    _, _, (a, b, _) = _published(world)
    w = application_hire(application=a, effective=HIRE_ON, actor=world.street_a_hr)
    nxt = application_withdraw(application=a, reason="放弃入职", effective=date(2026, 5, 10), actor=world.street_a_hr)
    w.refresh_from_db()
    assert (w.status, w.left_on) == (Status.LEFT, date(2026, 5, 10))
    assert nxt == b


def test_a_hire_beyond_quota_is_refused_and_nothing_changes_q_use(world, policy_label):
    fill_unit(world.community_a1, 14)  # 15 of 16: one place
    _, _, (a, _, _) = _published(world)
    fill_unit(world.community_a1, 1)  # the place is taken before the hire
    before = counts()
    with pytest.raises(RecruitmentError) as err:
        application_hire(application=a, effective=HIRE_ON, actor=world.street_a_hr)
    assert str(err.value) == HIRE_BEYOND_QUOTA.format(unit="迎宾社区", quota=16, filled=16)
    assert counts() == before
    a.refresh_from_db()
    assert a.status == AppStatus.ELIGIBLE


def test_the_hire_goes_through_the_roster_admission_checks_q_use(world, policy_label, monkeypatch):
    """The quota area registers Q-USE as an admission check; a refusing check stops the hire."""
    from shequ.workers import services as worker_services

    class Full(Invalid):
        pass

    def refuse(unit, joining, on):
        raise Full(f"{unit.name}已无空编，不能录用")

    monkeypatch.setattr(worker_services, "ADMISSION_CHECKS", [refuse])
    _, _, (a, _, _) = _published(world)
    before = counts()
    with pytest.raises(Full):
        application_hire(application=a, effective=HIRE_ON, actor=world.street_a_hr)
    assert counts() == before
