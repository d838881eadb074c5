"""Pydantic models of a policy: provenance entries, posts, formulas and the dated sections.

Each dated section is described by a *resolved* model (the values in force on one date).
When a policy loads, every dated entry is validated against the type of its field, so a
bad value is rejected with its file and line long before anything is evaluated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shequ.rules import vocab


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
    tier: str
    min: float


class AssessmentParams(Strict):
    tiers: list[str] = Field(default_factory=lambda: list(vocab.TIERS))
    aliases: dict[str, str] = Field(default_factory=lambda: dict(vocab.TIER_ALIASES))
    excellent_share_cap: float | None = Field(default=None, ge=0, le=1)
    points: list[TierThreshold] = Field(default_factory=list)  # A-PTS: tier from points
    indicator_weights: dict[str, float] = Field(default_factory=dict)  # A-IND
    step_every_years: int | None = Field(default=None, ge=1)  # A-STEP
    step_min_tier: str = "称职"
    promote_years: int | None = Field(default=None, ge=1)
    promote_tier: str = "优秀"
    dismiss_years: int | None = Field(default=None, ge=1)
    dismiss_tier: str = "不称职"
    last_place_warning: bool = False
    last_place_scope: Literal["all", "unit"] = "unit"
    file_record: bool = True  # A-FILE: results go into the personnel file
    # A-PTS / C-EXIT: conduct on the negative list (负面清单) disqualifies: the year's tier
    # becomes 不称职 and, when negative_list_dismiss, the contract ends (解聘).
    negative_list: list[str] = Field(default_factory=list)
    negative_list_dismiss: bool = False
    decides: list[str] = Field(default_factory=list)

    @field_validator("tiers")
    @classmethod
    def _tiers(cls, v: list[str]) -> list[str]:
        bad = [t for t in v if t not in vocab.TIERS]
        if bad:
            raise ValueError(f"不认识的考核等次：{'、'.join(bad)}")
        return v


class TrainingRequirement(Strict):
    every_years: int = Field(ge=1)
    min_level: Literal["市级", "县级", "街道"]


class TrainingParams(Strict):
    levels: list[str] = Field(default_factory=lambda: ["市级", "县级", "街道"])
    requirements: dict[str, TrainingRequirement] = Field(default_factory=dict)  # by post group


class CertificationParams(Strict):
    deadline_years: int | None = Field(default=None, ge=1)
    # T-CERT: the qualification allowance starts this many months after the month the
    # certificate was obtained (1 = from the next month).
    allowance_lag_months: int = Field(default=1, ge=0)


class MentoringParams(Strict):
    """T-MENTOR: who must have a mentor (导师帮带)."""

    secretary_groups: list[str] = Field(default_factory=list)  # post groups counted as secretaries
    young_max_age: int | None = Field(default=None, ge=18)  # young secretaries: age <= this
    weak_tiers: list[str] = Field(default_factory=list)  # weak secretaries: last assessment tier in these
    new_worker_months: int | None = Field(default=None, ge=1)  # new workers: hired within this many months


class RotationParams(Strict):
    """T-ALL: 全岗通 — a worker who has served at least this many posts counts as rotated."""

    min_posts: int | None = Field(default=None, ge=1)


class ReserveParams(Strict):
    min_per_community: int | None = Field(default=None, ge=0)


class DispatchParams(Strict):
    min_years: float | None = Field(default=None, ge=0)
    max_share: float | None = Field(default=None, ge=0, le=1)
    within_quota: bool = True


class ExamParams(Strict):
    required: bool = True
    max_age: int | None = Field(default=None, ge=16)
    min_education: str | None = None
    residence_required: bool = False
    certificate_points: float = 0
    veteran_points: float = 0
    written_weight: float = Field(default=0.5, ge=0, le=1)
    interview_weight: float = Field(default=0.5, ge=0, le=1)
    # E-EXAM eligibility by certificate and the top of the score scale (recruitment area).
    min_certificate: str | None = None
    score_max: float = Field(default=100, gt=0)
    # E-EXAM: days the ranked list stays published (公示) before anyone is hired.
    publicity_days: int | None = Field(default=None, ge=1)

    @field_validator("min_education")
    @classmethod
    def _edu(cls, v: str | None) -> str | None:
        if v is not None and v not in vocab.EDUCATION:
            raise ValueError(f"不认识的学历「{v}」")
        return v

    @field_validator("min_certificate")
    @classmethod
    def _cert(cls, v: str | None) -> str | None:
        if v is not None and v not in vocab.CERTIFICATES:
            raise ValueError(f"不认识的职业资格「{v}」")
        return v


class ProbationParams(Strict):
    months: int | None = Field(default=None, ge=0)
    pay_share: float = Field(default=1.0, ge=0, le=1)


class RetirementParams(Strict):
    # ages[sex][post or "default"]
    ages: dict[str, dict[str, int]] = Field(default_factory=dict)


class ConversionParams(Strict):
    """E-TWO / E-CONV: who may be converted into the community worker system."""

    requires_community_work: bool = False  # nobody who does not work in a community
    requires_standard: bool = False        # nobody who fails the standard
    categories: list[str] = Field(default_factory=list)  # who is converted (e.g. 两委成员)


class MobilityParams(Strict):
    movable_posts: list[str] = Field(default_factory=list)


class BenefitItem(Strict):
    employer: float = Field(ge=0, le=1)
    employee: float = Field(ge=0, le=1)


class BenefitsParams(Strict):
    base_floor: float | None = Field(default=None, ge=0)
    base_cap: float | None = Field(default=None, ge=0)
    items: dict[str, BenefitItem] = Field(default_factory=dict)


class UnitsParams(Strict):
    types: list[str] = Field(default_factory=lambda: list(vocab.UNIT_TYPES))
    classes: list[str] = Field(default_factory=lambda: list(vocab.UNIT_CLASSES))


class StatisticsParams(Strict):
    """S-AGE / S-EDU: the cut-offs the outcome figures report by (the seeds report the share
    under 35, the share of reserves under 45, 本科及以上 and 大专及以上)."""

    young_age: int | None = Field(default=None, ge=1)
    reserve_young_age: int | None = Field(default=None, ge=1)
    bachelor_plus: list[str] = Field(default_factory=list)
    college_plus: list[str] = Field(default_factory=list)


class QuotaReviewParams(Strict):
    every_years: int | None = Field(default=None, ge=1)
    approved_by: str | None = None


class PromotionRule(Strict):
    """C-PATH / G-TR: a move up from one post to another and the conditions it needs."""

    from_post: str
    to_post: str
    min_years_in_post: float | None = Field(default=None, ge=0)
    min_community_years: float | None = Field(default=None, ge=0)
    min_education: str | None = None
    min_certificate: str | None = None
    # Each of the last `tier_years` assessment years rated at least `min_tier`.
    min_tier: str | None = None
    tier_years: int = Field(default=1, ge=1)
    min_grade: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _vocab(self) -> PromotionRule:
        if self.min_education is not None and self.min_education not in vocab.EDUCATION:
            raise ValueError(f"不认识的学历「{self.min_education}」")
        if self.min_certificate is not None and self.min_certificate not in vocab.CERTIFICATES:
            raise ValueError(f"不认识的职业资格「{self.min_certificate}」")
        if self.min_tier is not None and self.min_tier not in vocab.TIERS:
            raise ValueError(f"不认识的考核等次「{self.min_tier}」")
        return self


class CareerParams(Strict):
    promotions: list[PromotionRule] = Field(default_factory=list)  # C-PATH, G-TR
    # G-TR: elected into the 两委 as <office> → converts directly to <post>.
    election: dict[str, str] = Field(default_factory=dict)
    election_category: str | None = None

    @field_validator("election_category")
    @classmethod
    def _category(cls, v: str | None) -> str | None:
        if v is not None and v not in vocab.CATEGORIES:
            raise ValueError(f"不认识的人员类别「{v}」")
        return v


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
}
