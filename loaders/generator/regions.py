"""Administrative regions of the synthetic province: real divisions or invented ones."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from wushe.graph.errors import WusheError
from wushe.loaders.generator.calibration import KIND_P
from wushe.loaders.generator.names import FIRST, place_names
from wushe.loaders.generator.vectors import choice, join, take

__all__ = [
    "DIVISION_COLUMNS", "SAMPLE_DIVISIONS", "Regions", "read_divisions",
    "regions_from_divisions", "subset_regions", "synthetic_regions",
]

# The real division rows behind sample_data/ (NBS codes as of 2022-10-31), embedded so that
# `make_sample` runs in a clone without ../shared.
SAMPLE_DIVISIONS = """\
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
DIVISION_COLUMNS = ("city_code", "city_name", "county_code", "county_name", "township_code",
                     "township_name", "township_kind")

# ---------------------------------------------------------------------------- regions
@dataclass
class Regions:
    city: pd.DataFrame      # code, name
    county: pd.DataFrame    # code, name, city (index)
    town: pd.DataFrame      # code, name, kind, county (index)


def read_divisions(path: Path | str | io.StringIO) -> pd.DataFrame:
    """The divisions CSV as strings, checked for the expected columns."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in DIVISION_COLUMNS if c not in df.columns]
    if missing:
        raise WusheError(
            f"The divisions file lacks column(s) {', '.join(missing)}; it needs "
            f"{', '.join(DIVISION_COLUMNS)}.",
            f"区划文件缺少列 {', '.join(missing)};需要 {', '.join(DIVISION_COLUMNS)}。",
        )
    bad = sorted(set(df["township_kind"]) - set(KIND_P))
    if bad:
        raise WusheError(
            f"Unknown township_kind {bad[0]!r} in the divisions file; use one of "
            f"{', '.join(KIND_P)}.",
            f"区划文件中的 township_kind {bad[0]!r} 无法识别;可选 {', '.join(KIND_P)}。",
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


def regions_from_divisions(df: pd.DataFrame, cities: int | None, counties: int | None,
                            towns: int | None) -> Regions:
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
    return Regions(city, county, town.reset_index(drop=True))


def subset_regions(reg: Regions, keep: np.ndarray) -> Regions:
    """The townships where ``keep`` is true, with the counties and cities above them."""
    town = reg.town[keep].reset_index(drop=True)
    used_cty = np.unique(town["county"].to_numpy())
    county = reg.county.iloc[used_cty].reset_index(drop=True)
    town["county"] = np.searchsorted(used_cty, town["county"].to_numpy())
    used_city = np.unique(county["city"].to_numpy())
    city = reg.city.iloc[used_city].reset_index(drop=True)
    county["city"] = np.searchsorted(used_city, county["city"].to_numpy())
    return Regions(city, county, town)


def synthetic_regions(rng: np.random.Generator, cities: int, counties: int,
                       towns: int) -> Regions:
    """Invented cities (示范市 …), counties and townships with codes under fake province 99."""
    n_cty = cities * counties
    n_twn = n_cty * towns
    city_names = ["示范市"] + [f"{FIRST[i]}州市" for i in
                              rng.choice(len(FIRST), cities - 1, replace=False)]
    city = pd.DataFrame({"code": [f"99{i + 1:02d}" for i in range(cities)],
                         "name": city_names})
    cty_city = np.repeat(np.arange(cities), counties)
    cty_suffix = take(("区", "县", "市"), choice(rng, np.array([0.5, 0.4, 0.1]), n_cty))
    county = pd.DataFrame({
        "code": [f"{city['code'][c]}{k + 1:02d}" for c, k in
                 zip(cty_city, np.tile(np.arange(counties), cities), strict=True)],
        "name": join(place_names(rng, cty_city, cities), cty_suffix).to_pylist(),
        "city": cty_city,
    })
    twn_cty = np.repeat(np.arange(n_cty), towns)
    kinds = np.array(list(KIND_P))
    kind = kinds[choice(rng, np.array(list(KIND_P.values()), float), n_twn)]
    suffix = pd.Series(kind).map({"street": "街道", "town": "镇", "township": "乡",
                                  "other": "开发区"}).to_numpy()
    town = pd.DataFrame({
        "code": [f"{county['code'][c]}{k + 1:03d}" for c, k in
                 zip(twn_cty, np.tile(np.arange(towns), n_cty), strict=True)],
        "name": join(place_names(rng, twn_cty, n_cty),
                      pa.array(suffix.astype(str))).to_pylist(),
        "kind": kind,
        "county": twn_cty,
    })
    return Regions(city, county, town)


