"""Units sheet: new communities under the importer's street, every error by row and column."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shequ.common.models import ImportBatch
from shequ.org.models import Unit
from shequ.sheets.validate import MISSING_COLUMN

pytestmark = pytest.mark.django_db

HEADER = "单位名称,上级单位,单位类型,单位类别,户数,常住人口,城镇常住人口\n"


def _upload(client, text: str):
    return client.post("/imports/units/", {"file": SimpleUploadedFile("单位表.csv", (HEADER + text).encode("utf-8-sig"))})


def test_it_adds_communities_and_their_grids_with_facts(world, client_for):
    c = client_for(world.street_a_hr)
    _upload(c, "新华社区,槐阳街道,城市社区,二类,3200,8000,7900\n第一网格,新华社区,网格,,400,1000,1000\n")
    batch = ImportBatch.objects.get()
    assert batch.status == "ready", batch.errors
    c.post(f"/imports/{batch.pk}/", {"commit": "1"})
    community = Unit.objects.get(name="新华社区")
    grid = Unit.objects.get(name="第一网格")
    assert community.parent == world.street_a and grid.parent == community
    assert grid.path.startswith(community.path)
    assert community.facts.get().households == 3200


def test_one_bad_row_commits_nothing_and_every_error_is_named(world, client_for):
    c = client_for(world.street_a_hr)
    _upload(c, "新华社区,槐阳街道,城市社区,二类,3200,8000,7900\n"
               "坏社区,槐阳街道,城市小区,四类,-5,10,20\n"
               "远社区,东门街道,城市社区,一类,100,200,200\n")
    batch = ImportBatch.objects.get()
    cells = {(e["row"], e["column"]) for e in batch.errors}
    assert {(3, "单位类型"), (3, "单位类别"), (3, "户数"), (4, "上级单位")} <= cells
    assert c.post(f"/imports/{batch.pk}/", {"commit": "1"}).status_code == 302
    assert not Unit.objects.filter(name__in=["新华社区", "坏社区", "远社区"]).exists()


def test_a_missing_column_is_reported_for_the_sheet(world, client_for):
    c = client_for(world.street_a_hr)
    c.post("/imports/units/", {"file": SimpleUploadedFile("u.csv", "单位名称,上级单位\n甲,槐阳街道\n".encode())})
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid"
    assert (batch.errors[0]["row"], batch.errors[0]["column"]) == (1, "单位类型")
    assert batch.errors[0]["message"] == MISSING_COLUMN.format(header="单位类型")


def test_facts_take_effect_from_the_sheets_date_not_the_day_of_import(world, client_for):
    """Issue 13 point 3: an effective date for the units sheet's facts, so that importing
    does not silently change the quota computed for earlier dates."""
    from datetime import date

    from django.utils import timezone

    c = client_for(world.street_a_hr)
    content = ("单位名称,上级单位,单位类型,户数,常住人口,城镇常住人口,生效日期\n"
               "新华社区,槐阳街道,城市社区,3200,8000,7900,2024-01-01\n"
               "东风社区,槐阳街道,城市社区,2100,6000,5900,\n").encode("gb18030")
    c.post("/imports/units/", {"file": SimpleUploadedFile("单位表.csv", content)})
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == "ready", batch.errors
    c.post(f"/imports/{batch.pk}/", {"commit": "1"})
    assert Unit.objects.get(name="新华社区").facts.get().since == date(2024, 1, 1)
    assert Unit.objects.get(name="东风社区").facts.get().since == timezone.localdate()


def test_a_bad_effective_date_is_named_by_row_and_column(world, client_for):
    c = client_for(world.street_a_hr)
    content = "单位名称,上级单位,单位类型,户数,常住人口,城镇常住人口,生效日期\n新华社区,槐阳街道,城市社区,3200,8000,7900,明年\n"
    c.post("/imports/units/", {"file": SimpleUploadedFile("单位表.csv", content.encode("utf-8"))})
    batch = ImportBatch.objects.latest("pk")
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "生效日期")]
