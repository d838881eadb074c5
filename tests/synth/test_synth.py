"""The synthetic locality generator (issue 2 item 9, issue 7 item 1; ORG-1..4, Q-HC facts).

Pure: no Django. Run with `uv run pytest tests/synth -p no:django`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import date

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from shequ import synth
from shequ.errors import Invalid
from shequ.synth import synth_grids, synth_roster, synth_units, write_sheets

UNIT_COLUMNS = [
    "unit",
    "parent",
    "unit_type",
    "unit_class",
    "households",
    "population",
    "urban_population",
    "unit_id",
    "parent_id",
    "level",
]
ROSTER_COLUMNS = [
    "name",
    "id_number",
    "sex",
    "birth_date",
    "unit",
    "category",
    "post",
    "education",
    "community_work_start",
    "certificate",
    "grade",
    "unit_id",
]
ON = date(2026, 1, 1)


@pytest.fixture(scope="module")
def demo() -> tuple[pl.DataFrame, pl.DataFrame]:
    units = synth_units(150, 7)
    return units, synth_roster(units, 2000, 7)


@pytest.fixture(scope="module")
def large() -> tuple[pl.DataFrame, pl.DataFrame]:
    units = synth_units(3000, 11)
    return units, synth_roster(units, 20000, 11)


# --- an independent GB 11643 check ---------------------------------------------------------
def gb11643_ok(number: str) -> bool:
    weights = [2 ** (17 - i) % 11 for i in range(17)]  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, ...
    if len(number) != 18 or not number[:17].isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True)) % 11
    return number[17] == "10X98765432"[remainder]


def birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year: count from 1 March
        return date(born.year + years, 3, 1)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_the_independent_checker_accepts_a_known_number_and_rejects_a_wrong_digit() -> None:
    # The example number of the standard's annex.
    assert gb11643_ok("11010519491231002X")
    assert not gb11643_ok("110105194912310021")


# --- shape and determinism -----------------------------------------------------------------
def test_frames_have_exactly_the_format_columns(demo) -> None:
    units, roster = demo
    assert units.columns == UNIT_COLUMNS
    assert roster.columns == ROSTER_COLUMNS
    assert roster["birth_date"].dtype == pl.Date
    assert roster["community_work_start"].dtype == pl.Date
    assert roster["grade"].null_count() == roster.height


def test_the_same_seed_gives_identical_frames() -> None:
    a_units, b_units = synth_units(200, 5), synth_units(200, 5)
    assert a_units.equals(b_units)
    assert synth_roster(a_units, 3000, 5).equals(synth_roster(b_units, 3000, 5))
    assert synth_grids(a_units, 5).equals(synth_grids(b_units, 5))


def test_another_seed_gives_another_locality() -> None:
    units = synth_units(200, 5)
    assert not units.equals(synth_units(200, 6))
    assert not synth_roster(units, 500, 5).equals(synth_roster(units, 500, 6))


@pytest.mark.parametrize(
    ("communities", "workers"), [(1, 0), (1, 1), (7, 3), (150, 2000), (1001, 6007), (4000, 1000)]
)
def test_sizes_are_exact(communities: int, workers: int) -> None:
    units = synth_units(communities, 3)
    roster = synth_roster(units, workers, 3)
    assert units.filter(pl.col("unit_type").is_in(synth.COMMUNITY_TYPES)).height == communities
    assert roster.height == workers


# --- the unit tree (ORG-1, ORG-2, ORG-3) ---------------------------------------------------
def test_the_tree_is_city_districts_streets_offices_and_communities(demo) -> None:
    units, _ = demo
    by_id = dict(zip(units["unit_id"], units.iter_rows(named=True), strict=True))
    assert units.filter(pl.col("parent_id").is_null())["unit_type"].to_list() == ["市"]
    assert units.filter(pl.col("unit_type") == "区县").height >= 3
    allowed_parent = {
        "区县": {"市"},
        "街道": {"区县"},
        "乡镇": {"区县"},
        "街道机关": {"街道", "乡镇"},
        "城市社区": {"街道", "乡镇"},
        "村改社区": {"街道", "乡镇"},
        "行政村": {"街道", "乡镇"},
        "乡镇社区": {"街道", "乡镇"},
    }
    for row in units.filter(pl.col("parent_id").is_not_null()).iter_rows(named=True):
        parent = by_id[row["parent_id"]]
        assert row["parent"] == parent["unit"]
        assert parent["unit_type"] in allowed_parent[row["unit_type"]]
        assert row["level"] == parent["level"] + 1
    streets = units.filter(pl.col("unit_type").is_in(["街道", "乡镇"]))
    offices = units.filter(pl.col("unit_type") == "街道机关")
    assert sorted(offices["parent_id"]) == sorted(streets["unit_id"])
    per_street = (
        units.filter(pl.col("unit_type").is_in(synth.COMMUNITY_TYPES)).group_by("parent_id").len()
    )
    assert per_street["len"].min() >= 6 and per_street["len"].max() <= 17
    assert set(units["unit_type"].drop_nulls()) >= {"城市社区", "村改社区", "行政村"}


@pytest.mark.parametrize("seed", [0, 1, 2026])
def test_the_first_street_is_a_jiedao_and_every_jiedao_has_a_city_community(seed: int) -> None:
    """The demo personas take the first district's first street and its 城市社区."""
    units = synth_units(150, seed)
    first = units.filter(pl.col("level") == 2).row(0, named=True)
    assert first["unit_type"] == "街道" and first["parent_id"] == "C01-D01"
    jiedao = units.filter(pl.col("unit_type") == "街道")["unit_id"]
    with_city = units.filter(pl.col("unit_type") == "城市社区")["parent_id"].unique()
    assert set(jiedao) <= set(with_city)
    assert units.filter(pl.col("parent_id") == "C01-D01")["unit_type"].len() >= 2


@pytest.mark.parametrize("communities", [150, 40_000])
def test_unit_names_are_unique_within_their_parent(communities: int) -> None:
    units = synth_units(communities, 9)
    assert units["unit_id"].n_unique() == units.height
    assert units.select("parent_id", "unit").n_unique() == units.height
    # Names look Chinese: no ASCII except numbers added past the pool of names.
    assert units["unit"].str.contains(r"^[\u4e00-\u9fff]+[0-9]*[\u4e00-\u9fff]+$").all()


def test_demo_community_names_are_unique_in_the_whole_city(demo) -> None:
    units, _ = demo
    assert units["unit"].n_unique() == units.height


def test_community_facts_are_plausible(large) -> None:
    """Households mostly 800-6,000 with some above 3,000 (so Q-HC adds posts)."""
    units, _ = large
    comm = units.filter(pl.col("unit_type").is_in(synth.COMMUNITY_TYPES))
    hh = comm["households"]
    assert ((hh >= 800) & (hh <= 6000)).mean() > 0.75
    assert (hh > 3500).mean() > 0.15
    ratio = comm["population"] / comm["households"]
    assert ratio.min() >= 2.29 and ratio.max() <= 3.21
    assert (units["urban_population"] <= units["population"]).all()
    share = comm.group_by("unit_type").agg(
        (pl.col("urban_population").sum() / pl.col("population").sum()).alias("urban")
    )
    urban = dict(share.iter_rows())
    assert urban["行政村"] < 0.3 < urban["村改社区"] < urban["城市社区"]
    assert set(comm["unit_class"]) == set(synth.CLASSES)


def test_street_and_district_facts_add_up(demo) -> None:
    units, _ = demo
    for level in (0, 1, 2):
        parents = units.filter(pl.col("level") == level)
        children = (
            units.filter(pl.col("level") == level + 1)
            .group_by("parent_id")
            .agg(pl.col("households").sum())
        )
        joined = parents.join(children, left_on="unit_id", right_on="parent_id")
        assert joined.height == parents.height
        assert (joined["households"] == joined["households_right"]).all()


# --- the roster ----------------------------------------------------------------------------
def test_every_id_number_is_a_valid_gb11643_number_agreeing_with_birth_and_sex(large) -> None:
    _, roster = large
    for number, sex, born in roster.select("id_number", "sex", "birth_date").iter_rows():
        assert gb11643_ok(number), number
        assert number[6:14] == born.strftime("%Y%m%d")
        assert sex == ("男" if int(number[16]) % 2 else "女")
        assert number[:2] != "00" and number[14:17] != "000"


def test_id_numbers_are_unique_even_when_many_share_a_birthday() -> None:
    # 200,000 workers in 3 districts: hundreds share each (area, birth date).
    units = synth_units(30, 2)
    roster = synth_roster(units, 200_000, 2)
    assert roster["id_number"].n_unique() == roster.height
    assert roster["id_number"].str.len_chars().eq(18).all()


def test_ages_sex_and_mixes_match_the_targets(large) -> None:
    _, roster = large
    n = roster.height
    ages = [age_on(b, ON) for b in roster["birth_date"]]
    assert min(ages) >= 22 and max(ages) <= 59
    assert 37 <= sum(ages) / n <= 39
    assert roster["sex"].eq("女").mean() == pytest.approx(0.65, abs=0.015)

    def shares(col: str) -> dict[str, float]:
        return {k: v / n for k, v in roster[col].value_counts().iter_rows()}

    cat = shares("category")
    for name, target in zip(synth.CATEGORIES, synth.CATEGORY_SHARES, strict=True):
        assert cat[name] == pytest.approx(target, abs=0.015)
    edu = shares("education")
    assert edu["大专"] == pytest.approx(0.35, abs=0.01)
    assert edu["本科"] == pytest.approx(0.44, abs=0.01)
    assert edu["高中"] + edu["中专"] == pytest.approx(0.15, abs=0.01)
    assert edu["硕士研究生"] == pytest.approx(0.03, abs=0.005)
    cert = shares("certificate")
    for name, target in zip(synth.CERTIFICATES, synth.CERTIFICATE_SHARES, strict=True):
        assert cert[name] == pytest.approx(target, abs=0.005)
    post = shares("post")
    for name, target in synth.DEFAULT_POSTS:
        assert post[name] == pytest.approx(target, abs=0.005)


def test_two_committee_members_get_senior_posts_preferentially(large) -> None:
    _, roster = large
    senior = roster.with_columns(senior=pl.col("post").is_in(["主管", "副主管"]))
    by_cat = dict(senior.group_by("category").agg(pl.col("senior").mean()).iter_rows())
    assert by_cat["两委成员"] > 2 * by_cat["专职社区工作者"] > 0
    assert by_cat["两委成员"] > 2 * by_cat["劳务派遣"]


def test_street_office_staff_are_never_two_committee_members(large) -> None:
    units, roster = large
    offices = units.filter(pl.col("unit_type") == "街道机关")["unit_id"]
    in_offices = roster.filter(pl.col("unit_id").is_in(offices.implode()))
    assert 0.05 < in_offices.height / roster.height < 0.2
    assert not in_offices["category"].eq("两委成员").any()


def test_community_work_starts_after_the_18th_birthday_and_not_after_the_date(large) -> None:
    _, roster = large
    for born, start in roster.select("birth_date", "community_work_start").iter_rows():
        assert birthday(born, 18) <= start <= ON


def test_workers_follow_households_and_every_community_is_staffed(large) -> None:
    units, roster = large
    heads = roster.group_by("unit_id").len()
    comm = units.filter(pl.col("unit_type").is_in(synth.COMMUNITY_TYPES)).join(
        heads, on="unit_id", how="left"
    )
    assert comm["len"].null_count() == 0 and comm["len"].min() >= 1
    q = comm["households"].quantile(0.25), comm["households"].quantile(0.75)
    small = comm.filter(pl.col("households") <= q[0])["len"].mean()
    big = comm.filter(pl.col("households") >= q[1])["len"].mean()
    assert big > 2 * small
    assert set(roster["unit"]) <= set(units["unit"])


def test_posts_can_be_given_with_their_weights(demo) -> None:
    units, _ = demo
    roster = synth_roster(units, 1000, 1, posts=[("社区书记", 0.1), ("社区干事", 0.9)])
    assert dict(roster["post"].value_counts().iter_rows()) == {"社区书记": 100, "社区干事": 900}


def test_bad_sizes_are_refused_with_a_chinese_message() -> None:
    with pytest.raises(Invalid) as err:
        synth_units(0, 1)
    assert str(err.value) == synth.COMMUNITIES_TOO_FEW.format(n=0)
    with pytest.raises(Invalid) as err:
        synth_roster(synth_units(3, 1), -1, 1)
    assert str(err.value) == synth.WORKERS_NEGATIVE.format(n=-1)
    with pytest.raises(Invalid) as err:
        synth_roster(synth_units(3, 1), 5, 1, posts=[])
    assert str(err.value) == synth.POSTS_EMPTY


# --- grids (ORG-4) -------------------------------------------------------------------------
def test_grids_split_each_community_into_300_to_500_households(demo) -> None:
    units, _ = demo
    grids = synth_grids(units, 7)
    assert grids.columns == UNIT_COLUMNS
    assert grids.select("parent_id", "unit").n_unique() == grids.height
    comm = units.filter(pl.col("unit_type").is_in(synth.COMMUNITY_TYPES))
    sums = grids.group_by("parent_id").agg(pl.col("households", "population").sum())
    joined = comm.join(sums, left_on="unit_id", right_on="parent_id")
    assert joined.height == comm.height
    assert (joined["households"] == joined["households_right"]).all()
    assert (joined["population"] == joined["population_right"]).all()
    # Every community of 600+ households can be split within the band, and is.
    big = grids.join(
        comm.select("unit_id", hh="households"), left_on="parent_id", right_on="unit_id"
    )
    inside = big.filter(pl.col("hh") >= 600)["households"]
    assert inside.min() >= 300 and inside.max() <= 500
    assert (grids["urban_population"] <= grids["population"]).all()


# --- files and the command -----------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_sheets_are_written_with_chinese_headers_and_read_back(demo, tmp_path, fmt) -> None:
    units, roster = demo
    small = roster.head(300)
    paths = write_sheets(units, small, tmp_path, fmt=fmt)
    assert [p.name for p in paths] == [f"单位表.{fmt}", f"花名册.{fmt}"]
    if fmt == "csv":
        back_units = pl.read_csv(paths[0])
        back = pl.read_csv(paths[1], schema_overrides={"身份证号": pl.String})
    else:
        back_units, back = read_xlsx(paths[0]), read_xlsx(paths[1])
    assert back_units.columns[:7] == [
        "单位名称",
        "上级单位",
        "单位类型",
        "单位类别",
        "户数",
        "常住人口",
        "城镇常住人口",
    ]
    assert back_units.height == units.height
    assert back.columns[:11] == [
        "姓名",
        "身份证号",
        "性别",
        "出生日期",
        "所属单位",
        "人员类别",
        "岗位",
        "学历",
        "参加社区工作时间",
        "职业资格",
        "等级",
    ]
    assert back["身份证号"].to_list() == small["id_number"].to_list()
    born = back["出生日期"]
    born = born.str.to_date() if born.dtype == pl.String else born.cast(pl.Date)
    assert born.to_list() == small["birth_date"].to_list()


def read_xlsx(path) -> pl.DataFrame:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return pl.DataFrame(rows[1:], schema=[str(c) for c in rows[0]], orient="row")


def test_an_unknown_format_is_refused(demo, tmp_path) -> None:
    units, roster = demo
    with pytest.raises(Invalid) as err:
        write_sheets(units, roster, tmp_path, fmt="ods")
    assert str(err.value) == synth.FORMAT_UNKNOWN.format(fmt="ods")


def test_the_synth_subcommand_writes_the_two_sheets(tmp_path, capsys) -> None:
    parser = argparse.ArgumentParser(prog="shequ")
    synth.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "synth",
            "--workers",
            "600",
            "--seed",
            "4",
            "-o",
            str(tmp_path),
            "--format",
            "csv",
            "--grids",
        ]
    )
    assert args.communities is None
    assert args.func(args) == 0
    units = pl.read_csv(tmp_path / "单位表.csv")
    roster = pl.read_csv(tmp_path / "花名册.csv")
    assert roster.height == 600
    assert units.filter(pl.col("单位类型").is_in(list(synth.COMMUNITY_TYPES))).height == 100
    assert units.filter(pl.col("单位类型") == "网格").height > 100
    assert "人员 600 人" in capsys.readouterr().out


def test_the_same_seed_gives_the_same_files_in_another_process(tmp_path) -> None:
    """Nothing depends on process state such as hash randomisation."""
    code = (
        "import sys; from shequ.synth import SynthSpec, write_sheets; "
        "u, r = SynthSpec(workers=900, communities=120, seed=3, grids=True).build(); "
        "write_sheets(u, r, sys.argv[1], fmt='csv')"
    )
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    for name in ("a", "b"):
        subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], check=True, env=env)
    for sheet in ("单位表.csv", "花名册.csv"):
        first = (tmp_path / "a" / sheet).read_bytes()
        assert first == (tmp_path / "b" / sheet).read_bytes()
        assert len(first) > 10_000


def test_ages_and_starts_are_counted_to_the_date_asked() -> None:
    on = date(2020, 6, 30)
    roster = synth_roster(synth_units(40, 8), 3000, 8, on=on)
    for born, start in roster.select("birth_date", "community_work_start").iter_rows():
        assert 22 <= age_on(born, on) <= 59
        assert birthday(born, 18) <= start <= on
