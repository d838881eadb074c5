"""Writer-only measurement of the whole-city roster export: N roster-shaped rows (14
columns) through shequ.common.excel as xlsx (the list path) and as CSV, with time and peak
memory. No database: the rows are generated, so this isolates the writing.

    uv run --frozen python -m bench.export_writer_bench [N]
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import time
from collections.abc import Iterator
from typing import Any


def _rows(n: int) -> Iterator[list[Any]]:
    d = dt.date(1990, 5, 17)
    for i in range(n):
        yield [f"人员{i}", f"13052419900517{i % 10000:04d}", "女", d, "迎宾社区", "槐阳街道", "专职社区工作者",
               "助理", "本科", d, "无", 5, "在职", d]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from shequ.common.excel import csv_stream, xlsx_bytes

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    headers = [f"列{i}" for i in range(14)]
    t = time.perf_counter()
    size = sum(len(b) for b in csv_stream(headers, _rows(n)))
    print(f"csv  {n} 行：{time.perf_counter() - t:.1f} s，{size / 1e6:.1f} MB，峰值内存 {_peak_mib():.0f} MiB")
    t = time.perf_counter()
    content = xlsx_bytes(sheet="花名册", headers=headers, rows=_rows(n), title_lines=["花名册", "范围：全市"],
                         header_first=True)
    print(f"xlsx {n} 行：{time.perf_counter() - t:.1f} s，{len(content) / 1e6:.1f} MB，峰值内存 {_peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
