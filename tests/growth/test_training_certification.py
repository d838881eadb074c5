"""T-CERT: certificates with level and date, the share certified per unit, who must still
be certified by the policy's deadline, and the allowance from the next month via the engine."""

from __future__ import annotations

import io
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from shequ.common.scope import ScopeError
from shequ.growth.training import services
from shequ.growth.training.certification import (
    DUE,
    OVERDUE,
    certification_due,
    certification_share,
    pay_certificates,
)
from shequ.policy.selectors import policy_for
from shequ.rules import pay, place
from shequ.workers.models import Certificate, EventKind, Worker, WorkerEvent
from tests.factories import make_worker
from tests.growth.training_setup import bind_policy

ALLOWANCE = "职业水平津贴"


@pytest.fixture
def newcomer(world):
    bind_policy(world)
    return make_worker(world.community_a1, name="新人", post="助理", hired_on=date(2023, 9, 1),
                       community_work_start=date(2023, 9, 1))


def test_recording_a_certificate_updates_the_worker_through_the_history_T_CERT(world, newcomer):
    cert = services.certificate_record(worker=newcomer, level="社会工作师", obtained_on=date(2026, 11, 10), number="SW-1",
                                       actor=world.street_a_hr)
    assert Certificate.objects.get(pk=cert.pk).level == "社会工作师"
    newcomer.refresh_from_db()
    assert newcomer.certificate == "社会工作师"
    e = WorkerEvent.objects.get(worker=newcomer, kind=EventKind.CERTIFICATE)
    assert e.effective == date(2026, 11, 10)
    assert e.data == {"before": {"certificate": "无"}, "after": {"certificate": "社会工作师"}}


def test_the_worker_history_page_shows_the_certificate_and_the_training_T_CERT(world, newcomer, client_for):
    from decimal import Decimal

    services.certificate_record(worker=newcomer, level="社会工作师", obtained_on=date(2026, 11, 10), actor=world.street_a_hr)
    course = services.course_create(name="街道全员班", level="街道", unit=world.street_a, hours=Decimal(4),
                                    actor=world.street_a_hr)
    s = services.session_create(course=course, start=date(2026, 11, 12), end=date(2026, 11, 12), actor=world.street_a_hr)
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=newcomer)], actor=world.street_a_hr)
    timeline = client_for(world.street_a_hr).get(f"/workers/{newcomer.pk}/").content.decode()
    assert "职业资格" in timeline and "社会工作师" in timeline and "2026-11-10" in timeline
    assert "参加街道培训：街道全员班" in timeline


def test_a_lower_certificate_is_stored_but_does_not_lower_the_worker_T_CERT(world, newcomer):
    services.certificate_record(worker=newcomer, level="社会工作师", obtained_on=date(2026, 1, 10), actor=world.street_a_hr)
    services.certificate_record(worker=newcomer, level="助理社会工作师", obtained_on=date(2026, 2, 10), actor=world.street_a_hr)
    newcomer.refresh_from_db()
    assert newcomer.certificate == "社会工作师"
    assert Certificate.objects.filter(worker=newcomer).count() == 2


def test_a_certificate_level_must_be_a_real_one_T_CERT(world, newcomer):
    with pytest.raises(services.TrainingError) as err:
        services.certificate_record(worker=newcomer, level="无", obtained_on=date(2026, 1, 10), actor=world.street_a_hr)
    assert str(err.value) == services.BAD_CERT_LEVEL.format(level="无")


def test_the_share_certified_is_per_unit_and_as_of_a_date_T_CERT(world, newcomer):
    services.certificate_record(worker=newcomer, level="助理社会工作师", obtained_on=date(2026, 6, 1), actor=world.street_a_hr)
    share = {r["unit_name"]: r for r in certification_share(user=world.city_admin, root=None, on=date(2026, 7, 1)).to_dicts()}
    assert (share["迎宾社区"]["certified"], share["迎宾社区"]["headcount"], share["迎宾社区"]["share"]) == (1, 2, 0.5)
    assert share["东门社区"]["certified"] == 0
    before = {r["unit_name"]: r for r in certification_share(user=world.city_admin, root=None, on=date(2026, 5, 31)).to_dicts()}
    assert before["迎宾社区"]["certified"] == 0


def test_who_must_still_be_certified_follows_the_policy_deadline_T_CERT(world, newcomer):
    due = {r["name"]: r for r in certification_due(user=world.city_admin, root=None, on=date(2026, 7, 1)).workers.to_dicts()}
    # Entry 2023-09-01 + 5 years; veterans' clocks start when the rule did (2021-01-01), not at their old entry.
    assert due["新人"]["deadline"] == date(2028, 9, 1) and due["新人"]["status"] == DUE
    assert due["刘少萌"]["deadline"] == date(2026, 1, 1) and due["刘少萌"]["status"] == OVERDUE
    bind_policy(world, deadline_years=3)
    due = {r["name"]: r for r in certification_due(user=world.city_admin, root=None, on=date(2026, 7, 1)).workers.to_dicts()}
    assert due["新人"]["deadline"] == date(2026, 9, 1)
    services.certificate_record(worker=newcomer, level="助理社会工作师", obtained_on=date(2026, 6, 1), actor=world.street_a_hr)
    names = set(certification_due(user=world.city_admin, root=None, on=date(2026, 7, 1)).workers["name"])
    assert "新人" not in names


def _allowance(user, worker, month):
    frame = pay_certificates(user=user, root=None, month=month).filter(worker_id=worker.pk)
    policy, _ = policy_for(unit=worker.unit, on=month)
    paid = pay(policy, place(policy, frame, month), month)
    return paid[ALLOWANCE][0], paid["应发合计"][0]


def test_a_new_certificate_changes_the_allowance_from_the_next_month_through_the_engine_T_CERT(world, newcomer):
    nov_before, nov_total_before = _allowance(world.street_a_hr, newcomer, date(2026, 11, 1))
    services.certificate_record(worker=newcomer, level="社会工作师", obtained_on=date(2026, 11, 10), actor=world.street_a_hr)
    nov_after, nov_total_after = _allowance(world.street_a_hr, newcomer, date(2026, 11, 1))
    dec, dec_total = _allowance(world.street_a_hr, newcomer, date(2026, 12, 1))
    policy, _ = policy_for(unit=newcomer.unit, on=date(2026, 12, 1))
    expected = policy.value("cert_allowance", date(2026, 12, 1))["社会工作师"]
    assert nov_before == nov_after == 0
    assert nov_total_before == nov_total_after
    assert dec == expected > 0
    assert dec_total - nov_total_after == pytest.approx(expected, abs=0.01)


def test_street_b_cannot_certify_or_see_street_a_people_T_CERT(world, newcomer, client_for):
    with pytest.raises(ScopeError):
        services.certificate_record(worker=newcomer, level="社会工作师", obtained_on=date(2026, 1, 1), actor=world.street_b_hr)
    services.certificate_record(worker=newcomer, level="社会工作师", obtained_on=date(2026, 1, 1), actor=world.street_a_hr)
    b = client_for(world.street_b_hr)
    page = b.get("/growth/training/certificates/?on=2026-07-01").content.decode()
    assert "新人" not in page and "迎宾社区" not in page
    assert b.get("/api/v1/growth/training/certificates").json() == []
    assert {r["unit_name"] for r in b.get("/api/v1/growth/training/certification/share").json()} == {"东门社区"}
    assert {r["name"] for r in b.get("/api/v1/growth/training/certification/due?on=2026-07-01").json()["workers"]} == {"宋大哥"}
    r = b.post("/api/v1/growth/training/certificates", {"worker_id": newcomer.pk, "level": "高级社会工作师",
               "obtained_on": "2026-02-01"}, content_type="application/json")
    assert r.status_code == 404
    assert b.post("/growth/training/certificates/", {"worker": newcomer.pk, "level": "高级社会工作师",
                                                     "obtained_on": "2026-02-01"}).status_code == 404
    assert Worker.objects.get(pk=newcomer.pk).certificate == "社会工作师"
    book = CalamineWorkbook.from_filelike(io.BytesIO(b.get("/growth/training/certificates.xlsx?on=2026-07-01").content))
    assert {r[1] for r in book.get_sheet_by_name("待持证名单").to_python()[3:]} == {"宋大哥"}
    assert {r[0] for r in book.get_sheet_by_name("持证率").to_python()[1:]} == {"东门社区"}


def test_the_certificates_page_records_one_and_the_export_reads_back_T_CERT(world, newcomer, client_for):
    a = client_for(world.street_a_hr)
    r = a.post("/growth/training/certificates/", {"worker": newcomer.pk, "level": "助理社会工作师",
                                                  "obtained_on": "2026-02-01", "number": "A-7"})
    assert r.status_code == 302
    assert Certificate.objects.get(worker=newcomer).number == "A-7"
    book = CalamineWorkbook.from_filelike(io.BytesIO(a.get("/growth/training/certificates.xlsx?on=2026-07-01").content))
    due = book.get_sheet_by_name("待持证名单").to_python()
    assert due[0][0] == "持证上岗：待取证名单（T-CERT）"
    assert {r[1] for r in due[3:]} == {"刘少萌"}
    share = {r[0]: r for r in book.get_sheet_by_name("持证率").to_python()[1:]}
    assert share["迎宾社区"][2] == 1 and share["迎宾社区"][3] == "50.0%"
