"""`shequ pay-run` and `shequ task`: a month's pay computed as a job from the command line,
ending with the job's outcome in Chinese."""

from __future__ import annotations

from typing import Any

from shequ.cli import main
from shequ.jobs.models import Job, JobStatus
from shequ.pay.models import PayLine, PayRun


def test_pay_run_on_the_command_line_computes_the_month_and_reports_completion(
    world: Any, bind: Any, capsys: Any
) -> None:
    bind(world.city, "baohe")
    code = main(["pay-run", "--unit", str(world.street_a.pk), "--month", "2026-03", "--user", "street_a_hr"])
    out = capsys.readouterr().out
    run = PayRun.objects.get(unit=world.street_a)
    assert code == 0 and "已完成" in out and f"/pay/runs/{run.pk}/" in out
    assert PayLine.objects.filter(run=run).count() == 1
    job = Job.objects.get(key=f"pay.compute:{run.pk}")
    assert main(["task", str(job.pk)]) == 0 and "已完成" in capsys.readouterr().out


def test_pay_run_for_a_unit_outside_the_users_subtree_is_refused_in_chinese(
    world: Any, bind: Any, capsys: Any
) -> None:
    """ORG-1 on the command line too."""
    bind(world.city, "baohe")
    code = main(["pay-run", "--unit", world.street_a.name, "--month", "2026-03", "--user", "street_b_hr"])
    assert code == 1 and "无权访问该单位的数据" in capsys.readouterr().out
    assert not Job.objects.exists()


def test_watching_a_failed_job_prints_its_error_and_exits_nonzero(world: Any, capsys: Any) -> None:
    job = Job.objects.create(kind="pay.compute", key="k", unit=world.street_a, label="核算测试",
                             status=JobStatus.FAILED, error="后台进程中断，未写入任何结果")
    assert main(["task", str(job.pk)]) == 1
    assert "后台进程中断" in capsys.readouterr().out
    assert main(["task", "999999"]) == 1 and "没有编号为 999999 的后台任务" in capsys.readouterr().out
