"""Bad input gets a clear answer and changes nothing (DESIGN; issue 20): what the tables
would refuse at commit is said at the preview, on its row and column, in Chinese."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models as django_models

from shequ.assessment.models import Result, Score
from shequ.common.imports import OUT_OF_RANGE, TOO_LONG, field_errors
from shequ.common.models import ImportBatch
from shequ.growth.training.models import Attendance
from shequ.org.models import Unit, UnitFact
from shequ.org.services import URBAN_OVER_POPULATION
from shequ.recruitment.models import Application
from shequ.workers.imports import WORK_BEFORE_BIRTH
from shequ.workers.models import Worker
from tests.factories import id_number

pytestmark = pytest.mark.django_db

UNITS_HEADER = "单位名称,上级单位,单位类型,单位类别,户数,常住人口,城镇常住人口\n"
ROSTER_HEADER = "姓名,身份证号,所属单位,人员类别,岗位,学历,参加社区工作时间,职业资格\n"


def _stage(client: Any, url: str, text: str) -> ImportBatch:
    client.post(url, {"file": SimpleUploadedFile("表.csv", text.encode("utf-8-sig"))})
    return ImportBatch.objects.latest("pk")


def _refused_whole(client: Any, batch: ImportBatch, model: type[django_models.Model], before: int) -> None:
    """The batch is not ready, a commit posted anyway changes nothing and is no server error."""
    assert batch.status == ImportBatch.Status.INVALID
    assert client.post(f"/imports/{batch.pk}/", {"commit": "1"}).status_code < 500
    assert model._default_manager.count() == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID


# ---- check constraints -------------------------------------------------------------------

def test_a_unit_whose_urban_population_exceeds_its_population_is_refused_at_the_preview_org_3(world: Any, client_for: Any) -> None:
    """unit_fact_urban_within_population: the row was "ready" and then failed at commit."""
    c = client_for(world.street_a_hr)
    before = Unit.objects.count()
    batch = _stage(c, "/imports/units/", UNITS_HEADER + "新华社区,槐阳街道,城市社区,二类,3200,8000,7900\n"
                                                     "人口倒挂社区,槐阳街道,城市社区,二类,3200,8000,9000\n")
    assert batch.errors == [{"row": 3, "column": "城镇常住人口",
                             "message": URBAN_OVER_POPULATION.format(urban=9000, population=8000)}]
    _refused_whole(c, batch, Unit, before)


def test_an_urban_population_without_a_population_is_refused_since_the_population_is_then_zero_org_3(world: Any, client_for: Any) -> None:
    c = client_for(world.street_a_hr)
    batch = _stage(c, "/imports/units/", UNITS_HEADER + "新华社区,槐阳街道,城市社区,二类,3200,,7900\n")
    assert batch.errors == [{"row": 2, "column": "城镇常住人口",
                             "message": URBAN_OVER_POPULATION.format(urban=7900, population=0)}]


def test_a_worker_who_started_community_work_before_birth_is_refused_at_the_preview(world: Any, client_for: Any) -> None:
    """worker_work_after_birth: the birth date comes from the ID number."""
    c = client_for(world.street_a_hr)
    before = Worker.objects.count()
    born = date(1995, 3, 15)
    batch = _stage(c, "/imports/roster/", ROSTER_HEADER
                   + f"王一,{id_number(date(1990, 1, 1))},迎宾社区,专职社区工作者,助理,本科,2021-03-01,无\n"
                   + f"王二,{id_number(born)},迎宾社区,专职社区工作者,助理,本科,1994-09-01,无\n")
    assert batch.errors == [{"row": 3, "column": "参加社区工作时间",
                             "message": WORK_BEFORE_BIRTH.format(start=date(1994, 9, 1), birth=born)}]
    _refused_whole(c, batch, Worker, before)


# ---- lengths -----------------------------------------------------------------------------

def test_a_unit_name_longer_than_its_column_is_refused_at_the_preview(world: Any, client_for: Any) -> None:
    c = client_for(world.street_a_hr)
    before = Unit.objects.count()
    name = "社" * 101
    batch = _stage(c, "/imports/units/", UNITS_HEADER + f"{name},槐阳街道,城市社区,二类,3200,8000,7900\n")
    assert batch.errors == [{"row": 2, "column": "单位名称",
                             "message": TOO_LONG.format(value="社" * 20 + "…", length=101, limit=100)}]
    _refused_whole(c, batch, Unit, before)


def test_a_worker_name_longer_than_its_column_is_refused_at_the_preview(world: Any, client_for: Any) -> None:
    c = client_for(world.street_a_hr)
    before = Worker.objects.count()
    batch = _stage(c, "/imports/roster/", ROSTER_HEADER
                   + f"{'王' * 51},{id_number(date(1990, 1, 1))},迎宾社区,专职社区工作者,助理,本科,2021-03-01,无\n")
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "姓名")]
    assert batch.errors[0]["message"] == TOO_LONG.format(value="王" * 20 + "…", length=51, limit=50)
    _refused_whole(c, batch, Worker, before)


# ---- integer ranges ------------------------------------------------------------------------

def test_households_beyond_the_columns_range_are_refused_at_the_preview(world: Any, client_for: Any) -> None:
    """PostgreSQL's integer holds 2,147,483,647: a larger figure failed the whole commit."""
    c = client_for(world.street_a_hr)
    before = Unit.objects.count()
    batch = _stage(c, "/imports/units/", UNITS_HEADER + "新华社区,槐阳街道,城市社区,二类,3000000000,8000,7900\n")
    assert batch.errors == [{"row": 2, "column": "户数",
                             "message": OUT_OF_RANGE.format(value=3000000000, low=0, high=2147483647)}]
    _refused_whole(c, batch, Unit, before)


# ---- the rule itself -----------------------------------------------------------------------

def test_field_errors_name_the_users_column_and_pass_values_the_table_holds() -> None:
    assert field_errors(UnitFact, {"households": 5, "population": None}, row=4, columns={"households": "户数"}) == []
    [err] = field_errors(UnitFact, {"population": -1}, row=4, columns={})
    assert (err.row, err.column) == (4, "常住人口")  # the field's Chinese name when the sheet has none


# Every constraint of the tables the five importers write, and what keeps a sheet from
# reaching it. A constraint added later fails the test below until it is placed here.
CONSTRAINTS = {
    "org.Unit": {
        "unit_name_unique_in_parent": "单位表：同一上级下重复（DUPLICATE_UNIT）或已存在（EXISTS）",
        "unit_root_name_unique": "单位表：必须填写上级单位（NEEDS_PARENT）",
        "path": "由程序生成",
    },
    "org.UnitFact": {
        "unit_fact_one_per_date": "新单位各一条，由程序生成",
        "unit_fact_urban_within_population": "单位表：URBAN_OVER_POPULATION（本文件的测试）",
    },
    "workers.Worker": {
        "id_number": "花名册：表内重复（DUPLICATE_ID）或已在花名册（ALREADY_ON_ROSTER）",
        "worker_grade_positive": "花名册：等级在岗位范围内（GRADE_RANGE）",
        "worker_work_after_birth": "花名册：WORK_BEFORE_BIRTH（本文件的测试）",
        "worker_left_has_date": "导入的人员均为在岗",
    },
    "assessment.Score": {
        "assessment_score_one_per_worker": "考核结果：同一人同一年度重复（DUPLICATE_ROW），已有评分则更新",
        "assessment_score_not_negative": "考核结果：得分 0—1000（OUT_OF_RANGE）",
        "assessment_adjustment_has_reason": "导入不调整等次",
    },
    "assessment.Result": {
        "assessment_result_one_per_year": "考核结果：重复（DUPLICATE_ROW）或已由考核公布（HISTORY_FROM_CAMPAIGN），导入的往年结果则更新",
    },
    "training.Attendance": {
        "attendance_once_per_session": "签到表：表内重复（DUPLICATE_ROW）或已登记（ALREADY）",
        "attendance_hours_positive": "签到表：学时 0—500（BAD_HOURS）",
    },
    "recruitment.Application": {
        "application_one_per_plan": "报名表：表内重复（DUPLICATE_IN_FILE）或已报名（ALREADY_APPLIED）",
        "application_written_nonneg": "导入不录成绩",
        "application_interview_nonneg": "导入不录成绩",
        "application_hired_has_worker": "导入只定资格审查结果，不录用",
    },
}


def test_every_constraint_of_the_tables_imports_write_is_checked_before_commit_or_cannot_come_from_a_sheet() -> None:
    models = {"org.Unit": Unit, "org.UnitFact": UnitFact, "workers.Worker": Worker, "assessment.Score": Score,
              "assessment.Result": Result, "training.Attendance": Attendance, "recruitment.Application": Application}
    for label, model in models.items():
        meta = model._meta
        found = {c.name for c in meta.constraints} | {f.name for f in meta.fields if f.unique and not f.primary_key}
        assert found == set(CONSTRAINTS[label]), label


# ---- text PostgreSQL cannot hold ---------------------------------------------------------

def test_a_cell_with_a_nul_character_is_refused_with_its_row_and_column_before_any_lookup(world: Any, client_for: Any) -> None:
    """PostgreSQL refuses NUL in text, in a lookup as much as in an insert (a 500 at the preview)."""
    from shequ.sheets.io import NUL_CHARACTER

    c = client_for(world.street_a_hr)
    before = Unit.objects.count()
    batch = _stage(c, "/imports/units/", UNITS_HEADER + "新华社区,槐阳\x00街道,城市社区,二类,3200,8000,7900\n")
    assert batch.errors == [{"row": 1, "column": "", "message": NUL_CHARACTER.format(row=2, column="上级单位")}]
    _refused_whole(c, batch, Unit, before)
