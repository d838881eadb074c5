"""Which function runs each kind of job, and what a user needs to see it. Handlers are
named by import path so this module imports no area (each area imports jobs, not the
reverse). A handler takes `job` and `progress`, does its writes in one transaction, and
returns a Done: where the result is, a sentence saying what was done, and its numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Done:
    url: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    label: str
    handler: str
    view_capability: str


KINDS: dict[str, Kind] = {
    "pay.compute": Kind("薪酬核算", "shequ.pay.jobs.compute", "pay.view"),
    "assessment.publish": Kind("考核结果公示", "shequ.assessment.jobs.publish", "assess.view"),
    "assessment.confirm": Kind("考核结果确认生效", "shequ.assessment.jobs.confirm", "assess.view"),
    "conversion.confirm": Kind("套改确认", "shequ.recruitment.jobs.confirm", "recruit.view"),
    "quota.recompute": Kind("员额测算", "shequ.quota.jobs.recompute", "quota.view"),
    "import.validate": Kind("导入校验", "shequ.web.jobs.import_validate", "org.view"),
    "import.commit": Kind("导入", "shequ.web.jobs.import_commit", "org.view"),
}
