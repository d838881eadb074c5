"""`shequ synth --db` into a fresh database: time to build and write (COPY)."""

from __future__ import annotations

import argparse

from bench.common import Row, django_setup, write_rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--workers", type=int, required=True)
    ap.add_argument("--communities", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out")
    a = ap.parse_args()
    django_setup(a.db)
    from shequ.synth import SynthSpec
    from shequ.web.population import population_load

    r = population_load(spec=SynthSpec(workers=a.workers, communities=a.communities, seed=a.seed))
    write_rows(a.out, [Row(
        name="synthetic population into the database (shequ synth --db)",
        size=f"{r.workers:,} workers, {r.units:,} units",
        figure=f"{r.seconds_build + r.seconds_write:.1f} s (build {r.seconds_build:.1f} s, write {r.seconds_write:.1f} s)",
        data={"seconds": r.seconds_build + r.seconds_write, "write": r.seconds_write},
    )])


if __name__ == "__main__":
    main()
