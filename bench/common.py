"""Shared pieces of the benchmark suite: result rows, child processes with their peak
memory, throwaway PostgreSQL databases, the machine description."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


@dataclass
class Row:
    """One line of the table. `met` is None when there is no target or no figure."""

    name: str
    size: str
    figure: str
    target: str = ""
    met: bool | None = None
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def not_measured(name: str, size: str, target: str, reason: str) -> Row:
    return Row(name=name, size=size, figure=f"not measured: {reason}", target=target, met=None)


def write_rows(path: str | None, rows: list[Row]) -> None:
    text = json.dumps([r.as_dict() for r in rows], ensure_ascii=False)
    if path:
        Path(path).write_text(text, encoding="utf-8")
    else:
        print(text)


@dataclass
class ChildResult:
    rows: list[Row]
    seconds: float
    peak_rss_bytes: int
    cpu_seconds: float
    returncode: int
    stderr_tail: str


def run_child(module: str, args: list[str], *, env: dict[str, str] | None = None, timeout: float = 3600) -> ChildResult:
    """Run `python -m module args --out FILE` in a fresh interpreter; its rows and its peak
    resident memory (from wait4's rusage, this child only)."""
    out = ROOT / "var" / f"bench-{module.rsplit('.', 1)[-1]}-{os.getpid()}-{time.monotonic_ns()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", module, *args, "--out", str(out)]
    started = time.perf_counter()
    err_path = out.with_suffix(".err")
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=err, stderr=err)
        deadline = started + timeout
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    tail = err_path.read_text(encoding="utf-8", errors="replace")[-3000:]
    rows: list[Row] = []
    if out.exists():
        rows = [Row(**r) for r in json.loads(out.read_text(encoding="utf-8"))]
        out.unlink()
    err_path.unlink(missing_ok=True)
    # ru_maxrss is in KiB on Linux.
    peak = int(usage.ru_maxrss) * 1024 if usage is not None else 0
    cpu = float(usage.ru_utime + usage.ru_stime) if usage is not None else 0.0
    return ChildResult(rows=rows, seconds=seconds, peak_rss_bytes=peak, cpu_seconds=cpu,
                       returncode=proc.returncode, stderr_tail=tail)


def peak_rss_self() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --- PostgreSQL ---------------------------------------------------------------------------
def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def db_url(name: str) -> str:
    return f"{PG_SERVER}/{name}"


TEMPLATE = "bench_shequ_template"
_template_ready = False


def _template() -> None:
    """Migrate once per run; every benchmark database is a copy of this one (instant)."""
    global _template_ready
    if _template_ready:
        return
    _admin(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{TEMPLATE}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": db_url(TEMPLATE)}, check=True,
    )
    _template_ready = True


def db_create(name: str) -> str:
    """A fresh, migrated database `name` (dropped first if left over)."""
    assert name.startswith("bench_shequ"), name  # never touch anyone else's database
    _template()
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    return db_url(name)


def db_cleanup() -> None:
    global _template_ready
    _admin(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
    _template_ready = False


def db_drop(name: str) -> None:
    assert name.startswith("bench_shequ"), name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database(name: str, keep: bool = False) -> Iterator[str]:
    url = db_create(name)
    try:
        yield url
    finally:
        if not keep:
            db_drop(name)


def django_setup(url: str | None = None) -> None:
    if url:
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()


# --- the machine --------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    pg = ""
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            pg = row[0] if row else "unavailable"
    except Exception:
        pg = "unavailable"
    import polars

    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": nproc,
        "free -g": free,
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "polars": polars.__version__,
        "postgresql": pg,
    }


def fmt_bytes(n: int) -> str:
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def timed(fn: Any, *args: Any, repeat: int = 1, **kw: Any) -> tuple[float, Any]:
    """Best wall time of `repeat` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(*args, **kw)
        best = min(best, time.perf_counter() - t)
    return best, result
