"""Background jobs: one row per submitted action, with its progress and outcome. The task
queue (django-tasks) only carries the job's id; this row is what pages, the API and the
CLI read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    kind = models.CharField("类型", max_length=40)
    # One active job per key: the same action submitted twice while the first is queued or
    # running gives the first job back (the database's partial unique index decides).
    key = models.CharField("幂等键", max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name="范围", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField("阶段", max_length=100, blank=True, default="")
    done = models.PositiveBigIntegerField("已完成", default=0)
    total = models.PositiveBigIntegerField("总数", default=0)
    error = models.TextField("错误", blank=True, default="")
    result_url = models.CharField("结果", max_length=300, blank=True, default="")
    outcome = models.CharField("结果说明", max_length=500, blank=True, default="")
    result = models.JSONField("结果数据", default=dict, blank=True)
    task_id = models.CharField("队列任务", max_length=64, blank=True, default="")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进度", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(status__in=["queued", "running"]), name="job_one_active_per_key"
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat_idx")]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
