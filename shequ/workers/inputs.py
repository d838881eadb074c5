"""One input model per roster action, shared by its page (built from the form) and its API
endpoint (received as the body), so both doors validate alike and call the service alike."""

from __future__ import annotations

from typing import Any, Literal, get_args

from ninja import Field, Schema

from shequ.accounts.models import User
from shequ.common.params import Day, Id
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import Invalid
from shequ.org.models import Unit
from shequ.policy.selectors import policy_for
from shequ.workers.models import Category, CertificateLevel, Education, Worker
from shequ.workers.placement import placed_grades
from shequ.workers.services import EDITABLE_FIELDS, WorkerData

UNKNOWN_POST = "“{post}”不是 {unit} 适用政策中的岗位（可选：{posts}）"
ExitReason = Literal["辞职", "解聘", "退休", "合同期满", "其他"]
EXIT_REASONS = get_args(ExitReason)
Grade = Field(None, ge=1, le=99, description="等级；空则按政策定级")


def _check_post(post: str, posts: list[str], unit: Unit) -> None:
    if posts and post not in posts:
        raise Invalid(UNKNOWN_POST.format(post=post, unit=unit.name, posts="、".join(posts)), field="post")


class WorkerCreateIn(Schema):
    """新增社区工作者（入职）。"""

    name: str = Field(min_length=1, max_length=50, description="姓名")
    id_number: str = Field(min_length=18, max_length=18, description="身份证号", examples=["220581199504020142"])
    unit: Id = Field(description="所属单位编号")
    category: Category = Field(description="人员类别")
    post: str = Field(min_length=1, max_length=30, description="岗位（适用政策中的岗位名称）")
    education: Education = Field(description="学历")
    community_work_start: Day = Field(description="参加社区工作时间")
    certificate: CertificateLevel = Field(CertificateLevel.NONE, description="职业资格")
    grade: int | None = Grade
    phone: str = Field("", max_length=20, description="联系电话")
    effective: Day = Field(description="入职日期")
    cause: str = Field("新增人员", max_length=300, description="事由")

    def service_kwargs(self, *, user: User) -> dict[str, Any]:
        """worker_create's arguments: the unit read within the user's scope, the grade placed
        by the unit's policy on the entry date when none is given (recording which policy)."""
        unit = get_in_scope_or_404(Unit.objects.all(), user, unit_field="", pk=self.unit)
        policy, label = policy_for(unit=unit, on=self.effective)
        _check_post(self.post, policy.post_names(), unit)
        record = {"post": self.post, "education": self.education.value, "certificate": self.certificate.value,
                  "community_work_start": self.community_work_start, "grade": self.grade}
        grade = self.grade or placed_grades(policy=policy, records=[record], on=self.effective)[0]
        return {
            "data": WorkerData(name=self.name.strip(), id_number=self.id_number.strip().upper(), unit=unit,
                               category=self.category.value, post=self.post, education=self.education.value,
                               community_work_start=self.community_work_start, certificate=self.certificate.value,
                               grade=grade, phone=self.phone.strip()),
            "effective": self.effective, "cause": self.cause or "新增人员",
            "policy_version": "" if self.grade else label,
        }


class WorkerEditIn(Schema):
    """修改社区工作者的信息：只改给出的字段，履历记下改前改后。"""

    name: str | None = Field(None, min_length=1, max_length=50, description="姓名")
    category: Category | None = Field(None, description="人员类别")
    post: str | None = Field(None, min_length=1, max_length=30, description="岗位")
    education: Education | None = Field(None, description="学历")
    community_work_start: Day | None = Field(None, description="参加社区工作时间")
    certificate: CertificateLevel | None = Field(None, description="职业资格")
    grade: int | None = Field(None, ge=1, le=99, description="等级")
    phone: str | None = Field(None, max_length=20, description="联系电话")
    effective: Day = Field(description="生效日期")
    cause: str = Field(min_length=1, max_length=300, description="事由")

    def service_kwargs(self, *, worker: Worker) -> dict[str, Any]:
        given = self.model_dump(exclude_unset=True, exclude={"effective", "cause"})
        values = {k: (v.value if hasattr(v, "value") else v) for k, v in given.items() if k in EDITABLE_FIELDS}
        if "post" in values and values["post"] is not None:
            policy, _ = policy_for(unit=worker.unit, on=self.effective)
            _check_post(values["post"], policy.post_names(), worker.unit)
        changes = {k: v for k, v in values.items() if v != getattr(worker, k)
                   and not (v is None and k in ("name", "category", "post", "education", "community_work_start",
                                                "certificate"))}
        return {"worker": worker, "changes": changes, "effective": self.effective, "cause": self.cause}


class WorkerExitIn(Schema):
    """社区工作者退出（C-EXIT）：辞职、解聘、退休……"""

    reason: ExitReason = Field(description="退出方式")
    on: Day = Field(description="离职日期")
    cause: str = Field("", max_length=300, description="说明")

    def service_kwargs(self) -> dict[str, Any]:
        return {"on": self.on, "reason": self.reason, "cause": self.cause}


class TransferIn(Schema):
    """调动到调用者范围内的另一单位。"""

    to_unit: Id = Field(description="调入单位编号")
    effective: Day = Field(description="生效日期")
    cause: str = Field(min_length=1, max_length=300, description="事由")

    def service_kwargs(self, *, user: User, worker: Worker) -> dict[str, Any]:
        to_unit = get_in_scope_or_404(Unit.objects.all(), user, unit_field="", pk=self.to_unit)
        return {"worker": worker, "to_unit": to_unit, "effective": self.effective, "cause": self.cause}
