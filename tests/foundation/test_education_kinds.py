"""W-EDU: education records carry their kind (全日制 / 在职) and date; the highest full-time
and the highest overall education are both kept, placement reads the one the policy names,
and the statistics report either."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from shequ.common.scope import ScopeError
from shequ.insights.figures import compute_figures
from shequ.rules import load_policy, place
from shequ.workers.models import EducationRecord, EventKind
from shequ.workers.selectors import worker_states_on
from shequ.workers.services import (
    EDUCATION_DUPLICATE,
    EDUCATION_KIND_UNKNOWN,
    WorkerError,
    education_record,
)
from tests.factories import make_worker


def _worker(world):
    return make_worker(world.community_a1, name="学历人", education="高中", community_work_start=date(2012, 3, 1),
                       hired_on=date(2012, 3, 1))


def test_a_full_time_and_an_in_service_degree_keep_both_highests_with_their_dates_w_edu(world):
    w = _worker(world)
    education_record(worker=w, level="大专", kind="全日制", obtained_on=date(2015, 7, 1), actor=world.street_a_hr)
    education_record(worker=w, level="本科", kind="在职", obtained_on=date(2020, 1, 10), actor=world.street_a_hr,
                     school="省委党校")
    w.refresh_from_db()
    assert (w.education, w.education_full_time) == ("本科", "大专")
    assert list(w.educations.values_list("level", "kind")) == [("大专", "全日制"), ("本科", "在职")]
    assert w.events.filter(kind=EventKind.EDUCATION).count() == 2
    # As of a date, each highest is the one obtained by then.
    def on(day):
        states = worker_states_on(scope=world.street_a, on=day).filter(pl.col("worker_id") == w.pk)
        return states.select("education", "education_full_time").row(0)
    assert on(date(2014, 1, 1)) == ("高中", "")
    assert on(date(2016, 1, 1)) == ("大专", "大专")
    assert on(date(2021, 1, 1)) == ("本科", "大专")


def test_a_lower_degree_is_recorded_without_lowering_either_highest_w_edu(world):
    w = _worker(world)
    education_record(worker=w, level="本科", kind="全日制", obtained_on=date(2016, 7, 1), actor=world.street_a_hr)
    education_record(worker=w, level="大专", kind="在职", obtained_on=date(2018, 7, 1), actor=world.street_a_hr)
    w.refresh_from_db()
    assert (w.education, w.education_full_time) == ("本科", "本科")
    assert EducationRecord.objects.filter(worker=w).count() == 2


def test_it_refuses_a_kind_that_is_neither_full_time_nor_in_service_and_a_duplicate_w_edu(world):
    w = _worker(world)
    with pytest.raises(WorkerError) as err:
        education_record(worker=w, level="本科", kind="函授", obtained_on=date(2016, 7, 1), actor=world.street_a_hr)
    assert str(err.value) == EDUCATION_KIND_UNKNOWN.format(kind="函授")
    education_record(worker=w, level="本科", kind="在职", obtained_on=date(2016, 7, 1), actor=world.street_a_hr)
    with pytest.raises(WorkerError) as err:
        education_record(worker=w, level="本科", kind="在职", obtained_on=date(2017, 7, 1), actor=world.street_a_hr)
    assert str(err.value) == EDUCATION_DUPLICATE.format(name="学历人", kind="在职", level="本科")


def test_it_refuses_a_street_admin_from_another_street_w_edu(world):
    w = _worker(world)
    with pytest.raises(ScopeError):
        education_record(worker=w, level="本科", kind="全日制", obtained_on=date(2016, 7, 1), actor=world.street_b_hr)
    assert not EducationRecord.objects.filter(worker=w).exists()


def test_placement_reads_the_education_the_policy_names_w_edu():
    """Baixiang places by full-time education (placement_basis = 全日制); Hunchun by the highest."""
    on = date(2024, 6, 1)
    base = {"post": ["一般"], "community_work_start": [date(2014, 3, 1)], "certificate": ["无"]}
    mixed = pl.DataFrame({**base, "education": ["本科"], "education_full_time": ["大专"]})
    for preset, counted in [("baixiang", "大专"), ("hunchun", "本科")]:
        policy = load_policy(preset)
        as_counted = pl.DataFrame({**base, "education": [counted]})
        assert place(policy, mixed, on)["grade"][0] == place(policy, as_counted, on)["grade"][0], preset
    baixiang = load_policy("baixiang")
    assert place(baixiang, mixed, on)["grade"][0] != place(baixiang, mixed.with_columns(pl.lit("").alias("education_full_time")), on)["grade"][0]


def test_the_dashboard_reports_full_time_college_plus_beside_college_plus_w_edu(world):
    on = date(2024, 6, 1)
    before = compute_figures(root=world.street_a, on=on)["total"]
    w = _worker(world)
    education_record(worker=w, level="高中", kind="全日制", obtained_on=date(2008, 7, 1), actor=world.street_a_hr)
    education_record(worker=w, level="大专", kind="在职", obtained_on=date(2019, 7, 1), actor=world.street_a_hr)
    t = compute_figures(root=world.street_a, on=on)["total"]
    n = t["headcount"]
    assert n == before["headcount"] + 1
    college = round(100 * (before["college_plus_share"] * before["headcount"] / 100 + 1) / n, 1)
    college_ft = round(100 * (before["college_plus_ft_share"] * before["headcount"] / 100) / n, 1)
    assert (t["college_plus_share"], t["college_plus_ft_share"]) == (pytest.approx(college, abs=0.1), pytest.approx(college_ft, abs=0.1))
