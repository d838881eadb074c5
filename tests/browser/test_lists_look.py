"""The roster and a pay run's lines, sorted, at 1366 × 768 and on a phone (390 × 844):
the page never scrolls sideways, the sorted header is marked. Screenshots in artifacts/."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import login, shot
from tests.factories import make_worker
from tests.pay.conftest import bind, run_month  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sorted_roster_and_pay_lines_fit_a_laptop_and_a_phone(world, bind, run_month, live_server, page):  # noqa: F811
    bind(world.street_a, "hunchun")
    for i, (post, grade) in enumerate((("正职", 10), ("副职", 6), ("正职", 3), ("副职", 2))):
        make_worker(world.community_a1 if i % 2 else world.community_a2, name=f"人员{i}", post=post, grade=grade)
    run = run_month(world.street_a, date(2026, 1, 1), actor=world.street_a_hr)
    login(page, live_server, "street_a_hr")
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/workers/?sort=-grade&per_page=20")
        assert "▼" in page.inner_text("#roster th[aria-sort=descending]")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"roster-sorted-{width}")
        page.goto(f"{live_server.url}/pay/runs/{run.pk}/?sort=-gross&per_page=20")
        assert "应发" in page.inner_text("#lines th[aria-sort=descending]")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"payrun-lines-sorted-{width}")
