"""Approved posts per staffed unit (员额), as decisions with a date they take effect (Q-REV).

A unit's quota on a date is the latest *approved* decision whose `since` is on or before
that date; proposals and rejections never count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已退回"
    SUPERSEDED = "superseded", "已被替代"


class DecisionSource(models.TextChoices):
    COMPUTED = "computed", "按政策测算"
    MANUAL = "manual", "人工核定"


class QuotaDecision(models.Model):
    """One proposed or decided quota of one unit, effective from `since`."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="quota_decisions")
    quota = models.PositiveIntegerField("核定员额")
    since = models.DateField("生效日期")
    status = models.CharField("状态", max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED)
    source = models.CharField("来源", max_length=10, choices=DecisionSource.choices)
    computed_quota = models.PositiveIntegerField("政策测算员额", null=True, blank=True)
    previous_quota = models.PositiveIntegerField("原核定员额", null=True, blank=True)
    reason = models.CharField("理由", max_length=300, blank=True, default="")
    explanation = models.TextField("计算依据", blank=True, default="")
    policy_version = models.CharField("政策版本", max_length=80, blank=True, default="")
    facts = models.JSONField("测算所用单位情况", default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True, default="")

    class Meta:
        ordering = ["unit_id", "-since", "-id"]
        constraints = [
            # A hand-set quota must say why (Q-REV).
            models.CheckConstraint(
                condition=~Q(source="manual") | ~Q(reason=""), name="quota_manual_has_reason"
            ),
            models.UniqueConstraint(
                fields=["unit", "since"], condition=Q(status="approved"), name="quota_one_approved_per_date"
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(status="proposed"), name="quota_one_open_proposal"
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_at__isnull=False), name="quota_decided_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "since"], name="quota_unit_status_since_idx"),
            models.Index(fields=["status"], name="quota_status_idx"),
        ]
        verbose_name = "员额核定"
        verbose_name_plural = "员额核定"

    def __str__(self) -> str:
        return f"{self.unit_id} {self.quota}名 自{self.since}（{self.get_status_display()}）"

    @property
    def change(self) -> int | None:
        return None if self.previous_quota is None else self.quota - self.previous_quota
