"""E-EXAM: plans are bounded by vacancies, even when several plans claim a unit's last
vacancies at the same moment (issue 20; STYLE 22)."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from shequ.recruitment.models import PlanPost
from shequ.recruitment.services import (
    PLACES_OVER_VACANCY,
    RecruitmentError,
    plan_create,
    plan_post_set,
)
from shequ.recruitment.vacancy import vacancy_of
from tests.concurrency import needs_postgres, run_together
from tests.recruitment.helpers import ON, fill_unit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PLANS = 8


def test_plans_claiming_the_last_vacancies_at_once_never_promise_more_than_the_vacancy_e_exam(
    world: Any, policy_label: str
) -> None:
    """Eight plans each ask for one place in 迎宾社区, which has three vacancies, all at once:
    exactly three are accepted and the other five are refused in Chinese."""
    needs_postgres()
    fill_unit(world.community_a1, 12)  # 13 filled of 16
    vacant = vacancy_of(unit=world.community_a1, on=ON).vacant
    assert vacant == 3
    plans = [plan_create(scope=world.street_a, title=f"计划{i}", actor=world.street_a_hr, on=ON) for i in range(PLANS)]
    results = run_together(
        [functools.partial(plan_post_set, plan=p, unit=world.community_a1, post="助理", places=1,
                           actor=world.street_a_hr, on=ON) for p in plans],
        refusals=(RecruitmentError,),
    )
    assert [r for r in results if r[0] not in ("ok", "refused")] == []
    assert sum(1 for kind, _ in results if kind == "ok") == vacant
    assert PlanPost.objects.filter(unit=world.community_a1).count() == vacant
    refused = [msg for kind, msg in results if kind == "refused"]
    assert set(refused) == {PLACES_OVER_VACANCY.format(unit="迎宾社区", vacant=3, quota=16, filled=13, planned=3, places=1)}
    assert len(refused) == PLANS - vacant
