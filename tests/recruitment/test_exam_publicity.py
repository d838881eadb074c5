"""E-EXAM: the 公示 period comes from the policy (days, dated data in the preset) and no
hire takes effect before it ends; the hire date is chosen on the page, not today's date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shequ.recruitment.models import AppStatus
from shequ.recruitment.publicity import PUBLICITY_NOT_OVER, default_hire_day, plan_publicity
from shequ.recruitment.services import RecruitmentError, application_hire, plan_publish
from shequ.rules import load_policy
from shequ.workers.models import Worker
from tests.recruitment.conftest import policy_text
from tests.recruitment.helpers import announced_plan, apply_and_score

pytestmark = pytest.mark.django_db

PUBLISHED_ON = date(2026, 4, 20)


def _published(world, on=PUBLISHED_ON):
    plan, pp = announced_plan(world, places=1)
    apps = apply_and_score(plan, pp, world.street_a_hr, [("甲", 80, 90), ("乙", 70, 70)])
    plan_publish(plan=plan, on=on, actor=world.street_a_hr)
    return plan, apps


def test_the_shipped_presets_set_a_publicity_period_of_seven_days_with_its_source_e_exam():
    """E-EXAM: the period is preset data (base.toml, inherited by every locality), dated and sourced."""
    for preset in ("baohe", "dalian", "hunchun", "baixiang", "tongren"):
        policy = load_policy(preset)
        assert policy.params(date(2026, 1, 1)).exam.publicity_days == 7
        entry = policy.entry("exam", "publicity_days", date(2026, 1, 1))
        assert entry is not None and entry.source and entry.since == date(2020, 1, 1)


def test_hiring_on_the_last_day_of_the_publicity_period_is_refused_naming_its_end_e_exam(world, policy_label):
    plan, (a, _) = _published(world)
    end = PUBLISHED_ON + timedelta(days=6)
    with pytest.raises(RecruitmentError) as err:
        application_hire(application=a, effective=end, actor=world.street_a_hr)
    assert str(err.value) == PUBLICITY_NOT_OVER.format(name="甲", effective=end, days=7, end=date(2026, 4, 26),
                                                      first=date(2026, 4, 27))
    a.refresh_from_db()
    assert a.status == AppStatus.ELIGIBLE and not Worker.objects.filter(name="甲").exists()


def test_hiring_the_day_after_the_period_ends_succeeds_e_exam(world, policy_label):
    plan, (a, _) = _published(world)
    w = application_hire(application=a, effective=date(2026, 4, 27), actor=world.street_a_hr)
    assert w.hired_on == date(2026, 4, 27)


def test_the_period_is_the_one_in_force_on_the_day_of_publication_e_exam(world, bind_policy):
    """E-EXAM: a shorter period decided after publication does not shorten a running one."""
    bind_policy(policy_text().replace("score_max = 100", (
        "score_max = 100\npublicity_days = [\n"
        '  { since = 2020-01-01, value = 10, source = "测试" },\n'
        '  { since = 2026-04-25, value = 3, source = "测试" },\n]')))
    plan, (a, _) = _published(world)
    p = plan_publicity(plan=plan)
    assert p is not None and (p.days, p.end, p.first_hire_day) == (10, date(2026, 4, 29), date(2026, 4, 30))
    with pytest.raises(RecruitmentError, match="2026-04-29 结束"):
        application_hire(application=a, effective=date(2026, 4, 29), actor=world.street_a_hr)
    later, (b, _) = _published(world, on=date(2026, 5, 1))
    assert plan_publicity(plan=later).days == 3


def test_the_hire_form_proposes_the_first_day_after_the_period_and_lets_the_clerk_choose_e_exam(world, policy_label, client_for):
    plan, (a, _) = _published(world)
    html = client_for(world.street_a_hr).get(f"/recruitment/plans/{plan.pk}/ranking/").content.decode()
    assert "公示期 7 天，2026-04-26 结束，2026-04-27 起可以录用" in html
    hire_form = html.split(f'action="/recruitment/applications/{a.pk}/hire/"')[1].split("</form>")[0]
    assert 'type="date" name="effective"' in hire_form and 'type="hidden" name="effective"' not in hire_form
    assert default_hire_day(plan=plan, today=date(2026, 4, 21)) == date(2026, 4, 27)
    assert default_hire_day(plan=plan, today=date(2026, 6, 1)) == date(2026, 6, 1)


def test_a_hire_date_inside_the_period_gets_the_chinese_refusal_not_a_confirmation_e_exam(world, policy_label, client_for):
    plan, (a, _) = _published(world)
    response = client_for(world.street_a_hr).post(f"/recruitment/applications/{a.pk}/hire/", {"effective": "2026-04-22"},
                                                  follow=True)
    html = response.content.decode()
    assert "确认录用" not in html
    assert "录用日期：甲 的录用日期 2026-04-22 在公示期内。公示期 7 天，2026-04-26 结束，录用日期最早为 2026-04-27" in html
    a.refresh_from_db()
    assert a.status == AppStatus.ELIGIBLE
