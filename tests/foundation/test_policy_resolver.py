"""shequ.policy.resolve: one answer to "which policy governs this unit on this date", for
one unit and for a whole frame of units, with the default's label built in one place."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.org.models import Unit
from shequ.policy import resolve
from shequ.policy.resolve import (
    DEFAULT_MARK,
    default_governing,
    governing_by_digest,
    governing_for_paths,
    governing_for_unit,
    governing_frame,
)
from shequ.policy.services import policy_bind, policy_version_from_preset


def _bind_three(world: Any) -> tuple[Any, Any]:
    tongren = policy_version_from_preset(preset="tongren", actor=world.city_admin)
    dalian = policy_version_from_preset(preset="dalian", actor=world.city_admin)
    policy_bind(unit=world.district, version=tongren, since=date(2020, 1, 1), actor=world.city_admin)
    policy_bind(unit=world.street_b, version=dalian, since=date(2021, 1, 1), actor=world.city_admin)
    policy_bind(unit=world.street_b, version=tongren, since=date(2022, 1, 1), actor=world.city_admin)
    return tongren, dalian


def test_a_unit_no_binding_reaches_is_governed_by_the_labelled_default(world: Any) -> None:
    g = governing_for_unit(unit=world.community_a1, on=date(2024, 1, 1))
    assert g == default_governing()
    assert g.label == f"{g.policy.id}@{g.policy.version}{DEFAULT_MARK}"
    assert g.digest == "" and g.is_default


def test_the_nearest_binding_wins_and_on_one_node_the_latest_in_force(world: Any) -> None:
    tongren, dalian = _bind_three(world)
    assert governing_for_unit(unit=world.community_a1, on=date(2021, 6, 1)).label == tongren.label
    assert governing_for_unit(unit=world.community_b1, on=date(2021, 6, 1)).label == dalian.label
    assert governing_for_unit(unit=world.community_b1, on=date(2022, 6, 1)).label == tongren.label
    # Above the binding the default still governs.
    assert governing_for_unit(unit=world.city, on=date(2021, 6, 1)).is_default


@pytest.mark.parametrize("on", [date(2019, 6, 1), date(2021, 6, 1), date(2023, 6, 1)])
def test_the_frame_of_units_gets_the_answer_of_each_unit_alone(world: Any, on: date) -> None:
    _bind_three(world)
    units = list(Unit.objects.all())
    frame = pl.DataFrame({"unit_id": [u.pk for u in units], "unit_path": [u.path for u in units]})
    keyed, governing = governing_frame(units=frame, on=on)
    labels = dict(keyed.iter_rows())
    assert labels == {u.pk: governing_for_unit(unit=u, on=on).label for u in units}
    assert set(governing) == set(labels.values())
    by_path = governing_for_paths(paths={u.pk: u.path for u in units}, on=on)
    assert {pk: g.label for pk, g in by_path.items()} == labels


def test_the_frame_costs_two_queries_however_many_units(world: Any) -> None:
    _bind_three(world)
    units = list(Unit.objects.all())
    frame = pl.DataFrame({"unit_id": [u.pk for u in units], "unit_path": [u.path for u in units]})
    with CaptureQueriesContext(connection) as queries:
        governing_frame(units=frame, on=date(2022, 6, 1))
    assert len(queries) == 2  # the bindings, then the versions chosen


def test_each_version_is_compiled_once_however_many_units_and_calls(world: Any, monkeypatch: Any) -> None:
    tongren, dalian = _bind_three(world)
    resolve._compiled.cache_clear()
    compiled: list[str] = []
    real = resolve.load_policy_text

    def counting(text: str, **kwargs: Any) -> Any:
        compiled.append(kwargs["name"])
        return real(text, **kwargs)

    monkeypatch.setattr(resolve, "load_policy_text", counting)
    paths = {u.pk: u.path for u in Unit.objects.all()}
    for on in (date(2021, 6, 1), date(2021, 7, 1), date(2022, 6, 1)):
        governing_for_paths(paths=paths, on=on)
    assert sorted(compiled) == sorted([tongren.label, dalian.label])


def test_a_stored_digest_recompiles_the_version_it_names(world: Any) -> None:
    tongren, _ = _bind_three(world)
    assert governing_by_digest(digest=tongren.digest).label == tongren.label
    assert governing_by_digest(digest="") == default_governing()
