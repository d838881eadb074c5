"""The `shequ` command line. Subcommands on files (no database) for the engine, and a
registry so other modules add their own: each module in SUBCOMMAND_MODULES exposes
`register(subparsers)` and sets `func` on its parsers (a callable taking the parsed args
and returning an exit code)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
from collections.abc import Sequence

# Modules that add subcommands. A module not written yet is skipped; any other import
# error is a real bug and is raised.
SUBCOMMAND_MODULES = ["shequ.sheets.commands", "shequ.synth", "shequ.jobs.cli", "shequ.common.backup"]

EXIT_OK, EXIT_BAD_DATA, EXIT_BAD_POLICY, EXIT_INTERNAL = 0, 1, 2, 3
INTERNAL_ERROR = "内部错误：处理没有完成，未生成输出文件。请把命令和输入文件交给系统维护人员（设 SHEQU_DEBUG=1 可看到详细信息）。"

# argparse's own words (usage, section titles, -h, its error messages), in Chinese. argparse
# looks `_` and `ngettext` up in its module at call time, so the catalog applies to every
# parser built after install; Django's own commands are not built through here.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "取值无效：%(value)r",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多一个值",
    "ignored explicit argument %r": "多余的值 %r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "以下参数必须给出一个：%s",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开「%(filename)s」：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "不认识的子命令 %(parser_name)r（可选：%(choices)s）",
}
_NGETTEXT_ZH = {"expected %s argument": "需要 %s 个值"}


def _zh(message: str) -> str:
    return ARGPARSE_ZH.get(message, message)


def _nzh(singular: str, plural: str, n: int) -> str:
    return _NGETTEXT_ZH.get(singular, singular if n == 1 else plural)


def install_chinese_argparse() -> None:
    setattr(argparse, "_", _zh)  # noqa: B010 - argparse reads these module globals at call time
    setattr(argparse, "ngettext", _nzh)  # noqa: B010


def int_arg(s: str) -> int:
    try:
        return int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，收到「{s}」") from None


def build_parser() -> argparse.ArgumentParser:
    install_chinese_argparse()
    parser = argparse.ArgumentParser(prog="shequ", description="社区工作者职业体系管理系统（Shequ）命令行")
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True)
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    _chinese_metavars(parser)
    return parser


# Placeholders in the usage line, so help shows 「--on 日期」 rather than 「--on ON」.
METAVARS = {
    "policy": "政策", "units": "单位表", "roster": "花名册", "results": "考核结果表", "on": "日期",
    "output": "输出", "year": "年度", "cases": "用例文件", "workers": "人数", "communities": "社区数",
    "seed": "种子", "city": "市名", "preset": "政策", "format": "格式",
}


def _chinese_metavars(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:  # argparse has no public walk over a parser's actions
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _chinese_metavars(child)
        elif action.option_strings and action.nargs != 0 and action.metavar is None and action.dest in METAVARS:
            action.metavar = METAVARS[action.dest] if not action.choices else "{" + ",".join(map(str, action.choices)) + "}"


def parse_date_arg(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，收到「{s}」") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception:
        # Last line of defence: an analyst never sees a traceback. Tests assert this message
        # never appears, so a bug behind it still fails them; SHEQU_DEBUG=1 shows the trace.
        if os.environ.get("SHEQU_DEBUG"):
            raise
        print(INTERNAL_ERROR, file=sys.stderr)
        return EXIT_INTERNAL
    except BrokenPipeError:
        # Output piped into `head` and closed early: stop quietly, as other Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
