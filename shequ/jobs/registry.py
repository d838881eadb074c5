"""Which function runs each kind of job, and what a user needs to see it. Handlers are
named by import path so this module imports no area (each area imports jobs, not the
reverse). A handler takes `job` and `progress`, does its writes in one transaction, and
returns the address of its result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    label: str
    handler: str
    view_capability: str


KINDS: dict[str, Kind] = {
    "pay.compute": Kind("薪酬核算", "shequ.pay.jobs.compute", "pay.view"),
    "assessment.publish": Kind("考核结果公示", "shequ.assessment.jobs.publish", "assess.view"),
    "assessment.confirm": Kind("考核结果确认生效", "shequ.assessment.jobs.confirm", "assess.view"),
    "import.commit": Kind("导入", "shequ.common.jobs.import_commit", "org.view"),
}
