"""Which policy governs a unit on a date, the one public answer for every app.

The rule (POL-1): the nearest binding in force on the unit or one of its ancestors; of
several bindings on one node, the latest `since`. Units with no binding anywhere above
them fall back to the deployment's default preset (SHEQU_DEFAULT_POLICY), labelled as
such. Decisions record `Governing.label`; locked pay lines keep `Governing.digest` to
recompile the exact text later.

`governing_for_unit` answers for one unit with one query; `governing_frame` and
`governing_for_paths` answer for a whole population of units with one query for the
bindings, one for the versions, and one compile per distinct version (cached by digest,
so repeated runs compile nothing)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import polars as pl
from django.conf import settings

from shequ.org.models import Unit
from shequ.org.paths import ancestor_path_expr, path_length
from shequ.policy.models import PolicyBinding, PolicyVersion
from shequ.rules import Policy, load_policy, load_policy_text

DEFAULT_MARK = "（默认）"


@dataclass(frozen=True)
class Governing:
    """The compiled policy governing some units, and the label decisions record."""

    label: str
    digest: str  # "" for the deployment default
    policy: Policy

    @property
    def is_default(self) -> bool:
        return not self.digest


@lru_cache(maxsize=64)
def _compiled(digest: str, text: str, name: str) -> Policy:
    # Versions are immutable, so the digest is a safe cache key.
    return load_policy_text(text, name=name, base_dir=settings.POLICY_DIR)


@lru_cache(maxsize=1)
def _default_policy() -> Policy:
    return load_policy(settings.DEFAULT_POLICY)


def default_governing() -> Governing:
    """The deployment default, for units no binding reaches. Its label is built here only."""
    policy = _default_policy()
    return Governing(label=f"{policy.id}@{policy.version}{DEFAULT_MARK}", digest="", policy=policy)


def governing_of(version: PolicyVersion) -> Governing:
    return Governing(label=version.label, digest=version.digest,
                     policy=_compiled(version.digest, version.text, version.label))


def version_for_unit(*, unit: Unit, on: date) -> PolicyVersion | None:
    """The bound version governing `unit` on `on`, None where only the default reaches."""
    binding = (
        PolicyBinding.objects.filter(unit_id__in=unit.ancestor_ids(), since__lte=on)
        .select_related("version", "unit")
        .order_by("-unit__depth", "-since", "-id")
        .first()
    )
    return binding.version if binding else None


def governing_for_unit(*, unit: Unit, on: date) -> Governing:
    version = version_for_unit(unit=unit, on=on)
    return default_governing() if version is None else governing_of(version)


def governing_by_digest(*, digest: str) -> Governing:
    """The policy a stored decision was computed under, by the digest it kept ("" for the
    default)."""
    if not digest:
        return default_governing()
    return governing_of(PolicyVersion.objects.get(digest=digest))


def governing_frame(
    *, units: pl.DataFrame, on: date, path_column: str = "unit_path"
) -> tuple[pl.DataFrame, dict[str, Governing]]:
    """(unit_id → policy_label frame, label → Governing) for the units of `units` (columns
    unit_id and `path_column`), labels in order of first appearance.

    Vectorised: each unit's path is cut at every depth and joined to the bound nodes, the
    deepest match winning, so a million units cost a handful of joins, not a loop."""
    in_force: dict[str, int] = {}
    for path, version_id in (
        PolicyBinding.objects.filter(since__lte=on).order_by("since", "id").values_list("unit__path", "version_id")
    ):
        in_force[path] = version_id  # ascending `since`: the latest of a node wins
    frame = units.select(pl.col("unit_id").cast(pl.Int64), pl.col(path_column).alias("__path"))
    version = pl.lit(None, dtype=pl.Int64)
    if in_force and frame.height:
        bound = pl.DataFrame(
            {"__node": list(in_force), "__version": list(in_force.values()),
             "__depth": [path_length(p) for p in in_force]},
            schema={"__node": pl.Utf8, "__version": pl.Int64, "__depth": pl.Int64},
        )
        depths = sorted({path_length(p) for p in in_force})
        for depth in depths:  # shallow to deep: a deeper binding overrides
            frame = frame.with_columns(ancestor_path_expr(pl.col("__path"), length=depth).alias("__node")).join(
                bound.filter(pl.col("__depth") == depth).drop("__depth").rename({"__version": f"__v{depth}"}),
                on="__node", how="left", maintain_order="left",
            ).drop("__node")
        version = pl.coalesce([pl.col(f"__v{d}") for d in reversed(depths)])
    frame = frame.with_columns(version.alias("__version"))
    chosen = frame.get_column("__version").unique(maintain_order=True).to_list()
    versions = {v.pk: v for v in PolicyVersion.objects.filter(pk__in=[v for v in chosen if v is not None])}
    by_version = {v: (governing_of(versions[v]) if v is not None else default_governing()) for v in chosen}
    labels = pl.DataFrame(
        {"__version": list(by_version), "policy_label": [g.label for g in by_version.values()]},
        schema={"__version": pl.Int64, "policy_label": pl.Utf8},
    )
    keyed = frame.join(labels, on="__version", how="left", nulls_equal=True, maintain_order="left").select("unit_id", "policy_label")
    return keyed, {g.label: g for g in by_version.values()}


def governing_for_paths(*, paths: Mapping[int, str], on: date) -> dict[int, Governing]:
    """unit id → Governing for units given by id and path (governing_frame's answer)."""
    if not paths:
        return {}
    units = pl.DataFrame({"unit_id": list(paths), "unit_path": list(paths.values())},
                         schema={"unit_id": pl.Int64, "unit_path": pl.Utf8})
    keyed, governing = governing_frame(units=units, on=on)
    return {uid: governing[label] for uid, label in keyed.iter_rows()}


def governing_for_units(*, units: Iterable[Unit], on: date) -> dict[int, Governing]:
    return governing_for_paths(paths={u.pk: u.path for u in units}, on=on)
