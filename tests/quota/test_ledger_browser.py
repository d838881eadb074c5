"""The ledger as a bureau user sees it in a browser: drill down from the district to a
street, then propose and approve (Q-USE, Q-REV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shequ.quota.models import DecisionStatus, QuotaDecision
from tests.factories import make_worker

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.mark.browser
def test_a_bureau_user_drills_down_the_ledger_and_approves_a_recomputed_quota(
    live_server: Any, page: Any, world: Any, bind: Any, approve_quota: Any
) -> None:
    bind("baohe")
    approve_quota(world.community_a1, 3)
    approve_quota(world.community_a2, 1)
    for i in range(2):
        make_worker(world.community_a2, name=f"北社区{i}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/accounts/login/?next=/quota/")
    page.fill("input[name=username]", "city_admin")
    page.fill("input[name=password]", "Shequ-test-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/quota/**")
    page.click("text=甲区")
    page.click("text=槐阳街道 >> nth=0")
    page.wait_for_selector("h1:has-text('员额台账 · 槐阳街道')")
    row = page.locator("tr", has_text="槐阳北社区")
    assert row.locator("td").nth(6).inner_text() == "1"  # over quota
    page.screenshot(path=str(SHOTS / "quota_ledger.png"), full_page=True)

    page.click("text=提出调整")
    page.select_option("form:has(input[value=recompute]) select[name=unit]", label="槐阳街道")
    page.fill("form:has(input[value=recompute]) input[name=since]", "2024-07-01")
    page.screenshot(path=str(SHOTS / "quota_propose.png"), full_page=True)
    page.click("text=测算并提出")
    page.wait_for_selector("text=待审批")
    page.screenshot(path=str(SHOTS / "quota_decisions.png"), full_page=True)
    page.check("input[aria-label=全选]")
    page.click("text=批准所选")
    page.wait_for_selector("#confirm")
    assert "3 个单位的员额方案生效" in page.inner_text("#confirm")
    page.click("#confirm-yes")
    page.wait_for_selector("text=已批准 3 项员额调整")
    page.goto(f"{live_server.url}/quota/units/{world.community_a1.pk}/?on=2024-08-01")
    page.click("summary >> nth=0")
    page.wait_for_selector("text=Q-BH 核定员额")
    page.screenshot(path=str(SHOTS / "quota_unit.png"), full_page=True)
    page.goto(f"{live_server.url}/quota/review/?on=2027-07-01")
    assert page.locator("h2", has_text="到期应复核（3）").count() == 1  # baohe: every 3 years
    page.screenshot(path=str(SHOTS / "quota_review.png"), full_page=True)
    assert QuotaDecision.objects.filter(status=DecisionStatus.APPROVED, since="2024-07-01").count() == 3
