"""Writes of the dossier: keeping and removing a person's attachments, each audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from shequ.common.audit import audit_record
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.dossier.models import Attachment, AttachmentKind

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.workers.models import Worker

EMPTY_FILE = "文件“{name}”是空的，请重新选择"
TOO_LARGE = "文件“{name}”有 {size}，超过上限 {limit}"
BAD_TYPE = "文件“{name}”不是{allowed}文件，{kind}只能上传{allowed}"
NAME_TOO_LONG = "文件名“{name}”超过 200 个字符，请改短后上传"

# What each kind accepts, told apart by the file's first bytes, never by its name or the
# browser's word for it: a renamed program is refused whatever it is called.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
TYPE_NAMES = {"image/jpeg": "JPG", "image/png": "PNG", "application/pdf": "PDF"}
ALLOWED: dict[str, tuple[str, ...]] = {
    AttachmentKind.PHOTO: ("image/jpeg", "image/png"),
    AttachmentKind.CERTIFICATE: ("application/pdf", "image/jpeg", "image/png"),
    AttachmentKind.DIPLOMA: ("application/pdf", "image/jpeg", "image/png"),
    AttachmentKind.CONTRACT: ("application/pdf", "image/jpeg", "image/png"),
    AttachmentKind.OTHER: ("application/pdf", "image/jpeg", "image/png"),
}


class AttachmentError(ValueError):
    field = "file"


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


def sniff(upload: UploadedFile[bytes]) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return next((t for t, sigs in SIGNATURES.items() if any(head.startswith(s) for s in sigs)), None)


def attachment_check(*, kind: str, upload: UploadedFile[bytes]) -> str:
    """The content type of an acceptable upload; refuses empty, too large or the wrong type."""
    name = upload.name or "（无名文件）"
    if len(name) > 200:
        raise AttachmentError(NAME_TOO_LONG.format(name=name[:40] + "…"))
    size = upload.size or 0
    if size == 0:
        raise AttachmentError(EMPTY_FILE.format(name=name))
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise AttachmentError(TOO_LARGE.format(name=name, size=human_size(size), limit=human_size(limit)))
    allowed = ALLOWED[AttachmentKind(kind)]
    content_type = sniff(upload)
    if content_type not in allowed:
        raise AttachmentError(BAD_TYPE.format(
            name=name, kind=AttachmentKind(kind).label, allowed="、".join(TYPE_NAMES[t] for t in allowed),
        ))
    return content_type


@transaction.atomic
def attachment_upload(*, worker: Worker, kind: str, upload: UploadedFile[bytes], note: str, actor: User) -> Attachment:
    require_unit_in_scope(actor, worker.unit)
    content_type = attachment_check(kind=kind, upload=upload)
    attachment = Attachment(
        worker=worker, kind=kind, original_name=upload.name or "", content_type=content_type,
        size=upload.size or 0, note=note.strip()[:200], uploaded_by=actor,
    )
    # The storage writes before the row commits; a failed commit leaves a stray file for
    # the store's lifecycle rules, never a row without its file.
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.full_clean(exclude=["file"])
    attachment.save()
    audit_record(
        actor=actor, action=AuditAction.ATTACHMENT_UPLOAD, target=worker, unit=worker.unit,
        # The kind by its label: the audit row's target is the worker, who has no such field.
        after={"kind": attachment.get_kind_display(), "original_name": attachment.original_name, "size": attachment.size,
               "content_type": content_type, "file": attachment.file.name},
        summary=f"{attachment.get_kind_display()}：{attachment.original_name}",
    )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    worker = attachment.worker
    require_unit_in_scope(actor, worker.unit)
    before = {"kind": attachment.get_kind_display(), "original_name": attachment.original_name, "size": attachment.size,
              "file": attachment.file.name}
    audit_record(actor=actor, action=AuditAction.ATTACHMENT_DELETE, target=worker, unit=worker.unit,
                 before=before, summary=f"{attachment.get_kind_display()}：{attachment.original_name}")
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # Remove the bytes only once the row is gone for good: a rollback keeps both.
    transaction.on_commit(lambda: storage.delete(name) if name else None)
