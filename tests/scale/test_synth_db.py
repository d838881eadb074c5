"""`shequ synth --db`: a synthetic locality written in bulk (COPY on PostgreSQL) equals the
frames shequ.synth builds, with a consistent materialised-path tree (ORG-1..3)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from shequ.cli import main
from shequ.common.models import AuditEntry
from shequ.org.bulk import ROOT_EXISTS, BulkLoadError, unit_tree_frame
from shequ.org.models import Unit, UnitFact
from shequ.policy.models import PolicyBinding
from shequ.synth import SynthSpec
from shequ.web.population import ID_CLASH, population_load
from shequ.workers.models import Worker

pytestmark = pytest.mark.django_db

SPEC = SynthSpec(workers=1500, communities=60, seed=11, city="合成市")


def test_the_loaded_units_facts_and_workers_equal_the_synth_frames() -> None:
    units, roster = SPEC.build()
    result = population_load(spec=SPEC, preset="baohe")
    assert (result.units, result.workers) == (units.height, roster.height)

    db_units = pl.DataFrame(
        list(Unit.objects.values_list("code", "name", "unit_type")),
        schema=["unit_id", "unit", "unit_type"], orient="row",
    ).sort("unit_id")
    assert db_units.equals(units.select("unit_id", "unit", "unit_type").sort("unit_id"))

    db_workers = pl.DataFrame(
        list(Worker.objects.values_list(
            "id_number", "name", "sex", "birth_date", "unit__code", "category", "post", "education",
            "community_work_start", "certificate", "status",
        )),
        schema=["id_number", "name", "sex", "birth_date", "unit_id", "category", "post", "education",
                "community_work_start", "certificate", "status"],
        orient="row",
    ).sort("id_number")
    expected = roster.select(
        "id_number", "name", "sex", "birth_date", "unit_id", "category", "post", "education",
        "community_work_start", "certificate", pl.lit("active").alias("status"),
    ).sort("id_number")
    assert db_workers.equals(expected)

    facts = dict(UnitFact.objects.values_list("unit__code", "households"))
    assert facts == dict(units.select("unit_id", "households").iter_rows())
    assert UnitFact.objects.filter(since=SPEC.on).count() == units.height


def test_every_path_is_its_parents_path_plus_its_own_id_so_a_subtree_is_a_prefix_scan() -> None:
    units, roster = SPEC.build()
    population_load(spec=SPEC, preset=None)
    for unit in Unit.objects.select_related("parent"):
        parent_path = unit.parent.path if unit.parent else ""
        assert unit.path == f"{parent_path}{unit.pk:010d}/"
        assert unit.depth == len(unit.ancestor_ids()) - 1
    street = Unit.objects.filter(unit_type__in=["街道", "乡镇"]).order_by("path")[1]
    in_street = Worker.objects.filter(unit__path__startswith=street.path).count()
    assert in_street == roster.filter(pl.col("unit_id").str.starts_with(street.code + "-")).height
    assert in_street > 0


def test_the_tree_frame_numbers_units_from_the_first_id_given() -> None:
    units = SynthSpec(workers=10, communities=3, seed=1).build()[0]
    tree = unit_tree_frame(units, first_id=500)
    assert tree["pk"].to_list() == list(range(500, 500 + units.height))
    root = tree.filter(pl.col("parent_pk").is_null())
    assert root["path"].to_list() == ["0000000500/"]


def test_the_preset_is_bound_at_the_top_and_one_audit_row_records_the_load() -> None:
    result = population_load(spec=SPEC, preset="baohe")
    binding = PolicyBinding.objects.get()
    assert binding.unit == result.city
    entry = AuditEntry.objects.get(action="synth.load")
    assert entry.after["workers"] == 1500


def test_a_second_load_with_the_same_city_is_refused_and_changes_nothing() -> None:
    population_load(spec=SPEC, preset=None)
    before = (Unit.objects.count(), Worker.objects.count())
    with pytest.raises(BulkLoadError) as err:
        population_load(spec=SPEC, preset=None)
    assert str(err.value) == ROOT_EXISTS.format(name="合成市")
    assert (Unit.objects.count(), Worker.objects.count()) == before


def test_a_load_whose_id_numbers_clash_rolls_back_its_units_too() -> None:
    population_load(spec=SPEC, preset=None)
    before = (Unit.objects.count(), UnitFact.objects.count(), Worker.objects.count())
    clash = SynthSpec(workers=1500, communities=60, seed=11, city="另一市")
    with pytest.raises(BulkLoadError) as err:
        population_load(spec=clash, preset=None)
    assert str(err.value).startswith(ID_CLASH.split("{")[0])
    assert (Unit.objects.count(), UnitFact.objects.count(), Worker.objects.count()) == before


def test_the_command_line_writes_to_the_database(capsys) -> None:
    code = main(["synth", "--workers", "200", "--communities", "10", "--seed", "4", "--city", "命令市",
                 "--db", "--preset", ""])
    assert code == 0
    assert Worker.objects.count() == 200
    assert Unit.objects.filter(parent__isnull=True).get().name == "命令市"
    assert "人员 200 人" in capsys.readouterr().out


def test_the_command_line_asks_for_an_output_or_the_database(capsys) -> None:
    from shequ.synth import OUTPUT_MISSING

    assert main(["synth", "--workers", "10"]) == 2
    assert OUTPUT_MISSING in capsys.readouterr().err


def test_grids_load_under_their_communities() -> None:
    spec = SynthSpec(workers=300, communities=8, seed=2, city="网格市", grids=True, on=date(2026, 1, 1))
    population_load(spec=spec, preset=None)
    grid = Unit.objects.filter(unit_type="网格").select_related("parent").first()
    assert grid is not None and grid.parent.unit_type in ("城市社区", "村改社区", "行政村", "乡镇社区")
