"""National figures by PostgreSQL itself (issue 19.2, ADR 0008): the national database reads
each province's published sums through postgres_fdw, never a person's record, and the
ministry's page shows them nationally and by province."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test import Client

from shequ.common import provinces
from shequ.insights.models import UnitFigures
from shequ.insights.nation import (
    PROVINCE_UNREACHABLE,
    nation_figures,
    nation_link,
    unit_figures_publish,
)
from tests.factories import make_unit, make_user, make_worker
from tests.nation.conftest import SERVER

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases="__all__")]

PASSWORD = "Shequ-test-2026"
ON = date(2026, 6, 30)


def seed(alias: str, workers: int, *, bachelors: int) -> None:
    with provinces.use(alias):
        city = make_unit(f"{alias}市", "市")
        street = make_unit(f"{alias}街道", "街道", city)
        community = make_unit(f"{alias}社区", "城市社区", street, households=3000, population=12000, urban_population=10000)
        make_user("hr", "bureau_admin", city)
        for i in range(workers):
            make_worker(community, name=f"{alias}{i}", education="本科" if i < bachelors else "高中")


def link(names: dict[str, str]) -> None:
    url = urlparse(SERVER)
    db = {"host": url.hostname or "127.0.0.1", "port": str(url.port or 5432), "user": url.username or "postgres",
          "password": url.password or ""}
    nation_link(databases={alias: {**db, "dbname": name} for alias, name in names.items()})


@pytest.fixture
def nation(provinces_db: dict[str, str]) -> dict[str, str]:
    if connection.vendor != "postgresql":
        pytest.skip("全国库需要 PostgreSQL：DATABASE_URL=postgres://... 运行")
    seed("guizhou", 3, bachelors=3)
    seed("anhui", 5, bachelors=1)
    for alias in ("guizhou", "anhui"):
        with provinces.use(alias):
            unit_figures_publish(on=ON)
    link(provinces_db)
    ministry = make_unit("民政部", "市")
    make_user("minister", "bureau_admin", ministry, display_name="民政部统计")
    return provinces_db


def ministry_client() -> Client:
    client = Client()
    client.post("/accounts/login/", {"province": provinces.NATIONAL, "username": "minister", "password": PASSWORD})
    return client


def test_the_nation_is_the_sum_of_its_provinces_and_each_province_its_own(nation: dict[str, str]) -> None:
    fig = nation_figures()
    by = {p.province: p for p in fig.provinces}
    assert by["guizhou"].headcount == 3 and by["anhui"].headcount == 5
    assert fig.total.headcount == 8
    assert by["guizhou"].bachelor_plus_share == 100.0 and by["anhui"].bachelor_plus_share == 20.0
    assert fig.total.bachelor_plus_share == 50.0  # 4 of 8, not the mean of 100 and 20
    assert by["anhui"].per_10k == 5.0  # S-RATIO: 5 workers, 10,000 urban residents


def test_the_national_database_holds_no_person_and_imports_only_the_summed_view(nation: dict[str, str]) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT foreign_table_schema, foreign_table_name FROM information_schema.foreign_tables ORDER BY 1")
        foreign = cur.fetchall()
    assert foreign == [("nation_anhui", "nation_province_figures"), ("nation_guizhou", "nation_province_figures")]
    from shequ.workers.models import Worker

    with provinces.use(provinces.NATIONAL):
        assert not Worker.objects.exists()
        assert not UnitFigures.objects.exists()


def test_the_ministry_page_shows_the_nation_and_each_province(nation: dict[str, str]) -> None:
    page = ministry_client().get("/insights/nation/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "全国" in text and "贵州省" in text and "安徽省" in text
    assert 'href="/insights/nation/"' in text  # the ministry's menu has the national page
    assert "<td>8</td>" in text and "<td>5</td>" in text and "<td>3</td>" in text


def test_a_province_user_is_refused_the_ministry_page_in_chinese(nation: dict[str, str]) -> None:
    client = Client()
    client.post("/accounts/login/", {"province": "guizhou", "username": "hr", "password": PASSWORD})
    assert "全国统计" not in client.get("/").content.decode()
    page = client.get("/insights/nation/")
    assert page.status_code == 403
    assert "全国统计只能用民政部（全国）账号查看" in page.content.decode()


def test_a_province_that_does_not_answer_is_named_and_the_others_still_show(nation: dict[str, str]) -> None:
    with connection.cursor() as cur:  # Anhui's server goes away after the link was made
        cur.execute("ALTER SERVER shequ_province_anhui OPTIONS (SET dbname 'h_nation_t_gone')")
    fig = nation_figures()
    assert [p.province for p in fig.provinces] == ["guizhou"]
    assert fig.errors == [PROVINCE_UNREACHABLE.format(province="安徽省")]
    assert "安徽省的统计暂时读不到" in ministry_client().get("/insights/nation/").content.decode()


def test_publishing_again_replaces_the_days_figures_rather_than_adding(nation: dict[str, str]) -> None:
    with provinces.use("anhui"):
        unit_figures_publish(on=ON)
        assert UnitFigures.objects.filter(on_day=ON).count() == 1
    assert nation_figures().total.headcount == 8


