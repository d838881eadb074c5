"""Pydantic models of a policy: provenance entries, posts, formulas and the dated sections.

Each dated section is described by a *resolved* model (the values in force on one date).
When a policy loads, every dated entry is validated against the type of its field, so a
bad value is rejected with its file and line long before anything is evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from shequ.rules import vocab


def _in(words: tuple[str, ...], what: str) -> Callable[[str], str]:
    def check(v: str) -> str:
        if v not in words:
            raise ValueError(f"不认识的{what}「{v}」（可用：{'、'.join(words)}）")
        return v
    return check


# Categorical values written in a policy must belong to their vocabulary (checked on every
# dated entry, not only the latest: the field type carries the check).
Tier = Annotated[str, AfterValidator(_in(vocab.TIERS, "考核等次"))]
TierWord = Annotated[str, AfterValidator(_in((*vocab.TIERS, *vocab.TIER_ALIASES), "考核等次"))]
Education = Annotated[str, AfterValidator(_in(vocab.EDUCATION, "学历"))]
Certificate = Annotated[str, AfterValidator(_in(vocab.CERTIFICATES, "职业资格"))]
Category = Annotated[str, AfterValidator(_in(vocab.CATEGORIES, "人员类别"))]
Sex = Annotated[str, AfterValidator(_in((*vocab.SEXES, "default"), "性别"))]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(Strict):
    """One effective-dated value with where it comes from."""

    since: dt.date
    value: Any
    source: str | None = None
    assumed: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _has_provenance(self) -> Entry:
        if not self.assumed and not (self.source and self.source.strip()):
            raise ValueError("MISSING_PROVENANCE")
        return self


class Meta(Strict):
    id: str
    name: str
    source: str
    version: str
    extends: str | None = None
    since: dt.date | None = None
    description: str | None = None


class Post(Strict):
    """A post (岗位) and its grade range."""

    name: str
    grade_min: int = Field(ge=1)
    grade_max: int = Field(ge=1)
    group: str = ""
    description: str = ""
    rank: int = 0
    spec: str | None = None
    source: str | None = None
    assumed: bool = False
    note: str | None = None
    # G-TR: posts whose holders, once elected or appointed into this post, convert directly
    # (keeping their grade, moved into this post's range) instead of going through promotion.
    direct_from: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Post:
        if not self.assumed and not self.source:
            raise ValueError("MISSING_PROVENANCE")
        if self.grade_min > self.grade_max:
            raise ValueError(f"等级范围不合法：最低 {self.grade_min} 高于最高 {self.grade_max}")
        return self


class Rule(Strict):
    """A formula with its provenance."""

    name: str = ""
    formula: str | int | float
    spec: str | None = None
    description: str = ""
    source: str | None = None
    assumed: bool = False

    @model_validator(mode="after")
    def _check(self) -> Rule:
        if not self.assumed and not self.source:
            raise ValueError("MISSING_PROVENANCE")
        return self


class QuotaSection(Strict):
    applies_to: list[str] = Field(default_factory=list)
    formula: str | int | float
    spec: str | None = None
    source: str | None = None
    assumed: bool = False
    rules: dict[str, Rule] = Field(default_factory=dict)


class PlacementSection(Strict):
    formula: str | int | float
    spec: str | None = None
    source: str | None = None
    assumed: bool = False


# ---- resolved dated sections -------------------------------------------------------------

class TierThreshold(Strict):
    tier: Tier
    min: float


class AssessmentParams(Strict):
    tiers: list[Tier] = Field(default_factory=lambda: list(vocab.TIERS))
    aliases: dict[str, Tier] = Field(default_factory=lambda: dict(vocab.TIER_ALIASES))
    excellent_share_cap: float | None = Field(default=None, ge=0, le=1)
    points: list[TierThreshold] = Field(default_factory=list)  # A-PTS: tier from points
    indicator_weights: dict[str, float] = Field(default_factory=dict)  # A-IND
    step_every_years: int | None = Field(default=None, ge=1)  # A-STEP
    step_min_tier: Tier = "称职"
    promote_years: int | None = Field(default=None, ge=1)
    promote_tier: Tier = "优秀"
    dismiss_years: int | None = Field(default=None, ge=1)
    dismiss_tier: Tier = "不称职"
    last_place_warning: bool = False
    last_place_scope: Literal["all", "unit"] = "unit"
    file_record: bool = True  # A-FILE: results go into the personnel file
    # A-PTS / C-EXIT: conduct on the negative list (负面清单) disqualifies: the year's tier
    # becomes 不称职 and, when negative_list_dismiss, the contract ends (解聘).
    negative_list: list[str] = Field(default_factory=list)
    negative_list_dismiss: bool = False
    decides: list[str] = Field(default_factory=list)


class TrainingRequirement(Strict):
    every_years: int = Field(ge=1)
    min_level: Literal["市级", "县级", "街道"]


class TrainingParams(Strict):
    levels: list[str] = Field(default_factory=lambda: ["市级", "县级", "街道"])
    requirements: dict[str, TrainingRequirement] = Field(default_factory=dict)  # by post group


class CertificationParams(Strict):
    # T-CERT "3—5 年内全部持证": a warning after warning_years, the deadline after deadline_years.
    warning_years: int | None = Field(default=None, ge=1)
    deadline_years: int | None = Field(default=None, ge=1)
    # T-CERT: the qualification allowance starts this many months after the month the
    # certificate was obtained (1 = from the next month).
    allowance_lag_months: int = Field(default=1, ge=0)

    @model_validator(mode="after")
    def _range(self) -> CertificationParams:
        if self.warning_years is not None and self.deadline_years is not None and self.warning_years > self.deadline_years:
            raise ValueError(f"持证期限不合法：提醒 {self.warning_years} 年晚于期限 {self.deadline_years} 年")
        return self


class MentoringParams(Strict):
    """T-MENTOR: who must have a mentor (导师帮带)."""

    secretary_groups: list[str] = Field(default_factory=list)  # post groups counted as secretaries
    young_max_age: int | None = Field(default=None, ge=18)  # young secretaries: age <= this
    weak_tiers: list[TierWord] = Field(default_factory=list)  # weak secretaries: last assessment tier in these
    new_worker_months: int | None = Field(default=None, ge=1)  # new workers: hired within this many months


class RotationParams(Strict):
    """T-ALL: 全岗通 — a worker who has served at least this many posts counts as rotated."""

    min_posts: int | None = Field(default=None, ge=1)


class ReserveParams(Strict):
    # Q-RESV "不少于 1—2 人": the minimum is a breach, the target a goal short of it.
    min_per_community: int | None = Field(default=None, ge=0)
    target_per_community: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _range(self) -> ReserveParams:
        if (self.min_per_community is not None and self.target_per_community is not None
                and self.min_per_community > self.target_per_community):
            raise ValueError(f"后备人选范围不合法：下限 {self.min_per_community} 高于目标 {self.target_per_community}")
        return self


class DispatchParams(Strict):
    min_years: float | None = Field(default=None, ge=0)
    max_share: float | None = Field(default=None, ge=0, le=1)
    within_quota: bool = True
    # E-DISP "优秀劳务派遣人员": each of the last `tier_years` completed assessment years at
    # `min_tier` or better; None asks for no result.
    min_tier: str | None = None
    tier_years: int = Field(default=1, ge=1)
    # How the share's head count rounds: down (10 of 9 workers is 0), nearest, or up.
    cap_rounding: Literal["down", "nearest", "up"] = "down"

    @field_validator("min_tier")
    @classmethod
    def _tier(cls, v: str | None) -> str | None:
        if v is not None and v not in vocab.TIERS:
            raise ValueError(f"不认识的考核等次「{v}」")
        return v


class ExamParams(Strict):
    required: bool = True
    max_age: int | None = Field(default=None, ge=16)
    min_education: Education | None = None
    residence_required: bool = False
    certificate_points: float = 0
    veteran_points: float = 0
    written_weight: float = Field(default=0.5, ge=0, le=1)
    interview_weight: float = Field(default=0.5, ge=0, le=1)
    # E-EXAM eligibility by certificate and the top of the score scale (recruitment area).
    min_certificate: Certificate | None = None
    score_max: float = Field(default=100, gt=0)
    # E-EXAM: days the ranked list stays published (公示) before anyone is hired.
    publicity_days: int | None = Field(default=None, ge=1)



class ProbationParams(Strict):
    months: int | None = Field(default=None, ge=0)
    pay_share: float = Field(default=1.0, ge=0, le=1)


class RetirementParams(Strict):
    # ages[sex][post or "default"]
    ages: dict[Sex, dict[str, int]] = Field(default_factory=dict)


class ConversionParams(Strict):
    """E-TWO / E-CONV: who may be converted into the community worker system."""

    requires_community_work: bool = False  # nobody who does not work in a community
    requires_standard: bool = False        # nobody who fails the standard
    categories: list[Category] = Field(default_factory=list)  # who is converted (e.g. 两委成员)


class MobilityParams(Strict):
    movable_posts: list[str] = Field(default_factory=list)


class BenefitItem(Strict):
    employer: float = Field(ge=0, le=1)
    employee: float = Field(ge=0, le=1)


class BenefitsParams(Strict):
    base_floor: float | None = Field(default=None, ge=0)
    base_cap: float | None = Field(default=None, ge=0)
    items: dict[str, BenefitItem] = Field(default_factory=dict)


class TaxBracket(Strict):
    """One row of the cumulative withholding rate table: income up to `upto` (None: above)."""

    upto: float | None = Field(default=None, ge=0)
    rate: float = Field(ge=0, le=1)
    quick: float = Field(default=0, ge=0)


class TaxParams(Strict):
    """P-NET: individual income tax withheld on wages by the cumulative method (累计预扣法)."""

    monthly_deduction: float | None = Field(default=None, ge=0)  # 减除费用, per month employed
    brackets: list[TaxBracket] = Field(default_factory=list)  # 个人所得税预扣率表一, ascending

    @model_validator(mode="after")
    def _ascending(self) -> TaxParams:
        uppers = [b.upto for b in self.brackets]
        if any(u is None for u in uppers[:-1]):
            raise ValueError("预扣率表只有最后一级可以不设上限")
        bounded = [u for u in uppers if u is not None]
        if bounded != sorted(bounded):
            raise ValueError("预扣率表各级上限应由低到高排列")
        return self


class PayItem(Strict):
    """P-ITEM: a named one-off addition (or deduction) entered per worker and month."""

    deduction: bool = False  # 扣款: taken from 实发; amounts are entered positive
    # An addition counts in taxable income; a deduction with taxable = true reduces it (pre-tax).
    taxable: bool = True
    assumed: bool = False
    note: str | None = None


class ItemsParams(Strict):
    items: dict[str, PayItem] = Field(default_factory=dict)


class LeaveType(Strict):
    """P-LEAVE: one kind of leave, its yearly entitlement and whether its days are paid."""

    paid: bool = True
    days: float | None = Field(default=None, ge=0)  # a year's entitlement; None: no fixed cap
    # 年休假: entitlement by completed years of work, {min years: days}; overrides `days`.
    by_years: dict[int, float] = Field(default_factory=dict)
    sex: str | None = None  # 产假 女, 护理假 男
    source: str | None = None
    assumed: bool = False
    note: str | None = None


class LeaveParams(Strict):
    types: dict[str, LeaveType] = Field(default_factory=dict)


class WelfareItem(Strict):
    """A benefit recorded per worker and year (004: a health check once a year; union
    membership). `every_years` makes it due again after that many years; None: a standing
    record (membership) listed, never due."""

    every_years: int | None = Field(default=None, ge=1)
    source: str | None = None
    assumed: bool = False
    note: str | None = None


class WelfareParams(Strict):
    items: dict[str, WelfareItem] = Field(default_factory=dict)


class UnitsParams(Strict):
    types: list[str] = Field(default_factory=lambda: list(vocab.UNIT_TYPES))
    classes: list[str] = Field(default_factory=lambda: list(vocab.UNIT_CLASSES))


class StatisticsParams(Strict):
    """S-AGE / S-EDU: the cut-offs the outcome figures report by (the seeds report the share
    under 35, the share of reserves under 45, 本科及以上 and 大专及以上)."""

    young_age: int | None = Field(default=None, ge=1)
    reserve_young_age: int | None = Field(default=None, ge=1)
    bachelor_plus: list[Education] = Field(default_factory=list)
    college_plus: list[Education] = Field(default_factory=list)


class UnitMinimum(Strict):
    """C-MIN: every unit of `unit_types` has at least `min` workers for whom `condition` (a
    formula over the placement inputs, e.g. "age < 35") holds."""

    name: str
    condition: str
    min: int = Field(ge=1)
    unit_types: list[str] = Field(default_factory=lambda: ["城市社区", "村改社区", "行政村", "乡镇社区"])

    @field_validator("unit_types")
    @classmethod
    def _types(cls, v: list[str]) -> list[str]:
        bad = [t for t in v if t not in vocab.UNIT_TYPES]
        if bad:
            raise ValueError(f"不认识的单位类型：{'、'.join(bad)}")
        return v


class MinimumsParams(Strict):
    per_unit: list[UnitMinimum] = Field(default_factory=list)


class AssignmentParams(Strict):
    """E-ASSIGN: entry by assignment (选派) from the named source pools into the named posts."""

    pools: list[str] = Field(default_factory=list)
    posts: list[str] = Field(default_factory=list)
    within_quota: bool = True


class EducationParams(Strict):
    """W-EDU: which education placement and pay read: the highest of any kind (最高学历) or
    the highest full-time one (全日制)."""

    placement_basis: Literal["最高学历", "全日制"] = "最高学历"


class LadderParams(Strict):
    """G-LEN: how many grades (levels) the locality's ladder has; every post range lies within it."""

    levels: int | None = Field(default=None, ge=1)


class QuotaReviewParams(Strict):
    every_years: int | None = Field(default=None, ge=1)
    approved_by: str | None = None


class PromotionRule(Strict):
    """C-PATH / G-TR: a move up from one post to another and the conditions it needs."""

    from_post: str
    to_post: str
    min_years_in_post: float | None = Field(default=None, ge=0)
    min_community_years: float | None = Field(default=None, ge=0)
    min_education: Education | None = None
    min_certificate: Certificate | None = None
    # Each of the last `tier_years` assessment years rated at least `min_tier`.
    min_tier: Tier | None = None
    tier_years: int = Field(default=1, ge=1)
    min_grade: int | None = Field(default=None, ge=1)



class SelectionRule(Strict):
    """C-PATH: who may be selected onto a career path (事业编, civil service …): holders of
    `from_posts` rated at least `min_tier` in each of the last `tier_years` years."""

    path: str
    from_posts: list[str] = Field(default_factory=list)
    min_tier: str | None = None
    tier_years: int = Field(default=1, ge=1)
    # Whether the worker leaves the community post (纳入事业编制管理 keeps the post).
    leaves: bool = False

    @model_validator(mode="after")
    def _vocab(self) -> SelectionRule:
        if self.path not in vocab.CAREER_PATHS:
            raise ValueError(f"不认识的发展通道「{self.path}」（可选：{'、'.join(vocab.CAREER_PATHS)}）")
        if self.min_tier is not None and self.min_tier not in vocab.TIERS:
            raise ValueError(f"不认识的考核等次「{self.min_tier}」")
        return self


class CareerParams(Strict):
    promotions: list[PromotionRule] = Field(default_factory=list)  # C-PATH, G-TR
    selections: list[SelectionRule] = Field(default_factory=list)  # C-PATH
    # G-TR: elected into the 两委 as <office> → converts directly to <post>.
    election: dict[str, str] = Field(default_factory=dict)
    election_category: Category | None = None



class GridParams(Strict):
    # ORG-4: households per grid.
    households_min: int | None = Field(default=None, ge=0)
    households_max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _range(self) -> GridParams:
        if self.households_min is not None and self.households_max is not None and self.households_min > self.households_max:
            raise ValueError(f"网格户数范围不合法：下限 {self.households_min} 高于上限 {self.households_max}")
        return self


DATED_SECTIONS: dict[str, type[Strict]] = {
    "units": UnitsParams,
    "assessment": AssessmentParams,
    "training": TrainingParams,
    "certification": CertificationParams,
    "mentoring": MentoringParams,
    "rotation": RotationParams,
    "reserve": ReserveParams,
    "dispatch": DispatchParams,
    "exam": ExamParams,
    "probation": ProbationParams,
    "retirement": RetirementParams,
    "mobility": MobilityParams,
    "conversion": ConversionParams,
    "benefits": BenefitsParams,
    "quota_review": QuotaReviewParams,
    "careers": CareerParams,
    "grids": GridParams,
    "statistics": StatisticsParams,
    "tax": TaxParams,
    "pay_items": ItemsParams,
    "leave": LeaveParams,
    "welfare": WelfareParams,
    "ladder": LadderParams,
    "education": EducationParams,
    "minimums": MinimumsParams,
    "assignment": AssignmentParams,
}
