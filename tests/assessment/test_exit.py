"""C-EXIT (with A-STEP): two years running 不称职 → a dismissal proposal → a second
confirmation → the worker has left, the contract has ended and the quota place is free."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.assessment.models import Consequence
from shequ.assessment.services import (
    NOT_PROPOSED,
    REJECT_NEEDS_NOTE,
    AssessmentError,
    ScoreEntry,
    campaign_confirm,
    campaign_publish,
    dismissal_decide,
    scores_save,
)
from shequ.errors import Invalid
from shequ.workers import services as worker_services
from shequ.workers.models import Contract, EventKind, Status, Worker, WorkerEvent
from shequ.workers.services import WorkerData, contract_sign, worker_create
from tests.assessment.helpers import bind, campaign, history
from tests.factories import id_number, make_worker


class Full(Invalid):
    pass


@pytest.fixture
def quota_of_three(world: Any) -> Any:
    """A quota ledger like the quota area's (Q-USE): at most 3 current workers in 迎宾社区."""

    def check(unit: Any, joining: int, on: date) -> None:
        if unit.pk == world.community_a1.pk:
            n = Worker.objects.filter(unit=unit).exclude(status=Status.LEFT).count()
            if n + joining > 3:
                raise Full("超出核定员额")

    worker_services.register_admission_check(check)
    yield
    worker_services.ADMISSION_CHECKS.remove(check)


def _newcomer(world: Any) -> WorkerData:
    return WorkerData(name="新人", id_number=id_number(), unit=world.community_a1, category="专职社区工作者",
                      post="助理", education="本科", community_work_start=date(2026, 3, 1))


def test_c_exit_two_years_incompetent_is_proposed_then_dismissed_on_second_confirmation(world: Any, quota_of_three: Any) -> None:
    label = bind(world, excellent_share_cap=1.0)  # baohe: dismiss after 2 years 不称职
    failing = make_worker(world.community_a1, name="连续不称职", post="助理", grade=4)
    once = make_worker(world.community_a1, name="一年不称职", post="助理", grade=4)
    contract_sign(worker=failing, kind="labour", employer="槐阳街道", start=date(2023, 1, 1), end=None, actor=world.street_a_hr)
    history(failing, {2024: "不称职"})
    history(once, {2024: "称职"})
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=failing.pk, indicators={}, tier="不合格"),
        ScoreEntry(worker_id=once.pk, indicators={}, tier="不称职"),
        ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="称职"),
    ])
    campaign_publish(campaign=c, actor=world.street_a_hr)
    s = campaign_confirm(campaign=c, actor=world.city_admin)
    assert s.dismiss == 1
    proposal = Consequence.objects.get(campaign=c, action="解聘")
    assert proposal.worker == failing and proposal.status == "proposed" and proposal.policy_version == label
    failing.refresh_from_db()
    assert failing.status == Status.ACTIVE  # not yet: the first confirmation only proposes
    with pytest.raises(Full):
        worker_create(data=_newcomer(world), effective=date(2026, 3, 1), actor=world.street_a_hr)

    with pytest.raises(AssessmentError, match=REJECT_NEEDS_NOTE):
        dismissal_decide(consequence=proposal, confirm=False, actor=world.city_admin, on=date(2026, 2, 1))
    dismissal_decide(consequence=proposal, confirm=True, actor=world.city_admin, on=date(2026, 2, 1), note="经研究同意")
    failing.refresh_from_db()
    assert failing.status == Status.LEFT and failing.left_on == date(2026, 2, 1)
    assert Contract.objects.get(worker=failing).ended_on == date(2026, 2, 1)
    exit_event = WorkerEvent.objects.get(worker=failing, kind=EventKind.EXIT)
    assert exit_event.policy_version == label and "不称职" in exit_event.cause
    worker_create(data=_newcomer(world), effective=date(2026, 3, 1), actor=world.street_a_hr)  # the place is free
    once.refresh_from_db()
    assert once.status == Status.ACTIVE
    with pytest.raises(AssessmentError, match=NOT_PROPOSED.format(name=failing.name, status="已解聘")):
        dismissal_decide(consequence=proposal, confirm=True, actor=world.city_admin, on=date(2026, 2, 1))


def test_c_exit_a_proposal_turned_down_keeps_the_worker(world: Any) -> None:
    bind(world, excellent_share_cap=1.0)
    failing = make_worker(world.community_a1, name="连续不称职", post="助理", grade=4)
    history(failing, {2024: "不称职"})
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=failing.pk, indicators={}, tier="不称职"),
        ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="称职")])
    campaign_publish(campaign=c, actor=world.street_a_hr)
    campaign_confirm(campaign=c, actor=world.city_admin)
    p = Consequence.objects.get(campaign=c, action="解聘")
    dismissal_decide(consequence=p, confirm=False, actor=world.city_admin, on=date(2026, 2, 1), note="本人已整改")
    failing.refresh_from_db()
    assert failing.status == Status.ACTIVE
    assert Consequence.objects.get(pk=p.pk).status == "rejected"


def test_c_exit_street_hr_cannot_give_the_second_confirmation(world: Any, client_for: Any) -> None:
    """The second confirmation needs assess.confirm (bureau), on the page and the API."""
    bind(world, excellent_share_cap=1.0)
    failing = make_worker(world.community_a1, name="连续不称职", post="助理", grade=4)
    history(failing, {2024: "不称职"})
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=failing.pk, indicators={}, tier="不称职"),
        ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="称职")])
    campaign_publish(campaign=c, actor=world.street_a_hr)
    client = client_for(world.street_a_hr)
    assert client.post(f"/assessment/{c.pk}/confirm/").status_code == 403
    campaign_confirm(campaign=c, actor=world.city_admin)
    p = Consequence.objects.get(campaign=c, action="解聘")
    assert client.post(f"/assessment/{c.pk}/dismissals/", {"consequence": p.pk, "decision": "confirm"}).status_code == 403
    r = client.post(f"/api/v1/assessment/campaigns/{c.pk}/dismissals/{p.pk}", {"confirm": True}, content_type="application/json")
    assert r.status_code == 403
    failing.refresh_from_db()
    assert failing.status == Status.ACTIVE
    admin = client_for(world.city_admin)
    r = admin.post(f"/api/v1/assessment/campaigns/{c.pk}/dismissals/{p.pk}", {"confirm": True, "on": "2026-02-01"},
                   content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    failing.refresh_from_db()
    assert failing.status == Status.LEFT
