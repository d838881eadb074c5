from django.db import migrations, models

from shequ.insights.nation_sql import CREATE_PROVINCE_VIEW, DROP_PROVINCE_VIEW


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="UnitFigures",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("on_day", models.DateField(verbose_name="数据日期")),
                ("unit_code", models.CharField(max_length=64, verbose_name="单位编码")),
                ("unit_name", models.CharField(max_length=100, verbose_name="单位")),
                ("headcount", models.PositiveIntegerField(verbose_name="人数")),
                ("age_sum", models.PositiveBigIntegerField(verbose_name="年龄合计")),
                ("under35", models.PositiveIntegerField(verbose_name="35岁以下人数")),
                ("bachelor_plus", models.PositiveIntegerField(verbose_name="本科及以上人数")),
                ("college_plus", models.PositiveIntegerField(verbose_name="大专及以上人数")),
                ("certified", models.PositiveIntegerField(verbose_name="持证人数")),
                ("trained", models.PositiveIntegerField(verbose_name="培训人次")),
                ("pay_total", models.DecimalField(decimal_places=2, max_digits=16, verbose_name="月应发合计")),
                ("urban_population", models.PositiveBigIntegerField(verbose_name="城镇常住人口")),
                ("published_at", models.DateTimeField(auto_now_add=True, verbose_name="发布时间")),
            ],
            options={
                "verbose_name": "单位统计数",
                "verbose_name_plural": "单位统计数",
                "indexes": [models.Index(fields=["on_day"], name="unit_figures_on_day")],
                "constraints": [models.UniqueConstraint(fields=("on_day", "unit_code"), name="unit_figures_one_per_day")],
            },
        ),
        # The one thing the national database may read of a province.
        migrations.RunSQL(CREATE_PROVINCE_VIEW, DROP_PROVINCE_VIEW),
    ]
