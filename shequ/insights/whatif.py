"""Policy what-if (P-STATS): a draft policy, or the current one with one value changed,
evaluated on the scope's roster in one engine call; monthly and yearly cost by street and
who gains or loses how much. Nothing is stored."""

from __future__ import annotations

import math
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings

from shequ.errors import Invalid
from shequ.org.models import STREET_TYPES, Unit
from shequ.org.selectors import units_frame
from shequ.policy.resolve import default_governing, governing_frame
from shequ.policy.selectors import policy_version_for
from shequ.rules import Policy, PolicyError, load_policy_text, place_and_pay
from shequ.rules.loader import read_source
from shequ.rules.policy import EMPLOYER_BENEFITS, TOTAL
from shequ.workers.selectors import roster_on

from .figures import PAY_INPUTS, half_up, pay_frame

UNKNOWN_PARAM = "政策参数“{name}”不存在"
NOT_A_NUMBER = "参数值应为数字：“{value}”"
UNKNOWN_KEY = "参数“{name}”的查找表中没有“{key}”"
NEEDS_KEY = "参数“{name}”是查找表，请写成“{name}.项目”，例如“{name}.{example}”"
NOT_NUMERIC = "参数“{name}”不是数值，不能在此修改"
NO_CHANGE = "请填写要修改的参数和新值，或上传政策草案（TOML）"
DRAFT_BAD = "政策草案无法读取：{reason}"
DRAFT_NOT_UTF8 = "政策草案应为 UTF-8 编码的 TOML 文本"
EVAL_FAILED = "测算失败：{reason}"

TOP_N = 30
EPS = 0.005  # below a fen a change is no change


class WhatIfError(Invalid):
    pass


def base_policy_text(*, root: Unit, on: date) -> tuple[str, str]:
    """(TOML text, label) of the policy governing `root` on `on`."""
    version = policy_version_for(unit=root, on=on)
    if version is not None:
        return version.text, version.label
    src = read_source(settings.DEFAULT_POLICY, Path(settings.POLICY_DIR))
    return src.text, default_governing().label


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_value(str(k))} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise WhatIfError(NOT_NUMERIC.format(name=str(v)))


def parse_number(text: str) -> float | int:
    try:
        x = float(text.strip().replace(",", ""))
    except (AttributeError, ValueError) as exc:
        raise WhatIfError(NOT_A_NUMBER.format(value=text)) from exc
    if not math.isfinite(x):
        raise WhatIfError(NOT_A_NUMBER.format(value=text))
    return int(x) if x.is_integer() and "." not in text else x


def policy_with_value(*, base_text: str, base_label: str, param: str, value: float | int, on: date) -> tuple[Policy, str]:
    """The base policy with one formula parameter (or one entry of a lookup table, written
    `name.key`) changed from `on`. Built as a child policy that `extends` the base, so every
    other value keeps its provenance."""
    name, _, key = param.strip().partition(".")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "whatif_base.toml").write_text(base_text, encoding="utf-8")
        base = load_policy_text(base_text, name=base_label, base_dir=settings.POLICY_DIR)
        values = base.params(on).values
        if name not in values:
            raise WhatIfError(UNKNOWN_PARAM.format(name=name))
        current = values[name]
        if isinstance(current, dict):
            if not key:
                raise WhatIfError(NEEDS_KEY.format(name=name, example=next(iter(current), "项目")))
            if key not in current:
                raise WhatIfError(UNKNOWN_KEY.format(name=name, key=key))
            new_value: Any = {**current, key: value}
        elif isinstance(current, (int, float)) and not isinstance(current, bool):
            new_value = value
        else:
            raise WhatIfError(NOT_NUMERIC.format(name=name))
        text = (
            f'[policy]\nid = "whatif"\nname = "{base.name}（测算）"\nversion = "{base.version}-测算"\n'
            f'source = "政策测算（未生效）"\nextends = "whatif_base"\nsince = {on.isoformat()}\n\n'
            f"[params.{_toml_value(name)}]\nassumed = true\nnote = \"政策测算\"\n"
            f"since = {on.isoformat()}\nvalue = {_toml_value(new_value)}\n"
        )
        try:
            policy = load_policy_text(text, name="政策测算", base_dir=tmp)
        except PolicyError as exc:
            raise WhatIfError(EVAL_FAILED.format(reason=str(exc))) from exc
    return policy, f"{param} = {value}"


def policy_from_draft(content: bytes, filename: str) -> tuple[Policy, str]:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WhatIfError(DRAFT_NOT_UTF8) from exc
    try:
        policy = load_policy_text(text, name=filename or "草案", base_dir=settings.POLICY_DIR)
    except PolicyError as exc:
        raise WhatIfError(DRAFT_BAD.format(reason=str(exc))) from exc
    return policy, f"草案 {filename}：{policy.name} {policy.version}"


def _group_paths(units: pl.DataFrame, root: Unit) -> tuple[pl.DataFrame, str]:
    """unit_id → (group path, group name): by street when the scope is above streets,
    else by the child units of the scope."""
    streets = units.filter(pl.col("unit_type").is_in(list(STREET_TYPES)) & (pl.col("unit_id") != root.pk))
    if root.unit_type not in STREET_TYPES and streets.height:
        lengths = sorted(set(streets["path"].str.len_chars().to_list()))
        named = streets.select(pl.col("path").alias("group_path"), pl.col("unit").alias("group"))
        found = units.select("unit_id", "path").with_columns(pl.lit(None, dtype=pl.Utf8).alias("group_path"))
        for n in lengths:
            cand = found.with_columns(pl.col("path").str.slice(0, n).alias("cand")).join(
                named.rename({"group_path": "cand"}).drop("group"), on="cand", how="left", coalesce=False
            )
            found = cand.with_columns(pl.coalesce("group_path", pl.col("cand_right")).alias("group_path")).drop("cand", "cand_right")
        return found.join(named, on="group_path", how="left").select(
            "unit_id", "group_path", pl.col("group").fill_null("（不属于街道）")
        ), "街道"
    named = units.select(pl.col("path").alias("group_path"), pl.col("unit").alias("group"))
    out = units.select("unit_id", pl.col("child_path").alias("group_path")).join(named, on="group_path", how="left")
    return out.with_columns(
        pl.when(pl.col("group_path") == root.path).then(pl.lit(f"本级（{root.name}）")).otherwise(pl.col("group")).alias("group")
    ), "单位"


def evaluate_whatif(*, root: Unit, on: date, draft: Policy, label: str) -> dict[str, Any]:
    units = units_frame(root=root, on=on)
    keyed, governing = governing_frame(units=units, on=on, path_column="path")
    groups, group_label = _group_paths(units, root)
    roster = roster_on(scope=root, on=on).join(keyed, on="unit_id", how="left").join(groups, on="unit_id", how="left")
    before, _, errors = pay_frame(roster, governing, on)
    if errors:
        raise WhatIfError(EVAL_FAILED.format(reason="；".join(errors)))
    try:
        after = place_and_pay(draft, roster.select(PAY_INPUTS), on)  # the one engine call for the draft
    except PolicyError as exc:
        raise WhatIfError(EVAL_FAILED.format(reason=str(exc))) from exc
    names = units.select("unit_id", pl.col("unit").alias("unit_name"))
    people = (
        roster.select("worker_id", "name", "unit_id", "post", "grade", "group_path", "group")
        .join(before.select("worker_id", pl.col(TOTAL).alias("before"), pl.col(EMPLOYER_BENEFITS).alias("before_emp")), on="worker_id", how="left")
        .join(after.select("worker_id", pl.col("grade").alias("grade_after"), pl.col(TOTAL).alias("after"),
                           pl.col(EMPLOYER_BENEFITS).alias("after_emp")), on="worker_id", how="left")
        .join(names, on="unit_id", how="left")
        .with_columns(pl.col("before", "after", "before_emp", "after_emp").fill_null(0.0))
        .with_columns((pl.col("after") - pl.col("before")).round(2).alias("diff"))
    )
    by_group = (
        people.group_by("group_path", "group").agg(
            pl.len().alias("headcount"),
            pl.col("before").sum().alias("before"), pl.col("after").sum().alias("after"),
            (pl.col("before") + pl.col("before_emp")).sum().alias("cost_before"),
            (pl.col("after") + pl.col("after_emp")).sum().alias("cost_after"),
            (pl.col("diff") > EPS).sum().alias("gainers"), (pl.col("diff") < -EPS).sum().alias("losers"),
        ).sort("group_path")
    )
    rows = [_money_row(r) for r in by_group.iter_rows(named=True)]
    totals = _money_row({
        "group": "合计", "headcount": people.height, "before": float(people["before"].sum() or 0),
        "after": float(people["after"].sum() or 0),
        "cost_before": float((people["before"] + people["before_emp"]).sum() or 0),
        "cost_after": float((people["after"] + people["after_emp"]).sum() or 0),
        "gainers": int((people["diff"] > EPS).sum()), "losers": int((people["diff"] < -EPS).sum()),
    })
    by_post = [
        {"post": r["post"], "headcount": r["headcount"], "gainers": r["gainers"], "losers": r["losers"],
         "mean": half_up(r["mean"] or 0.0, 2), "min": half_up(r["min"] or 0.0, 2), "max": half_up(r["max"] or 0.0, 2)}
        for r in people.group_by("post").agg(
            pl.len().alias("headcount"), (pl.col("diff") > EPS).sum().alias("gainers"),
            (pl.col("diff") < -EPS).sum().alias("losers"), pl.col("diff").mean().alias("mean"),
            pl.col("diff").min().alias("min"), pl.col("diff").max().alias("max"),
        ).sort("post").iter_rows(named=True)
    ]
    changed = people.filter(pl.col("diff").abs() > EPS).sort(pl.col("diff").abs(), descending=True)
    return {
        "scope": {"unit_id": root.pk, "name": root.name}, "on": on.isoformat(), "change": label,
        "draft": f"{draft.name} {draft.version}", "base": [g.label for g in governing.values()],
        "group_label": group_label, "groups": rows, "totals": totals, "by_post": by_post,
        "top": changed.head(TOP_N).select("name", "unit_name", "post", "grade", "before", "after", "diff").to_dicts(),
        "changed": changed.select("name", "unit_name", "group", "post", "grade", "grade_after", "before", "after", "diff"),
    }


def _money_row(r: dict[str, Any]) -> dict[str, Any]:
    cb, ca = float(r["cost_before"]), float(r["cost_after"])
    return {
        "group": r["group"], "headcount": int(r["headcount"]),
        "before": half_up(float(r["before"]), 2), "after": half_up(float(r["after"]), 2),
        "monthly_diff": half_up(float(r["after"]) - float(r["before"]), 2),
        "cost_before": half_up(cb, 2), "cost_after": half_up(ca, 2),
        "yearly_before": half_up(cb * 12, 2), "yearly_after": half_up(ca * 12, 2),
        "yearly_diff": half_up((ca - cb) * 12, 2),
        "gainers": int(r["gainers"]), "losers": int(r["losers"]),
    }
