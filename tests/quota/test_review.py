"""Q-REV: a change is proposed (recomputed or by hand with a reason), approved by the
bureau, effective from its date; units due for their periodic review are listed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from shequ.common.models import AuditEntry
from shequ.common.scope import ScopeError
from shequ.errors import Forbidden
from shequ.quota.models import DecisionSource, DecisionStatus, QuotaDecision
from shequ.quota.selectors import quota_in_force, review_list
from shequ.quota.services import (
    APPROVE_DENIED,
    MANUAL_NEEDS_REASON,
    NOTHING_TO_PROPOSE,
    OPEN_PROPOSAL,
    REJECT_NEEDS_NOTE,
    QuotaError,
    quota_approve,
    quota_propose_manual,
    quota_propose_recomputed,
    quota_reject,
)


def test_q_rev_a_recomputed_proposal_approved_by_the_bureau_takes_effect_from_its_date(world: Any, bind: Any) -> None:
    """Q-REV: street HR proposes, the city approves, the quota counts from `since` only."""
    bind("baohe")
    since = date(2024, 7, 1)
    result = quota_propose_recomputed(root=world.street_a, since=since, actor=world.street_a_hr)
    assert sorted((d.unit.name, d.quota) for d in result.created) == [
        ("槐阳北社区", 16), ("槐阳街道机关", 75), ("迎宾社区", 16)]
    basis = {d.unit.name: d.explanation for d in result.created}
    assert "单位类型=村改社区" in basis["槐阳北社区"] and "单位类型=城市社区" in basis["迎宾社区"]
    assert "quota_base[街道机关] = 75" in basis["槐阳街道机关"]
    # Proposed is not approved: nothing in force yet.
    assert quota_in_force(unit=world.community_a1, on=date(2030, 1, 1)) is None
    assert quota_approve(decisions=result.created, actor=world.city_admin, note="编委审核同意") == 3
    assert quota_in_force(unit=world.community_a1, on=date(2024, 6, 30)) is None
    current = quota_in_force(unit=world.community_a1, on=since)
    assert current is not None and current.quota == 16 and current.decided_by == world.city_admin
    assert current.decision_note == "编委审核同意"
    assert AuditEntry.objects.filter(action="quota.approve").count() == 3
    assert AuditEntry.objects.filter(action="quota.propose").count() == 3


def test_q_rev_street_hr_may_propose_but_not_approve(world: Any, bind: Any) -> None:
    """Q-REV: approval is the staffing office's (bureau role), never the street's."""
    bind("baohe")
    d = quota_propose_manual(unit=world.community_a1, quota=18, since=date(2024, 1, 1),
                             reason="新建小区入住，户数增加", actor=world.street_a_hr)
    with pytest.raises(Forbidden) as err:
        quota_approve(decisions=[d], actor=world.street_a_hr)
    assert str(err.value) == APPROVE_DENIED
    d.refresh_from_db()
    assert d.status == DecisionStatus.PROPOSED and d.decided_by is None
    assert quota_in_force(unit=world.community_a1, on=date(2025, 1, 1)) is None


def test_q_rev_a_later_approval_changes_the_quota_from_its_own_date_only(world: Any, bind: Any, approve_quota: Any) -> None:
    bind("baohe")
    approve_quota(world.community_a1, 16, since=date(2021, 1, 1))
    later = quota_propose_manual(unit=world.community_a1, quota=20, since=date(2024, 1, 1),
                                 reason="机构改革，合并相邻网格", actor=world.street_a_hr)
    assert later.previous_quota == 16 and later.computed_quota == 16
    assert "人工核定 20 名，理由：机构改革，合并相邻网格" in later.explanation
    assert "按政策测算为 16 名" in later.explanation
    quota_approve(decisions=[later], actor=world.city_admin)
    assert quota_in_force(unit=world.community_a1, on=date(2023, 12, 31)).quota == 16
    assert quota_in_force(unit=world.community_a1, on=date(2024, 1, 1)).quota == 20


def test_q_rev_a_hand_set_quota_needs_a_reason(world: Any, bind: Any) -> None:
    bind("baohe")
    with pytest.raises(QuotaError) as err:
        quota_propose_manual(unit=world.community_a1, quota=18, since=date(2024, 1, 1), reason="  ",
                             actor=world.street_a_hr)
    assert str(err.value) == MANUAL_NEEDS_REASON
    assert not QuotaDecision.objects.exists()


def test_the_database_refuses_a_hand_set_quota_without_reason(world: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaDecision.objects.create(unit=world.community_a1, quota=3, since=date(2024, 1, 1),
                                     source=DecisionSource.MANUAL, reason="")


def test_q_rev_one_open_proposal_per_unit(world: Any, bind: Any) -> None:
    bind("baohe")
    quota_propose_manual(unit=world.community_a1, quota=18, since=date(2024, 1, 1), reason="调整",
                         actor=world.street_a_hr)
    with pytest.raises(QuotaError) as err:
        quota_propose_manual(unit=world.community_a1, quota=19, since=date(2024, 2, 1), reason="再调整",
                             actor=world.street_a_hr)
    assert str(err.value) == OPEN_PROPOSAL.format(unit="迎宾社区", quota=18, since=date(2024, 1, 1))
    # A recompute of the street skips the unit with an open proposal and says so.
    result = quota_propose_recomputed(root=world.street_a, since=date(2024, 1, 1), actor=world.street_a_hr)
    assert {d.unit.name for d in result.created} == {"槐阳北社区", "槐阳街道机关"}
    assert result.skipped_open == 1


def test_q_rev_recompute_proposes_only_changes_unless_confirming_a_review(world: Any, bind: Any, approve_quota: Any) -> None:
    bind("baohe")
    approve_quota(world.community_b1, 19)
    with pytest.raises(QuotaError) as err:
        quota_propose_recomputed(root=world.street_b, since=date(2024, 1, 1), actor=world.street_b_hr)
    assert str(err.value) == NOTHING_TO_PROPOSE
    result = quota_propose_recomputed(root=world.street_b, since=date(2024, 1, 1), actor=world.street_b_hr,
                                      include_unchanged=True)
    assert [(d.quota, d.previous_quota) for d in result.created] == [(19, 19)]


def test_q_rev_rejection_needs_a_note_and_leaves_the_quota_alone(world: Any, bind: Any) -> None:
    bind("baohe")
    d = quota_propose_manual(unit=world.community_a1, quota=30, since=date(2024, 1, 1), reason="多要一些",
                             actor=world.street_a_hr)
    with pytest.raises(QuotaError) as err:
        quota_reject(decision=d, actor=world.city_admin, note="")
    assert str(err.value) == REJECT_NEEDS_NOTE
    quota_reject(decision=d, actor=world.city_admin, note="理由不充分")
    d.refresh_from_db()
    assert d.status == DecisionStatus.REJECTED and d.decision_note == "理由不充分"
    assert quota_in_force(unit=world.community_a1, on=date(2025, 1, 1)) is None


def test_q_rev_street_b_cannot_propose_for_street_a(world: Any, bind: Any) -> None:
    bind("baohe")
    with pytest.raises(ScopeError):
        quota_propose_manual(unit=world.community_a1, quota=3, since=date(2024, 1, 1), reason="x",
                             actor=world.street_b_hr)
    with pytest.raises(ScopeError):
        quota_propose_recomputed(root=world.street_a, since=date(2024, 1, 1), actor=world.street_b_hr)
    assert not QuotaDecision.objects.exists()


def test_q_rev_units_due_for_review_use_the_policys_period(world: Any, bind: Any, approve_quota: Any) -> None:
    """Q-REV: baohe reviews every 3 years ([quota_review] every_years = 3)."""
    bind("baohe")
    approve_quota(world.community_a1, 16, since=date(2021, 1, 1))
    approve_quota(world.community_b1, 19, since=date(2023, 1, 1))
    due = review_list(user=world.city_admin, on=date(2024, 1, 1))
    assert [i.unit.name for i in due["due"]] == ["迎宾社区"]
    assert due["due"][0].due_on == date(2024, 1, 1) and due["due"][0].every_years == 3
    assert {i.unit.name for i in due["unset"]} == {"槐阳街道机关", "槐阳北社区"}
    assert [i.unit.name for i in review_list(user=world.city_admin, on=date(2026, 1, 1))["due"]] == ["迎宾社区", "东门社区"]
    # Street B sees only its own.
    assert [i.unit.name for i in review_list(user=world.street_b_hr, on=date(2026, 1, 1))["due"]] == ["东门社区"]


def test_q_rev_the_review_period_is_read_from_the_policy_not_the_code(world: Any, bind: Any, approve_quota: Any) -> None:
    """Q-REV: a locality that reviews every 2 years gets units due after 2 years."""
    bind('[policy]\nid = "baohe2"\nname = "两年复核"\nversion = "1.0.0"\nextends = "baohe"\nsource = "测试"\n\n'
         '[quota_review]\nsource = "测试"\nsince = 2021-01-01\nevery_years = 2\n')
    approve_quota(world.community_a1, 16, since=date(2021, 1, 1))
    due = review_list(user=world.city_admin, on=date(2023, 1, 1))["due"]
    assert [(i.unit.name, i.every_years, i.due_on) for i in due] == [("迎宾社区", 2, date(2023, 1, 1))]


def test_q_rev_a_policy_without_a_review_period_lists_units_apart(world: Any, bind: Any, approve_quota: Any) -> None:
    """hunchun sets no [quota_review]: its units are listed as having no period, never guessed."""
    bind("hunchun")
    approve_quota(world.community_a1, 10, since=date(2021, 1, 1))
    data = review_list(user=world.city_admin, on=date(2030, 1, 1))
    assert data["due"] == []
    assert [i.unit.name for i in data["no_period"]] == ["迎宾社区"]


def test_q_rev_a_new_approval_for_the_same_date_supersedes_the_old_one(world: Any, bind: Any, approve_quota: Any) -> None:
    bind("baohe")
    first = approve_quota(world.community_a1, 16, since=date(2024, 1, 1))
    second = approve_quota(world.community_a1, 14, since=date(2024, 1, 1))
    first.refresh_from_db()
    assert first.status == DecisionStatus.SUPERSEDED and second.status == DecisionStatus.APPROVED
    assert quota_in_force(unit=world.community_a1, on=date(2024, 1, 1)).quota == 14
