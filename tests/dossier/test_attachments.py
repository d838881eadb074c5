"""Attachments of a person's record: kept in Django's file storage, scoped like the record,
limited in size and type with Chinese refusals, uploads and deletions audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from shequ.common.audit_actions import AuditAction
from shequ.common.models import AuditEntry
from shequ.dossier.models import Attachment
from shequ.dossier.services import BAD_TYPE, TOO_LARGE

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"0" * 300


def _upload(client, worker, name="照片.png", content=PNG, kind="photo", note=""):
    return client.post(f"/dossier/{worker.pk}/attachments/",
                       {"kind": kind, "note": note, "file": SimpleUploadedFile(name, content)}, follow=True)


def test_a_street_hr_uploads_a_photo_kept_in_storage_and_audited(world, client_for, attachment_store):
    client = client_for(world.street_a_hr)
    html = _upload(client, world.worker_a1).content.decode()
    a = Attachment.objects.get()
    assert "已上传照片“照片.png”" in html
    assert attachment_store.exists(a.file.name)
    entry = AuditEntry.objects.get(action=AuditAction.ATTACHMENT_UPLOAD)
    assert entry.actor == world.street_a_hr and entry.after["original_name"] == "照片.png" and entry.after["size"] == len(PNG)
    response = client.get(f"/dossier/attachments/{a.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert "no-store" in response["Cache-Control"]
    assert f'src="/dossier/attachments/{a.pk}/"' in client.get(f"/dossier/{world.worker_a1.pk}/").content.decode()
    audit_page = client.get("/audit/").content.decode()
    assert "上传档案材料" in audit_page and "原文件名" in audit_page and "照片.png" in audit_page
    assert "photo" not in audit_page and "original_name" not in audit_page


def test_a_street_hr_of_another_street_gets_404_for_every_attachment_url(world, client_for, attachment_store):
    _upload(client_for(world.street_a_hr), world.worker_a1, "合同.pdf", PDF, kind="contract")
    a = Attachment.objects.get()
    other = client_for(world.street_b_hr)
    assert other.get(f"/dossier/attachments/{a.pk}/").status_code == 404
    assert other.get(f"/dossier/attachments/{a.pk}/?download=1").status_code == 404
    assert other.post(f"/dossier/attachments/{a.pk}/delete/", {"confirmed": "1"}).status_code == 404
    assert other.post(f"/dossier/{world.worker_a1.pk}/attachments/",
                      {"kind": "contract", "file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    assert Attachment.objects.count() == 1 and attachment_store.exists(a.file.name)


def test_a_secretary_may_look_at_an_attachment_but_not_upload_or_delete(world, client_for, attachment_store):
    _upload(client_for(world.street_a_hr), world.worker_a1, "合同.pdf", PDF, kind="contract")
    a = Attachment.objects.get()
    secretary = client_for(world.secretary_a1)
    assert secretary.get(f"/dossier/attachments/{a.pk}/").status_code == 200
    assert secretary.post(f"/dossier/attachments/{a.pk}/delete/", {"confirmed": "1"}).status_code == 403
    assert _upload(secretary, world.worker_a1).status_code == 403
    assert Attachment.objects.count() == 1


@override_settings(ATTACHMENT_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused_in_chinese_with_its_name_and_the_limit(world, client_for, attachment_store):
    big = PDF + b"0" * (1024 * 1024)
    html = _upload(client_for(world.street_a_hr), world.worker_a1, "毕业证.pdf", big, kind="diploma").content.decode()
    assert TOO_LARGE.format(name="毕业证.pdf", size="1.0 MB", limit="1.0 MB") in html
    assert not Attachment.objects.exists()


def test_a_program_renamed_to_pdf_is_refused_by_its_content(world, client_for, attachment_store):
    html = _upload(client_for(world.street_a_hr), world.worker_a1, "证书.pdf", b"MZ\x90\x00" + b"\x00" * 100,
                   kind="certificate").content.decode()
    assert BAD_TYPE.format(name="证书.pdf", kind="证书扫描件", allowed="PDF、JPG、PNG") in html
    assert not Attachment.objects.exists() and not AuditEntry.objects.filter(action=AuditAction.ATTACHMENT_UPLOAD).exists()


def test_a_photo_must_be_an_image(world, client_for, attachment_store):
    html = _upload(client_for(world.street_a_hr), world.worker_a1, "照片.pdf", PDF, kind="photo").content.decode()
    assert BAD_TYPE.format(name="照片.pdf", kind="照片", allowed="JPG、PNG") in html


def test_an_upload_without_a_file_names_the_field(world, client_for, attachment_store):
    html = client_for(world.street_a_hr).post(f"/dossier/{world.worker_a1.pk}/attachments/", {"kind": "photo"},
                                              follow=True).content.decode()
    assert "未上传：文件：请选择要上传的文件" in html


def test_deleting_an_attachment_asks_first_then_removes_row_and_file_and_is_audited(world, client_for, attachment_store,
                                                                                   django_capture_on_commit_callbacks):
    client = client_for(world.street_a_hr)
    _upload(client, world.worker_a1, "合同.pdf", PDF, kind="contract")
    a = Attachment.objects.get()
    first = client.post(f"/dossier/attachments/{a.pk}/delete/").content.decode()
    assert "删除刘少萌的劳动合同" in first and "合同.pdf" in first and Attachment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/dossier/attachments/{a.pk}/delete/", {"confirmed": "1"})
    assert not Attachment.objects.exists() and not attachment_store.exists(a.file.name)
    entry = AuditEntry.objects.get(action=AuditAction.ATTACHMENT_DELETE)
    assert entry.before["original_name"] == "合同.pdf" and entry.actor == world.street_a_hr
