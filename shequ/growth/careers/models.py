"""Careers area (育、用): reserve pool (Q-RESV), honours (C-HONOR), grids (ORG-4) and the
community affairs admission list (ORG-5). Promotions, moves, career selections and exits
are worker events (shequ.workers.WorkerEvent); they need no table of their own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from shequ.workers.models import Education, Sex

__all__ = [
    "AdmissionItem", "AdmissionStatus", "GridInfo", "Honour", "HonourKind", "HonourLevel",
    "ReserveCandidate", "ReserveKind", "ReserveSource",
]


class ReserveKind(models.TextChoices):
    SECRETARY = "secretary", "书记后备人选"
    COMMITTEE = "committee", "其他两委后备人选"


class ReserveSource(models.TextChoices):
    WORKER = "社区工作者", "社区工作者"
    VETERAN = "退役军人", "退役军人"
    PROFESSIONAL = "社会专业人才", "社会专业人才"
    OTHER = "其他", "其他"


class ReserveCandidate(models.Model):
    """Q-RESV: one person in a community's reserve pool. A candidate may be a worker on the
    roster or someone from outside (veterans, professionals), so the person's facts are
    kept here too."""

    community = models.ForeignKey("org.Unit", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=ReserveKind.choices, default=ReserveKind.SECRETARY)
    worker = models.ForeignKey(
        "workers.Worker", verbose_name="社区工作者", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=10, choices=Education.choices)
    source = models.CharField("来源", max_length=10, choices=ReserveSource.choices, default=ReserveSource.WORKER)
    added_on = models.DateField("入库日期")
    removed_on = models.DateField("出库日期", null=True, blank=True)
    removed_reason = models.CharField("出库原因", max_length=100, blank=True, default="")
    note = models.CharField("备注", max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["community__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "kind", "id_number"], condition=Q(removed_on__isnull=True),
                name="reserve_once_per_community_kind",
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("added_on")),
                name="reserve_removed_after_added",
            ),
        ]
        indexes = [models.Index(fields=["community", "kind", "removed_on"], name="reserve_comm_kind_idx")]
        verbose_name = "后备人选"
        verbose_name_plural = "后备人选"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class HonourKind(models.TextChoices):
    PARTY_DELEGATE = "党代会代表", "党代会代表"
    PEOPLES_DEPUTY = "人大代表", "人大代表"
    CPPCC_MEMBER = "政协委员", "政协委员"
    MODEL_WORKER = "劳动模范", "劳动模范"
    AWARD = "表彰奖励", "表彰奖励"


# C-HONOR: "两代表一委员" are these three kinds.
TWO_REPS_ONE_MEMBER = (HonourKind.PARTY_DELEGATE, HonourKind.PEOPLES_DEPUTY, HonourKind.CPPCC_MEMBER)


class HonourLevel(models.TextChoices):
    NATIONAL = "国家级", "国家级"
    PROVINCE = "省级", "省级"
    CITY = "市级", "市级"
    COUNTY = "县级", "县级"
    STREET = "街道级", "街道级"


class Honour(models.Model):
    """C-HONOR: a worker's honour or seat as a representative, with its level and date."""

    worker = models.ForeignKey("workers.Worker", verbose_name="社区工作者", on_delete=models.CASCADE, related_name="honours")
    kind = models.CharField("类别", max_length=10, choices=HonourKind.choices)
    level = models.CharField("级别", max_length=10, choices=HonourLevel.choices)
    title = models.CharField("名称", max_length=100)
    awarded_on = models.DateField("授予/当选日期")
    term_end = models.DateField("任期届满", null=True, blank=True)
    awarded_by = models.CharField("授予机关", max_length=100, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-awarded_on", "worker__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=models.F("awarded_on")),
                name="honour_term_after_award",
            ),
        ]
        verbose_name = "表彰荣誉"
        verbose_name_plural = "表彰荣誉"

    def __str__(self) -> str:
        return f"{self.worker} {self.level}{self.title}"

    @property
    def is_representative(self) -> bool:
        return self.kind in TWO_REPS_ONE_MEMBER


class GridInfo(models.Model):
    """ORG-4: what a grid (a unit of type 网格) has beyond the org tree: its party
    organisation and the worker in charge. Households are the grid's unit facts."""

    unit = models.OneToOneField("org.Unit", verbose_name="网格", on_delete=models.CASCADE, related_name="grid_info")
    party_org = models.CharField("网格党组织", max_length=100)
    leader = models.ForeignKey(
        "workers.Worker", verbose_name="网格负责人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path"]
        verbose_name = "网格"
        verbose_name_plural = "网格"

    def __str__(self) -> str:
        return str(self.unit)


class AdmissionStatus(models.TextChoices):
    PROPOSED = "proposed", "待审批"
    APPROVED = "approved", "已准入"
    REJECTED = "rejected", "未批准"
    REMOVED = "removed", "已取消"


class AdmissionItem(models.Model):
    """ORG-5: an item of the community affairs admission list (社区工作准入清单): a task that
    may be pushed down to the communities under `unit`. Proposed by a street, in force
    only once the bureau approves it."""

    unit = models.ForeignKey("org.Unit", verbose_name="适用范围", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("事项名称", max_length=200)
    category = models.CharField("事项类别", max_length=50)
    department = models.CharField("责任部门", max_length=100, blank=True, default="")
    basis = models.CharField("设定依据", max_length=300, blank=True, default="")
    status = models.CharField("状态", max_length=10, choices=AdmissionStatus.choices, default=AdmissionStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True, default="")
    effective = models.DateField("准入日期", null=True, blank=True)
    removed_on = models.DateField("取消日期", null=True, blank=True)

    class Meta:
        ordering = ["unit__path", "category", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title"], condition=Q(status__in=["proposed", "approved"]),
                name="admission_item_title_unique_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(effective__isnull=False, decided_by__isnull=False),
                name="admission_item_approved_has_decision",
            ),
        ]
        verbose_name = "社区工作准入事项"
        verbose_name_plural = "社区工作准入事项"

    def __str__(self) -> str:
        return self.title
