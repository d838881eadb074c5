"""C-HONOR: honours and seats among the 两代表一委员, recorded as HONOUR events."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.scope import ScopeError
from shequ.growth.careers import selectors, services
from shequ.workers.models import EventKind


def test_an_honour_is_a_row_and_an_honour_event_c_honor(world):
    h = services.honour_record(worker=world.worker_a1, kind="人大代表", level="县级", title="甲区人大代表",
                               awarded_on=date(2024, 1, 5), term_end=date(2029, 1, 4), actor=world.street_a_hr)
    e = world.worker_a1.events.get(kind=EventKind.HONOUR)
    assert e.data["honour_id"] == h.pk and e.cause == "县级甲区人大代表" and h.is_representative


def test_the_summary_counts_people_once_c_honor(world):
    a, b = world.worker_a1, world.worker_b1
    services.honour_record(worker=a, kind="党代会代表", level="市级", title="市党代会代表", awarded_on=date(2023, 1, 1), actor=world.city_admin)
    services.honour_record(worker=a, kind="政协委员", level="县级", title="区政协委员", awarded_on=date(2023, 2, 1), actor=world.city_admin)
    services.honour_record(worker=b, kind="劳动模范", level="省级", title="省劳动模范", awarded_on=date(2022, 5, 1), actor=world.city_admin)
    services.honour_record(worker=b, kind="表彰奖励", level="街道级", title="优秀网格员", awarded_on=date(2022, 5, 1), actor=world.city_admin)
    assert selectors.honour_summary(user=world.city_admin, on=date(2025, 1, 1)) == {
        "两代表一委员": 1, "劳动模范": 1, "县级以上表彰": 2}
    assert selectors.honour_summary(user=world.street_b_hr, on=date(2025, 1, 1)) == {
        "两代表一委员": 0, "劳动模范": 1, "县级以上表彰": 1}


def test_a_term_must_end_after_it_starts_c_honor(world):
    with pytest.raises(services.CareersError) as err:
        services.honour_record(worker=world.worker_a1, kind="人大代表", level="县级", title="x",
                               awarded_on=date(2024, 1, 5), term_end=date(2024, 1, 1), actor=world.street_a_hr)
    assert str(err.value) == services.HONOUR_TERM_BEFORE_AWARD.format(term_end=date(2024, 1, 1), awarded_on=date(2024, 1, 5))
    assert not world.worker_a1.honours.exists()


def test_it_refuses_a_street_admin_from_another_street_c_honor(world):
    with pytest.raises(ScopeError):
        services.honour_record(worker=world.worker_a1, kind="劳动模范", level="县级", title="x",
                               awarded_on=date(2024, 1, 5), actor=world.street_b_hr)
    services.honour_record(worker=world.worker_a1, kind="劳动模范", level="县级", title="x",
                           awarded_on=date(2024, 1, 5), actor=world.street_a_hr)
    assert selectors.honour_list(user=world.street_b_hr).count() == 0


def test_an_unknown_honour_kind_is_refused_with_the_field_named_c_honor(world):
    with pytest.raises(services.CareersError) as err:
        services.honour_record(worker=world.worker_a1, kind="金牌", level="县级", title="x",
                               awarded_on=date(2024, 1, 5), actor=world.street_a_hr)
    assert str(err.value).startswith("类别：")
    assert not world.worker_a1.events.exists()
