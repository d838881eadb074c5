"""The province's published figures (issue 19.2, ADR 0008): counts and sums per unit, never a
person. The national database reads them, and only them, through postgres_fdw."""

from __future__ import annotations

from django.db import models


class UnitFigures(models.Model):
    """One unit's S-* counts on a date, summed so that any grouping adds up: shares and means
    are computed from them where they are shown."""

    on_day = models.DateField("数据日期")
    unit_code = models.CharField("单位编码", max_length=64)
    unit_name = models.CharField("单位", max_length=100)
    headcount = models.PositiveIntegerField("人数")
    age_sum = models.PositiveBigIntegerField("年龄合计")
    under35 = models.PositiveIntegerField("35岁以下人数")
    bachelor_plus = models.PositiveIntegerField("本科及以上人数")
    college_plus = models.PositiveIntegerField("大专及以上人数")
    certified = models.PositiveIntegerField("持证人数")
    trained = models.PositiveIntegerField("培训人次")
    pay_total = models.DecimalField("月应发合计", max_digits=16, decimal_places=2)
    urban_population = models.PositiveBigIntegerField("城镇常住人口")
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位统计数"
        verbose_name_plural = "单位统计数"
        constraints = [models.UniqueConstraint(fields=["on_day", "unit_code"], name="unit_figures_one_per_day")]
        indexes = [models.Index(fields=["on_day"], name="unit_figures_on_day")]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.on_day}"
