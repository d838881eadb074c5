"""Builders for tests: a valid ID number, an org tree, workers. Plain functions, no magic."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from shequ.sheets.idcard import make_id_number

_seq = itertools.count(1)


def id_number(birth: date = date(1990, 1, 1), *, sex: str = "女", area: str = "130524") -> str:
    """A valid GB 11643 number, different on every call."""
    return make_id_number(area, birth, next(_seq), sex)


def make_unit(name: str, unit_type: str, parent: Any = None, **facts: Any) -> Any:
    from shequ.org.models import Unit, UnitFact, unit_path_segment

    unit = Unit.objects.create(
        name=name, unit_type=unit_type, parent=parent, path=f"tmp-{name}", depth=(parent.depth + 1) if parent else 0
    )
    unit.path = (parent.path if parent else "") + unit_path_segment(unit.pk)
    unit.save(update_fields=["path"])
    if facts:
        UnitFact.objects.create(unit=unit, since=facts.pop("since", date(2020, 1, 1)), **facts)
    return unit


def make_user(username: str, role: str, unit: Any, **extra: Any) -> Any:
    from shequ.accounts.models import User

    user = User.objects.create_user(username=username, password="Shequ-test-2026", role=role, unit=unit, **extra)
    return user


def make_worker(unit: Any, **fields: Any) -> Any:
    from shequ.workers.models import Worker

    birth = fields.pop("birth_date", date(1990, 5, 17))
    sex = fields.pop("sex", "女")
    defaults: dict[str, Any] = {
        "name": "测试人员", "category": "专职社区工作者", "post": "助理", "education": "本科",
        "community_work_start": date(2015, 3, 1), "certificate": "无", "grade": None, "status": "active",
        "hired_on": date(2015, 3, 1),
    }
    defaults.update(fields)
    return Worker.objects.create(
        id_number=fields.pop("id_number", None) or id_number(birth, sex=sex), sex=sex, birth_date=birth, unit=unit,
        **{k: v for k, v in defaults.items() if k != "id_number"},
    )
