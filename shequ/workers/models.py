"""The roster (花名册): workers, their history as events (履历), certificates, contracts."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q


class Sex(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class Category(models.TextChoices):
    COMMITTEE = "两委成员", "两委成员"
    FULL_TIME = "专职社区工作者", "专职社区工作者"
    DISPATCH = "劳务派遣", "劳务派遣"


class Education(models.TextChoices):
    MIDDLE = "初中及以下", "初中及以下"
    HIGH = "高中", "高中"
    VOCATIONAL = "中专", "中专"
    COLLEGE = "大专", "大专"
    BACHELOR = "本科", "本科"
    MASTER = "硕士研究生", "硕士研究生"
    DOCTOR = "博士研究生", "博士研究生"


EDUCATION_ORDER = [e.value for e in Education]


class CertificateLevel(models.TextChoices):
    NONE = "无", "无"
    ASSISTANT = "助理社会工作师", "助理社会工作师"
    SOCIAL_WORKER = "社会工作师", "社会工作师"
    SENIOR = "高级社会工作师", "高级社会工作师"


class Status(models.TextChoices):
    PROBATION = "probation", "试用期"
    ACTIVE = "active", "在职"
    LEFT = "left", "已离职"


class Worker(models.Model):
    """Current state of a worker. The history that produced it is in WorkerEvent; every
    service that changes a worker writes both in one transaction."""

    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="workers")
    category = models.CharField("人员类别", max_length=10, choices=Category.choices)
    post = models.CharField("岗位", max_length=20)
    education = models.CharField("学历", max_length=10, choices=Education.choices)
    # W-EDU: the highest full-time (全日制) education; `education` is the highest of any kind.
    education_full_time = models.CharField("全日制学历", max_length=10, choices=Education.choices, blank=True, default="")
    community_work_start = models.DateField("参加社区工作时间")
    certificate = models.CharField(
        "职业资格", max_length=10, choices=CertificateLevel.choices, default=CertificateLevel.NONE
    )
    grade = models.PositiveSmallIntegerField("等级", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    hired_on = models.DateField("入职日期", null=True, blank=True)
    probation_until = models.DateField("试用期至", null=True, blank=True)
    left_on = models.DateField("离职日期", null=True, blank=True)
    exit_reason = models.CharField("离职原因", max_length=100, blank=True, default="")
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    # Columns a sheet carried that Shequ has no field for: kept, never dropped.
    extra = models.JSONField("其他信息", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__isnull=True) | Q(grade__gte=1), name="worker_grade_positive"),
            models.CheckConstraint(
                condition=Q(community_work_start__gt=models.F("birth_date")),
                name="worker_work_after_birth",
            ),
            models.CheckConstraint(
                condition=~Q(status="left") | Q(left_on__isnull=False), name="worker_left_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="worker_unit_status_idx"),
            models.Index(fields=["status"], name="worker_status_idx"),
            models.Index(fields=["name"], name="worker_name_idx"),
        ]
        verbose_name = "社区工作者"
        verbose_name_plural = "社区工作者"

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status != Status.LEFT

    def age_on(self, on: date) -> int:
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


class EventKind(models.TextChoices):
    HIRE = "hire", "录用"
    ASSIGNMENT = "assignment", "选派"
    IMPORT = "import", "导入建档"
    CONVERSION = "conversion", "转岗/套改"
    PLACEMENT = "placement", "定岗定级"
    GRADE_STEP = "grade_step", "等级调整"
    POST_CHANGE = "post_change", "岗位变动"
    TRANSFER = "transfer", "调动"
    ASSESSMENT = "assessment", "年度考核"
    TRAINING = "training", "培训"
    MENTORING = "mentoring", "导师帮带"
    EXCHANGE = "exchange", "跟岗学习"
    ROTATION = "rotation", "全岗通轮岗"
    CERTIFICATE = "certificate", "职业资格"
    EDUCATION = "education", "学历"
    HONOUR = "honour", "表彰荣誉"
    SANCTION = "sanction", "处分"
    CAREER = "career", "职业发展"
    CONTRACT = "contract", "劳动合同"
    EDIT = "edit", "信息更正"
    EXIT = "exit", "退出"


class WorkerEvent(models.Model):
    """One entry of a worker's history, with the date it takes effect, its cause, who
    recorded it and, when the engine decided it, the policy version that did."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("类型", max_length=20, choices=EventKind.choices)
    effective = models.DateField("生效日期")
    cause = models.CharField("事由", max_length=300, blank=True, default="")
    unit = models.ForeignKey(
        "org.Unit", verbose_name="当时单位", on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    policy_version = models.CharField("政策版本", max_length=80, blank=True, default="")
    data = models.JSONField("内容", default=dict, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["-effective", "-id"]
        indexes = [
            models.Index(fields=["worker", "effective"], name="event_worker_date_idx"),
            models.Index(fields=["kind", "effective"], name="event_kind_date_idx"),
        ]
        verbose_name = "履历"
        verbose_name_plural = "履历"

    def __str__(self) -> str:
        return f"{self.effective} {self.get_kind_display()}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(label, before, after) for each field an edit-like event changed."""
        before, after = self.data.get("before"), self.data.get("after")
        if not isinstance(before, dict) or not isinstance(after, dict):
            return []
        labels = {f.attname: str(f.verbose_name) for f in Worker._meta.concrete_fields}
        labels["unit"] = "所属单位"
        return [(str(labels.get(k, k)), before.get(k), after.get(k)) for k in after]


class Certificate(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="certificates")
    level = models.CharField("等级", max_length=10, choices=CertificateLevel.choices)
    obtained_on = models.DateField("取得日期")
    number = models.CharField("证书编号", max_length=50, blank=True, default="")

    class Meta:
        ordering = ["-obtained_on"]
        constraints = [
            models.CheckConstraint(condition=~Q(level="无"), name="certificate_has_level"),
        ]
        verbose_name = "职业资格证书"
        verbose_name_plural = "职业资格证书"

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.obtained_on}"


class EducationKind(models.TextChoices):
    FULL_TIME = "全日制", "全日制"
    IN_SERVICE = "在职", "在职"


class EducationRecord(models.Model):
    """W-EDU: one education a worker obtained, with its kind and date."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="educations")
    level = models.CharField("学历", max_length=10, choices=Education.choices)
    kind = models.CharField("学习形式", max_length=4, choices=EducationKind.choices)
    obtained_on = models.DateField("毕业日期")
    school = models.CharField("毕业院校", max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["worker_id", "obtained_on", "id"]
        constraints = [models.UniqueConstraint(fields=["worker", "level", "kind"], name="education_once_per_level_kind")]
        verbose_name = "学历记录"
        verbose_name_plural = "学历记录"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.kind}{self.level}"


class ContractKind(models.TextChoices):
    LABOUR = "labour", "劳动合同"
    DISPATCH = "dispatch", "劳务派遣合同"
    VOLUNTARY = "voluntary", "两委成员自愿签订"


class Contract(models.Model):
    """E-CONTRACT: one labour contract per worker at a time."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="contracts")
    kind = models.CharField("合同类型", max_length=10, choices=ContractKind.choices)
    employer = models.CharField("用人单位", max_length=100)
    start = models.DateField("起始日期")
    end = models.DateField("终止日期", null=True, blank=True)
    ended_on = models.DateField("实际解除日期", null=True, blank=True)
    end_reason = models.CharField("解除原因", max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")), name="contract_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["worker"], condition=Q(ended_on__isnull=True), name="contract_one_open_per_worker"
            ),
        ]
        verbose_name = "劳动合同"
        verbose_name_plural = "劳动合同"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"
