"""One input model per careers action, shared by its page and its API endpoint (STYLE 17)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from shequ.accounts.models import User
from shequ.common.params import Day, Id
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import Invalid
from shequ.growth.careers.forms import FIELD_REQUIRED
from shequ.growth.careers.models import ReserveKind, ReserveSource
from shequ.growth.careers.services import ReserveData
from shequ.org.models import Unit
from shequ.workers.models import Education
from shequ.workers.selectors import worker_get

RESERVE_LABELS = {"community": "社区", "added_on": "入库日期", "kind": "类别", "worker": "社区工作者",
                  "name": "姓名", "id_number": "身份证号", "education": "学历", "source": "来源", "note": "备注"}


class ReserveIn(Schema):
    """列入社区后备人才库（Q-RESV）：花名册中的人给 worker，库外的人给姓名、身份证号与学历。"""

    community: Id = Field(description="社区编号")
    added_on: Day | None = Field(None, description="入库日期；空则为今天")
    kind: ReserveKind = Field(ReserveKind.SECRETARY, description="类别")
    worker: Id | None = Field(None, description="花名册中的社区工作者编号")
    name: str = Field("", max_length=50, description="姓名（库外人员必填）")
    id_number: str = Field("", max_length=18, description="身份证号（库外人员必填）")
    education: Education | None = Field(None, description="学历（库外人员必填）")
    source: ReserveSource = Field(ReserveSource.WORKER, description="来源")
    note: str = Field("", max_length=300, description="备注")

    def service_kwargs(self, *, user: User) -> dict[str, Any]:
        community = get_in_scope_or_404(Unit.objects.all(), user, unit_field="", pk=self.community)
        worker = worker_get(user=user, pk=self.worker) if self.worker else None
        if worker is None:
            for name in ("name", "id_number", "education"):
                if not getattr(self, name):
                    raise Invalid(FIELD_REQUIRED.format(label=RESERVE_LABELS[name]), field=name)
        return {"data": ReserveData(
            community=community, added_on=self.added_on or timezone.localdate(), kind=self.kind.value, worker=worker,
            name=self.name.strip(), id_number=self.id_number.strip(),
            education=self.education.value if self.education and worker is None else "",
            source=self.source.value, note=self.note.strip(),
        )}
