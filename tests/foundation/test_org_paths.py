"""shequ.org.paths: the one description of the materialised path, and what it derives."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from shequ.org.paths import (
    child_path,
    child_path_expr,
    child_prefix_length,
    parent_path,
    path_ids,
    path_length,
    path_segment,
)
from shequ.org.selectors import unit_paths_frame, units_frame


def test_a_units_path_is_its_parents_path_and_its_own_segment(world: Any) -> None:
    a1 = world.community_a1
    assert a1.path == child_path(world.street_a.path, a1.pk)
    assert world.city.path == path_segment(world.city.pk) == f"{world.city.pk:010d}/"
    assert parent_path(a1.path) == world.street_a.path and parent_path(world.city.path) == ""
    assert path_ids(a1.path) == [world.city.pk, world.district.pk, world.street_a.pk, a1.pk]
    assert path_length(a1.path) == 4


def test_cutting_a_descendants_path_names_the_child_it_lies_under(world: Any) -> None:
    frame = pl.DataFrame({"path": [world.community_a1.path, world.street_b.path, world.district.path]})
    cut = frame.select(child_path_expr(pl.col("path"), root_path=world.district.path))["path"].to_list()
    assert cut == [world.street_a.path, world.street_b.path, world.district.path]
    assert child_prefix_length(world.district.path) == len(world.street_a.path)


def test_the_units_frame_of_a_scope_holds_only_its_subtree(world: Any) -> None:
    frame = units_frame(root=world.street_a, on=date(2024, 1, 1))
    assert set(frame["unit_id"].to_list()) == {world.street_a.pk, world.street_a_office.pk, world.community_a1.pk,
                                               world.community_a2.pk}
    child = dict(zip(frame["unit_id"].to_list(), frame["child_path"].to_list(), strict=True))
    assert child[world.community_a1.pk] == world.community_a1.path and child[world.street_a.pk] == world.street_a.path
    paths = unit_paths_frame(scope=world.street_b)
    assert sorted(paths.rows()) == sorted([(world.street_b.pk, world.street_b.path, "东门街道"),
                                           (world.community_b1.pk, world.community_b1.path, "东门社区")])
