"""E-EXAM: applications checked against the policy's eligibility rules, each rejection with
its reason; preference points for certificate holders and veterans from the policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.recruitment.exam import CERTIFICATE_TOO_LOW
from shequ.recruitment.models import AppStatus
from shequ.recruitment.services import (
    DUPLICATE_APPLICATION,
    PLAN_NOT_OPEN,
    RecruitmentError,
    application_create,
    plan_create,
)
from shequ.rules.entry import AGE_OVER, EDUCATION_BELOW, NOT_RESIDENT
from tests.recruitment.helpers import ON, announced_plan, applicant, counts


def _apply(world, plan, pp, **kw):
    return application_create(plan=plan, plan_post=pp, data=applicant("申请人", **kw), actor=world.street_a_hr)


def test_an_applicant_meeting_every_condition_is_eligible_e_exam(world, policy_label):
    plan, pp = announced_plan(world)
    app = _apply(world, plan, pp)
    assert (app.status, app.rejection_reason) == (AppStatus.ELIGIBLE, "")


def test_age_is_judged_on_the_deadline_against_the_policy_maximum_e_exam(world, policy_label):
    plan, pp = announced_plan(world)  # deadline 2026-03-20, max_age 35
    ok = _apply(world, plan, pp, birth=date(1990, 3, 20))  # 36 on the deadline
    assert ok.rejection_reason == AGE_OVER.format(age=36, max=35)
    young = _apply(world, plan, pp, birth=date(1990, 3, 21))  # still 35
    assert young.status == AppStatus.ELIGIBLE


def test_the_age_limit_comes_from_the_policy_not_the_code_e_exam(world, bind_policy):
    bind_policy(max_age=40)
    plan, pp = announced_plan(world)
    assert _apply(world, plan, pp, birth=date(1988, 1, 1)).status == AppStatus.ELIGIBLE


def test_education_below_the_policy_minimum_is_rejected_with_the_reason_e_exam(world, policy_label):
    plan, pp = announced_plan(world)
    app = _apply(world, plan, pp, education="高中")
    assert app.status == AppStatus.REJECTED
    assert app.rejection_reason == EDUCATION_BELOW.format(min="大专")


def test_residence_is_required_when_the_policy_says_so_e_exam(world, bind_policy):
    bind_policy()
    plan, pp = announced_plan(world)
    assert _apply(world, plan, pp, residence_local=False).rejection_reason == NOT_RESIDENT
    bind_policy(residence="false")
    plan2, pp2 = announced_plan(world)
    assert _apply(world, plan2, pp2, residence_local=False).status == AppStatus.ELIGIBLE


def test_a_certificate_minimum_in_the_policy_rejects_those_without_e_exam(world, bind_policy):
    bind_policy(min_certificate="助理社会工作师")
    plan, pp = announced_plan(world)
    app = _apply(world, plan, pp)
    assert app.rejection_reason == CERTIFICATE_TOO_LOW.format(certificate="无", min_certificate="助理社会工作师")
    assert _apply(world, plan, pp, certificate="社会工作师").status == AppStatus.ELIGIBLE


def test_every_failed_condition_is_listed_e_exam(world, policy_label):
    plan, pp = announced_plan(world)
    app = _apply(world, plan, pp, birth=date(1980, 1, 1), education="中专", residence_local=False)
    assert app.rejection_reason.split("；") == [
        AGE_OVER.format(age=46, max=35), EDUCATION_BELOW.format(min="大专"), NOT_RESIDENT,
    ]


def test_certificate_holders_and_veterans_get_the_policy_points_e_exam(world, policy_label):
    plan, pp = announced_plan(world)
    assert _apply(world, plan, pp).bonus == Decimal("0")
    assert _apply(world, plan, pp, certificate="助理社会工作师").bonus == Decimal("2")
    assert _apply(world, plan, pp, veteran=True).bonus == Decimal("3")
    assert _apply(world, plan, pp, certificate="社会工作师", veteran=True).bonus == Decimal("5")


def test_the_same_id_number_applying_twice_is_refused_and_nothing_changes(world, policy_label):
    plan, pp = announced_plan(world)
    data = applicant("王一")
    application_create(plan=plan, plan_post=pp, data=data, actor=world.street_a_hr)
    before = counts()
    data.name = "王一改"
    with pytest.raises(RecruitmentError) as err:
        application_create(plan=plan, plan_post=pp, data=data, actor=world.street_a_hr)
    assert str(err.value) == DUPLICATE_APPLICATION.format(id_number=data.id_number, name="王一")
    assert counts() == before


def test_nobody_applies_before_the_announcement(world, policy_label):
    from shequ.recruitment.services import plan_post_set

    plan = plan_create(scope=world.street_a, title="草拟计划", actor=world.street_a_hr, on=ON)
    pp = plan_post_set(plan=plan, unit=world.community_a1, post="助理", places=1, actor=world.street_a_hr, on=ON)
    with pytest.raises(RecruitmentError) as err:
        application_create(plan=plan, plan_post=pp, data=applicant("早到"), actor=world.street_a_hr)
    assert str(err.value) == PLAN_NOT_OPEN
