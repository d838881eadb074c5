"""The shipped presets carry the growth rules as data: Tongren's training and mentoring
(004), Baixiang's certification deadline (002), Dalian's and Baohe's 全岗通 (001, 003)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.growth.training import services
from shequ.growth.training.certification import certification_due
from shequ.growth.training.compliance import DONE, OVERDUE, training_compliance
from shequ.growth.training.coverage import mentoring_coverage, rotation_coverage
from shequ.policy.services import policy_bind, policy_version_from_preset
from tests.factories import make_worker

ON = date(2026, 11, 1)


def _bind(world, preset):
    version = policy_version_from_preset(preset=preset, actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2020, 1, 1), actor=world.city_admin)


def _row(result, worker):
    return result.workers.filter(result.workers["worker_id"] == worker.pk).to_dicts()[0]


def test_tongren_secretaries_need_county_training_every_year_others_every_three_T_LEVEL(world):
    _bind(world, "tongren")
    sec = make_worker(world.community_a1, name="一岗书记", post="一岗", hired_on=date(2015, 1, 1))
    staff = make_worker(world.community_a1, name="五岗干事", post="五岗", hired_on=date(2015, 1, 1))
    course = services.course_create(name="骨干班", level="县级", unit=world.district, hours=Decimal(8), actor=world.city_admin)
    s = services.session_create(course=course, start=date(2025, 6, 1), end=date(2025, 6, 1), actor=world.city_admin)
    services.attendance_record(session=s, lines=[services.AttendanceLine(worker=sec), services.AttendanceLine(worker=staff)],
                               actor=world.street_a_hr)
    result = training_compliance(user=world.city_admin, root=None, on=ON)
    assert _row(result, sec)["status"] == OVERDUE  # more than a year ago
    assert _row(result, staff)["status"] == DONE   # within three years


def test_tongren_pairs_young_secretaries_and_new_workers_T_MENTOR(world):
    _bind(world, "tongren")
    make_worker(world.community_a1, name="年轻书记", post="一岗", birth_date=date(1996, 1, 1))
    make_worker(world.community_a1, name="新任干事", post="五岗", hired_on=date(2026, 6, 1),
                community_work_start=date(2026, 6, 1))
    cov = mentoring_coverage(user=world.city_admin, root=None, on=ON)
    assert set(cov.unpaired["name"]) == {"年轻书记", "新任干事"}


def test_baixiang_requires_certification_within_five_years_T_CERT(world):
    _bind(world, "baixiang")
    make_worker(world.community_a1, name="柏乡新人", post="一般", hired_on=date(2024, 3, 1),
                community_work_start=date(2024, 3, 1))
    due = {r["name"]: r for r in certification_due(user=world.city_admin, root=None, on=ON).workers.to_dicts()}
    assert due["柏乡新人"]["deadline_years"] == 5
    assert due["柏乡新人"]["deadline"] == date(2029, 3, 1)


def test_baixiang_keeps_both_ends_of_three_to_five_years_a_warning_at_three_T_CERT(world):
    """T-CERT "3—5 年内全部持证": uncertified at 3 years is warned, at 5 overdue; both from the preset."""
    from shequ.growth.training.certification import DUE, OVERDUE, WARNED
    from shequ.rules import load_policy

    policy = load_policy("baixiang")
    assert policy.entry("certification", "warning_years", ON).source == "002"
    assert policy.entry("certification", "deadline_years", ON).source == "002"
    _bind(world, "baixiang")
    for name, start in [("两年新人", date(2024, 12, 1)), ("三年老人", date(2023, 9, 1)), ("六年老人", date(2020, 9, 1))]:
        make_worker(world.community_a1, name=name, post="一般", hired_on=start, community_work_start=start)
    due = {r["name"]: r for r in certification_due(user=world.city_admin, root=None, on=ON).workers.to_dicts()}
    assert (due["两年新人"]["warning"], due["两年新人"]["status"]) == (date(2027, 12, 1), DUE)
    assert (due["三年老人"]["warning"], due["三年老人"]["status"]) == (date(2026, 9, 1), WARNED)
    # A clock never starts before the rule took effect: the veteran's five years run from then.
    since = policy.entry("certification", "deadline_years", ON).since
    assert (due["六年老人"]["deadline"], due["六年老人"]["status"]) == (since.replace(year=since.year + 5), OVERDUE)


@pytest.mark.parametrize("preset", ["dalian", "baohe"])
def test_dalian_and_baohe_name_the_posts_needed_for_full_rotation_T_ALL(world, preset):
    _bind(world, preset)
    rows = rotation_coverage(user=world.city_admin, root=None, on=ON).to_dicts()
    assert {r["min_posts"] for r in rows} == {3}
