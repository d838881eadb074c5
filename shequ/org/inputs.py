"""One input model per org action, shared by its page and its API endpoint (STYLE 17)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from shequ.accounts.models import User
from shequ.common.params import Count, Day, Id
from shequ.common.scope import get_in_scope_or_404
from shequ.org.models import Unit, UnitClass, UnitType
from shequ.org.services import FactValues


class UnitIn(Schema):
    """新增单位（挂在调用者范围内的上级单位下）。"""

    name: str = Field(min_length=1, max_length=100, description="单位名称")
    unit_type: UnitType = Field(description="单位类型")
    parent: Id | None = Field(None, description="上级单位编号；空则为顶级（仅限全市范围的用户）")
    code: str = Field("", max_length=30, description="单位代码（可空）")

    def service_kwargs(self, *, user: User) -> dict[str, Any]:
        parent = get_in_scope_or_404(Unit.objects.all(), user, unit_field="", pk=self.parent) if self.parent else None
        return {"name": self.name.strip(), "unit_type": self.unit_type.value, "parent": parent, "code": self.code.strip()}


class UnitFactsIn(Schema):
    """某单位自某日起的户数、人口与类别（ORG-3）；同一日期再录即替换。"""

    since: Day = Field(description="生效日期")
    households: Count = Field(description="户数")
    population: Count = Field(description="常住人口")
    urban_population: Count = Field(description="城镇常住人口")
    unit_class: UnitClass | None = Field(None, description="单位类别")
    area_km2: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2, description="面积（平方公里）")

    def service_kwargs(self) -> dict[str, Any]:
        return {"since": self.since, "values": FactValues(
            households=self.households, population=self.population, urban_population=self.urban_population,
            unit_class=self.unit_class.value if self.unit_class else "", area_km2=self.area_km2)}
