"""The bureau opens a published campaign's preview, sees who moves and the cost by unit,
confirms, and gives the second confirmation of a dismissal."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.assessment.services import ScoreEntry, campaign_publish, scores_save
from shequ.workers.models import Status, Worker
from tests.assessment.helpers import bind, campaign, history
from tests.browser.conftest import login, shot
from tests.factories import make_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preview_then_confirm_then_second_confirmation_in_the_browser(world: Any, live_server: Any, page: Any) -> None:
    bind(world, step_every_years=1, excellent_share_cap=0.5, last_place_warning=True, last_place_scope="unit")
    people = [
        (world.community_a1, "陈晓", "助理", 3, 93, {}), (world.community_a1, "王芳", "主办", 6, 84, {}),
        (world.community_a1, "李娜", "助理", 2, 71, {}), (world.community_a2, "赵强", "主办", 8, 88, {}),
        (world.community_a2, "孙丽", "助理", 5, 58, {2024: "不称职"}), (world.community_a2, "周敏", "主管", 9, 91, {2023: "优秀", 2024: "优秀"}),
    ]
    entries = [ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, score=80, tier="称职")]
    tiers = {93: "优秀", 84: "称职", 71: "称职", 88: "称职", 58: "不称职", 91: "优秀"}
    for unit, name, post, grade, score, past in people:
        w = make_worker(unit, name=name, post=post, grade=grade)
        history(w, past)
        entries.append(ScoreEntry(worker_id=w.pk, indicators={}, score=score, tier=tiers[score]))
    c = campaign(world)
    scores_save(campaign=c, entries=entries, actor=world.street_a_hr)
    campaign_publish(campaign=c, actor=world.street_a_hr)

    login(page, live_server, "city_admin")
    page.goto(f"{live_server.url}/assessment/{c.pk}/preview/")
    cost = page.inner_text("#cost")
    assert "迎宾社区" in cost and "槐阳北社区" in cost and "合计" in cost
    moves = page.inner_text("#moves")
    assert "陈晓" in moves and "晋升一级" in moves and "孙丽" in moves and "解聘" in moves
    assert "周敏" in page.inner_text("#promote")
    assert "李娜" in page.inner_text("#warn") and "孙丽" in page.inner_text("#warn")
    shot(page, "assessment-preview")

    page.click("text=确认结果运用")
    page.wait_for_selector("#proposed")
    assert "孙丽" in page.inner_text("#proposed")
    shot(page, "assessment-dismissals")
    page.fill("#proposed input[name=note]", "经局务会研究同意")
    page.click("#proposed button[value=confirm]")
    page.wait_for_selector("#decided")
    assert "已解聘" in page.inner_text("#decided")
    assert Worker.objects.get(name="孙丽").status == Status.LEFT
    assert Worker.objects.get(name="陈晓").grade == 4
    page.goto(f"{live_server.url}/assessment/{c.pk}/")
    shot(page, "assessment-tier-list")
