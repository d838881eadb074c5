"""Welfare records (004: a health check once a year; union membership): a yearly record per
worker, the items and their cycle as policy data, and a list of who is due."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from shequ.errors import Invalid
from shequ.pay.leave_services import welfare_record_set
from tests.pay.conftest import worker


def test_the_tongren_preset_names_a_yearly_health_check_and_union_membership_from_004() -> None:
    from django.conf import settings

    from shequ.rules import load_policy

    items = load_policy(settings.POLICY_DIR / "tongren.toml").params(date(2026, 1, 31)).welfare.items
    assert items["健康体检"].every_years == 1 and items["工会会员"].every_years is None


def test_the_due_list_shows_who_has_had_no_health_check_this_year(world: Any, bind: Any, client_for: Any) -> None:
    bind(world.street_a, "tongren", since=date(2022, 1, 1))
    checked = worker(world.community_a1, name="已体检", post="五岗", grade=3)
    worker(world.community_a1, name="未体检", post="五岗", grade=3)
    welfare_record_set(worker=checked, item="健康体检", year=2026, on=date(2026, 5, 8), actor=world.street_a_hr)
    page = client_for(world.street_a_hr).get(
        reverse("pay:welfare") + f"?unit={world.street_a.pk}&item=健康体检&year=2026").content.decode()
    due = page[page.index('id="due"'):]
    assert "未体检" in due and "已体检" not in due and "每 1 年一次" in page
    # Next year both are due again.
    page = client_for(world.street_a_hr).get(
        reverse("pay:welfare") + f"?unit={world.street_a.pk}&item=健康体检&year=2027").content.decode()
    assert "已体检" in page[page.index('id="due"'):]


def test_an_item_the_policy_does_not_name_is_refused_and_another_street_cannot_record(world: Any, bind: Any) -> None:
    from shequ.common.scope import ScopeError

    bind(world.street_a, "tongren", since=date(2022, 1, 1))
    w = worker(world.community_a1, post="五岗", grade=3)
    with pytest.raises(Invalid) as err:
        welfare_record_set(worker=w, item="疗休养", year=2026, actor=world.street_a_hr)
    assert str(err.value).startswith("「疗休养」不是适用政策") and "可填：健康体检、工会会员" in str(err.value)
    with pytest.raises(ScopeError):
        welfare_record_set(worker=w, item="健康体检", year=2026, actor=world.street_b_hr)


def test_a_street_user_sees_no_due_list_of_another_street(world: Any, client_for: Any) -> None:
    r = client_for(world.street_b_hr).get(reverse("pay:welfare") + f"?unit={world.street_a.pk}")
    assert r.status_code == 404
