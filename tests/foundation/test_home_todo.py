"""待办 on the home page (issue 14.1): counts per role, own subtree only, each linking to
the list that shows the rows counted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from shequ.pay.models import PayRun
from tests.factories import make_worker


def _home(client: Any) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_pay_run_is_waiting_for_its_streets_hr_and_links_to_the_drafts(world: Any, client_for: Any) -> None:
    run = PayRun.objects.create(unit=world.street_a, month=date(2026, 3, 1))
    html = _home(client_for(world.street_a_hr))
    assert "薪酬批次待提交审核（草稿）" in html
    link = reverse("pay:index") + "?status=draft"
    assert f'href="{link}"' in html
    listing = client_for(world.street_a_hr).get(link).content.decode()
    assert reverse("pay:run", args=[run.pk]) in listing


def test_another_streets_run_is_not_counted(world: Any, client_for: Any) -> None:
    PayRun.objects.create(unit=world.street_a, month=date(2026, 3, 1))
    html = _home(client_for(world.street_b_hr))
    assert "薪酬批次待提交审核" not in html


def test_the_drafts_filter_leaves_out_locked_runs(world: Any, client_for: Any) -> None:
    draft = PayRun.objects.create(unit=world.street_a, month=date(2026, 3, 1))
    locked = PayRun.objects.create(unit=world.community_a1, month=date(2026, 2, 1), status="locked")
    listing = client_for(world.street_a_hr).get(reverse("pay:index") + "?status=draft").content.decode()
    assert reverse("pay:run", args=[draft.pk]) in listing
    assert reverse("pay:run", args=[locked.pk]) not in listing


def test_a_probation_ending_this_month_is_waiting_and_its_link_lists_exactly_that_person(
    world: Any, client_for: Any
) -> None:
    today = timezone.localdate()
    ending = make_worker(world.community_a1, name="试用将满", status="probation",
                         probation_until=today + timedelta(days=10))
    make_worker(world.community_a1, name="试用尚早", status="probation", probation_until=today + timedelta(days=200))
    html = _home(client_for(world.street_a_hr))
    assert "试用期 30 天内期满" in html
    listing = client_for(world.street_a_hr).get(reverse("workers:index") + "?probation_ends_within=30").content.decode()
    assert ending.name in listing
    assert "试用尚早" not in listing
    assert world.worker_a1.name not in listing
    assert "试用期 30 天内期满" not in _home(client_for(world.street_b_hr))


def test_a_secretary_is_not_shown_pay_work_she_cannot_do(world: Any, client_for: Any) -> None:
    PayRun.objects.create(unit=world.community_a1, month=date(2026, 3, 1))
    html = _home(client_for(world.secretary_a1))
    assert "薪酬批次" not in html


def test_nothing_waiting_says_so(world: Any, client_for: Any) -> None:
    assert "目前没有等待处理的事项" in _home(client_for(world.street_b_hr))
