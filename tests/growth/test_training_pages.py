"""Every training page and export answers each persona as its role and scope allow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.growth.training import services
from tests.growth.training_setup import bind_policy

PAGES = [
    "/growth/", "/growth/training/", "/growth/training/compliance/", "/growth/training/hours/",
    "/growth/training/mentoring/", "/growth/training/placements/", "/growth/training/certificates/",
]
EXPORTS = [
    "/growth/training/compliance.xlsx", "/growth/training/hours.xlsx", "/growth/training/mentoring.xlsx",
    "/growth/training/placements.xlsx", "/growth/training/certificates.xlsx",
]


@pytest.fixture
def session(world):
    bind_policy(world)
    course = services.course_create(name="街道全员班", level="街道", unit=world.street_a, hours=Decimal(4),
                                    actor=world.street_a_hr)
    return services.session_create(course=course, start=date(2026, 3, 1), end=date(2026, 3, 1), actor=world.street_a_hr)


@pytest.mark.parametrize("who", ["city_admin", "street_a_hr", "street_b_hr", "secretary_a1"])
def test_every_page_and_export_opens_for_roles_that_may_view_growth(world, session, client_for, who):
    c = client_for(getattr(world, who))
    for url in PAGES:
        r = c.get(url)
        assert r.status_code == 200, url
        assert "培训" in r.content.decode()
    for url in EXPORTS:
        r = c.get(url)
        assert r.status_code == 200, url
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_finance_cannot_open_the_training_pages(world, client_for):
    c = client_for(world.finance)
    for url in PAGES + EXPORTS:
        assert c.get(url).status_code == 403, url
    assert c.get("/api/v1/growth/training/sessions").status_code == 403


def test_a_secretary_can_read_but_not_change_T_LEVEL(world, session, client_for):
    c = client_for(world.secretary_a1)
    assert c.post(f"/growth/training/sessions/{session.pk}/", {"workers": [world.worker_a1.pk]}).status_code == 403
    assert c.post("/growth/training/", {"action": "course", "name": "x", "level": "街道", "hours": "4"}).status_code == 403
    r = c.post(f"/api/v1/growth/training/sessions/{session.pk}/attendance", {"worker_ids": [world.worker_a1.pk]},
               content_type="application/json")
    assert r.status_code == 403
    assert "attend-form" not in c.get(f"/growth/training/sessions/{session.pk}/").content.decode()


def test_street_hr_creates_a_course_and_a_session_from_the_page_T_LEVEL(world, client_for):
    bind_policy(world)
    c = client_for(world.street_a_hr)
    c.post("/growth/training/", {"action": "course", "name": "网格实务", "level": "街道", "unit": world.street_a.pk,
                                 "hours": "6"})
    from shequ.growth.training.models import Course, TrainingSession

    course = Course.objects.get(name="网格实务")
    c.post("/growth/training/", {"action": "session", "course": course.pk, "start": "2026-04-01", "place": "街道会议室"})
    s = TrainingSession.objects.get(course=course)
    assert s.hours == Decimal("6.0") and s.end == date(2026, 4, 1)
    r = c.post("/growth/training/", {"action": "session", "course": course.pk, "start": "2026-04-03", "end": "2026-04-01"})
    page = c.get(r.url).content.decode()
    assert services.END_BEFORE_START.format(start=date(2026, 4, 3), end=date(2026, 4, 1)) in page
    assert TrainingSession.objects.count() == 1


def test_the_hub_links_the_training_pages_and_only_existing_careers_pages(world, client_for):
    page = client_for(world.city_admin).get("/growth/").content.decode()
    assert "/growth/training/compliance/" in page
    assert "培训达标情况" in page


def test_the_openapi_schema_lists_the_training_endpoints(world, client_for):
    r = client_for(world.city_admin).get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in ["/api/v1/growth/training/sessions", "/api/v1/growth/training/compliance",
              "/api/v1/growth/training/mentoring/coverage", "/api/v1/growth/training/rotation/coverage",
              "/api/v1/growth/training/certification/due", "/api/v1/growth/training/certificates"]:
        assert p in paths, p


def test_the_training_area_is_marked_current_on_its_subpages(world, client_for):
    page = client_for(world.street_a_hr).get("/growth/training/compliance/").content.decode()
    assert 'aria-current="page">培训</a>' in page
