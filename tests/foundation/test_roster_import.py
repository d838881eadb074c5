"""Roster import: validate every row, show every error by row and column, commit all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.models import ImportBatch
from shequ.workers.models import Worker
from tests.factories import id_number

pytestmark = pytest.mark.django_db

HEADER = "姓名,身份证号,所属单位,人员类别,岗位,学历,参加社区工作时间,职业资格,籍贯\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8-sig")


def _upload(client, content: bytes, name: str = "花名册.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/imports/roster/", {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_a_sheet_with_one_bad_row_commits_nothing_and_names_the_row_and_column(world, client_for):
    good = id_number(date(1995, 3, 15))
    valid = id_number(date(1996, 1, 1))
    bad = valid[:17] + ("1" if valid[17] != "1" else "2")  # wrong check digit
    before = Worker.objects.count()
    page = _upload(client_for(world.street_a_hr), _csv(
        f"王一,{good},迎宾社区,专职社区工作者,助理,本科,2021-03-01,无,河北",
        f"王二,{bad},迎宾社区,专职社区工作者,助理,本科,2021-03-01,无,河北",
    )).content.decode()
    assert Worker.objects.count() == before
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid"
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "身份证号")]
    assert "第 3 行" in page and "身份证号" in page


def test_a_clean_sheet_imports_every_row_and_keeps_unknown_columns(world, client_for):
    client = client_for(world.street_a_hr)
    a, b = id_number(date(1995, 3, 15)), id_number(date(1992, 8, 1), sex="男")
    _upload(client, _csv(
        f"王一,{a},迎宾社区,专职社区工作者,助理,本科,2021-03-01,无,河北",
        f"王二,{b},槐阳北社区,两委成员,主办,大专,2018-06-01,助理社会工作师,山东",
    ))
    batch = ImportBatch.objects.get()
    assert batch.status == "ready", batch.errors
    client.post(f"/imports/{batch.pk}/", {"commit": "1"})
    worker = Worker.objects.get(id_number=b)
    assert worker.unit == world.community_a2 and worker.sex == "男" and worker.birth_date == date(1992, 8, 1)
    assert worker.extra == {"籍贯": "山东"}
    assert worker.events.get().kind == "import"


def test_it_refuses_a_unit_of_another_street(world, client_for):
    _upload(client_for(world.street_b_hr), _csv(
        f"王一,{id_number(date(1995, 3, 15))},迎宾社区,专职社区工作者,助理,本科,2021-03-01,无,河北",
    ))
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid"
    assert batch.errors[0]["row"] == 2 and batch.errors[0]["column"] == "所属单位"
    assert not Worker.objects.filter(name="王一").exists()


def test_it_refuses_an_id_number_already_on_the_roster(world, client_for):
    _upload(client_for(world.street_a_hr), _csv(
        f"重复,{world.worker_a1.id_number},迎宾社区,专职社区工作者,助理,本科,2021-03-01,无,河北",
    ))
    batch = ImportBatch.objects.get()
    assert (batch.errors[0]["row"], batch.errors[0]["column"]) == (2, "身份证号")


def test_another_street_cannot_commit_or_see_a_staged_batch(world, client_for, client):
    client_for(world.street_a_hr)
    _upload(client, _csv(f"王一,{id_number(date(1995, 3, 15))},迎宾社区,专职社区工作者,助理,本科,2021-03-01,无,河北"))
    batch = ImportBatch.objects.get()
    other = client_for(world.street_b_hr)
    assert other.get(f"/imports/{batch.pk}/").status_code == 404
    assert other.post(f"/imports/{batch.pk}/", {"commit": "1"}).status_code == 404
    assert not Worker.objects.filter(name="王一").exists()


def test_the_template_downloads_with_the_formats_headers(world, client_for):
    import io

    from python_calamine import CalamineWorkbook

    response = client_for(world.street_a_hr).get("/templates/roster.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["姓名", "身份证号", "性别"]
    assert len(rows) == 1  # the example row is on the 填写说明 sheet, not here to be imported


def test_workers_imported_without_a_grade_are_placed_by_the_policy(world, client_for):
    import polars as pl
    from django.utils import timezone

    from shequ.rules import load_policy, place

    client = client_for(world.street_a_hr)
    number = id_number(date(1990, 3, 15), sex="男")
    _upload(client, _csv(f"赵主办,{number},迎宾社区,两委成员,主办,本科,2012-06-01,社会工作师,河北"))
    batch = ImportBatch.objects.get()
    client.post(f"/imports/{batch.pk}/", {"commit": "1"})
    worker = Worker.objects.get(id_number=number)
    expected = place(load_policy("baohe"), pl.DataFrame({
        "worker_id": [1], "post": ["主办"], "education": ["本科"], "community_work_start": [date(2012, 6, 1)],
        "certificate": ["社会工作师"], "grade": pl.Series([None], dtype=pl.Int64)}), timezone.localdate())["grade"][0]
    assert worker.grade == expected and 3 <= worker.grade <= 14  # G-BH: 主办 3–14
    assert "按政策定级" in worker.events.get().cause


def test_a_gbk_csv_saved_by_chinese_excel_uploads_like_a_utf8_one(world, client_for):
    """Issue 13 point 1: "CSV（逗号分隔）" from Excel on Chinese Windows is GBK, not UTF-8."""
    client = client_for(world.street_a_hr)
    a = id_number(date(1995, 3, 15))
    content = (HEADER + f"王一,{a},迎宾社区,专职社区工作者,助理,本科,2021/3/1,无,河北\n").encode("gbk")
    _upload(client, content)
    batch = ImportBatch.objects.get()
    assert batch.status == "ready", batch.errors
    client.post(f"/imports/{batch.pk}/", {"commit": "1"})
    assert Worker.objects.get(id_number=a).extra == {"籍贯": "河北"}


def test_a_roster_whose_id_numbers_excel_stored_as_numbers_is_refused_saying_so(world, client_for):
    import io

    import xlsxwriter

    a = next(n for d in range(1, 20) if not (n := id_number(date(1995, 3, d))).endswith("X"))
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, HEADER.strip().split(","))
    ws.write_row(1, 0, ["王一"])
    ws.write_number(1, 1, float(a))
    ws.write_row(1, 2, ["迎宾社区", "专职社区工作者", "助理", "本科", "2021-03-01", "无", "河北"])
    book.close()
    page = _upload(client_for(world.street_a_hr), buf.getvalue(), "花名册.xlsx").content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid"
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "身份证号")]
    assert "科学计数法" in batch.errors[0]["message"] and "文本" in batch.errors[0]["message"]
    assert "科学计数法" in page


def test_an_unreadable_upload_shows_a_chinese_message(world, client_for):
    page = _upload(client_for(world.street_a_hr), b"PK\x03\x04 not really a workbook", "花名册.xlsx").content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid"
    assert batch.errors[0]["message"].startswith("无法读取文件「花名册.xlsx」")
    assert "Traceback" not in page and "zip" not in page.lower()
