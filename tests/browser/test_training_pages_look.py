"""The mentoring, exchange/rotation and certificate pages as a street HR sees them, after
using each page's form once (T-MENTOR, T-ALL, T-CERT)."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.growth.training.models import MentorPair, Placement
from shequ.workers.models import Worker
from tests.browser.conftest import login, shot
from tests.factories import make_worker
from tests.growth.training_setup import bind_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_street_hr_pairs_a_mentor_records_a_rotation_and_a_certificate(world, live_server, page):
    bind_policy(world)
    young = make_worker(world.community_a1, name="小王书记", post="主管", birth_date=date(1996, 6, 1))
    login(page, live_server, "street_a_hr")

    page.goto(f"{live_server.url}/growth/training/mentoring/")
    assert "小王书记" in page.inner_text("#unpaired")
    page.select_option("#pair-form select[name=mentee]", str(young.pk))
    page.fill("#pair-form input[name=mentor_name]", "街道党工委书记")
    page.select_option("#pair-form select[name=group]", "young_secretary")
    page.fill("#pair-form input[name=start]", "2026-03-01")
    page.click("#pair-form button[type=submit]")
    page.wait_for_selector("#pairs >> text=街道党工委书记")
    assert "小王书记" not in page.inner_text("#unpaired")
    assert MentorPair.objects.get().mentee_id == young.pk
    shot(page, "training-mentoring")

    page.goto(f"{live_server.url}/growth/training/placements/")
    page.select_option("#placement-form select[name=kind]", "rotation")
    page.select_option("#placement-form select[name=worker]", str(young.pk))
    page.fill("#placement-form input[name=place]", "迎宾社区")
    page.fill("#placement-form input[name=post_served]", "民政救助")
    page.fill("#placement-form input[name=start]", "2026-01-01")
    page.fill("#placement-form input[name=end]", "2026-03-01")
    page.click("#placement-form button[type=submit]")
    page.wait_for_selector("#rotations >> text=民政救助")
    assert Placement.objects.get().post_served == "民政救助"
    shot(page, "training-placements")

    page.goto(f"{live_server.url}/growth/training/certificates/")
    page.select_option("#certificate-form select[name=worker]", str(young.pk))
    page.select_option("#certificate-form select[name=level]", "社会工作师")
    page.fill("#certificate-form input[name=obtained_on]", "2026-02-01")
    page.click("#certificate-form button[type=submit]")
    page.wait_for_selector("#certificates >> text=社会工作师")
    assert Worker.objects.get(pk=young.pk).certificate == "社会工作师"
    shot(page, "training-certificates")
