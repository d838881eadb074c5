"""Small builders shared by the recruitment tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tests.factories import id_number

ON = date(2026, 3, 1)


def announced_plan(world: Any, *, unit: Any = None, post: str = "助理", places: int = 2, actor: Any = None) -> tuple[Any, Any]:
    from shequ.recruitment.services import plan_announce, plan_create, plan_post_set

    actor = actor or world.street_a_hr
    unit = unit or world.community_a1
    scope = actor.unit
    plan = plan_create(scope=scope, title=f"{scope.name}2026年社区工作者招聘", actor=actor, on=ON)
    pp = plan_post_set(plan=plan, unit=unit, post=post, places=places, actor=actor, on=ON)
    plan_announce(plan=plan, text="公开招聘社区工作者。", announced_on=ON, apply_from=ON,
                  apply_until=date(2026, 3, 20), exam_on=date(2026, 4, 10), actor=actor)
    return plan, pp


def applicant(name: str, *, birth: date = date(1996, 6, 1), sex: str = "女", education: str = "本科",
              certificate: str = "无", residence_local: bool = True, veteran: bool = False) -> Any:
    from shequ.recruitment.services import ApplicantData

    return ApplicantData(name=name, id_number=id_number(birth, sex=sex), education=education, certificate=certificate,
                         residence_local=residence_local, veteran=veteran)


def apply_and_score(plan: Any, pp: Any, actor: Any, people: list[tuple[str, float, float]], **kw: Any) -> list[Any]:
    from shequ.recruitment.services import application_create, application_scores_set

    out = []
    for name, written, interview in people:
        app = application_create(plan=plan, plan_post=pp, data=applicant(name, **kw), actor=actor)
        out.append(application_scores_set(application=app, written=Decimal(str(written)),
                                          interview=Decimal(str(interview)), actor=actor))
    return out


def fill_unit(unit: Any, n: int, **fields: Any) -> None:
    """n more active workers in the unit (quota places taken)."""
    from tests.factories import make_worker

    for i in range(n):
        make_worker(unit, name=f"在编{i}", **fields)


def counts() -> dict[str, int]:
    """Row counts a refused action must leave unchanged."""
    from shequ.common.models import AuditEntry
    from shequ.recruitment.models import Application, ConversionLine, PlanPost, RecruitmentPlan
    from shequ.workers.models import Contract, Worker, WorkerEvent

    return {m.__name__: m.objects.count() for m in (
        RecruitmentPlan, PlanPost, Application, ConversionLine, Worker, WorkerEvent, Contract, AuditEntry)}


def rated_dispatch(unit: Any, *, name: str, hired_on: date, tier: str = "优秀", year: int | None = None) -> Any:
    """A dispatch worker with a `tier` result for the last completed assessment year (E-DISP
    asks for 优秀 in the shipped and test policies)."""
    from shequ.assessment.models import Result
    from tests.factories import make_worker

    worker = make_worker(unit, name=name, category="劳务派遣", hired_on=hired_on)
    Result.objects.create(worker=worker, year=year or date.today().year - 1, tier=tier, unit=unit)
    return worker
