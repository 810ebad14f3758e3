"""Synthetic province generator: a seeded, calibrated 五社联动 graph at any scale.

The generator builds every table with numpy arrays (one ``numpy.random.Generator`` per
call, consumed in a fixed order, so a seed always gives the same tables) and pyarrow string
kernels, so the full province — ≈23,000 communities, ≈300,000 organizations, ≈160,000
social workers and 15.4 million volunteers — fits in a few minutes and a few GiB.

Calibration (docs/generator.md lists each figure and its source) follows the province
figures in ``../shared/data/README.md``: ≈5,300 urban communities and ≈18,000 villages,
≈19 / ≈9 community social organizations per urban / rural community, the category mix,
63,000 full-time community workers with ≈60% certified, 98,000 certified social workers,
15.4 million volunteers (≈60% active), ≈200 community development foundations, 1,362
township social-org service centres and ≈1,000 starred service complexes.

Each community draws a *profile* — a linkage mode (who initiates, leads and funds its
projects) and a condition (well linked, missing an element, single broker, idle) — with
the probabilities in :data:`MODE_PROBS` and :data:`CONDITION_PROBS`; project roles follow
from it, so every analysis (modes, gaps, brokers, idle resources, unmet needs) finds cases.
"""

from __future__ import annotations

import argparse
import io
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wushe.graph.errors import WusheError
from wushe.graph.schema import ACTOR_LABELS, SCENARIOS, SCHEMA
from wushe.graph.tables import GraphTables
from wushe.loaders.credit_code import CHARSET as _CC_CHARSET
from wushe.loaders.credit_code import WEIGHTS as _CC_WEIGHTS
from wushe.loaders.writer import write_tables

__all__ = [
    "MODES",
    "MODE_PROBS",
    "CONDITIONS",
    "CONDITION_PROBS",
    "SAMPLE_SEED",
    "SAMPLE_VOLUNTEERS",
    "VOLUNTEER_RATE",
    "generate",
    "generate_to",
    "generate_with_profiles",
    "make_sample",
]

# --------------------------------------------------------------------------- profiles
MODES: tuple[str, ...] = (
    "community_led", "org_carrier", "worker_driven", "volunteer_assisted",
    "charity_leveraged", "mixed",
)
MODE_PROBS: tuple[float, ...] = (0.18, 0.18, 0.14, 0.14, 0.14, 0.22)
CONDITIONS: tuple[str, ...] = (
    "normal", "well_linked", "no_orgs", "no_charity", "no_volunteers", "single_broker",
    "idle",
)
CONDITION_PROBS: tuple[float, ...] = (0.68, 0.08, 0.04, 0.07, 0.04, 0.06, 0.03)

# Element order used by the role matrices: the five elements (五社).
_E_COMM, _E_ORG, _E_WORKER, _E_VOL, _E_CHARITY = range(5)
# Who initiates / leads a project, per mode (rows follow MODES).
_LEAD_P = np.array([
    [0.70, 0.10, 0.10, 0.05, 0.05],
    [0.10, 0.70, 0.10, 0.05, 0.05],
    [0.10, 0.10, 0.70, 0.05, 0.05],
    [0.10, 0.10, 0.05, 0.70, 0.05],
    [0.15, 0.10, 0.05, 0.05, 0.65],
    [0.20, 0.20, 0.20, 0.20, 0.20],
])
# Who delivers a project, per mode.
_DELIVER_P = np.array([
    [0.50, 0.40, 0.10, 0.00, 0.00],
    [0.05, 0.90, 0.05, 0.00, 0.00],
    [0.05, 0.15, 0.80, 0.00, 0.00],
    [0.10, 0.40, 0.00, 0.50, 0.00],
    [0.20, 0.60, 0.20, 0.00, 0.00],
    [0.20, 0.40, 0.25, 0.15, 0.00],
])
# Funding sources per mode: probability of (government, charity, self) and amount weights.
_FUND_P = np.array([
    [1.00, 0.15, 0.10], [0.80, 0.20, 0.40], [0.90, 0.20, 0.10],
    [0.25, 0.30, 0.50], [0.40, 1.00, 0.10], [0.60, 0.40, 0.40],
])
_FUND_W = np.array([
    [1.0, 0.2, 0.1], [0.7, 0.2, 0.3], [0.8, 0.2, 0.1],
    [0.5, 0.5, 0.5], [0.2, 1.0, 0.1], [0.4, 0.4, 0.3],
])
_BUDGET_FACTOR = np.array([1.0, 1.0, 1.0, 0.15, 1.2, 1.0])
_VOL_SERVE_LAMBDA = np.array([2.0, 2.0, 2.0, 9.0, 2.0, 3.0])
_SW_SERVE_LAMBDA = np.array([0.4, 0.4, 2.0, 0.2, 0.4, 0.8])

# ------------------------------------------------------------------------ calibration
_PROVINCE_VOLUNTEERS = 15_400_000
_PROVINCE_POPULATION = 66_270_000
VOLUNTEER_RATE = _PROVINCE_VOLUNTEERS / _PROVINCE_POPULATION
# Communities per township by township kind: [low, high) for urban and rural counts.
_URBAN_RANGE = {"street": (6, 15), "town": (0, 2), "township": (0, 1), "other": (1, 6)}
_RURAL_RANGE = {"street": (0, 5), "town": (12, 34), "township": (8, 16), "other": (0, 6)}
_TOWNSHIP_HAS_URBAN = 0.15      # a 乡 with one small community at its seat
_KIND_P = {"street": 488, "town": 618, "township": 258, "other": 23}
_ORGS_PER = {"urban": 19.8, "rural": 9.4}      # before the 4% no-org communities
_TOWNSHIP_ORGS_PER_COMMUNITY = 2.2             # registered county-level orgs (≈51,000)
_REGISTERED_COMMUNITY_SHARE = 18_600 / 262_000
# Before volunteer-service teams are folded into 服务 (+≈4.5 points), giving ≈42/24/16/16.
_CATEGORY_MIX = {"服务": 0.375, "文体": 0.25, "自治": 0.165, "平安": 0.165, "志愿": 0.015,
                 "调解": 0.015, "慈善": 0.015}
_RATING_LEVELS = ("1A", "2A", "3A", "4A", "5A")
_RATING_P = (0.05, 0.17, 0.505, 0.22, 0.055)   # of rated orgs; 20% rated → 5.5% 4A+
_RATED_SHARE = 0.20

SAMPLE_SEED = 20250101
SAMPLE_VOLUNTEERS = 20_000

# ------------------------------------------------------------------------ name pools
_FIRST = "东西南北新和安康文华明清金银丰庆长永福兴翠柳桃梅竹松枫荷兰桂"
_SECOND = "湖山园苑桥塘溪港门街城浦岭坞湾里庄林河泉坊堂亭洲滨埠墩桥浜岙"
_SURNAMES = ("王陈张李吴徐周金杨刘黄林朱胡沈叶郑何蒋钱潘孙俞方赵马许姚汪邵高郭章楼"
             "施傅董范蔡韩冯余江程卢丁袁谢应毛梁宋戴陆")
_GIVEN = ("伟芳敏静丽强磊军洋勇艳杰娟涛明超秀英华慧建国平红霞玲兰志刚海燕文波飞婷雪琳"
          "晨浩宇欣怡涵萱轩睿博思宁佳俊嘉翔鹏辉倩颖琪瑶诗梦晓云天乐安逸")
_CN_NUM = ("", "二", "三", "四", "五", "六", "七", "八", "九", "十")

_COMMUNITY_ORG_SUFFIX = {
    "服务": ("老年协会", "居家养老服务队", "助残服务社", "四点半课堂", "邻里互助会",
             "红色代办队", "家庭教育指导站", "便民服务队"),
    "文体": ("舞蹈队", "太极拳协会", "合唱团", "书画协会", "越剧社", "健身队", "读书会",
             "腰鼓队"),
    "自治": ("居民议事会", "业主自治小组", "楼道自治会", "垃圾分类督导队", "乡贤参事会",
             "村民监督小组"),
    "平安": ("平安巡防队", "义警队", "消防志愿队", "护河队", "交通劝导队"),
    "志愿": ("志愿服务队", "青年志愿者服务队", "党员志愿服务队"),
    "调解": ("和事佬协会", "老娘舅调解队", "邻里调解室"),
    "慈善": ("慈善工作站", "爱心互助会", "微心愿服务社"),
}
_VOLUNTEER_TEAM_SUFFIX = ("志愿服务队", "红马甲志愿服务队", "巾帼志愿服务队", "银龄志愿服务队",
                          "党员志愿服务队")
# (suffix, category, form) of registered organizations based in a township.
_TOWNSHIP_ORGS = (
    ("社会工作服务中心", "服务", "社会服务机构"), ("公益服务中心", "服务", "社会服务机构"),
    ("养老服务中心", "服务", "社会服务机构"), ("青少年发展服务中心", "服务", "社会服务机构"),
    ("家庭综合服务中心", "帮扶", "社会服务机构"), ("助困帮扶中心", "帮扶", "社会服务机构"),
    ("社会组织联合会", "服务", "社会团体"), ("志愿者协会", "志愿", "社会团体"),
    ("慈善分会", "慈善", "社会团体"), ("人民调解协会", "调解", "社会团体"),
    ("应急救援队", "应急", "社会团体"), ("环保志愿者协会", "环保", "社会团体"),
    ("文体协会", "文体", "社会团体"), ("乡贤联谊会", "自治", "社会团体"),
)
_BRANDS = ("和美", "向阳", "同心", "益家", "乐龄", "暖阳", "善行", "春晖", "启航", "众联",
           "德邻", "星光", "阳光", "爱心", "悦群", "恒爱", "知行", "仁和", "睦邻", "新苗")
_INDUSTRY = ("实业", "科技", "建设", "纺织", "电器", "食品", "物流", "置业", "机械", "贸易")
_PROJECT_NAMES = {
    "调解纠纷": ("“老娘舅”矛盾调解", "邻里纠纷调解室", "和事佬议事厅"),
    "一老一小": ("“一老一小”幸福驿站", "老年食堂助餐服务", "四点半课堂"),
    "困难帮扶": ("困难家庭结对帮扶", "“微心愿”圆梦行动", "残疾人居家照护"),
    "孤困儿童关爱": ("孤困儿童“护苗”关爱", "留守儿童暑期托管", "困境儿童心理陪伴"),
    "民生微实事": ("民生微实事·加装电梯", "民生微实事·口袋公园", "民生微实事·充电棚改造"),
    "小区治理": ("老旧小区微更新", "垃圾分类共治", "楼道自治提升"),
    "睦邻文化": ("邻里节", "睦邻文化节", "村晚文艺汇演"),
}
_NEED_TEXT = {
    "调解纠纷": ("邻里噪音纠纷需要调解", "停车位纠纷反复发生", "物业费争议需要协调"),
    "一老一小": ("独居老人助餐需求", "双职工家庭放学后托管", "高龄老人上门探访"),
    "困难帮扶": ("低保家庭就业帮扶", "大病家庭临时救助", "残疾人出行不便"),
    "孤困儿童关爱": ("困境儿童学业辅导", "留守儿童心理关爱", "事实无人抚养儿童照护"),
    "民生微实事": ("老旧楼道无电梯", "缺少休闲健身场地", "电动车充电难"),
    "小区治理": ("小区垃圾分类不到位", "楼道堆物清理", "小区环境脏乱"),
    "睦邻文化": ("缺少邻里交流活动", "文体活动场地不足", "传统节日活动需求"),
}

# The real division rows behind sample_data/ (NBS codes as of 2022-10-31), embedded so that
# `make_sample` runs in a clone without ../shared.
_SAMPLE_DIVISIONS = """\
city_code,city_name,county_code,county_name,township_code,township_name,township_kind
3301,杭州市,330106,西湖区,330106002,北山街道,street
3301,杭州市,330106,西湖区,330106004,西溪街道,street
3301,杭州市,330106,西湖区,330106005,翠苑街道,street
3301,杭州市,330106,西湖区,330106007,古荡街道,street
3301,杭州市,330106,西湖区,330106009,留下街道,street
3301,杭州市,330106,西湖区,330106010,转塘街道,street
3301,杭州市,330106,西湖区,330106109,三墩镇,town
3301,杭州市,330106,西湖区,330106110,双浦镇,town
3301,杭州市,330122,桐庐县,330122003,桐君街道,street
3301,杭州市,330122,桐庐县,330122004,城南街道,street
3301,杭州市,330122,桐庐县,330122101,富春江镇,town
3301,杭州市,330122,桐庐县,330122109,分水镇,town
3301,杭州市,330122,桐庐县,330122201,莪山畲族乡,township
3301,杭州市,330122,桐庐县,330122202,钟山乡,township
3301,杭州市,330122,桐庐县,330122210,合村乡,township
"""
_DIVISION_COLUMNS = ("city_code", "city_name", "county_code", "county_name", "township_code",
                     "township_name", "township_kind")

_EPOCH = np.datetime64("1970-01-01", "D")


# ---------------------------------------------------------------------------- helpers
def _days(date: str) -> int:
    """Days since 1970-01-01 of an ISO date."""
    return int((np.datetime64(date, "D") - _EPOCH).astype(np.int64))


def _s(arr: pa.Array | pa.ChunkedArray) -> pd.Series:
    """An Arrow string array as a pandas ``str`` Series (Arrow-backed, zero copy)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pd.Series(arr.to_pandas(), copy=False)


def _date_series(days: np.ndarray) -> pd.Series:
    """Day numbers as a pandas date32 Series (written as YYYY-MM-DD)."""
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(days.astype(np.int32), pa.date32())))


def _num_ids(prefix: str, n: int, width: int) -> pa.Array:
    """``prefix`` + zero-padded 1..n."""
    nums = pa.array(np.arange(1, n + 1, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(nums, width, "0"), "")


def _join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation of arrays and scalars."""
    return pc.binary_join_element_wise(*parts, "")


def _take(values: pa.Array | list[str] | tuple[str, ...], idx: np.ndarray) -> pa.Array:
    """values[idx] as an Arrow string array."""
    if not isinstance(values, pa.Array):
        values = pa.array(list(values), pa.string())
    return pc.take(values, pa.array(idx, pa.int64()))


def _choice(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """n draws of indices from probability vector p."""
    return np.searchsorted(np.cumsum(p), rng.random(n) * p.sum(), side="right").clip(
        0, len(p) - 1)


def _row_choice(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return (u[:, None] >= cum).sum(axis=1).clip(0, probs.shape[1] - 1)


@dataclass
class _Pool:
    """Items grouped by key (CSR): items of key k are vals[starts[k]:starts[k]+counts[k]]."""

    vals: np.ndarray
    starts: np.ndarray
    counts: np.ndarray

    @classmethod
    def build(cls, keys: np.ndarray, n_keys: int, vals: np.ndarray | None = None) -> _Pool:
        order = np.argsort(keys, kind="stable")
        counts = np.bincount(keys, minlength=n_keys).astype(np.int64)
        starts = np.zeros(n_keys, dtype=np.int64)
        np.cumsum(counts[:-1], out=starts[1:])
        values = order if vals is None else vals[order]
        return cls(values.astype(np.int64), starts, counts)

    def pick(self, rng: np.random.Generator, keys: np.ndarray) -> np.ndarray:
        """One random item per key (with replacement); -1 where the key has none."""
        counts = self.counts[keys]
        off = (rng.random(len(keys)) * counts).astype(np.int64)
        out = np.full(len(keys), -1, dtype=np.int64)
        ok = counts > 0
        out[ok] = self.vals[self.starts[keys[ok]] + off[ok]]
        return out

    def first(self, keys: np.ndarray) -> np.ndarray:
        """The first item of each key; -1 where the key has none."""
        out = np.full(len(keys), -1, dtype=np.int64)
        ok = self.counts[keys] > 0
        out[ok] = self.vals[self.starts[keys[ok]]]
        return out


def _rank_within(keys: np.ndarray) -> np.ndarray:
    """0-based position of each row among rows with the same key (keys sorted or not)."""
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    idx = np.arange(len(keys))
    start = np.r_[0, np.flatnonzero(sk[1:] != sk[:-1]) + 1] if len(keys) else np.array([], int)
    first = np.zeros(len(keys), dtype=np.int64)
    first[start] = start
    np.maximum.accumulate(first, out=first)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = idx - first
    return rank


def _place_names(rng: np.random.Generator, groups: np.ndarray, n_groups: int) -> pa.Array:
    """Two-character place names, distinct within each group (e.g. 东湖, 翠苑)."""
    pool = len(_FIRST) * len(_SECOND)
    offset = rng.integers(0, pool, n_groups)
    # 37 is coprime with the pool size (900), so k*37 visits distinct names within a group;
    # it also moves both characters at each step, so neighbours don't share a first one.
    idx = (offset[groups] + _rank_within(groups) * 37) % pool
    return _join(_take(tuple(_FIRST), idx // len(_SECOND)),
                 _take(tuple(_SECOND), idx % len(_SECOND)))


def _person_names(rng: np.random.Generator, n: int) -> pa.Array:
    """Surname + one- or two-character given name; surnames Zipf-weighted."""
    sur_p = 1.0 / np.arange(1, len(_SURNAMES) + 1) ** 0.8
    sur = _take(tuple(_SURNAMES), _choice(rng, sur_p, n))
    g1 = _take(tuple(_GIVEN), rng.integers(0, len(_GIVEN), n))
    two = rng.random(n) < 0.7
    g2 = _take(("",) + tuple(_GIVEN), np.where(two, rng.integers(1, len(_GIVEN) + 1, n), 0))
    return _join(sur, g1, g2)


def _dedup_names(names: pa.Array) -> pa.Array:
    """Append (二), (三) … to repeated names so names read as distinct."""
    codes = pc.dictionary_encode(names).indices.to_numpy(zero_copy_only=False)
    rank = np.minimum(_rank_within(codes), len(_CN_NUM) - 1)
    tag = _take(tuple("" if not s else f"({s})" for s in _CN_NUM), rank)
    return _join(names, tag)


# ----------------------------------------------------------------------- credit codes
_GB11714_W = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)


def _credit_codes(rng: np.random.Generator, head: np.ndarray, county: np.ndarray,
                  body_prefix: str) -> pa.Array:
    """Valid 18-character unified social credit codes (GB 32100, GB 11714 body check).

    ``head`` holds the 2-character registration authority + type (``51`` social group,
    ``52`` social service agency, ``53`` foundation, ``91`` enterprise); ``county`` the
    6-digit division code of each row.
    """
    n = len(head)
    if n == 0:
        return pa.array([], pa.string())
    # Unique 6-digit serials so codes never collide within one call.
    serial = rng.choice(1_000_000, size=n, replace=False)
    digits = (serial[:, None] // 10 ** np.arange(5, -1, -1)) % 10
    # GB 11714: letters count 10..35 (M=22, J=19, A=10).
    pre_vals = np.array([ord(c) - 55 if c.isalpha() else int(c) for c in body_prefix])
    body8 = np.hstack([np.broadcast_to(pre_vals, (n, 2)), digits])
    c9 = 11 - (body8 * _GB11714_W).sum(axis=1) % 11
    c9_char = np.where(c9 == 10, "X", np.where(c9 == 11, "0", c9.astype(str)))
    serial_s = pa.array(serial).cast(pa.string())
    prefix17 = _join(pa.array(head.astype(str)), pa.array(county.astype(str)), body_prefix,
                     pc.utf8_lpad(serial_s, 6, "0"), pa.array(c9_char.astype(str)))
    raw = np.frombuffer(pa.array(prefix17).buffers()[2], dtype=np.uint8)[: n * 17]
    lookup = np.full(256, -1, dtype=np.int64)
    for i, c in enumerate(_CC_CHARSET):
        lookup[ord(c)] = i
    vals = lookup[raw.reshape(n, 17)]
    check = (31 - (vals * np.array(_CC_WEIGHTS, dtype=np.int64)).sum(axis=1) % 31) % 31
    return _join(prefix17, _take(tuple(_CC_CHARSET), check))


# ---------------------------------------------------------------------------- regions
@dataclass
class _Regions:
    city: pd.DataFrame      # code, name
    county: pd.DataFrame    # code, name, city (index)
    town: pd.DataFrame      # code, name, kind, county (index)


def _read_divisions(path: Path | str | io.StringIO) -> pd.DataFrame:
    """The divisions CSV as strings, checked for the expected columns."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in _DIVISION_COLUMNS if c not in df.columns]
    if missing:
        raise WusheError(
            f"The divisions file lacks column(s) {', '.join(missing)}; it needs "
            f"{', '.join(_DIVISION_COLUMNS)}.",
            f"区划文件缺少列 {', '.join(missing)};需要 {', '.join(_DIVISION_COLUMNS)}。",
        )
    bad = sorted(set(df["township_kind"]) - set(_KIND_P))
    if bad:
        raise WusheError(
            f"Unknown township_kind {bad[0]!r} in the divisions file; use one of "
            f"{', '.join(_KIND_P)}.",
            f"区划文件中的 township_kind {bad[0]!r} 无法识别;可选 {', '.join(_KIND_P)}。",
        )
    return df


def _first_n(df: pd.DataFrame, by: list[str], col: str, n: int | None) -> pd.DataFrame:
    """Rows whose ``col`` is among the first ``n`` distinct values within each ``by`` group."""
    if n is None:
        return df
    firsts = df.drop_duplicates(by + [col])
    keep = firsts[firsts.groupby(by, sort=False).cumcount() < n][col] if by else \
        firsts[col].iloc[:n]
    return df[df[col].isin(set(keep))]


def _regions_from_divisions(df: pd.DataFrame, cities: int | None, counties: int | None,
                            towns: int | None) -> _Regions:
    """Real City/County/Township rows from a divisions frame, optionally the first N."""
    df = _first_n(df, [], "city_code", cities)
    df = _first_n(df, ["city_code"], "county_code", counties)
    df = _first_n(df, ["county_code"], "township_code", towns)
    df = df.reset_index(drop=True)
    city = df.drop_duplicates("city_code")[["city_code", "city_name"]]
    city.columns = ["code", "name"]
    city = city.reset_index(drop=True)
    county = df.drop_duplicates("county_code")[["county_code", "county_name", "city_code"]]
    county = county.reset_index(drop=True)
    county["city"] = county["city_code"].map(dict(zip(city["code"], city.index, strict=True)))
    county = county.rename(columns={"county_code": "code", "county_name": "name"})[
        ["code", "name", "city"]]
    town = df[["township_code", "township_name", "township_kind", "county_code"]].copy()
    town["county"] = town["county_code"].map(
        dict(zip(county["code"], county.index, strict=True)))
    town = town.rename(columns={"township_code": "code", "township_name": "name",
                                "township_kind": "kind"})[["code", "name", "kind", "county"]]
    return _Regions(city, county, town.reset_index(drop=True))


def _subset_regions(reg: _Regions, keep: np.ndarray) -> _Regions:
    """The townships where ``keep`` is true, with the counties and cities above them."""
    town = reg.town[keep].reset_index(drop=True)
    used_cty = np.unique(town["county"].to_numpy())
    county = reg.county.iloc[used_cty].reset_index(drop=True)
    town["county"] = np.searchsorted(used_cty, town["county"].to_numpy())
    used_city = np.unique(county["city"].to_numpy())
    city = reg.city.iloc[used_city].reset_index(drop=True)
    county["city"] = np.searchsorted(used_city, county["city"].to_numpy())
    return _Regions(city, county, town)


def _synthetic_regions(rng: np.random.Generator, cities: int, counties: int,
                       towns: int) -> _Regions:
    """Invented cities (示范市 …), counties and townships with codes under fake province 99."""
    n_cty = cities * counties
    n_twn = n_cty * towns
    city_names = ["示范市"] + [f"{_FIRST[i]}州市" for i in
                              rng.choice(len(_FIRST), cities - 1, replace=False)]
    city = pd.DataFrame({"code": [f"99{i + 1:02d}" for i in range(cities)],
                         "name": city_names})
    cty_city = np.repeat(np.arange(cities), counties)
    cty_suffix = _take(("区", "县", "市"), _choice(rng, np.array([0.5, 0.4, 0.1]), n_cty))
    county = pd.DataFrame({
        "code": [f"{city['code'][c]}{k + 1:02d}" for c, k in
                 zip(cty_city, np.tile(np.arange(counties), cities), strict=True)],
        "name": _join(_place_names(rng, cty_city, cities), cty_suffix).to_pylist(),
        "city": cty_city,
    })
    twn_cty = np.repeat(np.arange(n_cty), towns)
    kinds = np.array(list(_KIND_P))
    kind = kinds[_choice(rng, np.array(list(_KIND_P.values()), float), n_twn)]
    suffix = pd.Series(kind).map({"street": "街道", "town": "镇", "township": "乡",
                                  "other": "开发区"}).to_numpy()
    town = pd.DataFrame({
        "code": [f"{county['code'][c]}{k + 1:03d}" for c, k in
                 zip(twn_cty, np.tile(np.arange(towns), n_cty), strict=True)],
        "name": _join(_place_names(rng, twn_cty, n_cty),
                      pa.array(suffix.astype(str))).to_pylist(),
        "kind": kind,
        "county": twn_cty,
    })
    return _Regions(city, county, town)


# ---------------------------------------------------------------------------- builder
class _Builder:
    """Accumulates node and relationship frames in schema order."""

    def __init__(self) -> None:
        self.nodes: dict[str, pd.DataFrame] = {}
        self.rels: dict[str, list[pd.DataFrame]] = {}

    def node(self, label: str, cols: dict[str, object]) -> None:
        order = [p.name for p in SCHEMA.node(label).all_props if p.name in cols]
        self.nodes[label] = pd.DataFrame({k: cols[k] for k in order})

    def rel(self, rtype: str, from_label: str, to_label: str, src: pa.Array, dst: pa.Array,
            props: dict[str, object] | None = None) -> None:
        n = len(src)
        frame = pd.DataFrame({
            "from": _s(src), "to": _s(dst),
            "from_label": pd.Categorical.from_codes(np.zeros(n, np.int8), [from_label]),
            "to_label": pd.Categorical.from_codes(np.zeros(n, np.int8), [to_label]),
            **(props or {}),
        })
        self.rels.setdefault(rtype, []).append(frame)

    def tables(self) -> GraphTables:
        nodes = {n: self.nodes[n] for n in SCHEMA.node_names if n in self.nodes}
        rels = {}
        for r in SCHEMA.rel_names:
            if r not in self.rels:
                continue
            parts = self.rels[r]
            if len(parts) == 1:
                rels[r] = parts[0]
                continue
            labels_f = sorted({str(p["from_label"].cat.categories[0]) for p in parts})
            labels_t = sorted({str(p["to_label"].cat.categories[0]) for p in parts})
            for p in parts:
                p["from_label"] = p["from_label"].cat.set_categories(labels_f)
                p["to_label"] = p["to_label"].cat.set_categories(labels_t)
            rels[r] = pd.concat(parts, ignore_index=True)
        return GraphTables(nodes=nodes, rels=rels)


def _n_from_scale(rng: np.random.Generator, base: np.ndarray, scale: float) -> np.ndarray:
    """Scale integer counts with stochastic rounding (keeps the expected total exact)."""
    x = base * scale
    return (np.floor(x) + (rng.random(len(base)) < x - np.floor(x))).astype(np.int64)


def generate_with_profiles(
    *, seed: int = 1, divisions: Path | str | None = None, cities: int | None = None,
    counties_per_city: int | None = None, townships_per_county: int | None = None,
    scale: float = 1.0, volunteers: int | None = None, communities: int | None = None,
    _divisions_text: str | None = None,
) -> tuple[GraphTables, pd.DataFrame]:
    """Like :func:`generate`, also returning each community's drawn profile.

    Returns
    -------
    tables : GraphTables
    profiles : pandas.DataFrame
        One row per community: ``id``, ``kind``, ``mode`` (one of :data:`MODES`) and
        ``condition`` (one of :data:`CONDITIONS`).
    """
    if not 0 < scale <= 10:
        # Above 10 the 3-digit community codes (urban 001-199, rural 201-999) would clash.
        raise WusheError(f"scale must be in (0, 10], got {scale}.",
                         f"scale 须在 (0, 10] 之间,当前为 {scale}。")
    rng = np.random.default_rng(seed)
    b = _Builder()

    # ---------------------------------------------------------------- regions
    if _divisions_text is not None:
        reg = _regions_from_divisions(_read_divisions(io.StringIO(_divisions_text)), cities,
                                      counties_per_city, townships_per_county)
    elif divisions is not None:
        reg = _regions_from_divisions(_read_divisions(divisions), cities, counties_per_city,
                                      townships_per_county)
    else:
        reg = _synthetic_regions(rng, cities or 11, counties_per_city or 8,
                                 townships_per_county or 16)
    # ------------------------------------------------------------ communities
    kind = reg.town["kind"].to_numpy()
    n_urban = np.zeros(len(kind), np.int64)
    n_rural = np.zeros(len(kind), np.int64)
    for k in _KIND_P:
        m = kind == k
        lo, hi = _URBAN_RANGE[k]
        n_urban[m] = rng.integers(lo, hi, m.sum()) if hi > lo else lo
        lo, hi = _RURAL_RANGE[k]
        n_rural[m] = rng.integers(lo, hi, m.sum())
    m = kind == "township"
    n_urban[m] = (rng.random(m.sum()) < _TOWNSHIP_HAS_URBAN).astype(np.int64)
    if communities is not None:   # a target total: fold it into the scale
        scale = scale * communities / max(1, int(n_urban.sum() + n_rural.sum()))
    if scale < 1:
        # A smaller province keeps whole townships (each with its station and its usual
        # 10-30 communities) rather than thinning every township.
        keep = rng.random(len(kind)) < scale
        if not keep.any():
            keep[rng.integers(0, len(kind))] = True
        reg = _subset_regions(reg, keep)
        n_urban, n_rural, kind = n_urban[keep], n_rural[keep], kind[keep]
    elif scale > 1:
        n_urban = _n_from_scale(rng, n_urban, scale)
        n_rural = _n_from_scale(rng, n_rural, scale)
    empty = (n_urban + n_rural) == 0
    n_urban[empty & (kind == "street")] = 1
    n_rural[empty & (kind != "street")] = 1
    city, county, town = reg.city, reg.county, reg.town
    n_town = len(town)
    city_ids = _join("city-", pa.array(city["code"], pa.string()))
    county_ids = _join("county-", pa.array(county["code"], pa.string()))
    town_ids = _join("town-", pa.array(town["code"], pa.string()))
    b.node("City", {"id": _s(city_ids), "name": city["name"].astype("str"),
                    "code": city["code"].astype("str")})
    b.node("County", {"id": _s(county_ids), "name": county["name"].astype("str"),
                      "code": county["code"].astype("str")})
    b.node("Township", {"id": _s(town_ids), "name": town["name"].astype("str"),
                        "code": town["code"].astype("str"), "kind": town["kind"].astype("str")})
    b.rel("PART_OF", "County", "City", county_ids, _take(city_ids, county["city"].to_numpy()))
    town_county = town["county"].to_numpy(np.int64)
    b.rel("PART_OF", "Township", "County", town_ids, _take(county_ids, town_county))

    # Communities ordered by township, urban (居委会, codes 001…) before rural (村, 201…).
    per_town = n_urban + n_rural
    c_town = np.repeat(np.arange(n_town), per_town)
    n_comm = len(c_town)
    c_rank = _rank_within(c_town)
    c_rural = c_rank >= n_urban[c_town]
    c_seq = np.where(c_rural, 201 + c_rank - n_urban[c_town], 1 + c_rank)
    c_code = _join(_take(pa.array(town["code"], pa.string()), c_town),
                   pc.utf8_lpad(pa.array(c_seq).cast(pa.string()), 3, "0"))
    comm_ids = _join("comm-", c_code)
    c_short = _place_names(rng, c_town, n_town)
    c_name = _join(c_short, _take(("社区", "村"), c_rural.astype(np.int64)))
    c_kind = np.where(c_rural, "rural", "urban")

    pop_mean = np.where(c_rural, 1200.0, 8000.0)
    pop = np.round(pop_mean * rng.lognormal(-0.125, 0.5, n_comm)).astype(np.int64) + 50
    households = np.round(pop / rng.uniform(2.4, 3.1, n_comm)).astype(np.int64)
    starred = rng.random(n_comm) < np.where(c_rural, 0.02, 0.12)
    star = np.where(starred, 1 + _choice(rng, np.array([.3, .25, .2, .15, .1]), n_comm), 0)
    fulltime = np.where(c_rural, 1 + rng.poisson(1.0, n_comm), 2 + rng.poisson(3.0, n_comm))
    cert_share = rng.beta(np.where(c_rural, 5.5, 7.0), 4.0, n_comm)
    certified = rng.binomial(fulltime, cert_share)

    mode = _choice(rng, np.array(MODE_PROBS), n_comm)
    cond = _choice(rng, np.array(CONDITION_PROBS), n_comm)
    # A condition that removes the mode's own element would contradict the mode.
    cond_names = np.array(CONDITIONS)[cond]
    mode[(cond_names == "no_orgs") & (mode == 1)] = 0
    mode[(cond_names == "no_volunteers") & (mode == 3)] = 5
    mode[(cond_names == "no_charity") & (mode == 4)] = 0
    no_orgs = cond_names == "no_orgs"
    no_charity = cond_names == "no_charity"
    no_vol = cond_names == "no_volunteers"
    broker_c = cond_names == "single_broker"
    idle_c = cond_names == "idle"
    well = cond_names == "well_linked"

    b.node("Community", {
        "id": _s(comm_ids), "name": _s(c_name), "code": _s(c_code),
        "kind": pd.Series(c_kind, dtype="str"), "population": pop, "households": households,
        "complex_star": star.astype(np.int64), "fulltime_workers": fulltime.astype(np.int64),
        "certified_workers": certified.astype(np.int64),
    })
    b.rel("PART_OF", "Community", "Township", comm_ids, _take(town_ids, c_town))

    # -------------------------------------------------------- party committees
    big = rng.random(n_comm) < np.where(c_rural, 0.35, 0.65)
    pc_kind = np.where(big, 0, np.where(rng.random(n_comm) < 0.5, 1, 2))
    pc_ids = _join("pc-", c_code)
    pc_name = _join(c_name, _take(("党委", "党总支", "党支部"), pc_kind))

    # --------------------------------------------------------- organizations
    org_mean = np.where(c_rural, _ORGS_PER["rural"], _ORGS_PER["urban"])
    n_corg = rng.poisson(org_mean * rng.lognormal(-0.06, 0.35, n_comm))
    n_corg[no_orgs] = 0
    n_corg[broker_c] = np.maximum(n_corg[broker_c], 1)
    o_comm = np.repeat(np.arange(n_comm), n_corg)
    n_co = len(o_comm)
    cats = list(_CATEGORY_MIX)
    o_cat = _choice(rng, np.array(list(_CATEGORY_MIX.values())), n_co)
    o_first = _rank_within(o_comm) == 0
    # Most communities have a volunteer-service team as their first organization.
    o_vs = (o_first & (rng.random(n_co) < 0.85)) | (o_cat == cats.index("志愿")) | (
        (o_cat == cats.index("服务")) & (rng.random(n_co) < 0.08))
    o_cat[o_vs & (o_cat != cats.index("志愿"))] = cats.index("服务")
    suffix_flat: list[str] = []
    suffix_start = []
    for c in cats:
        suffix_start.append(len(suffix_flat))
        suffix_flat.extend(_COMMUNITY_ORG_SUFFIX[c])
    suffix_len = np.array([len(_COMMUNITY_ORG_SUFFIX[c]) for c in cats])
    sfx = np.array(suffix_start)[o_cat] + (rng.random(n_co) * suffix_len[o_cat]).astype(int)
    vs_sfx = rng.integers(0, len(_VOLUNTEER_TEAM_SUFFIX), n_co)
    o_suffix = pc.if_else(pa.array(o_vs), _take(_VOLUNTEER_TEAM_SUFFIX, vs_sfx),
                          _take(tuple(suffix_flat), sfx))
    co_name = _dedup_names(_join(_take(c_name, o_comm), o_suffix))
    co_registered = rng.random(n_co) < _REGISTERED_COMMUNITY_SHARE

    # Registered organizations based in townships (county-level registration).
    comm_per_town = np.bincount(c_town, minlength=n_town)
    n_torg = rng.poisson(_TOWNSHIP_ORGS_PER_COMMUNITY * comm_per_town)
    t_town = np.repeat(np.arange(n_town), n_torg)
    n_to = len(t_town)
    t_kind = rng.integers(0, len(_TOWNSHIP_ORGS), n_to)
    t_brand = rng.integers(0, len(_BRANDS), n_to)
    to_name = _dedup_names(_join(
        _take(pa.array(county["name"], pa.string()), town_county[t_town]),
        _take(_BRANDS, t_brand), _take(tuple(s for s, _, _ in _TOWNSHIP_ORGS), t_kind)))
    all_cats = cats + [c for _, c, _ in _TOWNSHIP_ORGS if c not in cats]
    to_cat = np.array([all_cats.index(c) for _, c, _ in _TOWNSHIP_ORGS])[t_kind]
    to_form_name = np.array([f for _, _, f in _TOWNSHIP_ORGS])[t_kind]

    n_org = n_co + n_to
    org_ids = _num_ids("org-", n_org, 7)
    org_is_comm = np.r_[np.ones(n_co, bool), np.zeros(n_to, bool)]
    org_cat = np.r_[o_cat, to_cat]
    org_vs = np.r_[o_vs, (to_cat == all_cats.index("志愿"))]
    org_town = np.r_[c_town[o_comm], t_town]
    org_county = town_county[org_town]
    org_registered = np.r_[co_registered, np.ones(n_to, bool)]
    forms = np.array(["社会团体", "社会服务机构", "基金会", "备案"])
    org_form = np.r_[np.where(co_registered, np.where(rng.random(n_co) < 0.7, 0, 1), 3),
                     np.where(to_form_name == "社会团体", 0, 1)]
    reg_idx = np.flatnonzero(org_registered)
    county_code = county["code"].to_numpy().astype(str)
    heads = np.where(org_form[reg_idx] == 0, "51", "52")
    codes = _credit_codes(rng, heads, county_code[org_county[reg_idx]], "MJ")
    credit = np.full(n_org, None, dtype=object)
    credit[reg_idx] = codes.to_numpy(zero_copy_only=False)
    filed_idx = np.flatnonzero(~org_registered)
    filing = np.full(n_org, None, dtype=object)
    filing_seq = _rank_within(org_town[filed_idx]) + 1
    filing[filed_idx] = _join(
        "BA", _take(pa.array(town["code"], pa.string()), org_town[filed_idx]), "-",
        pc.utf8_lpad(pa.array(filing_seq).cast(pa.string()), 4, "0"),
    ).to_numpy(zero_copy_only=False)
    rated = org_registered & (rng.random(n_org) < _RATED_SHARE)
    rating_lvl = _choice(rng, np.array(_RATING_P), n_org)
    rating = np.where(rated, np.array(_RATING_LEVELS)[rating_lvl], None)
    expiry = _days("2024-01-01") + rng.integers(0, 6 * 365, n_org)
    reg_day = np.where(org_registered,
                       _days("2005-01-01") + rng.integers(0, 20 * 365, n_org),
                       _days("2015-01-01") + rng.integers(0, 10 * 365 + 150, n_org))
    # Organization activity: per-community vitality decides how many are highly active.
    vitality = rng.beta(2.0, 3.0, n_comm)
    org_vital = np.r_[vitality[o_comm], rng.beta(2.0, 3.0, n_to)]
    high = rng.random(n_org) < org_vital * 0.9
    acts = np.where(high, rng.integers(12, 49, n_org), rng.integers(0, 12, n_org))
    months = np.where(high, rng.integers(6, 13, n_org),
                      np.minimum(acts, rng.integers(1, 6, n_org)))
    staff = np.r_[np.zeros(n_co, np.int64),
                  rng.poisson(np.where(to_form_name == "社会团体", 0.5, 3.2))]
    b.node("Organization", {
        "id": _s(org_ids),
        "name": _s(pa.concat_arrays([co_name, to_name])),
        "credit_code": pd.Series(credit, dtype="str"),
        "filing_no": pd.Series(filing, dtype="str"),
        "form": pd.Series(forms[org_form], dtype="str"),
        "category": pd.Series(np.array(all_cats)[org_cat], dtype="str"),
        "rating": pd.Series(rating, dtype="str"),
        "rating_expiry": pd.Series(pd.arrays.ArrowExtensionArray(
            pa.array(np.where(rated, expiry, 0).astype(np.int32), pa.date32(),
                     mask=~rated))),
        "is_community_org": org_is_comm,
        "is_volunteer_service": org_vs,
        "registered_on": _date_series(reg_day),
        "staff": staff.astype(np.int64),
        "activities_12m": acts.astype(np.int64),
        "active_months_12m": months.astype(np.int64),
    })
    b.rel("BASED_IN", "Organization", "Community", org_ids[:n_co], _take(comm_ids, o_comm))
    b.rel("BASED_IN", "Organization", "Township", org_ids[n_co:], _take(town_ids, t_town))
    # Township organizations serve 1–4 communities of their township (never a no-org one).
    eligible = _Pool.build(c_town[~no_orgs], n_town, np.flatnonzero(~no_orgs))
    k_serve = rng.integers(1, 5, n_to)
    s_org = np.repeat(np.arange(n_to), k_serve)
    s_comm = eligible.pick(rng, t_town[s_org])
    ok = s_comm >= 0
    pairs = np.unique(np.c_[s_org[ok], s_comm[ok]], axis=0) if ok.any() else \
        np.zeros((0, 2), np.int64)
    s_org, s_comm = pairs[:, 0], pairs[:, 1]
    b.rel("SERVES", "Organization", "Community", _take(org_ids, n_co + s_org),
          _take(comm_ids, s_comm))
    # Organizations a community can draw on: its own plus the township ones serving it.
    org_pool = _Pool.build(np.r_[o_comm, s_comm], n_comm, np.r_[np.arange(n_co), n_co + s_org])
    vs_mask = org_vs[org_pool.vals]
    team_pool = _Pool.build(np.repeat(np.arange(n_comm), org_pool.counts)[vs_mask], n_comm,
                            org_pool.vals[vs_mask])
    broker = np.where(broker_c, _Pool.build(o_comm, n_comm, np.arange(n_co)).first(
        np.arange(n_comm)), -1)

    # -------------------------------------------------------------- workers
    sw_comm = np.repeat(np.arange(n_comm), fulltime)
    n_cw = len(sw_comm)
    cw_cert = _rank_within(sw_comm) < certified[sw_comm]
    levels = np.array(["none", "assistant", "intermediate", "senior"])
    cert_level = _choice(rng, np.array([0.6, 0.35, 0.05]), n_cw) + 1
    cw_level = np.where(cw_cert, cert_level, 0)
    # Stations: a social-work station in ~95% of townships, a service centre in ~98%.
    has_sws = rng.random(n_town) < 0.95
    has_osc = rng.random(n_town) < 1362 / 1387
    st_town = np.r_[np.flatnonzero(has_sws), np.flatnonzero(has_osc)]
    st_kind = np.r_[np.zeros(has_sws.sum(), np.int64), np.ones(has_osc.sum(), np.int64)]
    n_st = len(st_town)
    st_ids = _join("stn-", _take(pa.array(town["code"], pa.string()), st_town),
                   _take(("-sws", "-osc"), st_kind))
    st_name = _join(_take(pa.array(town["name"], pa.string()), st_town),
                    _take(("社会工作站", "社会组织服务中心"), st_kind))
    st_cert = np.where(st_kind == 0, rng.integers(3, 7, n_st), rng.integers(0, 3, n_st))
    st_uncert = np.where(st_kind == 0, rng.integers(0, 3, n_st), rng.integers(1, 3, n_st))
    # Rating evaluation applies to service centres only; stations leave it blank.
    st_eval = pd.array(rng.random(n_st) < 0.8, dtype="boolean")
    st_eval[st_kind == 0] = pd.NA
    b.node("Station", {
        "id": _s(st_ids), "name": _s(st_name),
        "kind": pd.Series(np.where(st_kind == 0, "social_work_station", "org_service_center"),
                          dtype="str"),
        "evaluated": st_eval, "certified_staff": st_cert.astype(np.int64),
    })
    b.rel("LOCATED_IN", "Station", "Township", st_ids, _take(town_ids, st_town))
    sws_of_town = np.full(n_town, -1, np.int64)
    sws_of_town[st_town[st_kind == 0]] = np.flatnonzero(st_kind == 0)
    ss_station = np.repeat(np.arange(n_st), st_cert + st_uncert)
    ss_cert = _rank_within(ss_station) < st_cert[ss_station]
    ss_level = np.where(ss_cert, _choice(rng, np.array([0.5, 0.42, 0.08]), len(ss_station))
                        + 1, 0)
    ag_org = n_co + np.repeat(np.arange(n_to), staff[n_co:])
    ag_level = np.where(rng.random(len(ag_org)) < 0.62,
                        _choice(rng, np.array([0.55, 0.4, 0.05]), len(ag_org)) + 1, 0)
    n_sw = n_cw + len(ss_station) + len(ag_org)
    sw_ids = _num_ids("sw-", n_sw, 7)
    sw_level = np.r_[cw_level, ss_level, ag_level]
    sw_role = np.r_[np.zeros(n_cw, np.int64), np.full(len(ss_station), 2),
                    np.ones(len(ag_org), np.int64)]
    b.node("SocialWorker", {
        "id": _s(sw_ids), "name": _s(_person_names(rng, n_sw)),
        "certificate": pd.Series(levels[sw_level], dtype="str"),
        "role": pd.Series(np.array(["community_worker", "agency_worker",
                                    "station_worker"])[sw_role], dtype="str"),
    })
    b.rel("WORKS_AT", "SocialWorker", "Community", sw_ids[:n_cw], _take(comm_ids, sw_comm))
    b.rel("WORKS_AT", "SocialWorker", "Organization", sw_ids[n_cw + len(ss_station):],
          _take(org_ids, ag_org))
    b.rel("WORKS_AT", "SocialWorker", "Station", sw_ids[n_cw:n_cw + len(ss_station)],
          _take(st_ids, ss_station))
    cw_pool = _Pool.build(sw_comm, n_comm)
    st_sw_pool = _Pool.build(st_town[ss_station], n_town, n_cw + np.arange(len(ss_station)))

    # ------------------------------------------------------------ foundations
    comm_scale = n_comm / 23_300
    n_cf = max(1, int(round(200 * comm_scale)))
    street_w = np.where(kind == "street", 3.0, 1.0) * np.maximum(comm_per_town, 1)
    cf_town = _choice(rng, street_w, n_cf)
    ok_char = ~no_charity
    cand = np.flatnonzero(ok_char)
    n_fund = rng.binomial(n_comm, 0.10)
    n_ent = rng.binomial(n_comm, 0.125)
    n_ind = rng.binomial(n_comm, 0.085)
    fund_comm = cand[rng.integers(0, len(cand), n_fund)] if len(cand) else \
        np.zeros(0, np.int64)
    ent_town = _choice(rng, np.maximum(comm_per_town, 1).astype(float), n_ent)
    ind_comm = cand[rng.integers(0, len(cand), n_ind)] if len(cand) else np.zeros(0, np.int64)
    f_kind = np.r_[np.zeros(n_cf, np.int64), np.ones(n_fund, np.int64),
                   np.full(n_ent, 2), np.full(len(ind_comm), 3)]
    n_f = len(f_kind)
    f_ids = _num_ids("fdn-", n_f, 5)
    town_names = pa.array(town["name"], pa.string())
    f_name = pa.concat_arrays([
        _join(_take(pa.array(county["name"], pa.string()), town_county[cf_town]),
              _take(town_names, cf_town), "社区发展基金会"),
        _join(_take(c_name, fund_comm),
              _take(("关爱基金", "幸福基金", "邻里互助基金", "共富基金"),
                    rng.integers(0, 4, n_fund))),
        _join("浙江", _take(tuple(_FIRST), rng.integers(0, len(_FIRST), n_ent)),
              _take(tuple(_SECOND), rng.integers(0, len(_SECOND), n_ent)),
              _take(_INDUSTRY, rng.integers(0, len(_INDUSTRY), n_ent)), "有限公司"),
        _join("爱心人士", _take(tuple(_SURNAMES[:30]), rng.integers(0, 30, len(ind_comm))),
              _take(("先生", "女士"), rng.integers(0, 2, len(ind_comm)))),
    ])
    f_town = np.r_[cf_town, c_town[fund_comm], ent_town, c_town[ind_comm]]
    f_credit = np.full(n_f, None, dtype=object)
    has_cc = (f_kind == 0) | (f_kind == 2)
    f_credit[has_cc] = _credit_codes(
        rng, np.where(f_kind[has_cc] == 0, "53", "91"),
        county_code[town_county[f_town[has_cc]]], "MA").to_numpy(zero_copy_only=False)
    f_assets = np.round(np.array([1e6, 2e5, 2e6, 3e4])[f_kind]
                        * rng.lognormal(-0.3, 0.8, n_f), -2)
    b.node("Foundation", {
        "id": _s(f_ids), "name": _s(f_name),
        "kind": pd.Series(np.array(["community_foundation", "charitable_fund",
                                    "enterprise_donor", "individual_donor"])[f_kind],
                          dtype="str"),
        "credit_code": pd.Series(f_credit, dtype="str"), "assets": f_assets,
    })
    f_in_town = (f_kind == 0) | (f_kind == 2)
    f_comm = np.r_[np.full(n_cf, -1), fund_comm, np.full(n_ent, -1), ind_comm]
    b.rel("BASED_IN", "Foundation", "Community", _take(f_ids, np.flatnonzero(~f_in_town)),
          _take(comm_ids, f_comm[~f_in_town]))
    b.rel("BASED_IN", "Foundation", "Township", _take(f_ids, np.flatnonzero(f_in_town)),
          _take(town_ids, f_town[f_in_town]))
    # Dormant foundations never fund a project (idle charity resources).
    f_active = rng.random(n_f) < 0.8
    # A community draws on charity based in it or in its township (not if no_charity).
    fa = np.flatnonzero(f_active & f_in_town)
    # Weight community foundations ×4 so grants are not swamped by the many donors.
    fa = np.r_[fa, np.repeat(fa[f_kind[fa] == 0], 3)]
    town_f = _Pool.build(f_town[fa], n_town, fa)
    rep = np.repeat(np.arange(n_comm), town_f.counts[c_town])
    rep_f = town_f.vals[np.concatenate([np.arange(s, s + c) for s, c in
                                        zip(town_f.starts[c_town], town_f.counts[c_town],
                                            strict=True)])] if len(rep) else rep
    fc = np.flatnonzero(f_active & ~f_in_town)
    fc = np.r_[fc, fc[f_kind[fc] == 1]]     # charitable funds ×2 against individual donors
    keys = np.r_[rep, f_comm[fc]]
    vals = np.r_[rep_f, fc]
    keep = ~no_charity[keys]
    charity_pool = _Pool.build(keys[keep], n_comm, vals[keep])

    # ------------------------------------------------- party committee members
    pc_member_n = np.where(big, rng.integers(3, 13, n_comm), 0)
    m_comm = np.repeat(np.arange(n_comm), pc_member_n)
    m_org = org_pool.pick(rng, m_comm)
    m_f = charity_pool.pick(rng, m_comm)
    use_f = (rng.random(len(m_comm)) < 0.15) & (m_f >= 0)
    mo = np.unique(np.c_[m_org, m_comm][(~use_f) & (m_org >= 0)], axis=0)
    mf = np.unique(np.c_[m_f, m_comm][use_f], axis=0)
    member_units = np.bincount(mo[:, 1], minlength=n_comm) + np.bincount(mf[:, 1],
                                                                        minlength=n_comm)
    b.node("PartyCommittee", {"id": _s(pc_ids), "name": _s(pc_name), "is_big_committee": big,
                              "member_units": member_units.astype(np.int64)})
    b.rel("LEADS", "PartyCommittee", "Community", pc_ids, comm_ids)
    b.rel("MEMBER_UNIT_OF", "Organization", "PartyCommittee", _take(org_ids, mo[:, 0]),
          _take(pc_ids, mo[:, 1]))
    b.rel("MEMBER_UNIT_OF", "Foundation", "PartyCommittee", _take(f_ids, mf[:, 0]),
          _take(pc_ids, mf[:, 1]))

    # ------------------------------------------------------------- volunteers
    total_pop = int(pop.sum())
    n_vol = int(volunteers) if volunteers is not None else int(round(total_pop * VOLUNTEER_RATE))
    v_weight = pop * rng.lognormal(-0.08, 0.4, n_comm)
    v_weight[no_vol] = 0.0
    v_count = rng.multinomial(n_vol, v_weight / v_weight.sum()) if n_vol else \
        np.zeros(n_comm, np.int64)
    v_comm = np.repeat(np.arange(n_comm, dtype=np.int32), v_count)
    active_share = rng.beta(6.0, 4.0, n_comm)
    v_active = rng.random(n_vol, dtype=np.float32) < active_share[v_comm]
    hours = np.where(v_active, np.round(rng.lognormal(2.8, 0.9, n_vol) * 2) / 2 + 0.5, 0.0)
    v_acts = np.where(v_active, 1 + rng.poisson(hours / 6), 0).astype(np.int16)
    v_months = np.minimum(v_acts, np.where(v_active, rng.integers(1, 13, n_vol), 0)).astype(
        np.int16)
    vol_ids = _num_ids("vol-", n_vol, 8)
    b.node("Volunteer", {
        "id": _s(vol_ids), "name": _s(_person_names(rng, n_vol)),
        "volunteer_no": _s(_join("ZJ", pa.array(np.arange(100_000_001, 100_000_001 + n_vol))
                                 .cast(pa.string()))),
        "hours_12m": hours.astype(np.float32), "activities_12m": v_acts,
        "active_months_12m": v_months,
    })
    b.rel("LIVES_IN", "Volunteer", "Community", vol_ids, _take(comm_ids, v_comm))
    member = rng.random(n_vol, dtype=np.float32) < np.where(v_active, 0.55, 0.2)
    mv = np.flatnonzero(member)
    team = team_pool.pick(rng, v_comm[mv].astype(np.int64))
    mv, team = mv[team >= 0], team[team >= 0]
    b.rel("MEMBER_OF", "Volunteer", "Organization", _take(vol_ids, mv), _take(org_ids, team))
    act_v = np.flatnonzero(v_active)
    vol_pool = _Pool.build(v_comm[act_v].astype(np.int64), n_comm, act_v)
    del v_comm, hours, v_acts, v_months, member, v_active

    # --------------------------------------------------------------- projects
    lam = np.where(c_rural, 2.5, 4.0) * np.where(well, 1.5, 1.0)
    n_proj_c = rng.poisson(lam)
    n_proj_c[idle_c] = 0
    n_proj_c[(broker_c | well) & (n_proj_c < 3)] = 3
    p_comm = np.repeat(np.arange(n_comm), n_proj_c)
    n_p = len(p_comm)
    p_mode = mode[p_comm]
    p_year = rng.integers(2023, 2026, n_p)
    p_scen = rng.integers(0, len(SCENARIOS), n_p)
    base_budget = np.where(p_scen == SCENARIOS.index("民生微实事"), 50_000.0, 80_000.0)
    budget = np.round(base_budget * _BUDGET_FACTOR[p_mode] * rng.lognormal(-0.2, 0.6, n_p),
                      -2) + 1000
    p_start = np.array([_days(f"{y}-01-01") for y in (2023, 2024, 2025)])[p_year - 2023] + \
        rng.integers(0, 300, n_p)
    tpl_flat = [t for s in SCENARIOS for t in _PROJECT_NAMES[s]]
    tpl = p_scen * 3 + rng.integers(0, 3, n_p)
    proj_ids = _num_ids("prj-", n_p, 6)
    p_name = _dedup_names(_join(_take(c_name, p_comm),
                                pa.array(p_year).cast(pa.string()), "年",
                                _take(tuple(tpl_flat), tpl), "项目"))
    b.node("Project", {
        "id": _s(proj_ids), "name": _s(p_name),
        "scenario": pd.Series(np.array(SCENARIOS)[p_scen], dtype="str"),
        "year": p_year.astype(np.int64), "budget": budget, "start_date": _date_series(p_start),
    })
    b.rel("RUNS_IN", "Project", "Community", proj_ids, _take(comm_ids, p_comm))

    label_ids = {"Community": comm_ids, "PartyCommittee": pc_ids, "Organization": org_ids,
                 "SocialWorker": sw_ids, "Station": st_ids, "Volunteer": vol_ids,
                 "Foundation": f_ids}
    roles: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray, dict]]] = {}

    def add(role: str, proj: np.ndarray, lab: np.ndarray, idx: np.ndarray,
            props: dict | None = None) -> None:
        roles.setdefault(role, []).append((proj, lab, idx, props or {}))

    L = {name: i for i, name in enumerate(ACTOR_LABELS)}

    def resolve(elem: np.ndarray, proj: np.ndarray, leading: bool) -> tuple[np.ndarray,
                                                                             np.ndarray]:
        """Actor (label code, index) for each project's drawn element; community fallback."""
        comm = p_comm[proj]
        lab = np.full(len(proj), L["Community"], np.int64)
        idx = comm.copy()
        if leading:  # the Party committee often initiates / leads for the community
            pcm = (elem == _E_COMM) & (rng.random(len(proj)) < 0.4)
            lab[pcm] = L["PartyCommittee"]
        o = org_pool.pick(rng, comm)
        o = np.where(broker[comm] >= 0, broker[comm], o)
        m = (elem == _E_ORG) & (o >= 0)
        lab[m], idx[m] = L["Organization"], o[m]
        stn = sws_of_town[c_town[comm]]
        w = cw_pool.pick(rng, comm)
        use_st = (stn >= 0) & ((rng.random(len(proj)) < 0.5) | (w < 0))
        m = (elem == _E_WORKER) & use_st
        lab[m], idx[m] = L["Station"], stn[m]
        m = (elem == _E_WORKER) & ~use_st & (w >= 0)
        lab[m], idx[m] = L["SocialWorker"], w[m]
        v = vol_pool.pick(rng, comm)
        m = (elem == _E_VOL) & (v >= 0)
        lab[m], idx[m] = L["Volunteer"], v[m]
        f = charity_pool.pick(rng, comm)
        m = (elem == _E_CHARITY) & (f >= 0)
        lab[m], idx[m] = L["Foundation"], f[m]
        return lab, idx

    allp = np.arange(n_p)
    init_e = _row_choice(rng, _LEAD_P[p_mode])
    lead_e = np.where(rng.random(n_p) < 0.7, init_e, _row_choice(rng, _LEAD_P[p_mode]))
    add("INITIATED", allp, *resolve(init_e, allp, True))
    add("LEADS", allp, *resolve(lead_e, allp, True))
    del_e = _row_choice(rng, _DELIVER_P[p_mode])
    del_e[well[p_comm]] = _E_ORG
    d_lab, d_idx = resolve(del_e, allp, False)
    bk = broker[p_comm] >= 0
    d_lab[bk], d_idx[bk] = L["Organization"], broker[p_comm][bk]
    add("DELIVERS", allp, d_lab, d_idx)

    # Serving volunteers and social workers (hours).
    nv = rng.poisson(_VOL_SERVE_LAMBDA[p_mode])
    nv[well[p_comm]] = np.maximum(nv[well[p_comm]], 3)
    sv_p = np.repeat(allp, nv)
    sv = vol_pool.pick(rng, p_comm[sv_p])
    ok = sv >= 0
    sv_pairs = np.unique(np.c_[sv[ok], sv_p[ok]], axis=0)
    add("SERVES_IN", sv_pairs[:, 1], np.full(len(sv_pairs), L["Volunteer"]), sv_pairs[:, 0],
        {"hours": np.round(rng.uniform(2, 40, len(sv_pairs)) * 2) / 2})
    ns = rng.poisson(_SW_SERVE_LAMBDA[p_mode])
    ns[well[p_comm]] = np.maximum(ns[well[p_comm]], 1)
    ss_p = np.repeat(allp, ns)
    from_station = rng.random(len(ss_p)) < 0.4
    sw_pick = np.where(from_station, st_sw_pool.pick(rng, c_town[p_comm[ss_p]]),
                       cw_pool.pick(rng, p_comm[ss_p]))
    ok = sw_pick >= 0
    ss_pairs = np.unique(np.c_[sw_pick[ok], ss_p[ok]], axis=0)
    add("SERVES_IN", ss_pairs[:, 1], np.full(len(ss_pairs), L["SocialWorker"]),
        ss_pairs[:, 0], {"hours": np.round(rng.uniform(4, 80, len(ss_pairs)) * 2) / 2})

    # Funding: government purchase (from the Community), charity, self-funded.
    fp = _FUND_P[p_mode]
    draw = rng.random((n_p, 3)) < fp
    draw[well[p_comm], 0] = True
    draw[well[p_comm], 1] = True
    f_pick = charity_pool.pick(rng, p_comm)
    draw[:, 1] &= f_pick >= 0
    self_org = org_pool.pick(rng, p_comm)
    self_org = np.where(broker[p_comm] >= 0, broker[p_comm], self_org)
    none = ~draw.any(axis=1)
    draw[none & (p_mode == 3), 2] = True
    draw[none & (p_mode != 3), 0] = True
    wts = _FUND_W[p_mode] * draw * rng.uniform(0.7, 1.3, (n_p, 3))
    amount = np.round(budget[:, None] * wts / wts.sum(axis=1, keepdims=True), -1)
    g = np.flatnonzero(draw[:, 0])
    add("FUNDS", g, np.full(len(g), L["Community"]), p_comm[g],
        {"amount": amount[g, 0], "channel": np.full(len(g), "government_purchase")})
    c = np.flatnonzero(draw[:, 1])
    ch = np.array(["foundation_grant", "charitable_fund", "donation", "donation"])[
        f_kind[f_pick[c]]]
    add("FUNDS", c, np.full(len(c), L["Foundation"]), f_pick[c],
        {"amount": amount[c, 1], "channel": ch})
    s = np.flatnonzero(draw[:, 2])
    s_lab = np.where(self_org[s] >= 0, L["Organization"], L["PartyCommittee"])
    s_idx = np.where(self_org[s] >= 0, self_org[s], p_comm[s])
    add("FUNDS", s, s_lab, s_idx, {"amount": amount[s, 2],
                                   "channel": np.full(len(s), "self_funded")})

    for role, parts in roles.items():
        proj = np.concatenate([p[0] for p in parts])
        lab = np.concatenate([p[1] for p in parts])
        idx = np.concatenate([p[2] for p in parts])
        props = {k: np.concatenate([p[3][k] for p in parts]) for k in parts[0][3]}
        for code, name in enumerate(ACTOR_LABELS):
            m = lab == code
            if not m.any():
                continue
            extra = {k: (pd.Series(v[m], dtype="str") if v.dtype.kind in "OU" else v[m])
                     for k, v in props.items()}
            b.rel(role, name, "Project", _take(label_ids[name], idx[m]),
                  _take(proj_ids, proj[m]), extra)

    # ------------------------------------------------------------------ needs
    addressed = rng.random(n_p) < 0.65
    ap = np.flatnonzero(addressed)
    n_open = rng.poisson(np.where(idle_c, 3.0, 0.8) + np.where(no_orgs, 1.0, 0.0))
    op_comm = np.repeat(np.arange(n_comm), n_open)
    n_need = len(ap) + len(op_comm)
    need_comm = np.r_[p_comm[ap], op_comm]
    need_cat = np.r_[p_scen[ap], rng.integers(0, len(SCENARIOS), len(op_comm))]
    need_status = np.r_[np.where(p_year[ap] < 2025, 2,
                                 np.where(rng.random(len(ap)) < 0.7, 1, 2)),
                        np.zeros(len(op_comm), np.int64)]
    need_day = np.r_[p_start[ap] - rng.integers(10, 120, len(ap)),
                     _days("2024-01-01") + rng.integers(0, 640, len(op_comm))]
    need_ids = _num_ids("need-", n_need, 6)
    txt_flat = [t for s in SCENARIOS for t in _NEED_TEXT[s]]
    b.node("Need", {
        "id": _s(need_ids),
        "category": pd.Series(np.array(SCENARIOS)[need_cat], dtype="str"),
        "description": _s(_take(tuple(txt_flat), need_cat * 3 + rng.integers(0, 3, n_need))),
        "raised_on": _date_series(need_day),
        "status": pd.Series(np.array(["open", "in_progress", "met"])[need_status], dtype="str"),
    })
    b.rel("RAISED_IN", "Need", "Community", need_ids, _take(comm_ids, need_comm))
    b.rel("ADDRESSES", "Project", "Need", _take(proj_ids, ap), need_ids[: len(ap)])

    profiles = pd.DataFrame({
        "id": _s(comm_ids), "kind": pd.Series(c_kind, dtype="str"),
        "mode": pd.Series(np.array(MODES)[mode], dtype="str"),
        "condition": pd.Series(cond_names, dtype="str"),
    })
    return b.tables(), profiles


def generate(
    *, seed: int = 1, divisions: Path | str | None = None, cities: int | None = None,
    counties_per_city: int | None = None, townships_per_county: int | None = None,
    scale: float = 1.0, volunteers: int | None = None, communities: int | None = None,
) -> GraphTables:
    """Generate a synthetic province as :class:`~graph.tables.GraphTables`.

    Parameters
    ----------
    seed : int, optional (default=1)
        Seed of the one ``numpy.random.Generator``; the same arguments give identical tables.
    divisions : path, optional
        A divisions CSV (city_code, city_name, county_code, county_name, township_code,
        township_name, township_kind) whose real codes and names become the City, County
        and Township nodes. Without it, names and codes (province 99) are invented.
    cities, counties_per_city, townships_per_county : int, optional
        Keep the first N of each level (from the file), or the size of the invented
        hierarchy (defaults 11 × 8 × 16 ≈ 1,408 townships).
    scale : float, optional (default=1.0)
        Multiplies the communities per township (stochastic rounding, at least one per
        township) and with them every per-community actor; 0.1 gives a 10% province.
    volunteers : int, optional
        Total volunteers; default 15.4 million × population / 66.27 million.
    communities : int, optional
        Target total of communities (rescales the per-township counts; combines with scale).

    Returns
    -------
    GraphTables
        Node frames (``id`` + schema props; phone and ID number are never generated) and
        relationship frames (``from``, ``to``, ``from_label``, ``to_label`` + props).

    Raises
    ------
    WusheError
        If the divisions file lacks a column or has an unknown township kind, or scale ≤ 0.

    Examples
    --------
    >>> t = generate(seed=3, cities=1, counties_per_city=1, townships_per_county=2,
    ...              volunteers=100)
    >>> len(t.nodes["Township"]), len(t.nodes["Volunteer"])
    (2, 100)
    """
    return generate_with_profiles(
        seed=seed, divisions=divisions, cities=cities, counties_per_city=counties_per_city,
        townships_per_county=townships_per_county, scale=scale, volunteers=volunteers,
        communities=communities)[0]


def _write_tables(tables: GraphTables, out_dir: Path) -> dict[str, int]:
    """Write each table as <name>.csv in the import format; return rows per table."""
    # One table per call: write_tables formats all its tables as text before writing, and
    # the text of 15 million volunteers next to everything else would cost ~10 GiB.
    for name, df in tables.nodes.items():
        write_tables(GraphTables(nodes={name: df}), out_dir)
    for name, df in tables.rels.items():
        write_tables(GraphTables(rels={name: df}), out_dir)
    return tables.counts()


def generate_to(out_dir: Path | str, **kwargs: object) -> dict[str, int]:
    """Generate a province (see :func:`generate`) and write it as import CSVs.

    Parameters
    ----------
    out_dir : path
        Folder to write ``<Label>.csv`` and ``<REL_TYPE>.csv`` into (created if missing).
    **kwargs
        The keyword arguments of :func:`generate`.

    Returns
    -------
    dict
        Rows written per label and relationship type.
    """
    tables = generate(**kwargs)  # type: ignore[arg-type]
    return _write_tables(tables, Path(out_dir))


def make_sample(out_dir: Path | str) -> dict[str, int]:
    """Write the committed ``sample_data/`` CSVs (byte for byte) into ``out_dir``.

    15 real townships of 杭州市 (西湖区 and 桐庐县), seed :data:`SAMPLE_SEED`,
    :data:`SAMPLE_VOLUNTEERS` volunteers; needs no file outside the package.
    """
    tables = generate_with_profiles(seed=SAMPLE_SEED, volunteers=SAMPLE_VOLUNTEERS,
                                    _divisions_text=_SAMPLE_DIVISIONS)[0]
    return _write_tables(tables, Path(out_dir))


def _main(argv: list[str] | None = None) -> None:
    """``python -m wushe.loaders.generator sample OUT`` or ``... province OUT [options]``."""
    ap = argparse.ArgumentParser(prog="python -m wushe.loaders.generator")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("sample", help="write sample_data/ (byte-reproducible)")
    sp.add_argument("out")
    pp = sub.add_parser("province", help="write a synthetic province")
    pp.add_argument("out")
    pp.add_argument("--seed", type=int, default=1)
    pp.add_argument("--divisions")
    pp.add_argument("--scale", type=float, default=1.0)
    pp.add_argument("--volunteers", type=int)
    pp.add_argument("--cities", type=int)
    pp.add_argument("--counties-per-city", type=int)
    pp.add_argument("--townships-per-county", type=int)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    if a.cmd == "sample":
        counts = make_sample(a.out)
    else:
        counts = generate_to(a.out, seed=a.seed, divisions=a.divisions, scale=a.scale,
                             volunteers=a.volunteers, cities=a.cities,
                             counties_per_city=a.counties_per_city,
                             townships_per_county=a.townships_per_county)
    for k, v in counts.items():
        print(f"{k}\t{v}")
    print(f"seconds\t{time.perf_counter() - t0:.1f}")


if __name__ == "__main__":
    _main()
