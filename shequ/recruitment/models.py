"""Entry (选): exam recruitment plans and their applications (E-EXAM, E-PROB), and bulk
conversion batches of existing 两委 members (E-CONV). Dispatch conversions (E-DISP) need no
table of their own: they are worker updates with a conversion event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    ANNOUNCED = "announced", "已发布公告"
    PUBLISHED = "published", "已公示"
    CLOSED = "closed", "已结束"


class RecruitmentPlan(models.Model):
    """A recruitment plan (招聘计划) for one scope, e.g. a street; posts per unit below it."""

    scope = models.ForeignKey("org.Unit", verbose_name="招聘范围", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("计划名称", max_length=100)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # The policy version in force for the scope when the plan was made; hires record theirs.
    policy_version = models.CharField("政策版本", max_length=80, blank=True, default="")
    announcement = models.TextField("招聘公告", blank=True, default="")
    announced_on = models.DateField("公告日期", null=True, blank=True)
    apply_from = models.DateField("报名开始", null=True, blank=True)
    apply_until = models.DateField("报名截止", null=True, blank=True)
    exam_on = models.DateField("考试日期", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(apply_until__isnull=True) | Q(apply_from__isnull=True) | Q(apply_until__gte=models.F("apply_from")),
                name="plan_apply_window_ordered",
            ),
        ]
        verbose_name = "招聘计划"
        verbose_name_plural = "招聘计划"

    def __str__(self) -> str:
        return self.title


class PlanPost(models.Model):
    """Places for one post in one unit of the plan; bounded by the unit's vacancies."""

    plan = models.ForeignKey(RecruitmentPlan, on_delete=models.CASCADE, related_name="posts")
    unit = models.ForeignKey("org.Unit", verbose_name="用人单位", on_delete=models.PROTECT, related_name="+")
    post = models.CharField("岗位", max_length=20)
    places = models.PositiveSmallIntegerField("招聘人数")

    class Meta:
        ordering = ["unit__path", "post"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "post"], name="plan_post_unique"),
            models.CheckConstraint(condition=Q(places__gte=1), name="plan_post_places_positive"),
        ]
        verbose_name = "招聘岗位"
        verbose_name_plural = "招聘岗位"

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.post}"


class AppStatus(models.TextChoices):
    ELIGIBLE = "eligible", "资格审查通过"
    REJECTED = "rejected", "资格审查未通过"
    WITHDRAWN = "withdrawn", "已放弃"
    HIRED = "hired", "已录用"


class Application(models.Model):
    """One applicant for one post of a plan, with the eligibility result and scores."""

    plan = models.ForeignKey(RecruitmentPlan, on_delete=models.CASCADE, related_name="applications")
    plan_post = models.ForeignKey(PlanPost, verbose_name="报考岗位", on_delete=models.PROTECT, related_name="applications")
    # Denormalised for scope filtering: the unit of the post applied for.
    unit = models.ForeignKey("org.Unit", verbose_name="用人单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18)
    sex = models.CharField("性别", max_length=1)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=10)
    certificate = models.CharField("职业资格", max_length=10, default="无")
    residence_local = models.BooleanField("本地户籍或居住", default=False)
    veteran = models.BooleanField("退役军人", default=False)
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    status = models.CharField("状态", max_length=10, choices=AppStatus.choices)
    rejection_reason = models.CharField("不通过原因", max_length=300, blank=True, default="")
    written = models.DecimalField("笔试成绩", max_digits=6, decimal_places=2, null=True, blank=True)
    interview = models.DecimalField("面试成绩", max_digits=6, decimal_places=2, null=True, blank=True)
    bonus = models.DecimalField("加分", max_digits=6, decimal_places=2, default=0)
    total = models.DecimalField("总成绩", max_digits=7, decimal_places=2, null=True, blank=True)
    withdrawn_reason = models.CharField("放弃原因", max_length=200, blank=True, default="")
    worker = models.ForeignKey(
        "workers.Worker", verbose_name="录用后人员", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hired_on = models.DateField("录用日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_post_id", "-total", "-written", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "id_number"], name="application_one_per_plan"),
            models.CheckConstraint(condition=Q(written__isnull=True) | Q(written__gte=0), name="application_written_nonneg"),
            models.CheckConstraint(
                condition=Q(interview__isnull=True) | Q(interview__gte=0), name="application_interview_nonneg"
            ),
            models.CheckConstraint(condition=~Q(status="hired") | Q(worker__isnull=False), name="application_hired_has_worker"),
        ]
        indexes = [models.Index(fields=["plan", "status"], name="application_plan_status_idx")]
        verbose_name = "报名"
        verbose_name_plural = "报名"

    def __str__(self) -> str:
        return self.name


class BatchStatus(models.TextChoices):
    PROVISIONAL = "provisional", "拟定（待复核）"
    CONFIRMED = "confirmed", "已确认"


class ConversionBatch(models.Model):
    """A 套改 batch (E-CONV): survey → provisional placement → review → confirmed."""

    scope = models.ForeignKey("org.Unit", verbose_name="范围", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("批次名称", max_length=100)
    effective = models.DateField("套改生效日期")
    status = models.CharField("状态", max_length=12, choices=BatchStatus.choices, default=BatchStatus.PROVISIONAL)
    policy_version = models.CharField("政策版本", max_length=80, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "套改批次"
        verbose_name_plural = "套改批次"

    def __str__(self) -> str:
        return self.title


class ConversionLine(models.Model):
    """One person in a 套改 batch: the engine's proposal and the reviewed final values."""

    batch = models.ForeignKey(ConversionBatch, on_delete=models.CASCADE, related_name="lines")
    worker = models.ForeignKey("workers.Worker", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    years = models.PositiveSmallIntegerField("社区工作年限", default=0)
    proposed_post = models.CharField("拟定岗位", max_length=20)
    proposed_grade = models.PositiveSmallIntegerField("拟定等级")
    final_post = models.CharField("确认岗位", max_length=20)
    final_grade = models.PositiveSmallIntegerField("确认等级")
    explanation = models.TextField("计算依据", blank=True, default="")
    edit_reason = models.CharField("调整理由", max_length=200, blank=True, default="")
    # E-CONTRACT: elected 两委 members may sign a labour contract voluntarily.
    voluntary_contract = models.BooleanField("自愿签订劳动合同", default=False)

    class Meta:
        ordering = ["unit__path", "worker__name"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "worker"], name="conversion_line_unique"),
            models.CheckConstraint(condition=Q(final_grade__gte=1), name="conversion_line_grade_positive"),
        ]
        verbose_name = "套改人员"
        verbose_name_plural = "套改人员"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.final_post}{self.final_grade}"

    @property
    def edited(self) -> bool:
        return self.final_post != self.proposed_post or self.final_grade != self.proposed_grade
