"""The audit log: one row per change, written in the change's own transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shequ.common.audit_actions import AuditAction, action_label


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("操作", max_length=60, db_index=True, choices=AuditAction.choices)
    target_type = models.CharField("对象类型", max_length=60)
    target_id = models.CharField("对象编号", max_length=40)
    target_label = models.CharField("对象", max_length=200, blank=True, default="")
    # The unit the change belongs to decides who may read the entry.
    unit = models.ForeignKey(
        "org.Unit", verbose_name="单位", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, blank=True, default="")
    summary = models.CharField("摘要", max_length=300, blank=True, default="")
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {action_label(self.action)} {self.target_label}"


class ImportBatch(models.Model):
    """A staged upload: validated rows wait here until the user commits them all at once."""

    class Status(models.TextChoices):
        VALIDATING = "validating", "校验中"
        INVALID = "invalid", "校验未通过"
        READY = "ready", "待确认导入"
        COMMITTED = "committed", "已导入"
        DISCARDED = "discarded", "已放弃"

    kind = models.CharField("类型", max_length=30)
    filename = models.CharField("文件名", max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="导入范围", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    row_count = models.PositiveIntegerField("行数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    rows = models.JSONField("数据", default=list, blank=True)
    summary = models.JSONField("摘要", default=dict, blank=True)
    # The uploaded file while a background job validates it; emptied once validated.
    content = models.BinaryField("上传文件", default=b"", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    # Set when the retention period emptied rows and errors (they hold ID numbers).
    purged_at = models.DateTimeField("清除时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"
