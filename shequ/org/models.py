"""The org tree (ORG-1..3): units with a materialised path, and dated unit facts."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from shequ.org.paths import path_ids, path_segment


class UnitType(models.TextChoices):
    CITY = "市", "市"
    COUNTY = "区县", "区县"
    STREET = "街道", "街道"
    TOWNSHIP = "乡镇", "乡镇"
    STREET_OFFICE = "街道机关", "街道机关"
    URBAN = "城市社区", "城市社区"
    VILLAGE_TO_URBAN = "村改社区", "村改社区"
    VILLAGE = "行政村", "行政村"
    TOWNSHIP_COMMUNITY = "乡镇社区", "乡镇社区"
    GRID = "网格", "网格"


# Which types may hang under which (ORG-1, ORG-2).
ALLOWED_CHILDREN: dict[str, set[str]] = {
    "": {UnitType.CITY, UnitType.COUNTY},
    UnitType.CITY: {UnitType.COUNTY},
    UnitType.COUNTY: {UnitType.STREET, UnitType.TOWNSHIP},
    UnitType.STREET: {
        UnitType.STREET_OFFICE,
        UnitType.URBAN,
        UnitType.VILLAGE_TO_URBAN,
        UnitType.VILLAGE,
        UnitType.TOWNSHIP_COMMUNITY,
    },
    UnitType.TOWNSHIP: {
        UnitType.STREET_OFFICE,
        UnitType.URBAN,
        UnitType.VILLAGE_TO_URBAN,
        UnitType.VILLAGE,
        UnitType.TOWNSHIP_COMMUNITY,
    },
    UnitType.URBAN: {UnitType.GRID},
    UnitType.VILLAGE_TO_URBAN: {UnitType.GRID},
    UnitType.VILLAGE: {UnitType.GRID},
    UnitType.TOWNSHIP_COMMUNITY: {UnitType.GRID},
    UnitType.STREET_OFFICE: set(),
    UnitType.GRID: set(),
}

STAFFED_TYPES = (
    UnitType.STREET_OFFICE,
    UnitType.URBAN,
    UnitType.VILLAGE_TO_URBAN,
    UnitType.VILLAGE,
    UnitType.TOWNSHIP_COMMUNITY,
)
COMMUNITY_TYPES = (
    UnitType.URBAN,
    UnitType.VILLAGE_TO_URBAN,
    UnitType.VILLAGE,
    UnitType.TOWNSHIP_COMMUNITY,
)
STREET_TYPES = (UnitType.STREET, UnitType.TOWNSHIP)


class UnitClass(models.TextChoices):
    FIRST = "一类", "一类"
    SECOND = "二类", "二类"
    THIRD = "三类", "三类"


class Unit(models.Model):
    """A node of the org tree. `path` is the ids of its ancestors and itself, laid out as
    shequ.org.paths says, so a subtree is one indexed prefix scan."""

    name = models.CharField("单位名称", max_length=100)
    unit_type = models.CharField("单位类型", max_length=10, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)
    code = models.CharField("单位代码", max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="unit_root_name_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["unit_type"], name="unit_type_idx"),
        ]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    @property
    def is_community(self) -> bool:
        return self.unit_type in COMMUNITY_TYPES

    def ancestor_ids(self) -> list[int]:
        return path_ids(self.path)


def unit_path_segment(pk: int) -> str:
    return path_segment(pk)


class UnitFact(models.Model):
    """Facts of a unit in force from `since` until the next row's `since` (ORG-3)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="facts")
    since = models.DateField("生效日期")
    households = models.PositiveIntegerField("户数", default=0)
    population = models.PositiveIntegerField("常住人口", default=0)
    urban_population = models.PositiveIntegerField("城镇常住人口", default=0)
    area_km2 = models.DecimalField("面积(平方公里)", max_digits=10, decimal_places=2, null=True, blank=True)
    unit_class = models.CharField("单位类别", max_length=4, choices=UnitClass.choices, blank=True, default="")
    source = models.CharField("来源", max_length=200, blank=True, default="")

    class Meta:
        ordering = ["unit_id", "-since"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "since"], name="unit_fact_one_per_date"),
            models.CheckConstraint(
                condition=Q(urban_population__lte=models.F("population")),
                name="unit_fact_urban_within_population",
            ),
        ]
        verbose_name = "单位情况"
        verbose_name_plural = "单位情况"

    def __str__(self) -> str:
        return f"{self.unit_id}@{self.since}"

    def in_force_on(self, on: date) -> bool:
        return self.since <= on
