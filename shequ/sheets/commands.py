"""`shequ quota | place | assess | policy check | policy diff` on files (FORMATS.md).

A bad file gets every error with its row and column on stderr, exit code 1, and no output
file. A bad policy gets its error and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from shequ.rules import (
    PolicyError,
    assess,
    excellent_share,
    explain_rows,
    load_policy,
    pay,
    pay_summary,
    place,
    quota_use,
)
from shequ.rules.diff import diff_policies
from shequ.rules.explain import fmt
from shequ.rules.policy import TOTAL, Policy
from shequ.sheets.columns import ROSTER
from shequ.sheets.io import ROW, SheetReadError, read_sheet, write_sheet
from shequ.sheets.validate import (
    SheetError,
    map_headers,
    validate_results,
    validate_roster,
    validate_units,
)

EXIT_OK, EXIT_BAD_DATA, EXIT_BAD_POLICY = 0, 1, 2
MAX_SHOWN = 50

QUOTA_COL, BASIS_COL = "核定员额", "计算依据"
HEADCOUNT_COL, VACANT_COL, OVER_COL = "实有人数", "空缺", "超编"
GRADE_COL, ACTION_COL, NEW_GRADE_COL = "等级", "处理", "新等级"
NEGATIVE_COL = "负面清单"  # optional results column: the breached item, if any (A-PTS)
UNIT_NOT_IN_UNITS = "所属单位「{value}」不在单位表中"
RESULT_NOT_IN_ROSTER = "身份证号不在花名册中"
FILE_REFUSED = "{file}：发现 {n} 处错误，未生成输出文件。"
EXCELLENT_OVER_CAP = "提示：{year} 年优秀比例 {share:.1%} 超过政策上限 {cap:.0%}"


class _Refused(Exception):
    def __init__(self, file: str, errors: list[SheetError]):
        self.file = file
        self.errors = errors


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，收到「{s}」") from None


def _int(s: str) -> int:
    from shequ.cli import int_arg

    return int_arg(s)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("quota", help="按政策核定各单位员额（单位表）", description="按政策核定单位表中各单位的员额，写出带计算依据的结果表。")
    p.add_argument("--policy", required=True, help="预置政策编号（hunchun、dalian、baixiang、baohe、tongren）或政策文件路径")
    p.add_argument("--units", required=True, help="单位表 .xlsx 或 .csv")
    p.add_argument("--roster", help="花名册（可选；给出时统计实有人数、空缺、超编）")
    p.add_argument("--on", type=_date, default=dt.date.today(), help="按哪一天生效的规定计算（默认今天）")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx 或 .csv")
    p.set_defaults(func=cmd_quota)

    p = sub.add_parser("place", help="按政策定级并计算月薪酬（花名册）", description="按政策为花名册中的每个人定级并计算月薪酬，写出带计算依据的结果表。")
    p.add_argument("--policy", required=True, help="预置政策编号（hunchun、dalian、baixiang、baohe、tongren）或政策文件路径")
    p.add_argument("--roster", required=True, help="花名册 .xlsx 或 .csv")
    p.add_argument("--on", type=_date, default=dt.date.today(), help="按哪一天生效的规定计算（默认今天），格式 YYYY-MM-DD")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx 或 .csv")
    p.set_defaults(func=cmd_place)

    p = sub.add_parser("assess", help="按考核结果确定当年的处理（晋升、约谈、解聘）", description="按政策和考核结果确定某一年度每个人的处理，写出带计算依据的结果表。")
    p.add_argument("--policy", required=True, help="预置政策编号（hunchun、dalian、baixiang、baohe、tongren）或政策文件路径")
    p.add_argument("--roster", required=True, help="花名册 .xlsx 或 .csv")
    p.add_argument("--results", required=True, help="考核结果表（可含多个年度）")
    p.add_argument("--year", type=_int, required=True, help="处理哪一个考核年度，如 2024")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx 或 .csv")
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser("policy", help="检查或比较政策文件", description="检查政策文件，或比较两份政策。")
    psub = p.add_subparsers(dest="policy_command", metavar="子命令", required=True)
    c = psub.add_parser("check", help="校验政策文件并打印摘要", description="校验政策文件（语法、类型、来源、词表），打印摘要；有错时以非零状态退出。")
    c.add_argument("file", metavar="政策", help="政策文件路径或预置政策编号")
    c.add_argument("--on", type=_date, default=dt.date.today(), help="摘要按哪一天生效的规定（默认今天），格式 YYYY-MM-DD")
    c.add_argument("--cases", help="用例文件（policies/cases/*.toml 的格式）：逐条运行并报告")
    c.set_defaults(func=cmd_policy_check)
    d = psub.add_parser("diff", help="列出两份政策之间的变化", description="列出从政策甲到政策乙的每一处变化。")
    d.add_argument("a", metavar="甲", help="原来的政策（文件路径或预置政策编号）")
    d.add_argument("b", metavar="乙", help="新的政策（文件路径或预置政策编号）")
    d.set_defaults(func=cmd_policy_diff)


# ---- helpers ---------------------------------------------------------------------------------

def _run(fn: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return fn(args)
    except PolicyError as exc:
        print(f"政策错误：{exc}", file=sys.stderr)
        return EXIT_BAD_POLICY
    except SheetReadError as exc:
        print(f"文件错误：{exc}", file=sys.stderr)
        return EXIT_BAD_DATA
    except _Refused as exc:
        for e in exc.errors[:MAX_SHOWN]:
            print(f"{exc.file} {e}", file=sys.stderr)
        if len(exc.errors) > MAX_SHOWN:
            print(f"……另有 {len(exc.errors) - MAX_SHOWN} 处错误未列出", file=sys.stderr)
        print(FILE_REFUSED.format(file=exc.file, n=len(exc.errors)), file=sys.stderr)
        return EXIT_BAD_DATA


def _read(path: str) -> pl.DataFrame:
    try:
        return read_sheet(path)
    except FileNotFoundError:
        raise SheetReadError(f"找不到文件：{path}") from None
    except SheetReadError as exc:
        raise SheetReadError(f"{path}：{exc}") from None


def _check(file: str, errors: list[SheetError]) -> None:
    if errors:
        raise _Refused(file, errors)


def _attach(raw: pl.DataFrame, values: Mapping[str, list[Any] | pl.Series]) -> pl.DataFrame:
    """The input's own columns (as read) plus the new ones; a new column replaces an input
    column of the same header in place."""
    out = raw
    for name, v in values.items():
        s = v if isinstance(v, pl.Series) else pl.Series(name, v, strict=False)
        out = out.with_columns(s.alias(name))
    return out


def _roster(path: str, policy: Policy) -> tuple[pl.DataFrame, pl.DataFrame]:
    raw = _read(path)
    df, errors = validate_roster(raw, policy)
    _check(path, errors)
    return raw, df


# ---- commands --------------------------------------------------------------------------------

def cmd_quota(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        policy = load_policy(args.policy)
        raw = _read(args.units)
        units, errors = validate_units(raw, policy)
        _check(args.units, errors)
        counts: dict[str, int] = {}
        if args.roster:
            _, roster = _roster(args.roster, policy)
            names = set(units.get_column("unit").to_list())
            bad = [SheetError(r, "所属单位", UNIT_NOT_IN_UNITS.format(value=u))
                   for u, r in zip(roster.get_column("unit").to_list(), roster.get_column(ROW).to_list(), strict=True)
                   if u not in names]
            _check(args.roster, bad)
            for u in roster.get_column("unit").to_list():
                counts[u] = counts.get(u, 0) + 1
        units = units.with_columns(pl.Series("headcount", [counts.get(u, 0) for u in units.get_column("unit").to_list()], dtype=pl.Int64))
        out = quota_use(policy, units, args.on)
        values: dict[str, Any] = {QUOTA_COL: out.get_column("quota"), BASIS_COL: explain_rows(policy, "quota", units, args.on)}
        if args.roster:
            values |= {HEADCOUNT_COL: out.get_column("headcount"), VACANT_COL: out.get_column("vacant"), OVER_COL: out.get_column("over")}
        write_sheet(_attach(raw, values), args.output)
        total = out.get_column("quota").sum()
        print(f"单位 {out.height} 个，核定员额合计 {total}" + (f"，实有人数 {sum(counts.values())}" if args.roster else "") + f"；已写入 {args.output}")
        return EXIT_OK

    return _run(run, args)


def cmd_place(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        policy = load_policy(args.policy)
        raw, roster = _roster(args.roster, policy)
        paid = pay(policy, place(policy, roster, args.on), args.on)
        headers, _ = map_headers(raw, ROSTER)
        grade_header = next((h for h, k in headers.items() if k == "grade"), GRADE_COL)
        values: dict[str, Any] = {grade_header: paid.get_column("grade")}
        for name in policy.component_names():
            values[name] = paid.get_column(name)
        values[TOTAL] = paid.get_column(TOTAL)
        values[BASIS_COL] = explain_rows(policy, "pay", roster, args.on)
        write_sheet(_attach(raw, values), args.output)
        s = pay_summary(paid)
        print(f"人数 {s['headcount']}，月应发合计 {fmt(s['total'])} 元，人均 {fmt(s['average'])} 元；已写入 {args.output}")
        return EXIT_OK

    return _run(run, args)


def cmd_assess(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        policy = load_policy(args.policy)
        raw, roster = _roster(args.roster, policy)
        raw_results = _read(args.results)
        results, errors = validate_results(raw_results, policy)
        _check(args.results, errors)
        if NEGATIVE_COL in results.columns:
            results = results.rename({NEGATIVE_COL: "negative"})
        ids = set(roster.get_column("worker_id").to_list())
        bad = [SheetError(r, "身份证号", RESULT_NOT_IN_ROSTER)
               for w, r in zip(results.get_column("worker_id").to_list(), results.get_column(ROW).to_list(), strict=True)
               if w not in ids]
        _check(args.results, bad)
        on = dt.date(args.year, 12, 31)
        workers = place(policy, roster, on) if roster.get_column("grade").null_count() else roster
        out = assess(policy, workers, results, args.year)
        values = {ACTION_COL: out.get_column("处理"), NEW_GRADE_COL: out.get_column("new_grade")}
        write_sheet(_attach(raw, values), args.output)
        acted = out.filter(pl.col("处理") != "无").height
        print(f"人数 {out.height}，{args.year} 年有处理 {acted} 人；已写入 {args.output}")
        share, cap = excellent_share(policy, results, args.year)
        if cap is not None and share > cap:
            print(EXCELLENT_OVER_CAP.format(year=args.year, share=share, cap=cap), file=sys.stderr)
        return EXIT_OK

    return _run(run, args)


def cmd_policy_check(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        p = load_policy(args.file)
        print(f"政策：{p.name}（{p.id}）版本 {p.version}，指纹 {p.digest}")
        print(f"依据：{p.source}")
        if p.extends:
            print(f"继承：{p.extends}")
        print("岗位：" + "；".join(f"{n} {x.grade_min}–{x.grade_max} 级" for n, x in p.posts.items()))
        levels = p.params(args.on).ladder.levels
        if levels is not None:
            print(f"等级阶梯：共 {levels} 级")
        print("薪酬项目：" + "、".join(p.component_names()))
        if p.quota_section:
            print(f"员额公式（{p.quota_section.spec or ''}）：{p.quota_section.formula}")
        if p.placement_section:
            print(f"定级公式（{p.placement_section.spec or ''}）：{p.placement_section.formula}")
        entries = [e for es in p.params_entries.values() for e in es]
        entries += [e for sec in p.sections.values() for es in sec.values() for e in es]
        assumed = sum(1 for e in entries if e.assumed)
        print(f"取值 {len(entries)} 项：有出处 {len(entries) - assumed} 项，假定 {assumed} 项")
        p.params(args.on)  # every dated section must resolve on the date asked
        print(f"校验通过（按 {args.on.isoformat()} 生效的规定）")
        if args.cases:
            return _run_cases(p, args.cases)
        return EXIT_OK

    return _run(run, args)


def _run_cases(policy: Policy, path: str) -> int:
    from shequ.rules.cases import load_cases, run_case

    failed = 0
    cases = load_cases(path)
    for case in cases:
        try:
            run_case(case, policy)
            print(f"通过：{case.name}")
        except AssertionError as exc:
            failed += 1
            print(f"未通过：{exc}", file=sys.stderr)
    print(f"用例 {len(cases)} 条：通过 {len(cases) - failed} 条，未通过 {failed} 条")
    return EXIT_OK if failed == 0 else EXIT_BAD_DATA


def cmd_policy_diff(args: argparse.Namespace) -> int:
    def run(args: argparse.Namespace) -> int:
        a, b = load_policy(args.a), load_policy(args.b)
        changes = diff_policies(a, b)
        if not changes:
            print("两份政策内容相同。")
        else:
            print(f"从 {a.id} {a.version} 到 {b.id} {b.version}，共 {len(changes)} 处变化：")
            for c in changes:
                print(f"- {c}")
        return EXIT_OK

    return _run(run, args)
