"""A synthetic locality straight into the database: `shequ synth --db` and `synth_load`.

shequ.synth builds the frames (no Django); this module writes them in bulk (COPY on
PostgreSQL, batched INSERTs on SQLite) in one transaction, binds a policy preset at the
top, and records one audit row for the whole load (a load is one change; per-row audit
and events belong to real imports, which go through the staged roster import)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError
from django.utils import timezone

from shequ.accounts.models import User
from shequ.common.audit import audit_record
from shequ.common.audit_actions import AuditAction
from shequ.common.bulk import is_postgres
from shequ.common.provinces import connection, transaction
from shequ.org.bulk import BulkLoadError, units_bulk_load
from shequ.org.models import Unit, UnitFact
from shequ.policy.services import policy_bind, policy_version_from_preset
from shequ.synth import SynthSpec
from shequ.workers.bulk import workers_bulk_load
from shequ.workers.models import Worker

LOADER_USERNAME = "synth_loader"
ID_CLASH = "花名册中的身份证号与数据库中已有人员重复，请换一个种子或使用空数据库：{detail}"


@dataclass(frozen=True)
class LoadResult:
    units: int
    workers: int
    city: Unit
    seconds_build: float
    seconds_write: float


# step(description, total) starts a stage; advance(n) moves it on.
StageFn = Callable[[str, int], None]
AdvanceFn = Callable[[int], None]


def _loader_user() -> User:
    user, made = User.objects.get_or_create(
        username=LOADER_USERNAME,
        defaults={"is_superuser": True, "display_name": "合成数据载入"},
    )
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def population_load(
    *, spec: SynthSpec, preset: str | None = "baohe", since: date | None = None,
    stage: StageFn | None = None, advance: AdvanceFn | None = None,
) -> LoadResult:
    """Build `spec` and write it. All or nothing."""
    import time

    started = time.perf_counter()
    if stage:
        stage("生成单位和人员", 1)
    units, roster = spec.build()
    if advance:
        advance(1)
    built = time.perf_counter()
    since = since or spec.on
    now = timezone.now()
    try:
        with transaction.atomic():
            if stage:
                stage("写入单位和单位情况", units.height * 2)
            pks = units_bulk_load(units=units, since=since, now=now, progress=advance)
            if stage:
                stage("写入人员", roster.height)
            n = workers_bulk_load(roster=roster, unit_pks=pks, now=now, progress=advance)
            city = Unit.objects.get(pk=int(pks["pk"][0]))
            actor = _loader_user()
            if preset:
                version = policy_version_from_preset(preset=preset, actor=actor)
                policy_bind(unit=city, version=version, since=since, actor=actor)
            audit_record(
                actor=actor, action=AuditAction.SYNTH_LOAD, target=city, unit=city,
                after={"units": units.height, "workers": n, "seed": spec.seed, "preset": preset or ""},
                summary=f"载入合成数据：单位 {units.height} 个，人员 {n} 人（种子 {spec.seed}）",
            )
    except IntegrityError as exc:
        raise BulkLoadError(ID_CLASH.format(detail=str(exc).splitlines()[0])) from exc
    if is_postgres():
        # Fresh planner statistics and visibility map: without them PostgreSQL plans the
        # roster's subtree queries as if the tables were empty (seq scans, pages 10x
        # slower) and cannot count from indexes alone. VACUUM runs outside a transaction.
        if not connection.in_atomic_block:
            with connection.cursor() as cur:
                for model in (Unit, UnitFact, Worker):
                    cur.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return LoadResult(
        units=units.height, workers=n, city=city,
        seconds_build=built - started, seconds_write=time.perf_counter() - built,
    )
