"""What masking ID numbers costs an export: `uv run --frozen python -m bench.pii_bench [rows]`.

Writes the same sheet with the 身份证号 column passed through as given and through
pii.shown_id (the default of every export), and prints both times."""

from __future__ import annotations

import os
import sys
import time


def main(n: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    django.setup()
    from shequ.common.excel import xlsx_bytes

    headers = ["姓名", "身份证号", "单位", "岗位"]
    rows = [["张三", f"1305241990{i:08d}", "迎宾社区", "助理"] for i in range(n)]
    for ids in ("as_given", "shown"):
        start = time.perf_counter()
        xlsx_bytes(sheet="x", headers=headers, rows=rows, ids=ids)
        print(f"{n} rows, ids={ids}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
