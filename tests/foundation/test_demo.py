"""The demo locality loads deterministically and its logins work."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from shequ.org.models import COMMUNITY_TYPES, Unit
from shequ.workers.models import Worker

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_plausible_city_with_working_logins(client):
    call_command("demo_load", communities=40, workers=300, seed=7, verbosity=0)
    assert Unit.objects.filter(unit_type__in=COMMUNITY_TYPES).count() == 40
    assert Worker.objects.count() == 300
    assert client.login(username="street_a_hr", password="shequ2026")
    page = client.get("/workers/").content.decode()
    assert "花名册" in page
    street = client.get("/").context["root"]
    visible = client.get("/api/v1/workers/?limit=1000").json()
    assert visible and all(Worker.objects.get(pk=w["id"]).unit.path.startswith(street.path) for w in visible)


def test_the_demo_has_a_past_so_every_area_shows_something_and_work_is_waiting(client):
    """Issue 14.8: assessments with consequences, locked pay months, training, certificates,
    a reserve pool and a recruitment in progress; 待办 lists what waits."""
    from shequ.assessment.models import Campaign, CampaignStatus
    from shequ.growth.careers.models import ReserveCandidate
    from shequ.growth.training.models import Attendance
    from shequ.pay.models import PayRun, RunStatus
    from shequ.recruitment.models import Application
    from shequ.workers.models import Certificate

    call_command("demo_load", communities=40, workers=300, seed=7, verbosity=0)
    assert Campaign.objects.filter(status=CampaignStatus.CONFIRMED).count() == 2
    assert Campaign.objects.filter(status=CampaignStatus.PUBLISHED).count() == 1
    assert PayRun.objects.filter(status=RunStatus.LOCKED).count() == 3
    assert PayRun.objects.filter(status=RunStatus.DRAFT).count() == 1
    assert Attendance.objects.count() > 0 and Certificate.objects.count() > 0
    assert ReserveCandidate.objects.count() > 0 and Application.objects.count() > 0
    assert client.login(username="city_admin", password="shequ2026")
    home = client.get("/").content.decode()
    assert "考核结果已公布、待确认结果运用" in home and "薪酬批次待提交审核（草稿）" in home
