"""`shequ task ID` (watch a background job) and `shequ pay-run` (compute a month's pay as a
job): both draw a progress bar from the job's stage and done / total."""

from __future__ import annotations

import argparse
import os
import threading
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from shequ.errors import ShequError

POLL_SECONDS = 0.5


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()


def watch(job_id: int, console: Console, *, timeout: float | None = None) -> int:
    """Poll the job until it ends; exit code 0 when it succeeded."""
    from shequ.jobs.models import Job, JobStatus
    from shequ.jobs.services import job_reap_stale

    started = time.monotonic()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, disable=not console.is_terminal,
    ) as bar:
        shown = bar.add_task("排队中", total=None)
        while True:
            job_reap_stale()
            job = Job.objects.get(pk=job_id)
            bar.update(shown, description=f"{job.label} · {job.stage or job.get_status_display()}",
                       total=job.total or None, completed=job.done)
            if not job.is_active:
                break
            if timeout is not None and time.monotonic() - started > timeout:
                console.print(f"等待超过 {timeout:.0f} 秒，任务 {job_id} 仍在{job.get_status_display()}")
                return 3
            time.sleep(POLL_SECONDS)
    if job.status == JobStatus.SUCCEEDED:
        console.print(f"已完成：{job.label}（{job.done} / {job.total}）{job.result_url}")
        return 0
    console.print(f"[red]失败：{job.label}：{job.error}[/red]")
    return 1


def run_task(args: argparse.Namespace) -> int:
    _django()
    from shequ.jobs.models import Job

    console = Console()
    if not Job.objects.filter(pk=args.id).exists():
        console.print(f"[red]没有编号为 {args.id} 的后台任务[/red]")
        return 1
    return watch(args.id, console)


def run_pay(args: argparse.Namespace) -> int:
    _django()
    from django.db import connections
    from django.test.utils import override_settings

    from shequ.accounts.models import User
    from shequ.jobs.services import job_execute
    from shequ.org.models import Unit
    from shequ.pay.selectors import month_of
    from shequ.pay.services import payrun_create, payrun_submit_compute

    console = Console()
    user = User.objects.filter(username=args.user, is_active=True).select_related("unit").first()
    if user is None:
        console.print(f"[red]没有启用的用户“{args.user}”[/red]")
        return 1
    unit = Unit.objects.filter(pk=args.unit).first() if args.unit.isdigit() else Unit.objects.filter(name=args.unit).first()
    if unit is None:
        console.print(f"[red]没有单位“{args.unit}”（填单位编号或名称）[/red]")
        return 1
    try:
        run, _ = payrun_create(unit=unit, month=month_of(args.month), actor=user)
        if args.here:
            # Queue without delivering, then run it in a thread while this one draws.
            with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
                job = payrun_submit_compute(run=run, actor=user)

            def work() -> None:
                try:
                    job_execute(job_id=job.pk)
                finally:
                    connections.close_all()

            thread: Any = threading.Thread(target=work, daemon=True)
            thread.start()
        else:
            job = payrun_submit_compute(run=run, actor=user)
    except ShequError as exc:
        console.print(f"[red]{exc}[/red]")
        return 1
    console.print(f"后台任务 {job.pk}：{job.label}")
    return watch(job.pk, console)


def register(sub: Any) -> None:
    task = sub.add_parser("task", help="查看后台任务的进度（直到结束）")
    task.add_argument("id", type=int, help="任务编号（页面或接口 /api/v1/tasks/{id} 中的编号）")
    task.set_defaults(func=run_task)
    pay = sub.add_parser("pay-run", help="核算某范围某月的薪酬（后台任务，显示进度）")
    pay.add_argument("--unit", required=True, help="核算范围：单位编号或名称")
    pay.add_argument("--month", required=True, help="月份，如 2026-03")
    pay.add_argument("--user", required=True, help="以哪个用户的身份核算（其数据范围须包含该单位）")
    pay.add_argument("--here", action="store_true", help="在本进程中计算，不交给后台进程")
    pay.set_defaults(func=run_pay)
