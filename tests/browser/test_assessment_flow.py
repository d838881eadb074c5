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
    warn = page.inner_text("#warn")
    # Last of each unit among those who stay: 孙丽 is proposed for dismissal, so 赵强 is last there.
    assert "李娜" in warn and "赵强" in warn and "孙丽" not in warn
    shot(page, "assessment-preview")

    page.click("text=确认结果运用")
    page.wait_for_selector("#confirm")
    assert "人列入拟解聘名单" in page.inner_text("#confirm")
    shot(page, "assessment-confirm-step")
    page.click("#confirm-yes")
    page.wait_for_selector("#proposed")
    assert "孙丽" in page.inner_text("#proposed")
    shot(page, "assessment-dismissals")
    page.fill("#proposed input[name=note]", "经局务会研究同意")
    page.click("#proposed button[value=confirm]")
    page.wait_for_selector("#confirm")
    assert "劳动合同终止" in page.inner_text("#confirm")
    page.click("#confirm-yes")
    page.wait_for_selector("#decided")
    assert "已解聘" in page.inner_text("#decided")
    assert Worker.objects.get(name="孙丽").status == Status.LEFT
    assert Worker.objects.get(name="陈晓").grade == 4
    page.goto(f"{live_server.url}/assessment/{c.pk}/")
    shot(page, "assessment-tier-list")


def test_street_hr_creates_a_campaign_enters_scores_sees_the_cap_and_a_bad_sheet(world: Any, live_server: Any, page: Any, tmp_path: Any) -> None:
    bind(world, indicator_weights={"任务完成情况": 0.4, "廉洁自律情况": 0.2, "教育培训情况": 0.1, "群众满意度": 0.3},
         points=[{"tier": "优秀", "min": 90}, {"tier": "称职", "min": 70}, {"tier": "基本称职", "min": 60}],
         excellent_share_cap=0.2, negative_list=["违反廉洁纪律", "弄虚作假"])
    others = [make_worker(world.community_a1, name=n, post="助理", grade=3) for n in ("陈晓", "王芳", "李娜")]
    login(page, live_server, "street_a_hr")
    page.goto(f"{live_server.url}/assessment/")
    page.select_option("#new-campaign select[name=unit]", label="槐阳街道（街道）")
    page.fill("#new-campaign input[name=year]", "2025")
    page.click("#new-campaign button[type=submit]")
    page.wait_for_selector("#tier-list")
    page.click("text=录入评分")
    page.wait_for_selector("#scores-form")
    marks = {"刘少萌": (95, 95, 90, 96), "陈晓": (92, 95, 90, 94), "王芳": (80, 90, 70, 85), "李娜": (70, 80, 60, 65)}
    for w in [world.worker_a1, *others]:
        for i, v in enumerate(marks[w.name]):
            page.fill(f"input[name='w{w.pk}-i{i}']", str(v))
    shot(page, "assessment-scores")
    page.click("text=保存本单位评分")
    page.wait_for_selector(".msg")
    page.click("text=等次名单")
    page.wait_for_selector("#cap-breaches")
    assert "须调减 2 人" in page.inner_text("#cap-breaches")  # 20% of 4 people allows no 优秀
    shot(page, "assessment-cap-breach")
    bad = tmp_path / "考核结果.csv"
    bad.write_text(f"身份证号,年度,考核等次\n{world.worker_a1.id_number},2025,良好\n{world.worker_b1.id_number},2025,称职\n", encoding="utf-8-sig")
    page.click("text=导入 Excel")
    page.set_input_files("input[type=file]", str(bad))
    page.click("text=上传并校验")
    errors = page.inner_text("#import-errors")
    assert "第 2 行" in errors and "良好" in errors and "第 3 行" in errors
    shot(page, "assessment-import-errors")
