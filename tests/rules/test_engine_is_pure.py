"""The engine never imports Django (STYLE 8): import it with Django made unimportable."""

import subprocess
import sys
import textwrap


def test_the_engine_imports_and_runs_with_django_blocked():
    code = textwrap.dedent(
        """
        import sys
        sys.modules["django"] = None  # any `import django...` now raises ImportError
        sys.modules["ninja"] = None
        import datetime as dt
        import polars as pl
        import shequ.rules
        import shequ.sheets
        from shequ.rules import load_policy, place, pay
        p = load_policy("baohe")
        w = pl.DataFrame({"worker_id": [1], "post": ["主办"], "education": ["本科"],
                          "certificate": ["无"], "community_work_start": [dt.date(2018, 1, 1)]})
        out = pay(p, place(p, w, dt.date(2024, 6, 1)), dt.date(2024, 6, 1))
        assert out["grade"][0] == 7
        assert not any(m == "django" or m.startswith("django.") for m in sys.modules if sys.modules[m] is not None)
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
