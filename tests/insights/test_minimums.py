"""C-MIN: per-unit minimums are policy data (Dalian: every community has at least one worker
under 35, 001); units short of one are shown per unit on the dashboard and in 待办."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from shequ.insights.minimums import minimum_breaches
from shequ.rules import PolicyError, load_policy, load_policy_text, unit_minimums
from tests.factories import make_worker

ON = date(2025, 6, 30)


def _dalian(world):
    from shequ.policy.services import policy_bind, policy_version_from_preset

    version = policy_version_from_preset(preset="dalian", actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2020, 1, 1), actor=world.city_admin)


def test_dalian_asks_every_community_for_a_worker_under_35_c_min():
    policy = load_policy("dalian")
    rule = policy.params(ON).minimums.per_unit[0]
    assert (rule.condition, rule.min) == ("age < 35", 1)
    assert policy.entry("minimums", "per_unit", ON).source == "001"
    units = pl.DataFrame({"unit_id": [1, 2, 3], "unit_type": ["城市社区", "城市社区", "街道机关"]})
    workers = pl.DataFrame({"unit_id": [1, 1, 2], "birth_date": [date(1995, 1, 1), date(1970, 1, 1), date(1990, 6, 30)]})
    out = unit_minimums(policy, units, workers, ON).sort("unit_id")
    # Unit 2's only worker turns 35 on ON: not under 35. The street office is not a community.
    assert out.select("unit_id", "count", "short").rows() == [(1, 1, 0), (2, 0, 1)]


def test_a_minimum_whose_condition_names_nothing_known_is_refused_at_load_c_min():
    text = ('[policy]\nid = "x"\nname = "x"\nsource = "x"\nversion = "1"\nextends = "dalian"\nsince = 2024-01-01\n\n'
            '[minimums]\nsource = "x"\nper_unit = [{ name = "甲", condition = "height > 180", min = 1 }]\n')
    with pytest.raises(PolicyError) as err:
        load_policy_text(text)
    assert "minimums.per_unit." in str(err.value) and "未知名称「height」" in str(err.value)


def test_communities_without_a_worker_under_35_are_listed_per_unit_c_min(world):
    _dalian(world)
    for w in world.community_a1.workers.all():
        w.delete()
    make_worker(world.community_a1, name="老甲", birth_date=date(1970, 2, 1), post="三档")
    make_worker(world.community_a2, name="小乙", birth_date=date(1998, 2, 1), post="三档")
    short = {b.unit: b for b in minimum_breaches(root=world.street_a, on=ON)}
    assert "槐阳北社区" not in short
    assert (short["迎宾社区"].minimum, short["迎宾社区"].count, short["迎宾社区"].short) == ("35岁以下社区工作者", 0, 1)


def test_the_dashboard_and_the_home_todo_show_the_shortfall_and_nothing_of_another_street_c_min(world, client_for):
    _dalian(world)
    for w in world.community_a1.workers.all():
        w.delete()
    make_worker(world.community_a1, name="老甲", birth_date=date(1970, 2, 1), post="三档")
    page = client_for(world.street_a_hr).get("/insights/?on=2025-06-30").content.decode()
    assert "未达政策最低配备的单位" in page and "迎宾社区" in page and "35岁以下社区工作者" in page
    home = client_for(world.street_a_hr).get("/").content.decode()
    assert "待办" in home and "未达政策最低配备" in home and "迎宾社区" in home
    other = client_for(world.street_b_hr).get("/").content.decode()
    assert "迎宾社区" not in other
