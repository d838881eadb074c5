"""C-MOVE: category 4–5 workers may move across streets and districts; the receiving
unit's quota check applies and the sending unit's place is freed."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.scope import ScopeError
from shequ.errors import Invalid
from shequ.growth.careers import services
from shequ.workers import services as roster
from shequ.workers.models import EventKind, Worker
from tests.factories import make_unit, make_user, make_worker

ON = date(2025, 7, 1)


class QuotaFull(Invalid):
    pass


@pytest.fixture
def quota(monkeypatch):
    """A stand-in for the quota ledger's Q-USE check: a cap per unit on workers who have
    not left. Returns the dict of caps to fill in."""
    caps: dict[int, int] = {}

    def check(unit, joining, on):
        if unit.pk in caps:
            current = Worker.objects.filter(unit=unit).exclude(status="left").count()
            if current + joining > caps[unit.pk]:
                raise QuotaFull(f"{unit.name}已无空编")

    monkeypatch.setattr(roster, "ADMISSION_CHECKS", [check])
    return caps


@pytest.fixture
def other_district(world):
    d = make_unit("乙区", "区县", world.city)
    s = make_unit("西湖街道", "街道", d)
    c = make_unit("西湖社区", "城市社区", s)
    return c


def _worker(world, post: str):
    return make_worker(world.community_a1, name=f"{post}人员", post=post, grade=5)


def test_a_sigang_worker_moves_to_another_district_c_move(world, five_posts, other_district, quota):
    w = _worker(world, "四岗")
    event = services.career_move(worker=w, to_unit=other_district, effective=ON, actor=world.city_admin)
    w.refresh_from_db()
    assert w.unit == other_district and event.kind == EventKind.TRANSFER
    assert event.data["from_unit_id"] == world.community_a1.pk


def test_a_sangang_worker_may_not_leave_the_street_c_move(world, five_posts, other_district):
    w = _worker(world, "三岗")
    with pytest.raises(services.CareersError) as err:
        services.career_move(worker=w, to_unit=world.community_b1, effective=ON, actor=world.city_admin)
    assert str(err.value) == services.MOVE_NOT_MOVABLE.format(
        name="三岗人员", post="三岗", policy=str(err.value).split("（")[1].split("）")[0], allowed="四岗、五岗")
    w.refresh_from_db()
    assert w.unit == world.community_a1 and not w.events.exists()


def test_any_post_may_move_within_its_own_street_c_move(world, five_posts):
    w = _worker(world, "三岗")
    services.career_move(worker=w, to_unit=world.community_a2, effective=ON, actor=world.street_a_hr)
    w.refresh_from_db()
    assert w.unit == world.community_a2


def test_the_receiving_units_quota_refuses_a_move_and_nothing_changes_c_move(world, five_posts, quota):
    w = _worker(world, "五岗")
    quota[world.community_b1.pk] = 1  # worker_b1 already fills it
    with pytest.raises(QuotaFull):
        services.career_move(worker=w, to_unit=world.community_b1, effective=ON, actor=world.city_admin)
    w.refresh_from_db()
    assert w.unit == world.community_a1 and not w.events.exists()


def test_the_sending_units_place_is_free_after_the_move_c_move(world, five_posts, quota):
    w = _worker(world, "五岗")
    quota[world.community_a1.pk] = 2  # worker_a1 and w: full
    with pytest.raises(QuotaFull):
        roster.admission_check(unit=world.community_a1, joining=1, on=ON)
    services.career_move(worker=w, to_unit=world.community_b1, effective=ON, actor=world.city_admin)
    roster.admission_check(unit=world.community_a1, joining=1, on=ON)  # a place is free again


def test_a_street_admin_cannot_move_someone_into_another_street_c_move(world, five_posts):
    w = _worker(world, "四岗")
    with pytest.raises(ScopeError):
        services.career_move(worker=w, to_unit=world.community_b1, effective=ON, actor=world.street_a_hr)
    with pytest.raises(ScopeError):
        services.career_move(worker=w, to_unit=world.community_b1, effective=ON, actor=world.street_b_hr)
    w.refresh_from_db()
    assert w.unit == world.community_a1


def test_a_district_admin_cannot_move_someone_to_another_district_c_move(world, five_posts, other_district):
    admin = make_user("jia_admin", "bureau_admin", world.district)
    w = _worker(world, "四岗")
    with pytest.raises(ScopeError):
        services.career_move(worker=w, to_unit=other_district, effective=ON, actor=admin)


def test_a_policy_without_movable_posts_keeps_everyone_in_their_street_c_move(world):
    w = make_worker(world.community_a1, name="包河人", post="助理")
    with pytest.raises(services.CareersError) as err:
        services.career_move(worker=w, to_unit=world.community_b1, effective=ON, actor=world.city_admin)
    assert "允许：无" in str(err.value)
