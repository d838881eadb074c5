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
