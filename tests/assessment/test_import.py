"""Staged import of the 考核结果 sheet and the indicator-score sheet: every error with its
row and column in Chinese, all or nothing; earlier years become the results history."""

from __future__ import annotations

from typing import Any

from shequ.assessment import imports as I
from shequ.assessment.models import Result, Score
from shequ.assessment.services import PARTIAL_INDICATORS, UNKNOWN_TIER
from shequ.common.models import ImportBatch
from tests.assessment.helpers import bind, campaign, history, sheet
from tests.factories import make_worker

WEIGHTS = {"任务完成情况": 0.4, "廉洁自律情况": 0.2, "教育培训情况": 0.1, "群众满意度": 0.3}


def _upload(client: Any, c: Any, content: bytes, name: str = "考核结果.xlsx") -> ImportBatch:
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(f"/assessment/{c.pk}/import/", {"file": SimpleUploadedFile(name, content)})
    assert r.status_code == 302, r.content
    return ImportBatch.objects.latest("pk")


def test_import_the_results_sheet_reads_aliases_and_keeps_earlier_years_as_history(world: Any, client_for: Any) -> None:
    """A-TIER via the 考核结果 sheet of FORMATS.md: 合格 → 称职; 2024 rows go to the history."""
    bind(world, excellent_share_cap=1.0)
    b = make_worker(world.community_a2, name="乙", post="主办", grade=5)
    c = campaign(world)
    client = client_for(world.street_a_hr)
    content = sheet(["身份证号", "年度", "考核等次", "得分"], [
        [world.worker_a1.id_number, 2025, "合格", 82],
        [b.id_number, 2025, "基本合格", None],
        [b.id_number, 2024, "不合格", 55],
    ])
    batch = _upload(client, c, content)
    assert batch.status == "ready", batch.errors
    r = client.post(f"/assessment/{c.pk}/import/{batch.pk}/", {"commit": "1"})
    assert r.status_code == 302
    assert dict(Score.objects.filter(campaign=c).values_list("worker_id", "tier_given")) == {world.worker_a1.pk: "称职", b.pk: "基本称职"}
    assert Score.objects.get(campaign=c, worker=world.worker_a1).score == 82
    # The stubs type the nullable campaign column as int; the row keeps None for "no campaign".
    results: list[tuple[object, ...]] = list(Result.objects.values_list("worker_id", "year", "tier", "campaign"))
    assert results == [(b.pk, 2024, "不称职", None)]


def test_import_the_indicator_sheet_scores_by_the_policy_weights(world: Any, client_for: Any) -> None:
    """A-IND via an indicator-score sheet: columns named as the policy's indicators."""
    bind(world, indicator_weights=WEIGHTS, points=[{"tier": "优秀", "min": 90}, {"tier": "称职", "min": 70}], excellent_share_cap=1.0)
    c = campaign(world)
    client = client_for(world.street_a_hr)
    content = sheet(["身份证号", "姓名", *WEIGHTS], [[world.worker_a1.id_number, "刘少萌", 95, 90, 80, 92]])
    batch = _upload(client, c, content)
    assert batch.status == "ready", batch.errors
    client.post(f"/assessment/{c.pk}/import/{batch.pk}/", {"commit": "1"})
    r = client.get(f"/api/v1/assessment/campaigns/{c.pk}/results")
    row = next(x for x in r.json()["rows"] if x["worker_id"] == world.worker_a1.pk)
    assert row["score"] == 91.6 and row["tier"] == "优秀"


def test_import_every_error_is_named_by_row_and_column_and_nothing_is_imported(world: Any, client_for: Any) -> None:
    bind(world, indicator_weights=WEIGHTS)
    b = make_worker(world.community_a2, name="乙", post="主办", grade=5)
    d = make_worker(world.community_a2, name="丁", post="助理", grade=2)
    outsider = world.worker_b1  # street B
    history(b, {2023: "称职"})
    c = campaign(world)
    client = client_for(world.street_a_hr)
    content = sheet(["身份证号", "年度", "考核等次", "得分", *WEIGHTS], [
        [world.worker_a1.id_number, 2025, "良好", None, None, None, None, None],      # row 2: bad tier
        [outsider.id_number, 2025, "称职", None, None, None, None, None],             # row 3: other street
        [b.id_number, 2026, "称职", None, None, None, None, None],                    # row 4: later year
        [b.id_number, 2025, None, None, 80, 90, None, None],                          # row 5: partial indicators
        [b.id_number, 2024, None, 70, None, None, None, None],                        # row 6: history without tier
        [None, 2025, "称职", None, None, None, None, None],                            # row 7: no ID
        [world.worker_a1.id_number, "二〇二五", "称职", None, None, None, None, None],  # row 8: bad year
        [d.id_number, 2025, "称职", "八十", None, None, None, None],                  # row 9: score not a number
        [d.id_number, 2025, "称职", None, None, None, None, None],                    # row 10: duplicate of row 9
    ])
    batch = _upload(client, c, content)
    assert batch.status == "invalid"
    got = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert got[(2, "考核等次")] == UNKNOWN_TIER.format(tier="良好")
    assert got[(3, "身份证号")] == I.NOT_IN_CAMPAIGN.format(id_number=outsider.id_number, scope="槐阳街道")
    assert got[(4, "年度")] == I.LATER_YEAR.format(year=2026, campaign_year=2025)
    assert got[(5, "教育培训情况")] == PARTIAL_INDICATORS.format(missing="教育培训情况、群众满意度")
    assert got[(6, "考核等次")] == I.HISTORY_NEEDS_TIER
    assert got[(7, "身份证号")] == I.EMPTY_ID
    assert got[(8, "年度")] == I.BAD_YEAR.format(value="二〇二五")
    assert got[(9, "得分")] == "得分“八十”不是数字"
    assert got[(10, "身份证号")] == I.DUPLICATE_ROW.format(id_number=d.id_number, year=2025, first=9)
    page = client.get(f"/assessment/{c.pk}/import/{batch.pk}/").content.decode()
    assert "第 4 行" in page and I.HISTORY_NEEDS_TIER in page
    page = client.post(f"/assessment/{c.pk}/import/{batch.pk}/", {"commit": "1"}, follow=True).content.decode()
    assert "导入失败，未做任何更改" in page
    assert not Score.objects.exists()
    assert Result.objects.count() == 1  # only the one made above


def test_import_a_sheet_without_the_id_column_or_with_some_indicator_columns_is_refused(world: Any, client_for: Any) -> None:
    bind(world, indicator_weights=WEIGHTS)
    c = campaign(world)
    client = client_for(world.street_a_hr)
    batch = _upload(client, c, sheet(["姓名", "考核等次"], [["刘少萌", "称职"]]))
    assert {(e["row"], e["column"], e["message"]) for e in batch.errors} == {(1, "身份证号", I.MISSING_ID_COLUMN)}
    batch = _upload(client, c, sheet(["身份证号", "任务完成情况", "群众满意度"], [[world.worker_a1.id_number, 90, 90]]))
    assert {(e["row"], e["column"], e["message"]) for e in batch.errors} == {
        (1, "廉洁自律情况", I.MISSING_INDICATOR_COLUMNS.format(missing="廉洁自律情况、教育培训情况"))}


def test_import_a_csv_with_bom_works_too(world: Any, client_for: Any) -> None:
    bind(world)
    c = campaign(world)
    client = client_for(world.street_a_hr)
    content = f"身份证号,考核等次\n{world.worker_a1.id_number},优秀\n".encode("utf-8-sig")
    batch = _upload(client, c, content, name="results.csv")
    assert batch.status == "ready", batch.errors
    client.post(f"/assessment/{c.pk}/import/{batch.pk}/", {"commit": "1"})
    assert Score.objects.get(campaign=c).tier_given == "优秀"


def test_the_template_has_the_policy_indicator_columns_and_reads_back(world: Any, client_for: Any) -> None:
    from tests.assessment.helpers import read_xlsx

    bind(world, indicator_weights=WEIGHTS)
    c = campaign(world)
    rows = read_xlsx(client_for(world.street_a_hr).get(f"/assessment/{c.pk}/template.xlsx").content)
    assert rows[0] == ["身份证号", "姓名", "所属单位", "岗位", "年度", *WEIGHTS, "得分", "考核等次"]
    assert rows[1][:5] == [world.worker_a1.id_number, "刘少萌", "迎宾社区", "助理", 2025]


def test_import_a_negative_year_is_refused_at_the_preview_not_at_commit(world: Any, client_for: Any) -> None:
    """-2024 is not later than the campaign, and the results table holds no negative year."""
    from shequ.common.imports import OUT_OF_RANGE

    bind(world)
    c = campaign(world)
    client = client_for(world.street_a_hr)
    batch = _upload(client, c, sheet(["身份证号", "年度", "考核等次"], [[world.worker_a1.id_number, -2024, "称职"]]))
    assert batch.errors == [{"row": 2, "column": "年度", "message": OUT_OF_RANGE.format(value=-2024, low=0, high=32767)}]
    client.post(f"/assessment/{c.pk}/import/{batch.pk}/", {"commit": "1"})
    assert not Result.objects.exists() and not Score.objects.exists()


def test_an_id_number_excel_stored_as_a_number_is_reported_as_such_not_as_unknown(world: Any, client_for: Any) -> None:
    """Issue 13 point 1: the message says the number was stored as a number and how to fix it."""
    import io

    import xlsxwriter

    bind(world)
    c = campaign(world)
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["身份证号", "考核等次"])
    ws.write_number(1, 0, float(world.worker_a1.id_number.replace("X", "0")))
    ws.write_string(1, 1, "优秀")
    book.close()
    batch = _upload(client_for(world.street_a_hr), c, buf.getvalue(), name="results.xlsx")
    assert batch.status == "invalid"
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "身份证号")]
    assert "科学计数法" in batch.errors[0]["message"] and "文本" in batch.errors[0]["message"]
