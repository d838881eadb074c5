"""The `shequ` command line. Subcommands on files (no database) for the engine, and a
registry so other modules add their own: each module in SUBCOMMAND_MODULES exposes
`register(subparsers)` and sets `func` on its parsers (a callable taking the parsed args
and returning an exit code)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Modules that add subcommands. A module not written yet is skipped; any other import
# error is a real bug and is raised.
SUBCOMMAND_MODULES = ["shequ.sheets.commands", "shequ.synth", "shequ.jobs.cli", "shequ.common.backup"]

EXIT_OK, EXIT_BAD_DATA, EXIT_BAD_POLICY = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # Output piped into `head` and closed early: stop quietly, as other Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
