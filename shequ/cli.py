"""The `shequ` console script: one subcommand per job a user runs from a shell."""

from __future__ import annotations

import argparse
import sys

from shequ import synth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="shequ", description="社区工作者职业体系管理系统")
    sub = parser.add_subparsers(dest="command", required=True)
    synth.register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
