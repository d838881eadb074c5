"""One page per person (档案, issue 14.5): what every area keeps about a worker on one
page, read within the caller's scope; pay only for roles with pay rights."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.assessment.models import Result
from shequ.growth.careers.services import honour_record
from shequ.growth.training.models import Attendance, Course, TrainingSession
from shequ.pay.models import PayLine, PayRun, RunStatus
from shequ.workers.services import worker_update

pytestmark = pytest.mark.django_db


def _history(world):
    w = world.worker_a1
    hr = world.street_a_hr
    worker_update(worker=w, changes={"grade": 3}, effective=date(2023, 1, 1), actor=hr, cause="2022年度考核优秀晋升一级",
                  kind="placement")
    worker_update(worker=w, changes={"post": "主办"}, effective=date(2025, 7, 1), actor=hr, cause="竞聘主办", kind="post_change")
    Result.objects.create(worker=w, year=2023, tier="优秀", score=Decimal("93.5"), unit=w.unit)
    Result.objects.create(worker=w, year=2024, tier="称职", unit=w.unit)
    course = Course.objects.create(name="社区治理专题", level="县级", unit=world.street_a, hours=Decimal("8"))
    for start, hours in ((date(2024, 5, 6), "8"), (date(2025, 3, 2), "12"), (date(2025, 9, 9), "6.5")):
        s = TrainingSession.objects.create(course=course, unit=world.street_a, start=start, end=start, hours=Decimal(hours))
        Attendance.objects.create(session=s, worker=w, unit=w.unit, level="县级", attended_on=start, hours=Decimal(hours))
    honour_record(worker=w, kind="表彰奖励", level="街道级", title="优秀社区工作者", awarded_on=date(2025, 12, 1), actor=hr)
    run = PayRun.objects.create(unit=world.street_a, month=date(2026, 10, 1), status=RunStatus.APPROVED)
    PayLine.objects.create(run=run, worker=w, unit=w.unit, for_month=date(2026, 10, 1), policy_label="x", post="主办",
                           grade=3, education="本科", certificate="无", days=31, days_in_month=31,
                           components={}, gross=Decimal("5259.31"))
    PayLine.objects.create(run=run, worker=w, unit=w.unit, for_month=date(2026, 9, 1), kind="back_pay",
                           policy_label="x", post="主办", grade=3, education="本科", certificate="无", days=30,
                           days_in_month=30, components={}, gross=Decimal("120.00"))
    return w


def test_a_street_hr_sees_grades_assessments_training_honours_and_pay_on_one_page(world, client_for):
    w = _history(world)
    html = client_for(world.street_a_hr).get(f"/dossier/{w.pk}/").content.decode()
    grade_post = html.split('id="grade-post"')[1].split("</section>")[0]
    assert "竞聘主办" not in grade_post and "主办" in grade_post and ">3<" in grade_post
    assessment = html.split('id="assessment"')[1].split("</section>")[0]
    assert "2023" in assessment and "优秀" in assessment and "93.50" in assessment and "2024" in assessment
    training = html.split('id="training"')[1].split("</section>")[0]
    assert "<td>2025</td>" in training and "18.5" in training and "<td>2024</td>" in training
    pay = html.split('id="pay"')[1].split("</section>")[0]
    assert "2026年10月" in pay and "5,259.31" in pay and "120.00" in pay
    assert "优秀社区工作者" in html


def test_a_secretary_sees_the_page_without_pay(world, client_for):
    w = _history(world)
    response = client_for(world.secretary_a1).get(f"/dossier/{w.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="pay"' not in html and "5,259.31" not in html
    assert 'id="upload-form"' not in html  # read-only role: no upload


def test_pay_on_the_page_shows_only_lines_paid_in_the_callers_units_even_from_a_city_wide_run(world, client_for):
    w = _history(world)
    city_run = PayRun.objects.create(unit=world.city, month=date(2026, 8, 1), status=RunStatus.APPROVED)
    PayLine.objects.create(run=city_run, worker=w, unit=w.unit, for_month=date(2026, 8, 1), policy_label="x",
                           post="主办", grade=3, education="本科", certificate="无", days=31, days_in_month=31,
                           components={}, gross=Decimal("4100.00"))
    # Paid for July while in street B, before a transfer brought the worker to street A.
    street_b_run = PayRun.objects.create(unit=world.street_b, month=date(2026, 7, 1), status=RunStatus.APPROVED)
    PayLine.objects.create(run=street_b_run, worker=w, unit=world.community_b1, for_month=date(2026, 7, 1),
                           policy_label="x", post="助理", grade=2, education="本科", certificate="无", days=31,
                           days_in_month=31, components={}, gross=Decimal("4321.00"))
    html = client_for(world.street_a_hr).get(f"/dossier/{w.pk}/").content.decode()
    assert "4,100.00" in html and "4,321.00" not in html
    assert "4,321.00" in client_for(world.city_admin).get(f"/dossier/{w.pk}/").content.decode()


def test_a_street_hr_of_another_street_gets_404_for_the_page(world, client_for):
    assert client_for(world.street_b_hr).get(f"/dossier/{world.worker_a1.pk}/").status_code == 404


def test_the_worker_page_links_to_the_person_page(world, client_for):
    html = client_for(world.street_a_hr).get(f"/workers/{world.worker_a1.pk}/").content.decode()
    assert f'href="/dossier/{world.worker_a1.pk}/"' in html
