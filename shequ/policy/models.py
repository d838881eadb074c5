"""Stored policy versions and which org node each applies to (inherited below)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PolicyVersion(models.Model):
    """An immutable policy text. Anything the engine decides names the version's label."""

    policy_id = models.CharField("政策标识", max_length=60)
    name = models.CharField("名称", max_length=200)
    version = models.CharField("版本", max_length=30)
    text = models.TextField("政策文件(TOML)")
    digest = models.CharField("摘要", max_length=64, unique=True)
    is_draft = models.BooleanField("草案", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy_id", "-created_at"]
        verbose_name = "政策版本"
        verbose_name_plural = "政策版本"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.policy_id}@{self.version}#{self.digest[:8]}"


class PolicyBinding(models.Model):
    """From `since`, `version` governs `unit` and every unit below it that has no binding
    of its own."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="policy_bindings")
    version = models.ForeignKey(PolicyVersion, verbose_name="政策版本", on_delete=models.PROTECT, related_name="bindings")
    since = models.DateField("生效日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "-since"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "since"], name="policy_binding_one_per_date"),
        ]
        verbose_name = "政策适用"
        verbose_name_plural = "政策适用"

    def __str__(self) -> str:
        return f"{self.unit_id} ← {self.version_id} ({self.since})"
