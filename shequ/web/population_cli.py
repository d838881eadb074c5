"""`shequ synth --db` and `manage.py synth_load`: the loader with a rich progress bar."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from shequ.errors import ShequError


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()


@contextmanager
def progress_bar(console: Console) -> Iterator[tuple[Callable[[str, int], None], Callable[[int], None]]]:
    """(stage, advance) callables driving one bar per stage."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=False, disable=not console.is_terminal,
    ) as bar:
        current: list[TaskID] = []

        def stage(description: str, total: int) -> None:
            if current:
                bar.update(current[-1], completed=bar.tasks[current[-1]].total)
            current.append(bar.add_task(description, total=total))

        def advance(n: int) -> None:
            if current:
                bar.advance(current[-1], n)

        yield stage, advance
        if current:
            bar.update(current[-1], completed=bar.tasks[current[-1]].total)


def load(
    *, workers: int, communities: int | None, seed: int, city: str, on: date, grids: bool,
    preset: str | None, console: Console,
) -> int:
    from shequ.synth import SynthSpec
    from shequ.web.population import population_load

    spec = SynthSpec(workers=workers, communities=communities, seed=seed, city=city, on=on, grids=grids)
    try:
        with progress_bar(console) as (stage, advance):
            result = population_load(spec=spec, preset=preset, stage=stage, advance=advance)
    except ShequError as err:
        console.print(f"[red]错误：{err}[/red]")
        return 2
    console.print(
        f"已写入单位 {result.units} 个、人员 {result.workers} 人（{result.city.name}）；"
        f"生成 {result.seconds_build:.1f} 秒，写入 {result.seconds_write:.1f} 秒"
    )
    return 0


def run_db(args: argparse.Namespace) -> int:
    _django()
    return load(
        workers=args.workers, communities=args.communities, seed=args.seed, city=args.city,
        on=args.on, grids=args.grids, preset=args.preset or None, console=Console(stderr=False),
    )


