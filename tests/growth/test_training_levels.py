"""T-LEVEL: three-level training, attendance, hours, and the policy's requirements checked
for every worker as of a date."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from shequ.common.models import AuditEntry
from shequ.common.scope import ScopeError
from shequ.growth.training import services
from shequ.growth.training.compliance import DONE, NOT_DUE, OVERDUE, training_compliance
from shequ.growth.training.models import Attendance
from shequ.growth.training.selectors import hours_by_worker
from shequ.workers.models import EventKind, WorkerEvent
from tests.factories import make_worker
from tests.growth.training_setup import bind_policy


def _session(world, level="县级", unit=None, start=date(2026, 3, 2), hours="16"):
    unit = unit or {"市级": world.city, "县级": world.district, "街道": world.street_a}[level]
    course = services.course_create(name=f"{level}培训{start}", level=level, unit=unit, hours=Decimal(hours),
                                    actor=world.city_admin)
    return services.session_create(course=course, start=start, end=start, place="区党校", actor=world.city_admin)


def _status(result, worker):
    return result.workers.filter(result.workers["worker_id"] == worker.pk).to_dicts()[0]


@pytest.fixture
def secretary(world):
    bind_policy(world)
    return make_worker(world.community_a1, name="王书记", post="主管", category="两委成员", hired_on=date(2018, 1, 1))


def test_a_secretary_trained_at_county_level_this_year_is_compliant_and_overdue_a_year_later_T_LEVEL(world, secretary):
    s = _session(world, "县级", start=date(2026, 3, 2))
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=secretary)], actor=world.street_a_hr)
    assert _status(training_compliance(user=world.city_admin, root=None, on=date(2026, 11, 1)), secretary)["status"] == DONE
    later = _status(training_compliance(user=world.city_admin, root=None, on=date(2027, 3, 3)), secretary)
    assert later["status"] == OVERDUE
    assert later["due"] == date(2027, 3, 2)
    assert later["days_overdue"] == 1


def test_street_level_training_does_not_count_for_a_secretary_but_city_level_does_T_LEVEL(world, secretary):
    street = _session(world, "街道", start=date(2026, 5, 1))
    services.attendance_record(session=street, lines=[services.AttendanceLine(worker=secretary)], actor=world.street_a_hr)
    row = _status(training_compliance(user=world.city_admin, root=None, on=date(2026, 11, 1)), secretary)
    assert row["status"] == OVERDUE and row["last_training"] is None
    city = _session(world, "市级", start=date(2026, 6, 1))
    services.attendance_record(session=city, lines=[services.AttendanceLine(worker=secretary)], actor=world.street_a_hr)
    row = _status(training_compliance(user=world.city_admin, root=None, on=date(2026, 11, 1)), secretary)
    assert row["status"] == DONE and row["last_training"] == date(2026, 6, 1)


def test_everyone_else_needs_training_once_every_three_years_at_any_level_T_LEVEL(world):
    bind_policy(world)
    s = _session(world, "街道", start=date(2024, 4, 1))
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=world.worker_a1)], actor=world.street_a_hr)
    assert _status(training_compliance(user=world.city_admin, root=None, on=date(2027, 4, 1)), world.worker_a1)["status"] == DONE
    assert _status(training_compliance(user=world.city_admin, root=None, on=date(2027, 4, 2)), world.worker_a1)["status"] == OVERDUE


def test_the_requirement_comes_from_the_policy_not_the_code_T_LEVEL(world):
    bind_policy(world, secretary_years=2)
    sec = make_worker(world.community_a1, name="李主任", post="主管", hired_on=date(2018, 1, 1))
    s = _session(world, "县级", start=date(2025, 3, 1))
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=sec)], actor=world.street_a_hr)
    row = _status(training_compliance(user=world.city_admin, root=None, on=date(2026, 11, 1)), sec)
    assert row["status"] == DONE and row["due"] == date(2027, 3, 1)
    assert "每2年" in row["requirement"]


def test_a_new_worker_is_not_overdue_before_the_first_period_ends_T_LEVEL(world):
    bind_policy(world)
    new = make_worker(world.community_a1, name="新人", post="助理", hired_on=date(2026, 1, 5),
                      community_work_start=date(2026, 1, 5))
    row = _status(training_compliance(user=world.city_admin, root=None, on=date(2026, 11, 1)), new)
    assert row["status"] == NOT_DUE and row["due"] == date(2029, 1, 5)


def test_the_compliance_list_groups_overdue_workers_by_unit_T_LEVEL(world, secretary):
    result = training_compliance(user=world.city_admin, root=None, on=date(2026, 11, 1))
    units = {r["unit_name"]: r for r in result.by_unit.to_dicts()}
    assert units["迎宾社区"]["overdue"] == 2 and units["迎宾社区"]["required"] == 2
    assert units["东门社区"]["overdue"] == 1
    assert set(result.overdue["name"]) == {"王书记", "刘少萌", "宋大哥"}


def test_attendance_writes_one_training_event_and_one_audit_row_per_person_T_LEVEL(world, secretary):
    s = _session(world, "县级")
    before = AuditEntry.objects.filter(action="training.attend").count()
    services.attendance_record(session=s, actor=world.street_a_hr, lines=[
        services.AttendanceLine(worker=secretary), services.AttendanceLine(worker=world.worker_a1, hours=Decimal("8"))])
    events = WorkerEvent.objects.filter(kind=EventKind.TRAINING)
    assert events.count() == 2
    assert {e.worker_id for e in events} == {secretary.pk, world.worker_a1.pk}
    assert events.get(worker=secretary).data["after"]["level"] == "县级"
    assert AuditEntry.objects.filter(action="training.attend").count() == before + 2


def test_hours_and_person_times_are_summed_per_worker_T_LEVEL(world, secretary):
    for start in (date(2026, 3, 2), date(2026, 6, 2)):
        services.attendance_record(session=_session(world, "县级", start=start), actor=world.street_a_hr,
                                   lines=[services.AttendanceLine(worker=secretary)])
    services.attendance_record(session=_session(world, "街道", start=date(2026, 7, 1), hours="4"), actor=world.street_a_hr,
                               lines=[services.AttendanceLine(worker=secretary)])
    rows = {r["worker__name"]: r for r in hours_by_worker(user=world.street_a_hr, root=None,
                                                            start=date(2026, 1, 1), end=date(2026, 12, 31))}
    assert rows["王书记"]["times"] == 3 and rows["王书记"]["hours"] == Decimal("36")
    assert rows["王书记"]["county"] == 2 and rows["王书记"]["street"] == 1


def test_recording_the_same_person_twice_is_refused_and_nothing_is_written_T_LEVEL(world, secretary):
    s = _session(world, "县级")
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=secretary)], actor=world.street_a_hr)
    with pytest.raises(services.TrainingError) as err:
        services.attendance_record(session=s, actor=world.street_a_hr, lines=[
            services.AttendanceLine(worker=world.worker_a1), services.AttendanceLine(worker=secretary)])
    assert str(err.value) == services.ALREADY_ATTENDED.format(name="王书记")
    assert Attendance.objects.count() == 1


def test_a_street_cannot_run_a_county_level_course_T_LEVEL(world):
    with pytest.raises(services.TrainingError) as err:
        services.course_create(name="x", level="县级", unit=world.street_a, hours=Decimal("8"), actor=world.street_a_hr)
    assert str(err.value) == services.LEVEL_ABOVE_UNIT.format(unit="槐阳街道", unit_type="街道", level="县级")


def test_street_b_cannot_record_attendance_for_street_a_workers_T_LEVEL(world, secretary):
    s = _session(world, "县级")
    with pytest.raises(ScopeError):
        services.attendance_record(session=s, lines=[services.AttendanceLine(worker=secretary)], actor=world.street_b_hr)
    street_a_session = _session(world, "街道")
    with pytest.raises(ScopeError):
        services.attendance_record(session=street_a_session, lines=[services.AttendanceLine(worker=world.worker_b1)],
                                   actor=world.street_b_hr)
    assert Attendance.objects.count() == 0


def test_street_b_sees_only_its_own_people_in_the_compliance_list_T_LEVEL(world, secretary):
    result = training_compliance(user=world.street_b_hr, root=None, on=date(2026, 11, 1))
    assert set(result.workers["name"]) == {"宋大哥"}


def test_the_compliance_page_and_export_show_the_overdue_list_and_respect_scope_T_LEVEL(world, secretary, client_for):
    c = client_for(world.street_a_hr)
    page = c.get("/growth/training/compliance/?on=2026-11-01")
    assert page.status_code == 200
    text = page.content.decode()
    assert "王书记" in text and "刘少萌" in text and "宋大哥" not in text
    export = c.get("/growth/training/compliance.xlsx?on=2026-11-01")
    assert export.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
    rows = book.get_sheet_by_name("逾期未培训名单").to_python()
    assert rows[0][0] == "培训逾期名单（T-LEVEL）"
    assert "槐阳街道" in rows[1][0] and "2026-11-01" in rows[1][0]
    names = {r[1] for r in rows[3:]}
    assert names == {"王书记", "刘少萌"}
    units = book.get_sheet_by_name("按单位汇总").to_python()
    assert units[1][0] == "迎宾社区" and units[1][3] == 2
    b = client_for(world.street_b_hr)
    b_rows = CalamineWorkbook.from_filelike(io.BytesIO(b.get("/growth/training/compliance.xlsx?on=2026-11-01").content)
                                            ).get_sheet_by_name("逾期未培训名单").to_python()
    assert {r[1] for r in b_rows[3:]} == {"宋大哥"}
    assert b.get(f"/growth/training/compliance/?unit={world.community_a1.pk}").status_code == 404
    assert b.get(f"/growth/training/compliance.xlsx?unit={world.community_a1.pk}").status_code == 404


def test_street_b_cannot_see_or_change_a_street_a_session_T_LEVEL(world, secretary, client_for):
    s = _session(world, "街道")
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=secretary)], actor=world.street_a_hr)
    b = client_for(world.street_b_hr)
    assert b.get(f"/growth/training/sessions/{s.pk}/").status_code == 404
    assert b.post(f"/growth/training/sessions/{s.pk}/", {"workers": [world.worker_b1.pk]}).status_code == 404
    assert "街道培训" not in b.get("/growth/training/").content.decode()
    assert b.get(f"/api/v1/growth/training/sessions/{s.pk}/attendance").status_code == 404
    api = b.post(f"/api/v1/growth/training/sessions/{s.pk}/attendance", {"worker_ids": [world.worker_b1.pk]},
                 content_type="application/json")
    assert api.status_code == 404
    assert all(x["id"] != s.pk for x in b.get("/api/v1/growth/training/sessions").json())
    assert Attendance.objects.count() == 1


def test_a_county_session_is_visible_to_both_streets_but_each_sees_only_its_own_attendees_T_LEVEL(world, secretary, client_for):
    s = _session(world, "县级")
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=secretary)], actor=world.street_a_hr)
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=world.worker_b1)], actor=world.street_b_hr)
    b = client_for(world.street_b_hr)
    page = b.get(f"/growth/training/sessions/{s.pk}/").content.decode()
    assert "宋大哥" in page and "王书记" not in page
    names = {r["name"] for r in b.get(f"/api/v1/growth/training/sessions/{s.pk}/attendance").json()}
    assert names == {"宋大哥"}


def test_the_api_records_attendance_and_the_compliance_endpoint_reflects_it_T_LEVEL(world, secretary, client_for):
    s = _session(world, "县级", start=date(2026, 3, 2))
    a = client_for(world.street_a_hr)
    before = a.get("/api/v1/growth/training/compliance?on=2026-11-01").json()
    assert secretary.pk in {r["worker_id"] for r in before["overdue"]}
    r = a.post(f"/api/v1/growth/training/sessions/{s.pk}/attendance", {"worker_ids": [secretary.pk]},
               content_type="application/json")
    assert r.status_code == 200, r.content
    after = a.get("/api/v1/growth/training/compliance?on=2026-11-01").json()
    assert secretary.pk not in {r["worker_id"] for r in after["overdue"]}
    b = client_for(world.street_b_hr)
    assert {r["name"] for r in b.get("/api/v1/growth/training/compliance?on=2026-11-01").json()["overdue"]} == {"宋大哥"}
    assert b.get(f"/api/v1/growth/training/compliance?unit={world.community_a1.pk}").status_code == 404


def test_nobody_is_overdue_from_before_the_requirement_took_effect_T_LEVEL(world):
    """worker_a1 joined in 2015; the policy's requirement is in force from 2020-01-01, so
    with no training her three years run from then, not from 2015."""
    bind_policy(world)
    row = _status(training_compliance(user=world.city_admin, root=None, on=date(2022, 6, 1)), world.worker_a1)
    assert row["status"] == NOT_DUE and row["due"] == date(2023, 1, 1)
    row = _status(training_compliance(user=world.city_admin, root=None, on=date(2023, 1, 2)), world.worker_a1)
    assert row["status"] == OVERDUE and row["days_overdue"] == 1


def test_hours_page_export_and_api_show_only_the_callers_people_T_LEVEL(world, secretary, client_for):
    s = _session(world, "县级", start=date(2026, 3, 2))
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=secretary)], actor=world.street_a_hr)
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=world.worker_b1)], actor=world.street_b_hr)
    b = client_for(world.street_b_hr)
    page = b.get("/growth/training/hours/?year=2026").content.decode()
    assert "宋大哥" in page and "王书记" not in page
    assert {r["name"] for r in b.get("/api/v1/growth/training/hours?year=2026").json()} == {"宋大哥"}
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b.get("/growth/training/hours.xlsx?year=2026").content)
                                          ).get_sheet_by_name("培训学时").to_python()
    assert {r[1] for r in rows[3:]} == {"宋大哥"}
    assert b.get(f"/api/v1/growth/training/hours?year=2026&unit={world.community_a1.pk}").status_code == 404


def test_street_b_cannot_run_a_session_of_a_street_a_course_T_LEVEL(world, client_for):
    bind_policy(world)
    course = services.course_create(name="槐阳全员班", level="街道", unit=world.street_a, hours=Decimal(4),
                                    actor=world.street_a_hr)
    with pytest.raises(ScopeError):
        services.session_create(course=course, start=date(2026, 4, 1), end=date(2026, 4, 1), actor=world.street_b_hr)
    with pytest.raises(ScopeError):
        services.course_create(name="x", level="街道", unit=world.street_a, hours=Decimal(4), actor=world.street_b_hr)
    b = client_for(world.street_b_hr)
    r = b.post("/api/v1/growth/training/sessions", {"course_id": course.pk, "start": "2026-04-01"},
               content_type="application/json")
    assert r.status_code == 404
    r = b.post("/growth/training/", {"action": "session", "course": course.pk, "start": "2026-04-01"})
    assert r.status_code == 404
    a = client_for(world.street_a_hr)
    r = a.post("/api/v1/growth/training/sessions", {"course_id": course.pk, "start": "2026-04-01", "place": "会议室"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["level"] == "街道"


def test_street_b_cannot_put_street_a_people_on_a_shared_county_session_T_LEVEL(world, secretary, client_for):
    s = _session(world, "县级")
    b = client_for(world.street_b_hr)
    r = b.post(f"/api/v1/growth/training/sessions/{s.pk}/attendance", {"worker_ids": [world.worker_b1.pk, secretary.pk]},
               content_type="application/json")
    assert r.status_code == 404
    assert b.post(f"/growth/training/sessions/{s.pk}/", {"workers": [secretary.pk]}).status_code == 404
    assert Attendance.objects.count() == 0
    r = b.post(f"/api/v1/growth/training/sessions/{s.pk}/attendance", {"worker_ids": [world.worker_b1.pk]},
               content_type="application/json")
    assert r.status_code == 200 and Attendance.objects.get().worker_id == world.worker_b1.pk


def test_a_wrong_attendance_can_be_taken_back_with_a_cause_and_the_history_keeps_both_T_LEVEL(world, secretary, client_for):
    s = _session(world, "县级", start=date(2026, 3, 2))
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=secretary)], actor=world.street_a_hr)
    attendance = Attendance.objects.get()
    b = client_for(world.street_b_hr)
    assert b.post(f"/growth/training/sessions/{s.pk}/", {"action": "remove", "attendance": attendance.pk,
                                                         "cause": "x"}).status_code == 404
    with pytest.raises(services.TrainingError) as err:
        services.attendance_remove(attendance=attendance, actor=world.street_a_hr, cause=" ")
    assert str(err.value) == services.CAUSE_MISSING
    a = client_for(world.street_a_hr)
    r = a.post(f"/growth/training/sessions/{s.pk}/", {"action": "remove", "attendance": attendance.pk, "cause": "登记错人"})
    assert r.status_code == 302 and Attendance.objects.count() == 0
    causes = list(WorkerEvent.objects.filter(worker=secretary, kind=EventKind.TRAINING).values_list("cause", flat=True))
    assert len(causes) == 2 and any("撤销培训记录" in c and "登记错人" in c for c in causes)
    assert _status(training_compliance(user=world.city_admin, root=None, on=date(2026, 11, 1)), secretary)["status"] == OVERDUE


def test_courses_through_the_api_respect_level_and_scope_T_LEVEL(world, client_for):
    bind_policy(world)
    a = client_for(world.street_a_hr)
    r = a.post("/api/v1/growth/training/courses", {"name": "网格员实务", "level": "街道", "hours": "4"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["unit_name"] == "槐阳街道"
    r = a.post("/api/v1/growth/training/courses", {"name": "骨干班", "level": "县级", "hours": "8"},
               content_type="application/json")
    assert r.status_code == 400
    assert r.json()["detail"] == services.LEVEL_ABOVE_UNIT.format(unit="槐阳街道", unit_type="街道", level="县级")
    b = client_for(world.street_b_hr)
    assert b.get("/api/v1/growth/training/courses").json() == []
    r = b.post("/api/v1/growth/training/courses", {"name": "x", "level": "街道", "hours": "4",
               "unit_id": world.street_a.pk}, content_type="application/json")
    assert r.status_code == 404
