"""Load the demo locality: a generated city (about 150 communities, 2,000 workers) with
the baohe policy bound at the top and one login per persona."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand
from django.utils import timezone

from shequ.accounts.models import Role, User
from shequ.common.provinces import transaction
from shequ.org.models import STREET_TYPES, Unit
from shequ.org.services import KeyedUnit, units_load
from shequ.policy.selectors import policy_for
from shequ.policy.services import policy_bind, policy_version_from_preset
from shequ.quota.services import quota_approve, quota_propose_recomputed
from shequ.synth import synth_roster, synth_units
from shequ.web.demo_history import demo_history_load
from shequ.workers.placement import placed_grades
from shequ.workers.services import WorkerData, workers_bulk_create

DEMO_PASSWORD = "shequ2026"
# Early enough that the demo's history (three annual assessments) has a roster to judge.
SINCE = date(2022, 1, 1)


class Command(BaseCommand):
    help = "载入示范城市（生成的单位、人员和示范账号）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--communities", type=int, default=150)
        parser.add_argument("--workers", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--preset", default="baohe")
        parser.add_argument("--if-empty", action="store_true", help="已有数据时不重复载入")
        parser.add_argument("--no-history", dest="history", action="store_false",
                            help="只载入单位、人员和账号，不生成往年考核、薪酬、培训等历史")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["if_empty"] and Unit.objects.exists():
            self.stdout.write("数据库中已有数据，跳过载入。")
        else:
            self._load(opts)
        self._print_logins()

    @transaction.atomic
    def _load(self, opts: dict[str, Any]) -> None:
        system = User.objects.create_superuser(username="admin", password=DEMO_PASSWORD, display_name="系统管理员")
        units = synth_units(communities=opts["communities"], seed=opts["seed"])
        made = units_load(
            units=[
                KeyedUnit(key=str(r["unit_id"]), parent_key=str(r["parent_id"] or ""), name=r["unit"],
                          unit_type=r["unit_type"], unit_class=r["unit_class"] or "",
                          households=int(r["households"] or 0), population=int(r["population"] or 0),
                          urban_population=int(r["urban_population"] or 0))
                for r in units.iter_rows(named=True)
            ],
            since=SINCE, actor=system,
        )
        city = next(u for u in made.values() if u.parent_id is None)
        version = policy_version_from_preset(preset=opts["preset"], actor=system)
        policy_bind(unit=city, version=version, since=SINCE, actor=system)

        roster = synth_roster(units, workers=opts["workers"], seed=opts["seed"], on=SINCE)
        policy, _ = policy_for(unit=city, on=SINCE)
        roster = roster.with_columns(grade=pl.Series(placed_grades(policy=policy, records=roster.to_dicts(), on=SINCE)))
        rows = [
            WorkerData(
                name=r["name"], id_number=r["id_number"], unit=made[str(r["unit_id"])], category=r["category"],
                post=r["post"], education=r["education"], community_work_start=r["community_work_start"],
                certificate=r["certificate"], grade=r["grade"], sex=r["sex"], birth_date=r["birth_date"],
            )
            for r in roster.iter_rows(named=True)
        ]
        workers_bulk_create(rows=rows, effective=SINCE, actor=system, cause="示范数据初始化")
        self._personas(city)
        # Q-REV: the bureau approves every unit's quota as the policy computes it.
        admin = User.objects.get(username="city_admin")
        proposed = quota_propose_recomputed(root=city, since=SINCE, actor=admin)
        quota_approve(decisions=proposed.created, actor=admin, note="示范数据：首次核定")
        if opts["history"]:
            past = demo_history_load(
                city=city, admin=admin, finance=User.objects.get(username="finance"),
                street_hr=User.objects.get(username="street_a_hr"), today=timezone.localdate(), seed=opts["seed"],
            )
            self.stdout.write(
                f"历史数据：{past.campaigns} 次年度考核、{past.pay_runs} 个月薪酬、{past.attendances} 人次培训、"
                f"{past.certificates} 张证书、{past.reserves} 名后备人选、{past.applications} 名应聘人员。"
            )
        self.stdout.write(self.style.SUCCESS(f"已载入 {len(made)} 个单位、{len(rows)} 名社区工作者。"))

    def _personas(self, city: Unit) -> None:
        district = Unit.objects.filter(parent=city).order_by("path")[0]
        streets = list(Unit.objects.filter(unit_type__in=STREET_TYPES).order_by("path")[:2])
        community = Unit.objects.filter(parent=streets[0], unit_type="城市社区").order_by("path")[0]
        for username, role, unit, name in [
            ("city_admin", Role.BUREAU_ADMIN, city, "市民政局管理员"),
            ("district_admin", Role.BUREAU_ADMIN, district, f"{district.name}民政局"),
            ("street_a_hr", Role.STREET_HR, streets[0], f"{streets[0].name}人事"),
            ("street_b_hr", Role.STREET_HR, streets[1], f"{streets[1].name}人事"),
            ("secretary", Role.SECRETARY, community, f"{community.name}书记"),
            ("finance", Role.FINANCE, city, "市财政"),
        ]:
            User.objects.create_user(username=username, password=DEMO_PASSWORD, role=role, unit=unit, display_name=name)

    def _print_logins(self) -> None:
        self.stdout.write(f"\n社区 · 示范系统  http://127.0.0.1:8000/\n示范账号（密码均为 {DEMO_PASSWORD}）：")
        for u in User.objects.filter(username__in=[
            "city_admin", "district_admin", "street_a_hr", "street_b_hr", "secretary", "finance", "admin"
        ]).select_related("unit").order_by("id"):
            scope = u.unit.name if u.unit else "全部（超级管理员，可进入 /admin/）"
            self.stdout.write(f"  {u.username:<15} {u.get_role_display() if not u.is_superuser else '超级管理员':<10} {scope}")
