"""E-EXAM: written and interview scores with the policy's weights plus preference points;
a ranked list per post."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shequ.errors import Invalid
from shequ.recruitment.exam import SCORE_OUT_OF_RANGE
from shequ.recruitment.services import (
    NOT_ALL_SCORED,
    NOT_SCORABLE,
    RecruitmentError,
    application_create,
    application_scores_set,
    plan_publish,
    post_ranking,
)
from tests.recruitment.helpers import ON, announced_plan, applicant, apply_and_score, counts


def test_the_total_uses_the_policy_weights_and_preference_points_e_exam(world, policy_label):
    plan, pp = announced_plan(world)
    app = application_create(plan=plan, plan_post=pp, data=applicant("赵", veteran=True), actor=world.street_a_hr)
    app = application_scores_set(application=app, written=Decimal("80"), interview=Decimal("90"), actor=world.street_a_hr)
    # 80 × 0.4 + 90 × 0.6 + 3 (veteran) = 89
    assert app.total == Decimal("89.00")


def test_the_weights_come_from_the_policy_e_exam(world, bind_policy):
    from tests.recruitment.conftest import policy_text

    bind_policy(policy_text().replace("written_weight = 0.4", "written_weight = 0.7")
                .replace("interview_weight = 0.6", "interview_weight = 0.3"))
    plan, pp = announced_plan(world)
    [app] = apply_and_score(plan, pp, world.street_a_hr, [("钱", 80, 90)])
    assert app.total == Decimal("83.00")


def test_a_score_out_of_range_is_refused_and_nothing_changes(world, policy_label):
    plan, pp = announced_plan(world)
    [app] = apply_and_score(plan, pp, world.street_a_hr, [("孙", 70, 70)])
    before = counts()
    with pytest.raises(Invalid) as err:
        application_scores_set(application=app, written=Decimal("101"), interview=Decimal("90"), actor=world.street_a_hr)
    assert str(err.value) == SCORE_OUT_OF_RANGE.format(what="笔试成绩", value=Decimal("101"), max="100")
    with pytest.raises(Invalid) as err:
        application_scores_set(application=app, written=Decimal("90"), interview=Decimal("-1"), actor=world.street_a_hr)
    assert str(err.value) == SCORE_OUT_OF_RANGE.format(what="面试成绩", value=Decimal("-1"), max="100")
    app.refresh_from_db()
    assert (app.written, app.interview, app.total) == (Decimal("70.00"), Decimal("70.00"), Decimal("70.00"))
    assert counts() == before


def test_a_rejected_applicant_gets_no_scores(world, policy_label):
    plan, pp = announced_plan(world)
    app = application_create(plan=plan, plan_post=pp, data=applicant("李", education="高中"), actor=world.street_a_hr)
    with pytest.raises(RecruitmentError) as err:
        application_scores_set(application=app, written=Decimal("90"), interview=Decimal("90"), actor=world.street_a_hr)
    assert str(err.value) == NOT_SCORABLE.format(name="李")


def test_the_ranking_orders_by_total_then_written_and_marks_the_places_e_exam(world, policy_label):
    plan, pp = announced_plan(world, places=2)
    apps = apply_and_score(plan, pp, world.street_a_hr, [("周", 70, 80), ("吴", 90, 60), ("郑", 60, 90), ("王", 85, 70)])
    # totals: 周 76, 吴 72, 郑 78, 王 76 (ties 周/王 broken by written: 王 85 > 周 70)
    ranking = post_ranking(pp)
    assert [(a.name, r.rank, r.within_places) for a, r in ranking] == [
        ("郑", 1, True), ("王", 2, True), ("周", 3, False), ("吴", 4, False)]
    assert len(apps) == 4


def test_publishing_needs_every_eligible_applicant_scored(world, policy_label):
    plan, pp = announced_plan(world)
    apply_and_score(plan, pp, world.street_a_hr, [("冯", 70, 80)])
    application_create(plan=plan, plan_post=pp, data=applicant("陈"), actor=world.street_a_hr)
    with pytest.raises(RecruitmentError) as err:
        plan_publish(plan=plan, on=ON, actor=world.street_a_hr)
    assert str(err.value) == NOT_ALL_SCORED.format(n=1)
