"""Annual assessment (考核): a campaign per scope and year, the scores of its workers, the
results history the consequences read, negative-list breaches and the consequences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

TIER_CHOICES = [(t, t) for t in ("优秀", "称职", "基本称职", "不称职")]


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "评分中"
    PUBLISHED = "published", "结果已公布"
    CONFIRMED = "confirmed", "结果运用已确认"


class Campaign(models.Model):
    """One annual assessment of every worker of `unit`'s subtree for `year`."""

    unit = models.ForeignKey("org.Unit", verbose_name="考核范围", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    policy_version = models.CharField("政策版本", max_length=80, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="assessment_campaign_one_per_unit_year"),
        ]
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """A worker's marks in a campaign: indicator values (A-IND), total points (A-PTS), a tier
    given directly (e.g. imported), and a tier set by hand to meet the cap on 优秀."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scores")
    worker = models.ForeignKey("workers.Worker", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    indicators = models.JSONField("指标得分", default=dict, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    tier_given = models.CharField("录入等次", max_length=10, choices=TIER_CHOICES, blank=True, default="")
    tier_adjusted = models.CharField("调整后等次", max_length=10, choices=TIER_CHOICES, blank=True, default="")
    adjust_reason = models.CharField("调整原因", max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path", "worker__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "worker"], name="assessment_score_one_per_worker"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0), name="assessment_score_not_negative"),
            models.CheckConstraint(
                condition=Q(tier_adjusted="") | ~Q(adjust_reason=""), name="assessment_adjustment_has_reason"
            ),
        ]
        verbose_name = "考核评分"
        verbose_name_plural = "考核评分"


class Breach(models.Model):
    """A negative-list (负面清单) breach in the campaign year: it disqualifies (A-PTS)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="breaches")
    worker = models.ForeignKey("workers.Worker", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("情形", max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "worker__name", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="assessment_breach_has_reason")]
        verbose_name = "负面清单情形"
        verbose_name_plural = "负面清单情形"


class Result(models.Model):
    """A worker's final tier for a year: the history A-STEP reads. Written when a campaign is
    published, or imported for earlier years (campaign is then empty)."""

    worker = models.ForeignKey("workers.Worker", on_delete=models.CASCADE, related_name="assessment_results")
    year = models.PositiveSmallIntegerField("年度")
    tier = models.CharField("考核等次", max_length=10, choices=TIER_CHOICES)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name="当时单位", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="results")
    policy_version = models.CharField("政策版本", max_length=80, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["worker_id", "year"]
        constraints = [models.UniqueConstraint(fields=["worker", "year"], name="assessment_result_one_per_year")]
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"


class Action(models.TextChoices):
    STEP = "晋升一级", "晋升一级"
    PROMOTE = "优先晋升", "优先晋升"
    WARN = "约谈提醒", "约谈提醒"
    DISMISS = "解聘", "解聘"


class ConsequenceStatus(models.TextChoices):
    DONE = "done", "已执行"
    PROPOSED = "proposed", "待二次确认"
    CONFIRMED = "confirmed", "已解聘"
    REJECTED = "rejected", "未予解聘"


class Consequence(models.Model):
    """One consequence the engine decided on confirmation (A-STEP, A-PTS, C-EXIT)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="consequences")
    worker = models.ForeignKey("workers.Worker", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("处理", max_length=10, choices=Action.choices)
    tier = models.CharField("考核等次", max_length=10, choices=TIER_CHOICES)
    grade_before = models.PositiveSmallIntegerField("原等级", null=True, blank=True)
    grade_after = models.PositiveSmallIntegerField("新等级", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=ConsequenceStatus.choices)
    policy_version = models.CharField("政策版本", max_length=80)
    decided_at = models.DateTimeField(auto_now_add=True)
    second_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    second_at = models.DateTimeField("二次确认时间", null=True, blank=True)
    second_note = models.CharField("二次确认意见", max_length=300, blank=True, default="")

    class Meta:
        ordering = ["action", "unit__path", "worker__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "worker", "action"], name="assessment_consequence_once"),
            models.CheckConstraint(
                condition=Q(action="解聘") | Q(status="done"), name="assessment_only_dismissal_waits"
            ),
        ]
        verbose_name = "结果运用"
        verbose_name_plural = "结果运用"
