"""ORG-1 for the assessment: street B's HR (and a bureau user placed in street B) can neither
see nor change street A's campaign, scores, results or lists: every page, endpoint, export."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shequ.assessment.models import Breach, Campaign, Consequence, Score
from shequ.assessment.services import (
    WORKER_NOT_IN_CAMPAIGN,
    AssessmentError,
    ScoreEntry,
    campaign_publish,
    scores_save,
)
from shequ.assessment.tables import EXPORTS
from shequ.common.scope import ScopeError
from shequ.workers.models import Status
from tests.assessment.helpers import bind, campaign, history, sheet
from tests.factories import make_user, make_worker


@pytest.fixture
def street_a_campaign(world: Any) -> Campaign:
    bind(world, excellent_share_cap=1.0, negative_list=["违反廉洁纪律", "弄虚作假"])
    failing = make_worker(world.community_a1, name="连续不称职", post="助理", grade=4)
    history(failing, {2024: "不称职"})
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=failing.pk, indicators={}, tier="不称职"),
        ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="称职")])
    return c


PAGES_GET = ["", "scores/", "import/", "template.xlsx", "breaches/", "preview/", "dismissals/"]
PAGES_POST = ["scores/", "import/", "adjust/", "breaches/", "publish/", "confirm/", "dismissals/"]


def test_scope_street_b_hr_sees_no_page_or_export_of_street_a(world: Any, client_for: Any, street_a_campaign: Campaign) -> None:
    c = street_a_campaign
    client = client_for(world.street_b_hr)
    index = client.get("/assessment/").content.decode()
    assert c.name not in index
    for page in PAGES_GET:
        assert client.get(f"/assessment/{c.pk}/{page}").status_code in (403, 404), page
    for kind in EXPORTS:
        assert client.get(f"/assessment/{c.pk}/export/{kind}.xlsx").status_code == 404, kind
    for page in PAGES_POST:
        assert client.post(f"/assessment/{c.pk}/{page}", {"worker": world.worker_a1.pk, "tier": "优秀", "reason": "x",
                                                        "id_number": world.worker_a1.id_number}).status_code in (403, 404), page
    r = client.post(f"/assessment/{c.pk}/import/", {"file": SimpleUploadedFile("a.xlsx", sheet(["身份证号", "考核等次"], [[world.worker_a1.id_number, "优秀"]]))})
    assert r.status_code == 404
    # Nothing changed.
    c.refresh_from_db()
    assert c.status == "draft"
    assert Score.objects.get(campaign=c, worker=world.worker_a1).tier_given == "称职"
    assert not Breach.objects.exists()


def test_scope_street_b_hr_cannot_create_a_campaign_for_street_a(world: Any, client_for: Any) -> None:
    bind(world)
    client = client_for(world.street_b_hr)
    assert client.post("/assessment/", {"unit": world.street_a.pk, "year": 2025}).status_code == 404
    r = client.post("/api/v1/assessment/campaigns", {"unit": world.street_a.pk, "year": 2025}, content_type="application/json")
    assert r.status_code == 404
    with pytest.raises(ScopeError):
        campaign(world, unit=world.street_a, actor=world.street_b_hr)
    assert not Campaign.objects.exists()


def test_scope_every_api_endpoint_refuses_street_b(world: Any, client_for: Any, street_a_campaign: Campaign) -> None:
    c = street_a_campaign
    client = client_for(world.street_b_hr)
    base = f"/api/v1/assessment/campaigns/{c.pk}"
    assert client.get("/api/v1/assessment/campaigns").json() == []
    for path in ("", "/results", "/preview", "/consequences"):
        assert client.get(base + path).status_code == 404, path
    js = "application/json"
    assert client.put(base + "/scores", [{"worker_id": world.worker_a1.pk, "tier": "优秀"}], content_type=js).status_code == 404
    assert client.post(base + "/breaches", {"worker_id": world.worker_a1.pk, "reason": "x"}, content_type=js).status_code == 404
    assert client.post(base + "/publish", content_type=js).status_code == 404
    assert client.post(base + "/confirm", {}, content_type=js).status_code == 403  # no assess.confirm at all
    assert Score.objects.get(campaign=c, worker=world.worker_a1).tier_given == "称职"


def test_scope_a_bureau_user_of_street_b_cannot_confirm_street_a(world: Any, client_for: Any, street_a_campaign: Campaign) -> None:
    c = street_a_campaign
    campaign_publish(campaign=c, actor=world.street_a_hr)
    other = make_user("b_bureau", "bureau_admin", world.street_b)
    client = client_for(other)
    base = f"/api/v1/assessment/campaigns/{c.pk}"
    assert client.post(base + "/confirm", {}, content_type="application/json").status_code == 404
    assert client.post(f"/assessment/{c.pk}/confirm/").status_code == 404
    # After the real confirmation, the dismissal is out of their reach too.
    client_for(world.city_admin).post(base + "/confirm", {}, content_type="application/json")
    p = Consequence.objects.get(campaign=c, action="解聘")
    client = client_for(other)
    assert client.post(base + f"/dismissals/{p.pk}", {"confirm": True}, content_type="application/json").status_code == 404
    assert client.post(f"/assessment/{c.pk}/dismissals/", {"consequence": p.pk, "decision": "confirm"}).status_code == 404
    p.worker.refresh_from_db()
    assert p.worker.status == Status.ACTIVE


def test_scope_street_a_cannot_score_a_street_b_worker_in_its_campaign(world: Any, street_a_campaign: Campaign) -> None:
    with pytest.raises(AssessmentError, match=WORKER_NOT_IN_CAMPAIGN.format(name=f"编号 {world.worker_b1.pk} 的人员")):
        scores_save(campaign=street_a_campaign, actor=world.street_a_hr,
                    entries=[ScoreEntry(worker_id=world.worker_b1.pk, indicators={}, tier="优秀")])


def test_scope_the_owner_sees_every_page_and_export(world: Any, client_for: Any, street_a_campaign: Campaign) -> None:
    c = street_a_campaign
    client = client_for(world.street_a_hr)
    for page in ["", "scores/", "import/", "template.xlsx", "breaches/", "preview/"]:
        assert client.get(f"/assessment/{c.pk}/{page}").status_code == 200, page
    for kind in EXPORTS:
        assert client.get(f"/assessment/{c.pk}/export/{kind}.xlsx").status_code == 200, kind
    assert client.get(f"/assessment/{c.pk}/dismissals/").status_code == 403  # needs assess.confirm
    assert c.name in client.get("/assessment/").content.decode()


def test_scope_street_b_hr_cannot_open_or_commit_street_a_import_batches(world: Any, client_for: Any, street_a_campaign: Campaign) -> None:
    c = street_a_campaign
    hr_a = client_for(world.street_a_hr)
    hr_a.post(f"/assessment/{c.pk}/import/", {"file": SimpleUploadedFile("a.xlsx", sheet(["身份证号", "考核等次"], [[world.worker_a1.id_number, "优秀"]]))})
    from shequ.common.models import ImportBatch

    batch = ImportBatch.objects.latest("pk")
    assert batch.status == "ready"
    hr_b = client_for(world.street_b_hr)
    assert hr_b.get(f"/assessment/{c.pk}/import/{batch.pk}/").status_code == 404
    assert hr_b.post(f"/assessment/{c.pk}/import/{batch.pk}/", {"commit": "1"}).status_code == 404
    assert Score.objects.get(campaign=c, worker=world.worker_a1).tier_given == "称职"
