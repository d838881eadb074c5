"""The layout of `Unit.path`, in one place: each ancestor's id and the unit's own,
zero-padded to SEGMENT_DIGITS and ended by '/' ("0000000001/0000000007/"), so that a
subtree is one indexed prefix scan and a path's length gives its depth.

Everything that builds, splits or cuts a path goes through here; no other module knows
the width of a segment."""

from __future__ import annotations

import polars as pl

SEGMENT_DIGITS = 10
SEGMENT_LENGTH = SEGMENT_DIGITS + 1  # the digits and the closing '/'


def path_segment(pk: int) -> str:
    """The segment a unit adds to its parent's path."""
    return f"{pk:0{SEGMENT_DIGITS}d}/"


def child_path(parent_path: str, pk: int) -> str:
    return parent_path + path_segment(pk)


def path_segment_expr(pk: pl.Expr) -> pl.Expr:
    """`path_segment` for a column of ids, for paths built in bulk."""
    return pk.cast(pl.String).str.zfill(SEGMENT_DIGITS) + "/"


def path_ids(path: str) -> list[int]:
    """The ids along a path, root first, the unit itself last."""
    return [int(part) for part in path.strip("/").split("/") if part]


def parent_path(path: str) -> str:
    """The parent's path ("" for a root)."""
    return path[: len(path) - SEGMENT_LENGTH] if len(path) > SEGMENT_LENGTH else ""


def child_prefix_length(root_path: str) -> int:
    """Length of the path of any child of the unit at `root_path`: cutting a descendant's
    path there names the child whose subtree it belongs to."""
    return len(root_path) + SEGMENT_LENGTH


def child_path_expr(path: pl.Expr, *, root_path: str) -> pl.Expr:
    """For each path in `root_path`'s subtree, the path of the child of the root it lies
    under (the root's own path for the root itself)."""
    cut = child_prefix_length(root_path)
    return pl.when(path.str.len_chars() >= cut).then(path.str.slice(0, cut)).otherwise(path)


def path_length(path: str) -> int:
    """How many units a path names (1 for a root)."""
    return len(path) // SEGMENT_LENGTH


def ancestor_path_expr(path: pl.Expr, *, length: int) -> pl.Expr:
    """The path of the ancestor naming `length` units (itself when the path is that short)."""
    return path.str.slice(0, length * SEGMENT_LENGTH)
