"""The national dashboard over province databases (issue 19.2, ADR 0008).

    uv run python -m bench.nation_bench                 # 31 provinces, 4,000,000 workers
    uv run python -m bench.nation_bench --provinces 3 --workers 30000   # a quick look

Creates h_nation_b_nation and one h_nation_b_<province> database per province on the local
PostgreSQL. Each province gets its published per-unit sums (UnitFigures: the aggregate
table, synthesised in SQL, about 6.15 workers a community as nationally) and the view the
nation reads; the national database gets the full schema, a ministry user and the
postgres_fdw links (`nation_link`). Then a fresh process times the ministry page's first
request (cold: every foreign server connected anew) and a second one. Databases are
dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlparse

from bench.common import PG_SERVER, ROOT

PREFIX = "h_nation_b_"
WORKERS_PER_COMMUNITY = 4_000_000 / 650_000

# The table and view exactly as migration insights.0001 makes them on PostgreSQL.
TABLE = """
CREATE TABLE insights_unitfigures (
  id bigserial PRIMARY KEY, on_day date NOT NULL, unit_code varchar(64) NOT NULL, unit_name varchar(100) NOT NULL,
  headcount integer NOT NULL CHECK (headcount >= 0), age_sum bigint NOT NULL, under35 integer NOT NULL,
  bachelor_plus integer NOT NULL, college_plus integer NOT NULL, certified integer NOT NULL, trained integer NOT NULL,
  pay_total numeric(16, 2) NOT NULL, urban_population bigint NOT NULL, published_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT unit_figures_one_per_day UNIQUE (on_day, unit_code)
);
CREATE INDEX unit_figures_on_day ON insights_unitfigures (on_day);
"""

# Per unit: headcount spreads the province's workers exactly; the rest is plausible noise.
SYNTH = """
INSERT INTO insights_unitfigures (on_day, unit_code, unit_name, headcount, age_sum, under35, bachelor_plus,
  college_plus, certified, trained, pay_total, urban_population)
SELECT %(on)s::date, 'u' || g, '社区' || g, h, h * (30 + (random() * 14)::int),
  floor(h * random() * 0.6), floor(h * 0.3 * random()), floor(h * (0.5 + 0.4 * random())),
  floor(h * random() * 0.5), floor(h * random() * 3), round((h * (3500 + random() * 2500))::numeric, 2),
  6000 + (random() * 9000)::int
FROM (SELECT g, %(per)s + CASE WHEN g <= %(extra)s THEN 1 ELSE 0 END AS h
      FROM generate_series(1, %(units)s) g) s
"""


def server(dbname: str = "postgres") -> str:
    return urlparse(PG_SERVER)._replace(path=f"/{dbname}").geturl()


def split(total: int, n: int) -> list[int]:
    """Provinces of unequal size (1 to 3 parts), summing exactly to `total`."""
    weights = [1 + (i * 7) % 3 for i in range(n)]
    sizes = [total * w // sum(weights) for w in weights]
    sizes[0] += total - sum(sizes)
    return sizes


def build(aliases: list[str], workers: int) -> dict[str, Any]:
    import psycopg

    from shequ.insights.nation_sql import CREATE_PROVINCE_VIEW

    admin = psycopg.connect(server(), autocommit=True)
    names = [f"{PREFIX}nation", *(f"{PREFIX}{a}" for a in aliases)]
    for name in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    units_total = 0
    for alias, size in zip(aliases, split(workers, len(aliases)), strict=True):
        units = max(1, round(size / WORKERS_PER_COMMUNITY))
        units_total += units
        with psycopg.connect(server(f"{PREFIX}{alias}"), autocommit=True) as conn:
            conn.execute(TABLE)
            conn.execute(CREATE_PROVINCE_VIEW)
            conn.execute(SYNTH, {"on": "2026-06-30", "per": size // units, "extra": size % units, "units": units})
            conn.execute("ANALYZE insights_unitfigures")
    admin.close()
    return {"units": units_total, "synth_seconds": round(time.perf_counter() - started, 1)}


def env_for(aliases: list[str]) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = server(f"{PREFIX}nation")
    env["SHEQU_PROVINCES"] = ",".join(f"{a}={server(PREFIX + a)}" for a in aliases)
    env.pop("SHEQU_PROVINCE", None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def measure() -> dict[str, Any]:
    """In a fresh process: the ministry page's first request, then a second."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    django.setup()
    from django.test import Client

    from shequ.accounts.models import User
    from shequ.common import provinces

    client = Client()
    with provinces.use(provinces.NATIONAL):
        client.force_login(User.objects.get(username="minister"))
    times = []
    for _ in range(2):
        t = time.perf_counter()
        response = client.get("/insights/nation/")
        times.append(round(time.perf_counter() - t, 3))
        if response.status_code != 200 or "全国" not in response.content.decode():
            raise SystemExit(f"ministry page answered {response.status_code}")
    from shequ.insights.nation import nation_figures

    fig = nation_figures()
    return {"first_request_s": times[0], "second_request_s": times[1], "provinces_shown": len(fig.provinces),
            "national_headcount": fig.total.headcount, "unreachable": len(fig.errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--provinces", type=int, default=31)
    parser.add_argument("--workers", type=int, default=4_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return
    from shequ.common.provinces import PROVINCE_NAMES

    aliases = list(PROVINCE_NAMES)[: args.provinces]
    built = build(aliases, args.workers)
    env = env_for(aliases)
    t = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v", "0")
    migrate_s = round(time.perf_counter() - t, 1)
    # The ministry's own account lives in the national database, on a unit of its own.
    manage(env, "shell", "-c", (
        "from shequ.org.models import Unit, unit_path_segment; from shequ.accounts.models import User;"
        "u = Unit.objects.create(name='民政部', unit_type='市', path='tmp', depth=0); u.path = unit_path_segment(u.pk); u.save();"
        "User.objects.create_user(username='minister', password='Shequ-bench-2026', role='bureau_admin', unit=u)"
    ))
    t = time.perf_counter()
    manage(env, "nation_link")
    link_s = round(time.perf_counter() - t, 1)
    out = subprocess.run([sys.executable, "-m", "bench.nation_bench", "--measure"], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    result = {"provinces": len(aliases), "workers": args.workers, **built, "national_migrate_s": migrate_s,
              "nation_link_s": link_s, **json.loads(out.strip().splitlines()[-1])}
    print(json.dumps(result, ensure_ascii=False))
    if not args.keep:
        import psycopg

        with psycopg.connect(server(), autocommit=True) as admin:
            for name in [f"{PREFIX}nation", *(f"{PREFIX}{a}" for a in aliases)]:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
