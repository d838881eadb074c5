"""Reads of the entry area, always within the caller's scope."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from shequ.common.scope import get_in_scope_or_404, scoped
from shequ.org.models import STAFFED_TYPES, Unit
from shequ.recruitment.conversion import DispatchCheck, dispatch_checks
from shequ.recruitment.exam import Ranked
from shequ.recruitment.models import (
    Application,
    AppStatus,
    ConversionBatch,
    ConversionLine,
    PlanPost,
    PlanStatus,
    RecruitmentPlan,
)
from shequ.recruitment.services import post_ranking
from shequ.recruitment.vacancy import Vacancy, vacancies
from shequ.workers.models import Category, Status, Worker

if TYPE_CHECKING:
    from shequ.accounts.models import User


def plan_list(*, user: User) -> QuerySet[RecruitmentPlan]:
    return scoped(RecruitmentPlan.objects.select_related("scope"), user, unit_field="scope")


def plan_get(*, user: User, pk: int) -> RecruitmentPlan:
    return get_in_scope_or_404(RecruitmentPlan.objects.select_related("scope"), user, unit_field="scope", pk=pk)


def plan_posts(*, plan: RecruitmentPlan) -> list[PlanPost]:
    return list(plan.posts.select_related("unit"))


def application_list(*, user: User, plan: RecruitmentPlan) -> QuerySet[Application]:
    return scoped(plan.applications.select_related("plan_post", "unit"), user).order_by("plan_post__unit__path", "plan_post__post", "id")


def application_get(*, user: User, pk: int) -> Application:
    return get_in_scope_or_404(Application.objects.select_related("plan", "plan_post", "unit"), user, pk=pk)


def staffed_units(*, user: User, scope: Unit) -> QuerySet[Unit]:
    return scoped(Unit.objects.filter(path__startswith=scope.path, unit_type__in=STAFFED_TYPES), user, unit_field="").order_by("path")


def unit_vacancies(*, user: User, scope: Unit, on: date) -> list[tuple[Unit, Vacancy]]:
    units = list(staffed_units(user=user, scope=scope))
    vac = vacancies(units=units, on=on)
    return [(u, vac[u.pk]) for u in units]


@dataclass
class PostRanking:
    plan_post: PlanPost
    ranked: list[tuple[Application, Ranked]]
    others: list[Application] = field(default_factory=list)  # rejected, withdrawn, unscored

    @property
    def hired(self) -> int:
        return sum(a.status == AppStatus.HIRED for a, _ in self.ranked)


def plan_ranking(*, user: User, plan: RecruitmentPlan) -> list[PostRanking]:
    out = []
    for pp in plan_posts(plan=plan):
        if not scoped(Unit.objects.filter(pk=pp.unit_id), user, unit_field="").exists():
            continue
        ranked = post_ranking(pp)
        in_rank = {a.pk for a, _ in ranked}
        others = [a for a in pp.applications.order_by("id") if a.pk not in in_rank]
        out.append(PostRanking(plan_post=pp, ranked=ranked, others=others))
    return out


def dispatch_list(*, user: User, scope: Unit, on: date) -> list[DispatchCheck]:
    workers = list(
        scoped(Worker.objects.select_related("unit"), user)
        .filter(unit__path__startswith=scope.path, category=Category.DISPATCH)
        .exclude(status=Status.LEFT)
        .order_by("unit__path", "name")[:2000]
    )
    return dispatch_checks(workers=workers, on=on)


def batch_list(*, user: User) -> QuerySet[ConversionBatch]:
    return scoped(ConversionBatch.objects.select_related("scope"), user, unit_field="scope")


def batch_get(*, user: User, pk: int) -> ConversionBatch:
    return get_in_scope_or_404(ConversionBatch.objects.select_related("scope"), user, unit_field="scope", pk=pk)


def batch_lines(*, user: User, batch: ConversionBatch) -> QuerySet[ConversionLine]:
    return scoped(batch.lines.select_related("worker", "unit"), user)


def line_get(*, user: User, pk: int) -> ConversionLine:
    return get_in_scope_or_404(ConversionLine.objects.select_related("batch", "worker", "unit"), user, pk=pk)


@dataclass
class GradeReport:
    posts: list[str]
    grades: list[int]
    cells: dict[tuple[str, int], int]
    total: int

    def row(self, post: str) -> list[int]:
        return [self.cells.get((post, g), 0) for g in self.grades]

    def post_total(self, post: str) -> int:
        return sum(self.row(post))

    @property
    def table(self) -> list[tuple[str, list[int], int]]:
        return [(p, self.row(p), self.post_total(p)) for p in self.posts]

    @property
    def totals(self) -> list[int]:
        return self.grade_totals()

    def grade_totals(self) -> list[int]:
        return [sum(self.cells.get((p, g), 0) for p in self.posts) for g in self.grades]


def batch_report(*, lines: QuerySet[ConversionLine], post_order: list[str]) -> GradeReport:
    """Headcount by confirmed post and grade (like Hunchun's 272 and Tongren's 1,087)."""
    counts = Counter(lines.values_list("final_post", "final_grade"))
    posts = [p for p in post_order if any(k[0] == p for k in counts)] + sorted({k[0] for k in counts} - set(post_order))
    grades = sorted({k[1] for k in counts})
    return GradeReport(posts=posts, grades=grades, cells=dict(counts), total=sum(counts.values()))


def applications_without_scores(*, user: User) -> QuerySet[Application]:
    """Eligible applicants in the user's subtree still missing a written or interview score,
    in plans announced and not yet published."""
    return (
        scoped(Application.objects.all(), user)
        .filter(status=AppStatus.ELIGIBLE, plan__status=PlanStatus.ANNOUNCED)
        .filter(Q(written__isnull=True) | Q(interview__isnull=True))
    )
