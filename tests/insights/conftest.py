"""A small, fully known population on top of the shared world (street A and street B)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import make_worker

ON = date(2025, 6, 30)
BEFORE = date(2024, 6, 30)


@dataclass
class Outcomes:
    world: Any
    young: Any
    older: Any
    left: Any
    new: Any


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def outcomes(world: Any) -> Outcomes:
    """Street A on ON: worker_a1 (35, 本科), young (30, 大专, 社会工作师) in 迎宾社区;
    older (54, 高中, 主办) and new (25, 本科, hired 2025-03-01) in 槐阳北社区; `left` left on
    2024-12-31 (counts on BEFORE only). Street B: worker_b1 and 派遣戊 (劳务派遣). Reserves of 迎宾社区 on ON:
    后备甲 (40) and 后备乙 (50); 后备丙 (30) left the pool on 2025-01-01."""
    from shequ.growth.training.models import Attendance, Course, TrainingSession

    w = world
    young = make_worker(w.community_a1, name="青年甲", birth_date=date(1995, 1, 1), education="大专", certificate="社会工作师")
    older = make_worker(w.community_a2, name="老将乙", birth_date=date(1970, 7, 1), education="高中", post="主办",
                        community_work_start=date(1998, 3, 1), hired_on=date(1998, 3, 1))
    left = make_worker(w.community_a2, name="离职丙", birth_date=date(1988, 1, 1), education="中专", status="left",
                       left_on=date(2024, 12, 31), exit_reason="辞职")
    new = make_worker(w.community_a2, name="新人丁", birth_date=date(2000, 1, 1), education="本科",
                      community_work_start=date(2025, 3, 1), hired_on=date(2025, 3, 1))
    course = Course.objects.create(name="岗位培训", level="街道", unit=w.street_a, hours=8)
    for when, who in [(date(2025, 3, 1), w.worker_a1), (date(2024, 3, 1), young)]:
        session = TrainingSession.objects.create(course=course, unit=w.street_a, start=when, end=when, hours=8)
        Attendance.objects.create(session=session, worker=who, unit=who.unit, level="街道", attended_on=when, hours=8)
    from shequ.growth.careers.models import ReserveCandidate
    from tests.factories import id_number

    for name, birth, removed in [("后备甲", date(1985, 1, 1), None), ("后备乙", date(1975, 1, 1), None),
                                 ("后备丙", date(1995, 1, 1), date(2025, 1, 1))]:
        ReserveCandidate.objects.create(community=w.community_a1, name=name, id_number=id_number(birth), sex="女",
                                        birth_date=birth, education="本科", added_on=date(2024, 1, 1), removed_on=removed)
    from shequ.quota.models import QuotaDecision

    # Approved quota in force on ON: office 70, 迎宾社区 16; 槐阳北社区 has only a proposal
    # (未核定); a later approved change for 迎宾社区 is not yet in force; 东门社区 1.
    for unit, quota, since, status in [
        (w.street_a_office, 70, date(2021, 1, 1), "approved"), (w.community_a1, 16, date(2021, 1, 1), "approved"),
        (w.community_a1, 1, date(2026, 1, 1), "approved"), (w.community_a2, 10, date(2021, 1, 1), "proposed"),
        (w.community_b1, 1, date(2021, 1, 1), "approved"),
    ]:
        QuotaDecision.objects.create(unit=unit, quota=quota, since=since, status=status, source="computed",
                                     decided_at=timezone.now() if status == "approved" else None)
    # A dispatch worker (劳务派遣) in 东门社区 is on the roster but holds no quota place (E-DISP).
    make_worker(w.community_b1, name="派遣戊", category="劳务派遣", birth_date=date(1992, 5, 5))
    return Outcomes(world=w, young=young, older=older, left=left, new=new)
