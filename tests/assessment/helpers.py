"""Builders for the assessment tests: a policy bound to the city, campaigns, history, sheets.

Test policies are TOML texts that extend a shipped preset and override only the assessment
section, so each test states the rule values it relies on (never hard-coded in the app)."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

from python_calamine import CalamineWorkbook

from shequ.assessment.models import Result
from shequ.assessment.services import campaign_create
from shequ.common.excel import xlsx_bytes
from shequ.policy.services import policy_bind, policy_version_store

_n = iter(range(1, 10_000))


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(x)}' for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[ " + ", ".join(_toml_value(x) for x in v) + " ]"
    return json.dumps(v, ensure_ascii=False)


def policy_text(*, extends: str = "baohe", **assessment: Any) -> str:
    lines = [
        "[policy]", f'id = "test-{next(_n)}"', 'name = "考核测试政策"', 'source = "测试"', 'version = "1"',
        f'extends = "{extends}"', "since = 2020-01-01", "", "[assessment]",
    ]
    for k, v in assessment.items():
        lines.append(f"{k} = {{ value = {_toml_value(v)}, assumed = true }}")
    return "\n".join(lines) + "\n"


def bind(world: Any, *, extends: str = "baohe", **assessment: Any) -> str:
    """Bind a policy to the whole city from 2020; returns the version label events record."""
    version = policy_version_store(text=policy_text(extends=extends, **assessment), actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2020, 1, 1), actor=world.city_admin)
    return version.label


def campaign(world: Any, year: int = 2025, unit: Any = None, actor: Any = None) -> Any:
    return campaign_create(unit=unit or world.street_a, year=year, actor=actor or world.street_a_hr)


def history(worker: Any, tiers: dict[int, str]) -> None:
    for year, tier in tiers.items():
        Result.objects.create(worker=worker, year=year, tier=tier, unit=worker.unit)


def sheet(headers: list[str], rows: list[list[Any]]) -> bytes:
    return xlsx_bytes(sheet="考核结果", headers=headers, rows=rows, ids="as_given")


def read_xlsx(content: bytes) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def bind_preset(world: Any, preset: str) -> str:
    """Bind a shipped preset, unchanged, to the whole city from 2020."""
    from shequ.policy.services import policy_version_from_preset

    version = policy_version_from_preset(preset=preset, actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2020, 1, 1), actor=world.city_admin)
    return version.label
