"""Training (T-LEVEL), mentoring (T-MENTOR), exchange placements (T-EXCH) and 全岗通
rotation (T-ALL). Certificates (T-CERT) use the roster's own Certificate model."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Level(models.TextChoices):
    # Order matters: a lower index is a higher level (T-LEVEL "county level or above").
    CITY = "市级", "市级"
    COUNTY = "县级", "县级"
    STREET = "街道", "街道"


LEVEL_ORDER = [lv.value for lv in Level]


class Course(models.Model):
    """A training course run by a unit (the organiser) at one of the three levels."""

    name = models.CharField("课程名称", max_length=100)
    level = models.CharField("培训层级", max_length=4, choices=Level.choices)
    unit = models.ForeignKey("org.Unit", verbose_name="主办单位", on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField("标准学时", max_digits=5, decimal_places=1)
    description = models.CharField("说明", max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive"),
            models.UniqueConstraint(fields=["unit", "name"], name="course_name_unique_in_unit"),
        ]
        verbose_name = "培训课程"
        verbose_name_plural = "培训课程"

    def __str__(self) -> str:
        return self.name


class TrainingSession(models.Model):
    """One run (班次) of a course: dates, place, hours."""

    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.PROTECT, related_name="sessions")
    unit = models.ForeignKey("org.Unit", verbose_name="主办单位", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    place = models.CharField("地点", max_length=100, blank=True, default="")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="session_end_after_start"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="session_hours_positive"),
        ]
        indexes = [models.Index(fields=["start"], name="session_start_idx")]
        verbose_name = "培训班次"
        verbose_name_plural = "培训班次"

    def __str__(self) -> str:
        return f"{self.course.name}（{self.start:%Y-%m-%d}）"

    @property
    def level(self) -> str:
        return self.course.level


class Attendance(models.Model):
    """A worker's attendance at a session; `unit` is the worker's unit then (for scope)."""

    session = models.ForeignKey(TrainingSession, verbose_name="班次", on_delete=models.CASCADE, related_name="attendances")
    worker = models.ForeignKey("workers.Worker", verbose_name="人员", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("培训层级", max_length=4, choices=Level.choices)
    attended_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-attended_on", "worker__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "worker"], name="attendance_once_per_session"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="attendance_hours_positive"),
        ]
        indexes = [models.Index(fields=["worker", "level", "attended_on"], name="attendance_worker_level_idx")]
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.session_id}"


class MentorGroup(models.TextChoices):
    YOUNG_SECRETARY = "young_secretary", "年轻书记"
    WEAK_SECRETARY = "weak_secretary", "后进书记"
    NEW_WORKER = "new_worker", "新入职人员"
    OTHER = "other", "其他"


class MentorPair(models.Model):
    """T-MENTOR: a mentor (导师) paired with a mentee from `start` until `end` (open if null)."""

    # Mentors are often street leaders who are not on the roster (004): a name is enough.
    mentor = models.ForeignKey(
        "workers.Worker", verbose_name="导师", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mentor_name = models.CharField("导师姓名", max_length=50)
    mentee = models.ForeignKey("workers.Worker", verbose_name="帮带对象", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="帮带对象单位", on_delete=models.PROTECT, related_name="+")
    group = models.CharField("帮带类别", max_length=20, choices=MentorGroup.choices, default=MentorGroup.OTHER)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(mentor__isnull=True) | ~Q(mentor=F("mentee")), name="mentor_not_self"),
            models.CheckConstraint(condition=~Q(mentor_name=""), name="mentor_has_name"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="mentor_end_after_start"),
            models.UniqueConstraint(fields=["mentee"], condition=Q(end__isnull=True), name="mentor_one_open_per_mentee"),
        ]
        verbose_name = "导师帮带"
        verbose_name_plural = "导师帮带"

    def __str__(self) -> str:
        return f"{self.mentor_id}→{self.mentee_id}"


class PlacementKind(models.TextChoices):
    EXCHANGE = "exchange", "跟岗学习"
    ROTATION = "rotation", "全岗通轮岗"


class Placement(models.Model):
    """T-EXCH exchange placements (跟岗学习, e.g. two months in another city) and T-ALL
    rotations (全岗通: serving another post), each with dates and a place."""

    kind = models.CharField("类型", max_length=10, choices=PlacementKind.choices)
    worker = models.ForeignKey("workers.Worker", verbose_name="人员", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    place = models.CharField("地点/接收单位", max_length=100)
    post_served = models.CharField("所跟/所轮岗位", max_length=50, blank=True, default="")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    note = models.CharField("说明", max_length=200, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="placement_end_after_start"),
            models.CheckConstraint(
                condition=~Q(kind="rotation") | ~Q(post_served=""), name="rotation_names_post"
            ),
        ]
        indexes = [models.Index(fields=["kind", "start"], name="placement_kind_start_idx")]
        verbose_name = "跟岗与轮岗"
        verbose_name_plural = "跟岗与轮岗"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"
