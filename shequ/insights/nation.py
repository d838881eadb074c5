"""National figures (issue 19.2, ADR 0008).

A province publishes its S-* counts per unit into UnitFigures (`figures_publish`); the
national database links every province's one-row view through postgres_fdw
(`nation_link`) and the ministry's page reads the union. No person's record leaves a
province: the foreign tables are the summed view and nothing else."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import polars as pl
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Count
from django.utils import timezone

from shequ.common import provinces
from shequ.common.provinces import transaction
from shequ.org.models import COMMUNITY_TYPES, Unit
from shequ.org.selectors import units_frame
from shequ.policy.resolve import governing_frame
from shequ.policy.selectors import policy_for
from shequ.rules.policy import EMPLOYER_BENEFITS, TOTAL

from . import nation_sql
from .figures import _people_aggs, age_expr, half_up, pay_frame
from .models import UnitFigures

logger = logging.getLogger(__name__)

NOT_NATIONAL = "全国统计只能用民政部（全国）账号查看"
NOT_LINKED = "尚未连接各省数据库（在全国库上运行 manage.py nation_link）"
PROVINCE_UNREACHABLE = "{province}的统计暂时读不到（该省数据库没有应答），其余省份照常显示"
NEEDS_POSTGRES = "全国统计需要 PostgreSQL（postgres_fdw）"


@transaction.atomic
def unit_figures_publish(*, on: date) -> int:
    """Replace the current province's published counts for `on`: one row per unit that
    has workers, from the same roster, policy and pay evaluation as the dashboard."""
    from shequ.growth.training.models import Attendance
    from shequ.workers.selectors import roster_on

    UnitFigures.objects.filter(on_day=on).delete()
    rows: list[UnitFigures] = []
    for root in Unit.objects.filter(parent__isnull=True).order_by("path"):
        units = units_frame(root=root, on=on)
        keyed, governing = governing_frame(units=units, on=on, path_column="path")
        units = units.join(keyed, on="unit_id", how="left")
        roster = roster_on(scope=root, on=on).join(units.select("unit_id", "policy_label"), on="unit_id", how="left")
        if roster.is_empty():
            continue
        roster = roster.with_columns(age_expr(on))
        stats = policy_for(unit=root, on=on)[0].params(on).statistics
        paid, _components, _errors = pay_frame(roster, governing, on)
        roster = roster.join(paid.select("worker_id", TOTAL, EMPLOYER_BENEFITS), on="worker_id", how="left").with_columns(
            pl.col(TOTAL).fill_null(0.0), pl.col(EMPLOYER_BENEFITS).fill_null(0.0))
        per_unit = roster.group_by("unit_id").agg(_people_aggs([], stats))
        facts = units.select("unit_id", "unit", "path", "unit_type", "urban_population")
        trained = dict(
            Attendance.objects.filter(attended_on__gte=date(on.year, 1, 1), attended_on__lte=on, unit__path__startswith=root.path)
            .order_by().values("unit_id").annotate(n=Count("id"))
            .values_list("unit_id", "n")
        )
        for r in per_unit.join(facts, on="unit_id", how="left").iter_rows(named=True):
            urban = int(r["urban_population"] or 0) if r["unit_type"] in COMMUNITY_TYPES else 0
            rows.append(UnitFigures(
                on_day=on, unit_code=str(r["path"]), unit_name=str(r["unit"])[:100], headcount=int(r["headcount"]),
                age_sum=int(r["age_sum"] or 0), under35=int(r["under35"]), bachelor_plus=int(r["bachelor_plus"]),
                college_plus=int(r["college_plus"]), certified=int(r["certified"]), trained=int(trained.get(r["unit_id"], 0)),
                pay_total=Decimal(str(round(float(r["pay_total"] or 0), 2))), urban_population=urban,
            ))
    UnitFigures.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _province_db(alias: str) -> dict[str, str]:
    cfg = settings.DATABASES[alias]
    return {"host": str(cfg.get("HOST") or "127.0.0.1"), "port": str(cfg.get("PORT") or "5432"),
            "dbname": str(cfg["NAME"]), "user": unquote(str(cfg.get("USER") or "postgres")),
            "password": str(cfg.get("PASSWORD") or "")}


def nation_link(*, databases: dict[str, dict[str, str]] | None = None) -> list[str]:
    """(Re)create the national database's foreign tables, one per province, and their union.
    `databases` (alias → host/port/dbname/user/password) defaults to SHEQU_PROVINCES."""
    conn = connections[provinces.NATIONAL]
    if conn.vendor != "postgresql":
        raise RuntimeError(NEEDS_POSTGRES)
    targets = databases if databases is not None else {a: _province_db(a) for a in provinces.provinces()}
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw")
        for alias, db in targets.items():
            for sql, params in nation_sql.link_statements(alias, **db):
                cur.execute(sql, params)
        cur.execute(nation_sql.nation_view(list(targets)))
    return list(targets)


@dataclass(frozen=True)
class ProvinceLine:
    province: str
    name: str
    on_day: date | None
    units: int
    headcount: int
    per_10k: float | None
    age_mean: float | None
    under35_share: float
    bachelor_plus_share: float
    college_plus_share: float
    certified_share: float
    trained: int
    pay_average: float
    pay_total: float


def _share(part: float, whole: float) -> float:
    return half_up(part * 100 / whole, 2) if whole else 0.0


def _line(province: str, name: str, r: dict[str, Any]) -> ProvinceLine:
    n = int(r.get("headcount") or 0)
    urban = int(r.get("urban_population") or 0)
    pay = float(r.get("pay_total") or 0)
    return ProvinceLine(
        province=province, name=name, on_day=r.get("on_day"), units=int(r.get("units") or 0), headcount=n,
        per_10k=half_up(n * 10000 / urban, 1) if urban else None,
        age_mean=half_up(float(r.get("age_sum") or 0) / n, 1) if n else None,
        under35_share=_share(float(r.get("under35") or 0), n),
        bachelor_plus_share=_share(float(r.get("bachelor_plus") or 0), n),
        college_plus_share=_share(float(r.get("college_plus") or 0), n),
        certified_share=_share(float(r.get("certified") or 0), n), trained=int(r.get("trained") or 0),
        pay_average=half_up(pay / n, 2) if n else 0.0, pay_total=round(pay, 2),
    )


@dataclass(frozen=True)
class NationFigures:
    total: ProvinceLine
    provinces: list[ProvinceLine]
    errors: list[str]


def nation_figures() -> NationFigures:
    """The nation and each province, from the foreign tables in one query (the scans run
    concurrently); when a province does not answer, the others are read one by one and the
    silent one is named."""
    conn = connections[provinces.NATIONAL]
    cols = ["province", "on_day", "units", *nation_sql.SUMMED]
    by_province: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    if conn.vendor != "postgresql":
        raise RuntimeError(NEEDS_POSTGRES)
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [nation_sql.NATION_VIEW])
        if cur.fetchone()[0] is None:
            raise RuntimeError(NOT_LINKED)
        try:
            with transaction.atomic(using=provinces.NATIONAL):
                cur.execute(f"SELECT {', '.join(cols)} FROM {nation_sql.NATION_VIEW}")
                for row in cur.fetchall():
                    by_province[row[0]] = dict(zip(cols, row, strict=True))
        except DatabaseError:
            for alias in _linked(cur):
                try:
                    with transaction.atomic(using=provinces.NATIONAL):
                        cur.execute(f"SELECT '{alias}', {', '.join(cols[1:])} FROM "
                                    f"{nation_sql.schema_for(alias)}.{nation_sql.PROVINCE_VIEW}")
                        for row in cur.fetchall():
                            by_province[alias] = dict(zip(cols, row, strict=True))
                except DatabaseError:
                    logger.warning("province %s did not answer the national figures", alias, exc_info=True)
                    errors.append(PROVINCE_UNREACHABLE.format(province=provinces.province_name(alias)))
    lines = sorted((_line(a, provinces.province_name(a), r) for a, r in by_province.items()), key=lambda x: -x.headcount)
    summed = {c: sum((r.get(c) or 0) for r in by_province.values()) for c in ("units", *nation_sql.SUMMED)}
    days = [r["on_day"] for r in by_province.values() if r.get("on_day")]
    summed["on_day"] = max(days) if days else None
    return NationFigures(total=_line(provinces.NATIONAL, "全国", summed), provinces=lines, errors=errors)


def _linked(cur: Any) -> list[str]:
    cur.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'nation\\_%%' ORDER BY 1")
    return [name.removeprefix("nation_") for (name,) in cur.fetchall()]


def today() -> date:
    return timezone.localdate()
