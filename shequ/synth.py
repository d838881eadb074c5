"""Deterministic synthetic localities: a unit tree with facts and a roster of workers.

Used for the demo locality (~150 communities, ~2,000 workers) and for benchmarks up to
4,000,000 workers and 650,000 communities. Pure numpy + Polars, no Django, no per-worker
Python loops: every attribute is drawn as a whole column. Same seed, same frames.

Column names are the English aliases of FORMATS.md (单位表, 花名册) plus linking columns
(unit_id, parent_id, level); `write_sheets` writes the Chinese headers.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from shequ.errors import Invalid, ShequError

# --- error messages (asserted by text in tests) -------------------------------------------
COMMUNITIES_TOO_FEW = "社区数必须至少为 1，收到 {n}"
WORKERS_NEGATIVE = "人数不能为负数，收到 {n}"
SEED_NEGATIVE = "随机种子必须是非负整数，收到 {n}"
POSTS_EMPTY = "岗位列表不能为空，且每个权重必须大于 0"
FORMAT_UNKNOWN = "未知的输出格式：{fmt}（可选 csv、xlsx）"
XLSX_TOO_MANY_ROWS = "{sheet}有 {n} 行，超过 xlsx 的上限 1048575 行，请改用 --format csv"
NO_STAFFED_UNITS = "单位表中没有可配备人员的单位（社区、村或街道机关）"
OUTPUT_MISSING = "请用 -o 指定输出目录，或用 --db 写入数据库"
ID_SEQUENCE_EXHAUSTED = "同一地区、同一出生日期、同一性别的人数超过身份证顺序码容量（{n} 人）"

# --- vocabularies ------------------------------------------------------------------------
COMMUNITY_TYPES = ("城市社区", "村改社区", "行政村", "乡镇社区")
STAFFED_TYPES = (*COMMUNITY_TYPES, "街道机关")
CLASSES = ("一类", "二类", "三类")
CATEGORIES = ("两委成员", "专职社区工作者", "劳务派遣")
EDUCATIONS = ("初中及以下", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生")
CERTIFICATES = ("无", "助理社会工作师", "社会工作师", "高级社会工作师")
DEFAULT_POSTS: list[tuple[str, float]] = [
    ("主管", 0.12),
    ("副主管", 0.15),
    ("主办", 0.23),
    ("助理", 0.50),
]

# Shares of the whole roster (issue 7 and the seeds' reported mixes).
CATEGORY_SHARES = (0.30, 0.55, 0.15)
EDUCATION_SHARES = (0.03, 0.07, 0.08, 0.35, 0.437, 0.03, 0.003)
CERTIFICATE_SHARES = (0.55, 0.30, 0.13, 0.02)
FEMALE_SHARE = 0.65
# Street offices are staffed too; this is their weight relative to their street's
# households, so that roughly a tenth of the workers sit in offices.
OFFICE_WEIGHT = 0.12
# Age a worker could first start community work, by education (never below 18).
GRADUATION_AGE = (18, 18, 18, 21, 22, 25, 28)

UNIT_HEADERS = {
    "unit": "单位名称",
    "parent": "上级单位",
    "unit_type": "单位类型",
    "unit_class": "单位类别",
    "households": "户数",
    "population": "常住人口",
    "urban_population": "城镇常住人口",
    "unit_id": "单位编码",
    "parent_id": "上级单位编码",
}
ROSTER_HEADERS = {
    "name": "姓名",
    "id_number": "身份证号",
    "sex": "性别",
    "birth_date": "出生日期",
    "unit": "所属单位",
    "category": "人员类别",
    "post": "岗位",
    "education": "学历",
    "community_work_start": "参加社区工作时间",
    "certificate": "职业资格",
    "grade": "等级",
    "unit_id": "单位编码",
}

# Place-name syllables. First and second lists share no character, so no name doubles one.
_FIRST = list(
    "迎槐东西南北新兴和平安康福民华光明春景龙凤金玉翠青文长永胜建丰盛宏泰德仁义信高"
    "松柏杨柳桃梅兰竹荷云星晨朝庆吉祥瑞万顺恒富锦碧银石沙宝乐友育振启思印铜双"
)
_SECOND = list(
    "宾阳山河桥门园苑庄坊城湾塘岭坡营堡店溪源泉亭街巷路口关井台坪坝寨堰川洲渡滩"
    "江湖港田林花苗芳岩峰谷垭場埠"
)
_SECOND = [c for c in _SECOND if c != "場"]  # keep simplified characters only
_DIRECTIONS = ["", "东", "西", "南", "北", "中"]
assert not set(_FIRST) & set(_SECOND)

_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋"
    "蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段"
    "雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Roughly Zipf-shaped surname frequencies: 王, 李, 张 are each about 7% of people.
_SURNAME_WEIGHTS = 1.0 / np.arange(1, len(_SURNAMES) + 1) ** 0.9
_GIVEN_FEMALE = list("丽娟敏静秀英华慧芳燕玲婷雪琳洁霞红梅兰萍莉娜琴艳倩颖佳欣悦怡晶露月雯雅楠")
_GIVEN_MALE = list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆锋龙亮峰林东成海兵志")
_GIVEN_ANY = list("文晓建小春玉金永海红国庆振新宏德嘉子思一天瑞晨安")

_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = list("10X98765432")

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class SynthSpec:
    """What to generate; `build()` returns (units, roster)."""

    workers: int
    communities: int | None = None
    seed: int = 0
    city: str = "示范市"
    on: date = date(2026, 1, 1)
    posts: list[tuple[str, float]] = field(default_factory=lambda: list(DEFAULT_POSTS))
    grids: bool = False

    def build(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        communities = self.communities or max(1, round(self.workers / 6))
        units = synth_units(communities, self.seed, self.city)
        roster = synth_roster(units, self.workers, self.seed, self.posts, self.on)
        if self.grids:
            units = pl.concat([units, synth_grids(units, self.seed)]).sort("unit_id")
        return units, roster


# --- helpers -----------------------------------------------------------------------------
def _rng(seed: int, stream: int) -> np.random.Generator:
    # One independent stream per attribute: adding an attribute never changes the others.
    return np.random.default_rng([seed, stream])


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` into integers proportional to `weights` (largest remainder)."""
    n = len(weights)
    if n == 0 or total == 0:
        return np.zeros(n, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum() if w.sum() > 0 else np.full(n, 1.0 / n)
    raw = total * w
    base = np.floor(raw).astype(np.int64)
    rest = int(total - base.sum())
    if rest:
        base[np.argsort(-(raw - base), kind="stable")[:rest]] += 1
    return base


def _apportion_min1(total: int, weights: np.ndarray) -> np.ndarray:
    """Like `_apportion` but give every slot at least one when there are enough."""
    n = len(weights)
    if total >= n:
        return 1 + _apportion(total - n, weights)
    return _apportion(total, weights)


def _rank_within(key: np.ndarray) -> np.ndarray:
    """0-based rank of each element among the elements with the same key (stable)."""
    n = len(key)
    order = np.argsort(key, kind="stable")
    ks = key[order]
    pos = np.arange(n, dtype=np.int64)
    starts = np.ones(n, dtype=bool)
    starts[1:] = ks[1:] != ks[:-1]
    group_start = np.maximum.accumulate(np.where(starts, pos, 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = pos - group_start
    return rank


def _cut_by_rank(z: np.ndarray, shares: tuple[float, ...] | list[float]) -> np.ndarray:
    """Code 0..k-1 by the rank of latent `z`, lowest first, with exact `shares`.

    Ranking a latent score (noise plus effects such as age) gives correlated attributes
    whose totals match the target mix exactly at every size. The cut points are values
    found by partial sorting, so the result depends on the values only, not on a sort
    algorithm, and costs far less than a full argsort.
    """
    n = len(z)
    s = np.asarray(shares, dtype=np.float64)
    bounds = np.round(np.cumsum(s)[:-1] / s.sum() * n).astype(np.int64)
    inside = bounds[bounds < n]
    cuts = np.partition(z, np.unique(inside))[inside] if n and len(inside) else np.empty(0)
    codes = np.searchsorted(cuts, z, side="right").astype(np.int8)
    return codes


def _pick(values: list[str] | tuple[str, ...], codes: np.ndarray) -> pl.Series:
    return pl.Series(list(values), dtype=pl.String).gather(pl.Series(codes, dtype=pl.Int64))


def _place_names(ranks: np.ndarray, rng: np.random.Generator, *, directions: bool) -> pl.Series:
    """Two-syllable place names, some with a direction (槐阳北), from a permuted pool.

    Rank r maps to pool index (offset + r * stride) mod P with stride coprime to P, so any
    P consecutive ranks get distinct names; children are numbered consecutively within
    their parent, hence unique there (and in the whole city while the pool lasts). Past
    the pool a Chinese numeral keeps names unique (桃港二社区), as villages are often named.
    """
    nf, ns = len(_FIRST), len(_SECOND)
    n = int(ranks.max()) + 1 if len(ranks) else 0
    # Half the names carry a direction; all directions only when more names are needed.
    variants = 1 if not directions else (2 if n <= nf * ns * 2 else len(_DIRECTIONS))
    pool = nf * ns * variants
    offset = int(rng.integers(0, pool))
    stride = int(pool * 0.381966) + int(rng.integers(0, 97))
    while np.gcd(stride, pool) != 1:
        stride += 1
    ranks = ranks.astype(np.int64)
    idx = (offset + (ranks % pool) * stride) % pool
    lap = ranks // pool
    base = idx % (nf * ns)
    variant = idx // (nf * ns)
    f = base // ns
    s = base % ns
    if variants == 2:
        # The directional variant of a base name takes one direction, mixed by the base.
        d = np.where(variant == 1, 1 + ((f * 31 + s * 17) * 2654435761 >> 9) % 5, 0)
    else:
        d = variant
    numerals = [""] + [_cn_number(i) for i in range(2, 100)]
    number = pl.Series(lap + 1, dtype=pl.Int64).cast(pl.String)
    number = pl.select(
        pl.when(pl.lit(lap >= 99)).then(number).otherwise(_pick(numerals, np.minimum(lap, 98)))
    ).to_series()
    return pl.select(
        pl.concat_str([_pick(_FIRST, f), _pick(_SECOND, s), _pick(_DIRECTIONS, d), number])
    ).to_series()


def _zfill(values: np.ndarray, width: int) -> pl.Series:
    return pl.Series(values, dtype=pl.Int64).cast(pl.String).str.zfill(width)


# --- units -------------------------------------------------------------------------------
def synth_units(communities: int, seed: int, city: str = "示范市") -> pl.DataFrame:
    """A 市 → 区县 → 街道/乡镇 → (街道机关 + communities) tree with facts (ORG-1..3)."""
    if communities < 1:
        raise Invalid(COMMUNITIES_TOO_FEW.format(n=communities))
    if seed < 0:
        raise Invalid(SEED_NEGATIVE.format(n=seed))

    # Streets of about 8-15 communities, districts of about 14 streets (at least 3).
    rng = _rng(seed, 1)
    n_streets = max(1, round(communities / 11.5))
    per_street = _apportion_min1(communities, rng.integers(8, 16, n_streets))
    n_districts = max(min(n_streets, 3), round(n_streets / 14))
    per_district = _apportion_min1(n_streets, rng.uniform(0.6, 1.4, n_districts))

    # District kinds: 区 (urban) or 县 (rural); the first is always a 区.
    rng = _rng(seed, 2)
    is_qu = rng.random(n_districts) < 0.6
    is_qu[0] = True
    street_district = np.repeat(np.arange(n_districts), per_district)
    street_rank = np.arange(n_streets) - np.repeat(
        np.cumsum(per_district) - per_district, per_district
    )
    # Streets in a 区 are mostly 街道, in a 县 mostly 乡镇 (镇, some 乡).
    is_jiedao = rng.random(n_streets) < np.where(is_qu[street_district], 0.85, 0.2)
    is_jiedao[0] = True  # the demo's first street is a 街道 with city communities
    is_xiang = (~is_jiedao) & (rng.random(n_streets) < 0.2)

    comm_street = np.repeat(np.arange(n_streets), per_street)
    comm_rank = np.arange(communities) - np.repeat(np.cumsum(per_street) - per_street, per_street)
    urban_street = is_jiedao[comm_street]
    u = rng.random(communities)
    # Community type mixes: 街道 mostly 城市社区; 乡镇 mostly 行政村.
    comm_type = np.where(
        urban_street,
        np.select([u < 0.72, u < 0.92], [0, 1], 2),
        np.select([u < 0.60, u < 0.85], [2, 3], 1),
    )
    # Every 街道 has at least one 城市社区: its first community.
    comm_type[(comm_rank == 0) & urban_street] = 0
    comm_class = _rng(seed, 3).choice(3, size=communities, p=[0.3, 0.45, 0.25])
    office_class = _rng(seed, 4).choice(3, size=n_streets, p=[0.3, 0.45, 0.25])

    # Facts: villages are smaller and less urban; households mostly 800-6,000.
    rng = _rng(seed, 5)
    village = comm_type == 2
    median = np.where(village, 1100.0, 2600.0)
    sigma = np.where(village, 0.45, 0.5)
    households = np.clip(
        np.round(median * np.exp(sigma * rng.standard_normal(communities))), 150, 15000
    )
    households = households.astype(np.int64)
    population = np.round(households * rng.uniform(2.3, 3.2, communities)).astype(np.int64)
    lo = np.array([0.92, 0.60, 0.00, 0.40])[comm_type]
    hi = np.array([1.00, 0.95, 0.30, 0.80])[comm_type]
    urban = np.floor(population * rng.uniform(lo, hi)).astype(np.int64)

    # Names: ranks are global per level, so names are unique within a parent always and
    # unique in the whole city while the pool lasts.
    names_rng = _rng(seed, 6)
    district_base = _place_names(np.arange(n_districts), names_rng, directions=False)
    street_base = _place_names(np.arange(n_streets), names_rng, directions=False)
    comm_base = _place_names(np.arange(communities), names_rng, directions=True)
    district_names = district_base + _pick(["县", "区"], is_qu.astype(np.int8))
    street_suffix = np.where(is_jiedao, 0, np.where(is_xiang, 2, 1))
    street_names = street_base + _pick(["街道", "镇", "乡"], street_suffix)
    comm_names = comm_base + _pick(["社区", "村"], village.astype(np.int8))

    # Codes: C01-D01-S01 (street), -J (its office), -K001 (community); they sort as a tree.
    wd = max(2, len(str(n_districts)))
    ws = max(2, len(str(int(per_district.max()))))
    wk = max(3, len(str(int(per_street.max()))))
    city_id = "C01"
    district_ids = city_id + "-D" + _zfill(np.arange(1, n_districts + 1), wd)
    street_ids = district_ids.gather(street_district) + "-S" + _zfill(street_rank + 1, ws)
    office_ids = street_ids + "-J"
    comm_ids = street_ids.gather(comm_street) + "-K" + _zfill(comm_rank + 1, wk)

    street_hh = np.bincount(comm_street, households, minlength=n_streets).astype(np.int64)
    street_pop = np.bincount(comm_street, population, minlength=n_streets).astype(np.int64)
    street_urb = np.bincount(comm_street, urban, minlength=n_streets).astype(np.int64)
    dist_hh = np.bincount(street_district, street_hh, minlength=n_districts).astype(np.int64)
    dist_pop = np.bincount(street_district, street_pop, minlength=n_districts).astype(np.int64)
    dist_urb = np.bincount(street_district, street_urb, minlength=n_districts).astype(np.int64)

    def frame(
        unit: pl.Series | list[str],
        unit_id: pl.Series | list[str],
        parent: pl.Series | list[str | None],
        parent_id: pl.Series | list[str | None],
        unit_type: pl.Series | list[str],
        unit_class: pl.Series | list[str | None],
        hh: np.ndarray,
        pop: np.ndarray,
        urb: np.ndarray,
        level: int,
    ) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "unit": pl.Series(unit, dtype=pl.String),
                "parent": pl.Series(parent, dtype=pl.String),
                "unit_type": pl.Series(unit_type, dtype=pl.String),
                "unit_class": pl.Series(unit_class, dtype=pl.String),
                "households": pl.Series(hh, dtype=pl.Int64),
                "population": pl.Series(pop, dtype=pl.Int64),
                "urban_population": pl.Series(urb, dtype=pl.Int64),
                "unit_id": pl.Series(unit_id, dtype=pl.String),
                "parent_id": pl.Series(parent_id, dtype=pl.String),
                "level": pl.Series([level] * len(hh), dtype=pl.Int8),
            }
        )

    def none_s(n: int) -> pl.Series:
        return pl.Series([None] * n, dtype=pl.String)
    zeros_s = np.zeros(n_streets, dtype=np.int64)
    parts = [
        frame(
            [city],
            [city_id],
            [None],
            [None],
            ["市"],
            [None],
            np.array([households.sum()]),
            np.array([population.sum()]),
            np.array([urban.sum()]),
            0,
        ),
        frame(
            district_names,
            district_ids,
            [city] * n_districts,
            [city_id] * n_districts,
            ["区县"] * n_districts,
            none_s(n_districts),
            dist_hh,
            dist_pop,
            dist_urb,
            1,
        ),
        frame(
            street_names,
            street_ids,
            district_names.gather(street_district),
            district_ids.gather(street_district),
            _pick(["乡镇", "街道"], is_jiedao.astype(np.int8)),
            none_s(n_streets),
            street_hh,
            street_pop,
            street_urb,
            2,
        ),
        # The street office is staffed but has no residents of its own.
        frame(
            street_names + "机关",
            office_ids,
            street_names,
            street_ids,
            ["街道机关"] * n_streets,
            _pick(CLASSES, office_class),
            zeros_s,
            zeros_s,
            zeros_s,
            3,
        ),
        frame(
            comm_names,
            comm_ids,
            street_names.gather(comm_street),
            street_ids.gather(comm_street),
            _pick(COMMUNITY_TYPES, comm_type),
            _pick(CLASSES, comm_class),
            households,
            population,
            urban,
            3,
        ),
    ]
    return pl.concat(parts).sort("unit_id")


# --- grids -------------------------------------------------------------------------------
_CN_DIGITS = "零一二三四五六七八九"


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + ("" if ones == 0 else _CN_DIGITS[ones])


def synth_grids(units: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Grids (网格) of 300-500 households per community where its size allows (ORG-4)."""
    comm = units.filter(pl.col("unit_type").is_in(COMMUNITY_TYPES))
    hh = comm["households"].to_numpy().astype(np.int64)
    pop = comm["population"].to_numpy().astype(np.int64)
    urb = comm["urban_population"].to_numpy().astype(np.int64)
    lo = np.maximum(1, -(-hh // 500))  # fewest grids keeping each at most 500
    hi = np.maximum(1, hh // 300)  # most grids keeping each at least 300
    target = np.round(hh / _rng(seed, 40).uniform(330, 470, len(hh))).astype(np.int64)
    n = np.where(lo <= hi, np.clip(target, lo, hi), np.maximum(1, np.round(hh / 400))).astype(
        np.int64
    )
    owner = np.repeat(np.arange(len(hh)), n)
    k = np.arange(len(owner)) - np.repeat(np.cumsum(n) - n, n)
    g_hh = hh[owner] // n[owner] + (k < hh[owner] % n[owner])
    g_pop = pop[owner] // n[owner] + (k < pop[owner] % n[owner])
    g_urb = np.minimum(urb[owner] // n[owner] + (k < urb[owner] % n[owner]), g_pop)
    labels = [
        f"第{_cn_number(i)}网格" if i < 100 else f"第{i}网格" for i in range(1, int(n.max()) + 1)
    ]
    width = max(2, len(str(int(n.max()))))
    return pl.DataFrame(
        {
            "unit": _pick(labels, k),
            "parent": comm["unit"].gather(owner),
            "unit_type": pl.Series(["网格"] * len(owner), dtype=pl.String),
            "unit_class": pl.Series([None] * len(owner), dtype=pl.String),
            "households": pl.Series(g_hh, dtype=pl.Int64),
            "population": pl.Series(g_pop, dtype=pl.Int64),
            "urban_population": pl.Series(g_urb, dtype=pl.Int64),
            "unit_id": comm["unit_id"].gather(owner) + "-G" + _zfill(k + 1, width),
            "parent_id": comm["unit_id"].gather(owner),
            "level": pl.Series([4] * len(owner), dtype=pl.Int8),
        }
    )


# --- roster ------------------------------------------------------------------------------
def _area_code(index: np.ndarray) -> np.ndarray:
    """A plausible six-digit area code (province, city, county) per district index."""
    i = (index.astype(np.int64) + 24600) % 33000  # start at 52xxxx, Guizhou-like
    return (11 + (i // 600) % 55) * 10000 + (1 + (i // 30) % 20) * 100 + (1 + i % 30)


def _staffed_units(units: pl.DataFrame) -> pl.DataFrame:
    """Staffed units with their weight and their district index (for ID area codes)."""
    staffed = units.filter(pl.col("unit_type").is_in(STAFFED_TYPES)).select(
        "unit", "unit_id", "parent_id", "unit_type", "households"
    )
    if staffed.height == 0:
        raise Invalid(NO_STAFFED_UNITS)
    street_hh = (
        staffed.filter(pl.col("unit_type") != "街道机关")
        .group_by("parent_id")
        .agg(pl.col("households").sum().alias("street_hh"))
    )
    parents = units.select(
        pl.col("unit_id").alias("parent_id"), pl.col("parent_id").alias("district_id")
    )
    staffed = (
        staffed.with_row_index("row")
        .join(street_hh, on="parent_id", how="left")
        .join(parents, on="parent_id", how="left")
        .sort("row")
        .with_columns(
            weight=pl.when(pl.col("unit_type") == "街道机关")
            .then(OFFICE_WEIGHT * pl.col("street_hh").fill_null(0))
            .otherwise(pl.col("households").fill_null(0))
            .cast(pl.Float64),
            district=pl.col("district_id").fill_null("").rank("dense").cast(pl.Int64) - 1,
        )
    )
    return staffed


def synth_roster(
    units: pl.DataFrame,
    workers: int,
    seed: int,
    posts: list[tuple[str, float]] | None = None,
    on: date = date(2026, 1, 1),
) -> pl.DataFrame:
    """A 花名册 of `workers` people spread over communities and street offices."""
    if workers < 0:
        raise Invalid(WORKERS_NEGATIVE.format(n=workers))
    if seed < 0:
        raise Invalid(SEED_NEGATIVE.format(n=seed))
    posts = list(DEFAULT_POSTS) if posts is None else list(posts)
    if not posts or any(w <= 0 for _, w in posts):
        raise Invalid(POSTS_EMPTY)

    staffed = _staffed_units(units)
    weights = staffed["weight"].to_numpy()
    if not np.isfinite(weights).all() or weights.sum() <= 0:
        weights = np.ones(staffed.height)
    counts = _apportion_min1(workers, weights)
    unit_ix = np.repeat(np.arange(staffed.height), counts)
    n = workers
    is_office = (staffed["unit_type"] == "街道机关").to_numpy()[unit_ix]

    # Category: 两委 only in communities; shares chosen so the whole roster hits the target.
    rng = _rng(seed, 10)
    community_share = max(1e-9, 1.0 - is_office.mean()) if n else 1.0
    p_lw = min(0.9, CATEGORY_SHARES[0] / community_share)
    rest = CATEGORY_SHARES[1] / (CATEGORY_SHARES[1] + CATEGORY_SHARES[2])
    u = rng.random(n)
    v = rng.random(n)
    category = np.where(~is_office & (u < p_lw), 0, np.where(v < rest, 1, 2)).astype(np.int8)
    liangwei = category == 0

    # Sex and age: women ~65%; 两委 a little older (mean ~42) than the rest (~37).
    rng = _rng(seed, 11)
    female = rng.random(n) < FEMALE_SHARE
    age = 22.0 + 38.0 * np.where(liangwei, rng.beta(2.6, 2.4, n), rng.beta(2.0, 3.0, n))
    # Keep clear of the 22nd and 60th birthdays whatever the leap days.
    age = np.clip(age, 22.01, 59.99)
    on64 = np.datetime64(on, "D")
    birth = on64 - np.floor(age * 365.2425).astype(np.int64) * _DAY
    age_years = age.astype(np.int64)

    # Education: younger workers are better educated; exact shares by rank.
    rng = _rng(seed, 12)
    edu = _cut_by_rank(rng.standard_normal(n) - 0.5 * (age - 38.0) / 10.0, EDUCATION_SHARES)

    # Start of community work: after the graduation age (never before 18), 两委 longer.
    rng = _rng(seed, 13)
    grad = np.array(GRADUATION_AGE)[edu]
    grad = np.maximum(18, np.minimum(grad, age_years - 1))
    # 366 days a year over-counts leap days, so the start is always after that birthday.
    available = np.maximum(0, (on64 - birth).astype(np.int64) - grad * 366)
    frac = np.where(liangwei, rng.beta(2.2, 1.8, n), rng.beta(1.4, 2.4, n))
    tenure_days = np.floor(available * frac).astype(np.int64)
    start = on64 - tenure_days * _DAY

    # Certificates follow education and years of service.
    rng = _rng(seed, 14)
    cert = _cut_by_rank(
        rng.standard_normal(n) + 0.45 * (edu.astype(np.float64) - 4) + 0.08 * tenure_days / 365.25,
        CERTIFICATE_SHARES,
    )

    # Posts: senior posts (listed first) go preferentially to 两委, experience, degrees.
    rng = _rng(seed, 15)
    post_names = [p for p, _ in posts]
    post_w = [w for _, w in posts]
    z = (
        rng.standard_normal(n)
        + 1.3 * liangwei
        + 0.06 * tenure_days / 365.25
        + 0.2 * (edu.astype(np.float64) - 4)
        - 0.6 * (category == 2)
    )
    # _cut_by_rank codes lowest first; posts are listed most senior first.
    post = (len(posts) - 1 - _cut_by_rank(z, post_w[::-1])).astype(np.int8)

    # Names.
    rng = _rng(seed, 16)
    surname = rng.choice(len(_SURNAMES), size=n, p=_SURNAME_WEIGHTS / _SURNAME_WEIGHTS.sum())
    g1_f = rng.integers(0, len(_GIVEN_FEMALE), n)
    g1_m = rng.integers(0, len(_GIVEN_MALE), n)
    g1_any = rng.integers(0, len(_GIVEN_ANY), n)
    use_any = rng.random(n) < 0.3
    g2_f = rng.integers(0, len(_GIVEN_FEMALE), n)
    g2_m = rng.integers(0, len(_GIVEN_MALE), n)
    two_chars = rng.random(n) < 0.75
    first_pool = _GIVEN_FEMALE + _GIVEN_MALE + _GIVEN_ANY
    nf, nm = len(_GIVEN_FEMALE), len(_GIVEN_MALE)
    first_code = np.where(use_any & two_chars, nf + nm + g1_any, np.where(female, g1_f, nf + g1_m))
    second_code = np.where(female, g2_f, nf + g2_m)
    second = _pick(first_pool, second_code)
    second = pl.select(pl.when(pl.lit(two_chars)).then(second).otherwise(pl.lit(""))).to_series()
    name = pl.select(
        pl.concat_str([_pick(_SURNAMES, surname), _pick(first_pool, first_code), second])
    ).to_series()

    id_number = _id_numbers(staffed["district"].to_numpy()[unit_ix], birth, female, seed)

    return pl.DataFrame(
        {
            "name": name,
            "id_number": id_number,
            "sex": _pick(["男", "女"], female.astype(np.int8)),
            "birth_date": pl.Series(birth, dtype=pl.Date),
            "unit": staffed["unit"].gather(unit_ix),
            "category": _pick(CATEGORIES, category),
            "post": _pick(post_names, post),
            "education": _pick(EDUCATIONS, edu),
            "community_work_start": pl.Series(start, dtype=pl.Date),
            "certificate": _pick(CERTIFICATES, cert),
            "grade": pl.Series([None] * n, dtype=pl.String),
            "unit_id": staffed["unit_id"].gather(unit_ix),
        }
    )


def _id_numbers(
    district: np.ndarray, birth: np.ndarray, female: np.ndarray, seed: int
) -> pl.Series:
    """Valid, unique GB 11643 numbers: area + birth date + sequence (odd = male) + check."""
    n = len(district)
    rng = _rng(seed, 17)
    # Most people were registered in the district they work in, the rest anywhere nearby.
    n_districts = int(district.max()) + 1 if n else 1
    other = rng.integers(0, max(n_districts, 60), n)
    home = np.where(rng.random(n) < 0.75, district, other)
    area = _area_code(home)
    days = birth.astype("datetime64[D]").astype(np.int64)
    male = ~female
    # Sequence numbers are handed out in order within (area, birth date, sex).
    key = (area << 18) | ((days + 60000) << 1) | male.astype(np.int64)
    rank = _rank_within(key)
    seq = np.where(male, 2 * rank + 1, 2 * rank + 2)
    if n and seq.max() > 999:
        raise Invalid(ID_SEQUENCE_EXHAUSTED.format(n=int(seq.max())))
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    body = area * 10**11 + (year * 10000 + month * 100 + day) * 1000 + seq
    total = np.zeros(n, dtype=np.int64)
    rest = body.copy()
    for w in reversed(_CHECK_WEIGHTS):  # digits from the last to the first
        total += w * (rest % 10)
        rest //= 10
    return pl.Series(body, dtype=pl.Int64).cast(pl.String) + _pick(_CHECK_CHARS, total % 11)


# --- files -------------------------------------------------------------------------------
def write_sheets(
    units: pl.DataFrame, roster: pl.DataFrame, out_dir: str | Path, fmt: str = "xlsx"
) -> list[Path]:
    """Write 单位表 and 花名册 with Chinese headers (FORMATS.md); return the paths."""
    if fmt not in ("csv", "xlsx"):
        raise Invalid(FORMAT_UNKNOWN.format(fmt=fmt))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sheets = {
        "单位表": units.select([c for c in UNIT_HEADERS if c in units.columns]).rename(
            {c: h for c, h in UNIT_HEADERS.items() if c in units.columns}
        ),
        "花名册": roster.select([c for c in ROSTER_HEADERS if c in roster.columns]).rename(
            {c: h for c, h in ROSTER_HEADERS.items() if c in roster.columns}
        ),
    }
    paths = []
    for sheet, df in sheets.items():
        path = out / f"{sheet}.{fmt}"
        if fmt == "csv":
            # A BOM makes Excel on Chinese Windows read UTF-8 correctly.
            df.write_csv(path, include_bom=True)
        else:
            _write_xlsx(df, path, sheet)
        paths.append(path)
    return paths


def _write_xlsx(df: pl.DataFrame, path: Path, sheet: str) -> None:
    import xlsxwriter

    if df.height > 1_048_575:
        raise Invalid(XLSX_TOO_MANY_ROWS.format(sheet=sheet, n=df.height))
    with xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False}) as book:
        ws = book.add_worksheet(sheet)
        bold = book.add_format({"bold": True})
        date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        date_cols = {i for i, t in enumerate(df.dtypes) if t == pl.Date}
        ws.write_row(0, 0, df.columns, bold)
        for i, name in enumerate(df.columns):
            ws.set_column(i, i, 20 if name == "身份证号" else 12)
        # Row by row because constant_memory streams rows; xlsx is for small sizes.
        for r, row in enumerate(df.iter_rows(), start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if c in date_cols:
                    ws.write_datetime(r, c, value, date_fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write_number(r, c, value)


# --- command line ------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add `shequ synth`; the handler is `args.func(args)` and returns an exit code."""
    p = subparsers.add_parser(
        "synth",
        help="生成合成的单位表和花名册（确定性，可用于演示和基准测试）",
        description="生成合成的单位表和花名册。相同的种子生成相同的文件。",
    )
    from shequ.cli import int_arg, parse_date_arg

    p.add_argument("--workers", type=int_arg, required=True, help="人数")
    p.add_argument("--communities", type=int_arg, default=None, help="社区数（默认 人数/6）")
    p.add_argument("--seed", type=int_arg, default=0, help="随机种子（默认 0）")
    p.add_argument("--city", default="示范市", help="市名（默认 示范市）")
    p.add_argument("--on", type=parse_date_arg, default=date(2026, 1, 1), help="基准日期（默认 2026-01-01），格式 YYYY-MM-DD")
    p.add_argument("--grids", action="store_true", help="同时生成网格")
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="输出格式")
    p.add_argument("-o", "--output", default=None, help="输出目录（写文件时必填）")
    p.add_argument(
        "--db", action="store_true", help="直接写入数据库（DATABASE_URL；PostgreSQL 上用 COPY）"
    )
    p.add_argument("--preset", default="baohe", help="写入数据库时绑定在市一级的政策（默认 baohe）")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    if getattr(args, "db", False):
        # The database loader lives on the Django side; this module stays Django-free.
        from shequ.web.population_cli import run_db

        return run_db(args)
    if not args.output:
        print(f"错误：{OUTPUT_MISSING}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    spec = SynthSpec(
        workers=args.workers,
        communities=args.communities,
        seed=args.seed,
        city=args.city,
        on=args.on,
        grids=args.grids,
    )
    try:
        units, roster = spec.build()
        built = time.perf_counter()
        paths = write_sheets(units, roster, args.output, args.format)
    except ShequError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    done = time.perf_counter()
    print(
        f"单位 {units.height} 个，人员 {roster.height} 人；"
        f"生成 {built - started:.2f} 秒，写出 {done - built:.2f} 秒"
    )
    for path in paths:
        print(path)
    return 0
