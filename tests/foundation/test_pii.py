"""Personal data (PIPL): ID numbers masked by default in exports, pages and the API; full
numbers only for roles with the right, on request, and audited; staged imports, logins
and the purge of staged batches on record."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from shequ.accounts.roles import has_capability
from shequ.common.audit_actions import AuditAction
from shequ.common.imports import import_purge_staged
from shequ.common.models import AuditEntry, ImportBatch
from shequ.common.pii import FULL_IDS_CAPABILITY, mask_id
from shequ.workers.models import Worker

pytestmark = pytest.mark.django_db


def _sheet(content: bytes) -> list[list[Any]]:
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def _id_column(rows: list[list[Any]]) -> list[str]:
    header = next(i for i, r in enumerate(rows) if "身份证号" in r)
    col = rows[header].index("身份证号")
    return [r[col] for r in rows[header + 1:]]


def test_mask_id_keeps_the_first_and_last_four_and_is_idempotent():
    number = "220102199003071234"
    assert mask_id(number) == "2201**********1234"
    assert mask_id(mask_id(number)) == "2201**********1234"
    assert mask_id("") == "" and mask_id(None) == ""


def test_only_bureau_admins_and_street_hr_have_the_right_to_full_id_numbers(world):
    assert has_capability(world.city_admin, FULL_IDS_CAPABILITY)
    assert has_capability(world.street_a_hr, FULL_IDS_CAPABILITY)
    assert not has_capability(world.secretary_a1, FULL_IDS_CAPABILITY)
    assert not has_capability(world.finance, FULL_IDS_CAPABILITY)


def test_the_roster_export_masks_id_numbers_by_default_and_writes_no_disclosure_row(world, client_for):
    rows = _sheet(client_for(world.street_a_hr).get("/workers/export.xlsx").content)
    ids = _id_column(rows)
    assert mask_id(world.worker_a1.id_number) in ids
    assert world.worker_a1.id_number not in ids
    assert not AuditEntry.objects.filter(action=AuditAction.PII_FULL_IDS).exists()


def test_a_street_hr_who_asks_gets_full_numbers_and_the_export_is_audited(world, client_for):
    rows = _sheet(client_for(world.street_a_hr).get("/workers/export.xlsx?full_ids=1").content)
    assert world.worker_a1.id_number in _id_column(rows)
    entry = AuditEntry.objects.get(action=AuditAction.PII_FULL_IDS)
    assert entry.actor == world.street_a_hr and entry.unit == world.street_a
    assert entry.after == {"path": "/workers/export.xlsx", "count": len(_id_column(rows))}


def test_finance_and_a_secretary_who_ask_for_full_numbers_still_get_them_masked(world, client_for):
    rows = _sheet(client_for(world.finance).get("/workers/export.xlsx?full_ids=1").content)
    assert set(_id_column(rows)) == {mask_id(world.worker_a1.id_number), mask_id(world.worker_b1.id_number)}
    page = client_for(world.secretary_a1).get(f"/workers/{world.worker_a1.pk}/?full_ids=1").content.decode()
    assert world.worker_a1.id_number not in page and mask_id(world.worker_a1.id_number) in page
    assert not AuditEntry.objects.filter(action=AuditAction.PII_FULL_IDS).exists()


def test_the_worker_page_masks_the_id_number_unless_asked_by_a_role_with_the_right(world, client_for):
    client = client_for(world.street_a_hr)
    page = client.get(f"/workers/{world.worker_a1.pk}/").content.decode()
    assert world.worker_a1.id_number not in page and mask_id(world.worker_a1.id_number) in page
    page = client.get(f"/workers/{world.worker_a1.pk}/?full_ids=1").content.decode()
    assert world.worker_a1.id_number in page
    assert AuditEntry.objects.filter(action=AuditAction.PII_FULL_IDS, actor=world.street_a_hr).count() == 1


def test_the_api_masks_id_numbers_unless_a_role_with_the_right_asks(world, client_for):
    client = client_for(world.street_a_hr)
    masked = {w["name"]: w["id_number"] for w in client.get("/api/v1/workers/").json()}
    assert masked["刘少萌"] == mask_id(world.worker_a1.id_number)
    full = {w["name"]: w["id_number"] for w in client.get("/api/v1/workers/?full_ids=1").json()}
    assert full["刘少萌"] == world.worker_a1.id_number
    assert AuditEntry.objects.filter(action=AuditAction.PII_FULL_IDS).count() == 1


def _stage(client: Any) -> ImportBatch:
    content = ("姓名,身份证号,所属单位,人员类别,岗位,学历,参加社区工作时间,职业资格\n"
               "王一,130524199503150026,迎宾社区,专职社区工作者,助理,本科,2021-03-01,无\n").encode("utf-8-sig")
    client.post("/imports/roster/", {"file": SimpleUploadedFile("花名册.csv", content)})
    return ImportBatch.objects.order_by("-pk")[0]


def test_staging_and_discarding_an_import_are_audited_and_the_discard_drops_the_rows(world, client_for):
    client = client_for(world.street_a_hr)
    batch = _stage(client)
    staged = AuditEntry.objects.get(action=AuditAction.IMPORT_STAGE)
    assert staged.actor == world.street_a_hr and staged.target_id == str(batch.pk)
    assert staged.after["filename"] == "花名册.csv"
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "130524199503150026" not in page and mask_id("130524199503150026") in page
    client.post(f"/imports/{batch.pk}/", {"discard": "1"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DISCARDED and batch.rows == []
    discarded = AuditEntry.objects.get(action=AuditAction.IMPORT_DISCARD)
    assert discarded.target_id == str(batch.pk) and discarded.actor == world.street_a_hr


def test_a_login_and_a_failed_login_are_audited_under_the_account_unit(world):
    client = Client()
    assert not client.login(username="street_a_hr", password="wrong-password")
    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.unit == world.street_a and failed.actor is None
    assert "wrong-password" not in str(failed.after)
    assert client.login(username="street_a_hr", password="Shequ-test-2026")
    ok = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert ok.actor == world.street_a_hr and ok.unit == world.street_a


def test_a_failed_login_under_an_unknown_name_is_audited_outside_every_street(world, client_for):
    assert not Client().login(username="nobody", password="x")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.unit is None and entry.target_label == "nobody"
    assert "nobody" not in client_for(world.street_a_hr).get("/audit/").content.decode()


def test_a_login_refused_by_the_lockout_is_audited_too(world, settings):
    from django.core.cache import cache

    settings.LOGIN_FAILURE_LIMIT = 1
    cache.clear()  # an earlier test's failure from the same address would lock the first try
    client = Client()
    try:
        client.post("/accounts/login/", {"username": "street_b_hr", "password": "wrong-password"})
        client.post("/accounts/login/", {"username": "street_b_hr", "password": "Shequ-test-2026"})
    finally:
        cache.clear()  # the lockout lives in the cache: leave none for other tests
    entries = list(AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id"))
    assert [e.after["locked"] for e in entries] == [False, True]
    assert all(e.unit == world.street_b for e in entries)
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_purging_empties_batches_older_than_the_retention_and_audits_each(world, client_for, settings):
    settings.STAGED_IMPORT_DAYS = 7
    client = client_for(world.street_a_hr)
    old, fresh = _stage(client), _stage(client)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert import_purge_staged() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.rows == [] and old.errors == [] and old.purged_at is not None
    assert old.status == ImportBatch.Status.DISCARDED
    assert fresh.rows and fresh.status == ImportBatch.Status.READY
    purged = AuditEntry.objects.get(action=AuditAction.IMPORT_PURGE)
    assert purged.target_id == str(old.pk) and purged.unit == world.street_a
    assert import_purge_staged() == 0  # purged once, not again


def test_the_retention_period_comes_from_the_setting(world, client_for, settings):
    client = client_for(world.street_a_hr)
    batch = _stage(client)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=3))
    settings.STAGED_IMPORT_DAYS = 7
    assert import_purge_staged() == 0
    settings.STAGED_IMPORT_DAYS = 2
    assert import_purge_staged() == 1


def test_the_purge_staged_command_purges_and_reports_in_chinese(world, client_for):
    batch = _stage(client_for(world.street_a_hr))
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=30))
    out = io.StringIO()
    call_command("purge_staged", stdout=out)
    assert "已清除 1 个" in out.getvalue()
    assert ImportBatch.objects.get(pk=batch.pk).rows == []


def test_a_purged_batch_can_no_longer_be_committed(world, client_for):
    client = client_for(world.street_a_hr)
    batch = _stage(client)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=30))
    import_purge_staged()
    client.post(f"/imports/{batch.pk}/", {})
    assert not Worker.objects.filter(name="王一").exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.DISCARDED


def test_staged_import_days_below_one_is_refused_at_startup():
    import os
    import subprocess
    import sys

    code = "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'shequ.settings'; django.setup()"
    r = subprocess.run([sys.executable, "-c", code], env={**os.environ, "SHEQU_STAGED_IMPORT_DAYS": "0"},
                       capture_output=True, text=True)
    assert r.returncode != 0 and "SHEQU_STAGED_IMPORT_DAYS" in r.stderr
