"""P-TREAT: economic treatment by condition (004: 17 secretaries receive the economic
treatment of a 街道副科级 cadre) is a dated attribute of a worker that pay formulas read
as `treatment`; the tongren preset pays it as 经济待遇补差."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shequ.errors import Invalid
from shequ.pay.leave_services import TREATMENT_OVERLAP, treatment_grant
from shequ.pay.models import LineKind
from tests.pay.conftest import line_of, worker

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
# Above tongren's floor, so the treatment shows in full (P-FLOOR would absorb part of it).
SECRETARY = dict(post="一岗", grade=18, education="本科", certificate="社会工作师")


def test_p_treat_the_tongren_preset_pays_the_deputy_section_treatment_from_the_month_it_holds(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "tongren", since=date(2022, 1, 1))
    sec = worker(world.community_a1, name="杨书记", **SECRETARY)
    treatment_grant(worker=sec, kind="副科级", since=date(2026, 2, 1), note="任期内（004）", actor=world.street_a_hr)
    jan, feb = line_of(run_month(world.street_a, JAN), sec), line_of(run_month(world.street_a, FEB), sec)
    assert jan.treatment == "" and jan.components["经济待遇补差"] == 0 and jan.components["兜底补差"] == 0
    assert feb.treatment == "副科级" and feb.components["经济待遇补差"] == 1500
    assert feb.gross - jan.gross == Decimal("1500.00")


def test_p_treat_the_amount_is_policy_data_marked_assumed(world: Any) -> None:
    from django.conf import settings

    from shequ.rules import load_policy

    policy = load_policy(settings.POLICY_DIR / "tongren.toml")
    entry = policy.entry("params", "treatment_pay", date(2026, 1, 31))
    assert entry is not None and entry.value == {"副科级": 1500} and entry.assumed is True
    assert next(c for c in policy.components if c.name == "经济待遇补差").spec == "P-TREAT"


def test_p_treat_a_treatment_granted_back_into_a_locked_month_is_paid_in_the_next_run(world: Any, bind: Any, run_month: Any, lock: Any) -> None:
    bind(world.street_a, "tongren", since=date(2022, 1, 1))
    sec = worker(world.community_a1, **SECRETARY)
    lock(run_month(world.street_a, JAN))
    treatment_grant(worker=sec, kind="副科级", since=JAN, actor=world.street_a_hr)
    adj = line_of(run_month(world.street_a, FEB), sec, JAN)
    assert adj.kind == LineKind.BACK_PAY and adj.components["经济待遇补差"] == 1500
    assert "经济待遇 无→副科级" in adj.reason


def test_p_treat_overlapping_treatments_are_refused_and_another_street_cannot_grant(world: Any, bind: Any) -> None:
    from shequ.common.scope import ScopeError

    sec = worker(world.community_a1, name="王书记", **SECRETARY)
    treatment_grant(worker=sec, kind="副科级", since=JAN, until=date(2026, 12, 31), actor=world.street_a_hr)
    with pytest.raises(Invalid) as err:
        treatment_grant(worker=sec, kind="副科级", since=date(2026, 6, 1), actor=world.street_a_hr)
    assert str(err.value) == TREATMENT_OVERLAP.format(name="王书记", since=JAN, kind="副科级")
    with pytest.raises(ScopeError):
        treatment_grant(worker=sec, kind="副科级", since=date(2027, 1, 1), actor=world.street_b_hr)


def test_p_treat_the_payslip_explains_the_treatment_component(world: Any, bind: Any, run_month: Any, client_for: Any) -> None:
    from django.urls import reverse

    bind(world.street_a, "tongren", since=date(2022, 1, 1))
    sec = worker(world.community_a1, **SECRETARY)
    treatment_grant(worker=sec, kind="副科级", since=JAN, actor=world.street_a_hr)
    run = run_month(world.street_a, JAN)
    page = client_for(world.street_a_hr).get(reverse("pay:payslip", args=[run.pk, sec.pk])).content.decode()
    basis = page[page.index('id="basis"'):]
    assert "经济待遇补差" in basis and "1500" in basis
