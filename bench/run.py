"""`make bench` (python -m bench.run): the whole suite, one table, docs/benchmarks.md.

`--smoke` runs every item at a tiny size (CI; about a minute), skips wrk and never
touches docs/benchmarks.md. Each item runs in its own interpreter so that its peak
memory is its own (wait4's rusage) and one item's heap never slows the next. Databases
are created as bench_shequ_* on the local PostgreSQL and dropped afterwards; without
PostgreSQL the smoke falls back to SQLite files under var/.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench.common import ROOT, Row, fmt_bytes, machine, not_measured, pg_available, run_child

DOC = ROOT / "docs" / "benchmarks.md"
FINDINGS = ROOT / "bench" / "findings.md"
START, END = "<!-- bench.run: start (generated, do not edit) -->", "<!-- bench.run: end -->"
MEMORY_TARGET = 8 * 2**30
PAY_TIME_LIMIT = 32 * 60  # the 4M pay run: the whole suite must finish in a session


@dataclass(frozen=True)
class Sizes:
    engine: int
    quota: int
    small: int
    big: int
    big_communities: int
    imports: int
    wrk_seconds: int | None


FULL = Sizes(engine=1_000_000, quota=650_000, small=300_000, big=4_000_000, big_communities=650_000,
             imports=100_000, wrk_seconds=15)
SMOKE = Sizes(engine=20_000, quota=5_000, small=3_000, big=6_000, big_communities=1_000, imports=1_000,
              wrk_seconds=None)


class Suite:
    def __init__(self, sizes: Sizes, smoke: bool, only: set[str] | None) -> None:
        self.sizes, self.smoke, self.only = sizes, smoke, only
        self.rows: list[Row] = []
        self.pg = pg_available()
        self.failures: list[str] = []
        # (item, load average before, after, seconds, peak RSS): the machine is shared.
        self.conditions: list[tuple[str, float, float, float, int]] = []

    def wanted(self, item: str) -> bool:
        return self.only is None or item in self.only

    def child(self, label: str, module: str, args: list[str], timeout: float = 7200) -> tuple[list[Row], int]:
        print(f"… {label}", flush=True)
        load_before = os.getloadavg()[0]
        r = run_child(module, args, timeout=timeout)
        self.conditions.append((label, load_before, os.getloadavg()[0], r.seconds, r.peak_rss_bytes))
        if r.seconds >= timeout:
            self.failures.append(f"{label}: stopped after {timeout / 60:.0f} min")
            return [], r.peak_rss_bytes
        if r.returncode != 0 or not r.rows:
            self.failures.append(f"{label}: exit {r.returncode}\n{r.stderr_tail}")
            print(f"  ✗ {label} failed (exit {r.returncode})\n{r.stderr_tail[-1500:]}", flush=True)
            return [], r.peak_rss_bytes
        for row in r.rows:
            row.data.setdefault("peak_rss", r.peak_rss_bytes)
            row.data.setdefault("wall", r.seconds)
            row.data.setdefault("process_cpu", r.cpu_seconds)
            print(f"  {row.name} [{row.size}]: {row.figure}", flush=True)
        return r.rows, r.peak_rss_bytes

    # --- databases ---------------------------------------------------------------------------
    def db(self, name: str) -> str:
        from bench import common

        if self.pg:
            return common.db_create(name)
        path = ROOT / "var" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        import subprocess

        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                       env={**os.environ, "DATABASE_URL": url}, check=True)
        return url

    def drop(self, name: str) -> None:
        from bench import common

        if self.pg:
            common.db_drop(name)
        else:
            (ROOT / "var" / f"{name}.sqlite3").unlink(missing_ok=True)

    # --- items ---------------------------------------------------------------------------------
    def engine(self) -> None:
        rows, _ = self.child("engine placement + pay", "bench.engine_items",
                             ["--workers", str(self.sizes.engine), "--repeat", "1" if self.smoke else "3"])
        self.rows += rows

    def quota(self) -> None:
        rows, _ = self.child("quota (engine)", "bench.quota_bench",
                             ["--communities", str(self.sizes.quota), "--repeat", "1" if self.smoke else "3"])
        self.rows += rows

    def pay(self, workers: int) -> tuple[list[Row], int]:
        size = f"{workers:,} workers"
        name = "pay run end to end on PostgreSQL (read, evaluate, write lines)"
        if importlib.util.find_spec("bench.pay_bench") is None:
            reason = "bench/pay_bench.py (pay helper) not on main"
            return [not_measured(name, size, "≤ 2× COPY floor", reason)], 0
        if not self.pg:
            return [not_measured(name, size, "≤ 2× COPY floor", "no PostgreSQL")], 0
        limit = PAY_TIME_LIMIT
        rows, peak = self.child(f"pay run at {size}", "bench.pay_items",
                                # One round (floor + fresh run) at the big size: the session's
                                # clock is finite.
                                ["--workers", str(workers), "--repeat", "2" if workers <= 300_000 and not self.smoke else "1"],
                                timeout=limit)
        if not rows:
            from bench.common import db_drop

            db_drop(f"bench_shequ_pay_{workers}")  # the child may have been stopped mid-way
            reason = f"stopped after {limit / 60:.0f} min" if self.failures[-1:] and "stopped" in self.failures[-1] else "failed, see the log"
            rows = [not_measured(name, size, "≤ 2× COPY floor", reason)]
        return rows, peak

    def small_database(self) -> None:
        s = self.sizes
        name = "bench_shequ_smoke" if self.smoke else "bench_shequ_300k"
        url = self.db(name)
        try:
            rows, _ = self.child(f"load {s.small:,} workers", "bench.load_bench", ["--db", url, "--workers", str(s.small)])
            self.rows += rows
            if self.wanted("web"):
                label = f"{s.small:,} workers"
                if s.wrk_seconds is None:
                    pass  # the smoke never starts a server
                elif not self.pg:
                    self.rows.append(not_measured("roster page p95 (wrk)", label, "≤ 150 ms", "no PostgreSQL"))
                else:
                    rows, _ = self.child("roster page and dashboard under wrk", "bench.web_bench",
                                         ["--db", url, "--workers-label", label, "--seconds", str(s.wrk_seconds)])
                    self.rows += rows
        finally:
            self.drop(name)

    def imports(self) -> None:
        name = "bench_shequ_import"
        url = self.db(name)
        try:
            rows, _ = self.child(f"import {self.sizes.imports:,} rows", "bench.import_bench",
                                 ["--db", url, "--workers", str(self.sizes.imports)])
            self.rows += rows
        finally:
            self.drop(name)

    def big_database(self) -> None:
        s = self.sizes
        name = "bench_shequ_smoke_big" if self.smoke else "bench_shequ_4m"
        url = self.db(name)
        peaks: list[tuple[str, int]] = []
        try:
            rows, peak = self.child(f"load {s.big:,} workers", "bench.load_bench",
                                    ["--db", url, "--workers", str(s.big), "--communities", str(s.big_communities)])
            self.rows += rows
            peaks.append(("load", peak))
            if self.wanted("quota"):
                rows, peak = self.child("quota end to end from the database", "bench.quota_bench", ["--db", url])
                self.rows += rows
                peaks.append(("quota", peak))
        finally:
            self.drop(name)
        if self.wanted("pay") and not self.smoke:  # the smoke runs the pay item once, small
            # After the drop: the pay benchmark loads its own population of the same size.
            rows, peak = self.pay(s.big)
            self.rows += rows
            if peak:
                peaks.append(("pay run", peak))
        measured = [(k, p) for k, p in peaks if p]
        if measured:
            top = max(p for _, p in measured)
            self.rows.append(Row(
                name=f"peak memory of the {s.big:,}-worker run (largest process)", size=f"{s.big:,} workers",
                figure=f"{fmt_bytes(top)} (" + ", ".join(f"{k} {fmt_bytes(p)}" for k, p in measured) + ")",
                target="≤ 8 GiB", met=top <= MEMORY_TARGET, data={"peak_rss": top},
            ))

    def big_pay(self) -> None:
        """The pay run at the big size alone (`--only pay`), with its own peak memory row."""
        s = self.sizes
        rows, peak = self.pay(s.big)
        self.rows += rows
        if peak and any(r.met is not None for r in rows):
            self.rows.append(Row(
                name=f"peak memory of the {s.big:,}-worker pay run", size=f"{s.big:,} workers",
                figure=fmt_bytes(peak), target="≤ 8 GiB", met=peak <= MEMORY_TARGET, data={"peak_rss": peak},
            ))

    def run(self) -> None:
        if self.wanted("engine"):
            self.engine()
        if self.wanted("quota"):
            self.quota()
        if self.wanted("load") or self.wanted("web"):
            self.small_database()
        if self.wanted("pay"):
            self.rows += self.pay(self.sizes.small)[0]
        if self.only is not None and "pay" in self.only and "big" not in self.only and not self.smoke:
            self.big_pay()
        if self.wanted("import"):
            self.imports()
        if self.wanted("big"):
            self.big_database()


# --- output --------------------------------------------------------------------------------
RESULTS = ROOT / "var" / "bench-results.json"


def _key(row: Row) -> tuple[str, str]:
    return row.name, row.size.split(" (")[0]


def merge_rows(old: list[Row], new: list[Row]) -> list[Row]:
    """The old table with rows of the same benchmark and size replaced, in place."""
    fresh = {_key(r): r for r in new}
    merged = [fresh.pop(_key(r), r) for r in old]
    return merged + list(fresh.values())


def save_results(rows: list[Row], seconds: float, info: dict[str, Any], command: str) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"rows": [r.as_dict() for r in rows], "seconds": seconds, "machine": info,
                                   "command": command}, ensure_ascii=False, indent=1), encoding="utf-8")


def _met(row: Row) -> str:
    return "—" if row.met is None else ("yes" if row.met else "NO")


def table_markdown(rows: list[Row]) -> str:
    lines = ["| benchmark | size | figure | target | met? |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.name} | {r.size} | {r.figure} | {r.target or '—'} | {_met(r)} |")
    return "\n".join(lines)


def print_table(rows: list[Row]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title="Shequ benchmarks", show_lines=False)
    for col in ("benchmark", "size", "figure", "target", "met?"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r.name, r.size, r.figure, r.target or "—", _met(r))
    Console(width=200).print(t)


def conditions_markdown(conditions: list) -> str:
    lines = ["| item | 1-min load average before → after | wall | peak RSS |", "|---|---|---|---|"]
    for label, before, after, seconds, peak in conditions:
        lines.append(f"| {label} | {before:.1f} → {after:.1f} | {seconds:.0f} s | {fmt_bytes(peak)} |")
    return "\n".join(lines)


def write_doc(rows: list[Row], command: str, seconds: float, info: dict[str, Any]) -> None:
    findings = FINDINGS.read_text(encoding="utf-8") if FINDINGS.exists() else ""
    doc = f"""# Benchmarks

Generated by `{command}` (bench/run.py), started {info['date']}; the suite took
{seconds / 60:.1f} minutes. Regenerate with `make bench`; CI runs `make bench-smoke`
(tiny sizes, never writes this file).

## Machine
- CPU: {info['cpu']}, `nproc` = {info['nproc']}
- Linux {info['kernel']}, Python {info['python']}, Polars {info['polars']}, PostgreSQL {info['postgresql']}
- `free -g`:

```
{info['free -g']}
```

The machine is shared with other work (up to 7 other sessions running tests and browsers);
figures are wall-clock times under that load, not on an idle machine.

## Results

{table_markdown(rows)}

Conditions per item (each ran in its own process; a 1-minute load average above 2 means
the 2 cores were shared with other work while it ran):

{info.get('conditions', '')}

{findings}
"""
    # Keep what others wrote in the file (e.g. the engine's own section): only the part
    # between the markers is ours.
    block = f"{START}\n{doc.strip()}\n{END}\n"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if START in text and END in text:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        text = head + block + tail.lstrip("\n")
    else:
        others = "\n".join(line for line in text.splitlines() if not line.startswith("# "))
        text = block + ("\n" + others.strip() + "\n" if others.strip() else "")
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, no wrk, does not write docs/benchmarks.md")
    ap.add_argument("--only", help="comma-separated items: engine,quota,load,pay,web,import,big")
    ap.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    ap.add_argument("--update-doc", action="store_true",
                    help="with --only: replace those rows in the last full run's results and rewrite the doc")
    ap.add_argument("--doc-only", action="store_true", help="rewrite docs/benchmarks.md from the last results")
    a = ap.parse_args(argv)
    if a.doc_only:
        last = json.loads(RESULTS.read_text(encoding="utf-8"))
        write_doc([Row(**r) for r in last["rows"]], last["command"], last["seconds"], last["machine"])
        return 0
    sizes = SMOKE if a.smoke else FULL
    only = set(a.only.split(",")) if a.only else None
    started = time.perf_counter()
    info: dict[str, Any] = machine()
    suite = Suite(sizes, a.smoke, only)
    try:
        suite.run()
    finally:
        if suite.pg:
            from bench.common import db_cleanup

            db_cleanup()
    seconds = time.perf_counter() - started
    print_table(suite.rows)
    print(f"{seconds:.0f} s in all; {info['cpu']}, nproc {info['nproc']}")
    if not a.smoke and not a.no_doc and only is None:
        info = {**info, "conditions": conditions_markdown(suite.conditions),
                "condition_rows": [list(c) for c in suite.conditions]}
        save_results(suite.rows, seconds, info, "make bench")
        write_doc(suite.rows, "make bench", seconds, info)
        print(f"wrote {DOC.relative_to(ROOT)}")
    elif not a.smoke and a.update_doc and only is not None and RESULTS.exists():
        last = json.loads(RESULTS.read_text(encoding="utf-8"))
        # A re-measured item replaces its line in the conditions too.
        fresh = {c[0]: list(c) for c in suite.conditions}
        kept = [fresh.pop(c[0], c) for c in last["machine"].get("condition_rows", [])]
        last["machine"]["condition_rows"] = kept + list(fresh.values())
        last["machine"]["conditions"] = conditions_markdown(last["machine"]["condition_rows"])
        rows = merge_rows([Row(**r) for r in last["rows"]], suite.rows)
        command = last["command"] + f"; then python -m bench.run --only {a.only} --update-doc ({info['date']})"
        save_results(rows, last["seconds"] + seconds, last["machine"], command)
        write_doc(rows, command, last["seconds"] + seconds, last["machine"])
        print(f"updated {DOC.relative_to(ROOT)}")
    if suite.failures:
        print(f"{len(suite.failures)} item(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
