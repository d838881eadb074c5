"""T-LEVEL attendance import: staged, every error with row and column, all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.common.excel import xlsx_bytes
from shequ.common.models import ImportBatch
from shequ.growth.training import imports, services
from shequ.growth.training.models import Attendance
from shequ.workers.models import EventKind, WorkerEvent
from tests.factories import make_worker
from tests.growth.training_setup import bind_policy

HEADERS = ["班次编号", "身份证号", "姓名", "学时"]


@pytest.fixture
def session(world):
    bind_policy(world)
    course = services.course_create(name="县级骨干班", level="县级", unit=world.district, hours=Decimal("16"),
                                    actor=world.city_admin)
    return services.session_create(course=course, start=date(2026, 3, 2), end=date(2026, 3, 3), actor=world.city_admin)


def _upload(client, rows, name="签到表.xlsx"):
    content = xlsx_bytes(sheet="签到", headers=HEADERS, rows=rows, ids="as_given")
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/imports/training-attendance/", {"file": SimpleUploadedFile(name, content)})


def test_a_clean_sheet_is_staged_then_committed_with_one_event_each_T_LEVEL(world, session, client_for):
    sec = make_worker(world.community_a1, name="王书记", post="主管")
    c = client_for(world.street_a_hr)
    r = _upload(c, [[session.pk, sec.id_number, "王书记", ""], [session.pk, world.worker_a1.id_number, "刘少萌", 8]])
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and batch.status == ImportBatch.Status.READY
    assert Attendance.objects.count() == 0  # staged only
    r = c.post(f"/imports/{batch.pk}/")
    assert r.status_code == 302
    hours = dict(Attendance.objects.values_list("worker__name", "hours"))
    assert hours == {"王书记": Decimal("16.0"), "刘少萌": Decimal("8.0")}
    assert WorkerEvent.objects.filter(kind=EventKind.TRAINING).count() == 2


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_imported_T_LEVEL(world, session, client_for):
    c = client_for(world.street_a_hr)
    _upload(c, [
        [session.pk, world.worker_a1.id_number, "刘少萌", 8],          # row 2: fine
        [9999, world.worker_a1.id_number, "刘少萌", 8],               # row 3: unknown session
        [session.pk, world.worker_b1.id_number, "宋大哥", 8],          # row 4: street B's worker
        [session.pk, world.worker_a1.id_number, "刘晓萌", "八"],       # row 5: name and hours wrong, duplicate
        ["", "", "", ""],                                             # blank row ignored
        [session.pk, "", "某人", 4],                                  # row 7: missing id
    ])
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INVALID
    errors = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert errors[(3, "班次编号")] == imports.BAD_SESSION.format(value="9999")
    assert errors[(4, "身份证号")] == imports.UNKNOWN_WORKER.format(value=world.worker_b1.id_number)
    assert errors[(5, "姓名")] == imports.NAME_MISMATCH.format(given="刘晓萌", name="刘少萌")
    assert errors[(5, "学时")] == imports.BAD_HOURS.format(value="八")
    assert errors[(7, "身份证号")] == imports.EMPTY
    assert (2, "身份证号") not in errors
    c.post(f"/imports/{batch.pk}/")
    assert Attendance.objects.count() == 0
    assert WorkerEvent.objects.filter(kind=EventKind.TRAINING).count() == 0
    page = c.get(f"/imports/{batch.pk}/").content.decode()
    assert imports.UNKNOWN_WORKER.format(value=world.worker_b1.id_number) in page


def test_a_duplicate_row_and_an_already_recorded_person_are_errors_T_LEVEL(world, session, client_for):
    services.attendance_record(session=session, lines=[services.AttendanceLine(worker=world.worker_a1)],
                               actor=world.street_a_hr)
    sec = make_worker(world.community_a1, name="王书记", post="主管")
    c = client_for(world.street_a_hr)
    _upload(c, [[session.pk, sec.id_number, "", ""], [session.pk, sec.id_number, "", ""],
                [session.pk, world.worker_a1.id_number, "", ""]])
    errors = {(e["row"], e["column"]): e["message"] for e in ImportBatch.objects.get().errors}
    assert errors[(3, "身份证号")] == imports.DUPLICATE_ROW.format(row=2)
    assert errors[(4, "身份证号")] == imports.ALREADY.format(name="刘少萌", session=session.pk)


def test_a_sheet_without_the_required_columns_is_one_clear_error_T_LEVEL(world, session, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(world.street_a_hr)
    content = "姓名,学时\n刘少萌,8\n".encode()
    c.post("/imports/training-attendance/", {"file": SimpleUploadedFile("a.csv", content)})
    batch = ImportBatch.objects.get()
    assert batch.errors[0]["message"] == imports.MISSING_COLUMNS.format(columns="班次编号、身份证号")


def test_a_csv_sheet_with_bom_is_read_T_LEVEL(world, session, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(world.street_a_hr)
    content = f"班次编号,身份证号\n{session.pk},{world.worker_a1.id_number}\n".encode("utf-8-sig")
    c.post("/imports/training-attendance/", {"file": SimpleUploadedFile("a.csv", content)})
    assert ImportBatch.objects.get().status == ImportBatch.Status.READY


def test_a_secretary_cannot_import_attendance_T_LEVEL(world, session, client_for):
    r = _upload(client_for(world.secretary_a1), [[session.pk, world.worker_a1.id_number, "", ""]])
    assert r.status_code == 403
    assert ImportBatch.objects.count() == 0


def test_the_empty_sign_in_sheet_template_has_the_headers_the_import_reads_T_LEVEL(world, client_for):
    import io

    from python_calamine import CalamineWorkbook

    r = client_for(world.street_a_hr).get("/templates/training_attendance.xlsx")
    assert r.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[0] == HEADERS


def test_hours_with_more_decimals_than_the_column_keeps_are_refused_at_the_preview_T_LEVEL(world, session, client_for):
    """The hours column keeps one decimal: 1.25 would be stored as a different number."""
    from shequ.common.imports import TOO_MANY_DIGITS

    c = client_for(world.street_a_hr)
    _upload(c, [[session.pk, world.worker_a1.id_number, "刘少萌", "1.25"]])
    batch = ImportBatch.objects.get()
    assert batch.errors == [{"row": 2, "column": "学时", "message": TOO_MANY_DIGITS.format(value=Decimal("1.25"), whole=4, places=1)}]
    c.post(f"/imports/{batch.pk}/")
    assert Attendance.objects.count() == 0


def test_a_session_number_too_large_for_the_database_is_an_unknown_session_not_a_server_error_T_LEVEL(world, session, client_for):
    c = client_for(world.street_a_hr)
    r = _upload(c, [["18446744073709551616", world.worker_a1.id_number, "刘少萌", 8]])
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.errors == [{"row": 2, "column": "班次编号", "message": imports.BAD_SESSION.format(value="18446744073709551616")}]
