"""Province databases (issue 19.1, ADR 0008): each province's users, workers, pages, exports,
API calls and writes stay in that province's own PostgreSQL database."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from shequ.accounts.models import ApiToken, User
from shequ.common import provinces
from shequ.common.audit_actions import AuditAction
from shequ.common.models import AuditEntry
from shequ.workers.models import Worker
from tests.factories import make_unit, make_user, make_worker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases="__all__")]

PASSWORD = "Shequ-test-2026"


def seed(alias: str, worker_name: str) -> None:
    """A city, a street, an HR clerk and one worker, all in `alias`'s database."""
    with provinces.use(alias):
        city = make_unit(f"{alias}市", "市")
        street = make_unit(f"{alias}街道", "街道", city)
        community = make_unit(f"{alias}社区", "城市社区", street, households=3000, population=9000, urban_population=9000)
        make_user("hr", "bureau_admin", city, display_name=f"{alias}人事")
        make_worker(community, name=worker_name)


def signed_in(alias: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"province": alias, "username": "hr", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def two(provinces_db: dict[str, str]) -> None:
    seed("guizhou", "黔东南甲")
    seed("anhui", "皖北乙")


def test_the_login_page_asks_which_province_and_refuses_one_it_does_not_serve(two: None) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "所属省份" in page and '<option value="guizhou"' in page and "贵州省" in page and "民政部（全国）" in page
    refused = Client().post("/accounts/login/", {"province": "hunan", "username": "hr", "password": PASSWORD})
    assert "所属省份不在本系统中" in refused.content.decode()


def test_the_same_username_signs_into_each_province_as_a_different_person(two: None) -> None:
    gz, ah = signed_in("guizhou"), signed_in("anhui")
    assert "guizhou人事" in gz.get("/").content.decode()
    assert "anhui人事" in ah.get("/").content.decode()


def test_a_guizhou_user_never_sees_anhui_workers_on_the_roster_page_export_or_api(two: None) -> None:
    gz = signed_in("guizhou")
    page = gz.get("/workers/").content.decode()
    assert "黔东南甲" in page and "皖北乙" not in page
    from python_calamine import CalamineWorkbook

    export = gz.get("/workers/export.xlsx")
    assert export.status_code == 200
    book = CalamineWorkbook.from_filelike(BytesIO(export.content))
    cells = {str(c) for row in book.get_sheet_by_index(0).to_python() for c in row}
    assert "黔东南甲" in cells and "皖北乙" not in cells
    with provinces.use("guizhou"):
        user = User.objects.get(username="hr")
        from shequ.accounts.services import api_token_create

        _, raw = api_token_create(user=user, name="集成")
    assert raw.startswith("guizhou.")
    api = Client().get("/api/v1/workers/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200
    names = {w["name"] for w in api.json()}
    assert names == {"黔东南甲"}


def test_a_guizhou_token_relabelled_as_anhui_is_refused(two: None) -> None:
    with provinces.use("guizhou"):
        from shequ.accounts.services import api_token_create

        _, raw = api_token_create(user=User.objects.get(username="hr"), name="集成")
    forged = "anhui." + raw.split(".", 1)[1]
    assert Client().get("/api/v1/workers/", HTTP_AUTHORIZATION=f"Bearer {forged}").status_code == 401


def test_a_write_through_a_page_lands_with_its_audit_row_in_the_users_province_only(two: None) -> None:
    gz = signed_in("guizhou")
    gz.post("/accounts/tokens/", {"name": "财务接口"})
    with provinces.use("guizhou"):
        assert ApiToken.objects.filter(name="财务接口").count() == 1
        assert AuditEntry.objects.filter(action=AuditAction.TOKEN_CREATE).count() == 1
    with provinces.use("anhui"):
        assert not ApiToken.objects.exists()
        assert not AuditEntry.objects.filter(action=AuditAction.TOKEN_CREATE).exists()


def test_a_row_loaded_in_one_province_cannot_be_saved_into_another(two: None) -> None:
    with provinces.use("guizhou"):
        worker = Worker.objects.get(name="黔东南甲")
    with provinces.use("anhui"), pytest.raises(provinces.CrossProvinceError):
        worker.save()


def test_a_signin_to_another_province_sees_nothing_of_the_first(two: None) -> None:
    client = signed_in("guizhou")
    assert "黔东南甲" in client.get("/workers/").content.decode()
    client.post("/accounts/login/", {"province": "anhui", "username": "hr", "password": PASSWORD})
    page = client.get("/workers/").content.decode()
    assert "皖北乙" in page and "黔东南甲" not in page


def test_a_wrong_password_is_refused_in_chinese_and_audited_in_that_province(two: None) -> None:
    from django.core.cache import cache

    try:
        response = Client().post("/accounts/login/", {"province": "anhui", "username": "hr", "password": "wrong-one-1"})
    finally:
        cache.clear()  # the lockout lives in the cache: leave none for other tests
    assert "用户名或密码不正确" in response.content.decode()
    with provinces.use("anhui"):
        assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1
    with provinces.use("guizhou"):
        assert not AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).exists()


def test_migrate_provinces_brings_every_province_to_the_same_schema(provinces_db: dict[str, str], capsys: Any) -> None:
    call_command("migrate_provinces", verbosity=0)
    out = capsys.readouterr().out
    assert "贵州省" in out and "安徽省" in out


def test_backup_provinces_writes_one_dump_per_province_holding_only_its_own_rows(two: None, tmp_path: Any, capsys: Any) -> None:
    import subprocess

    call_command("backup_provinces", dir=str(tmp_path), only="anhui")
    dumps = list(tmp_path.glob("anhui-*.dump"))
    assert len(dumps) == 1 and "安徽省" in capsys.readouterr().out
    listing = subprocess.run(["pg_restore", "-a", "-t", "workers_worker", "-f", "-", str(dumps[0])],
                             capture_output=True, text=True, check=True).stdout
    assert "皖北乙" in listing and "黔东南甲" not in listing
