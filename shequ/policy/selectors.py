"""Reads of policies and their bindings. Which policy governs a unit is shequ.policy.resolve;
the functions here that answer it in (policy, label) pairs delegate to it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from shequ.org.models import Unit
from shequ.policy.models import PolicyBinding, PolicyVersion
from shequ.policy.resolve import governing_for_paths, governing_for_unit, version_for_unit
from shequ.rules import Policy

if TYPE_CHECKING:
    from shequ.accounts.models import User


def policy_version_for(*, unit: Unit, on: date) -> PolicyVersion | None:
    return version_for_unit(unit=unit, on=on)


def policy_for(*, unit: Unit, on: date) -> tuple[Policy, str]:
    """The compiled policy and the label that events record as the deciding version."""
    g = governing_for_unit(unit=unit, on=on)
    return g.policy, g.label


def bindings_in_scope(*, user: User) -> list[PolicyBinding]:
    from shequ.common.scope import scoped

    return list(scoped(PolicyBinding.objects.select_related("unit", "version"), user).order_by("unit__path", "-since"))


def policies_for_paths(paths: Mapping[int, str], on: date) -> dict[int, tuple[Policy, str]]:
    """unit id → (compiled policy, version label) for many units given by id and path: the
    rule of `policy_for`, resolved for all of them at once (shequ.policy.resolve)."""
    return {uid: (g.policy, g.label) for uid, g in governing_for_paths(paths=paths, on=on).items()}


def policies_for_units(units: Iterable[Unit], on: date) -> dict[int, tuple[Policy, str]]:
    return policies_for_paths({u.pk: u.path for u in units}, on)
