"""Files kept with a person's record (档案): a photo and scans of their papers.

The bytes live in the "attachments" storage (a folder in the demo, any S3-compatible store
in production, docs/attachments.md); this table holds what the page and the audit need."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q


def attachments_storage() -> Storage:
    # A callable, so the migration does not freeze a deployment's storage settings.
    return storages["attachments"]


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "照片"
    CERTIFICATE = "certificate", "证书扫描件"
    DIPLOMA = "diploma", "学历证书"
    CONTRACT = "contract", "劳动合同"
    OTHER = "other", "其他材料"


class Attachment(models.Model):
    worker = models.ForeignKey(
        "workers.Worker", verbose_name="社区工作者", on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField("材料类别", max_length=12, choices=AttachmentKind.choices)
    file = models.FileField("文件", storage=attachments_storage, upload_to="workers/%Y/%m/", max_length=300)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=60)
    size = models.PositiveIntegerField("大小（字节）")
    note = models.CharField("说明", max_length=200, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty")]
        indexes = [models.Index(fields=["worker", "kind"], name="attachment_worker_kind_idx")]
        verbose_name = "档案材料"
        verbose_name_plural = "档案材料"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
