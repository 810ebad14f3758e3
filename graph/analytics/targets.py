"""The ten 2025 targets of the policy at every level where each applies.

Values come from per-community and per-township counts (queries/analysis); this module
sums them up the region tree (community → township → county → city → province) with
pandas and compares them to the thresholds in graph/data/targets.csv.

Province-wide counts (1000 star complexes, 3800 4A+ organizations, 200 community
foundations) are shown below the province as the region's contribution, against a target
pro-rated by the region's share of the province's communities (documented in
docs/metrics.md §1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wushe.graph.analytics.config import TargetSpec, target_specs
from wushe.graph.analytics.facts import Facts, Years, load_facts
from wushe.graph.backends.base import GraphBackend
from wushe.graph.errors import WusheError
from wushe.graph.schema import REGION_LEVELS

__all__ = ["targets", "targets_from_facts", "community_base"]

_KEY = {"community": "community_id", "township": "township_id", "county": "county_id",
        "city": "city_id", "province": "province_id"}
_NAME = {"community": "community", "township": "township", "county": "county", "city": "city",
         "province": "province"}
PROVINCE_ID = "province"
PROVINCE_NAME = "全省 Province"


def community_base(facts: Facts) -> pd.DataFrame:
    """Per-community inputs of the targets (one row per community)."""
    c = facts.communities.copy()
    c["province_id"] = PROVINCE_ID
    c["province"] = PROVINCE_NAME
    c["urban"] = (c["kind"] == "urban").astype(int)
    c["rural"] = 1 - c["urban"]
    c["star"] = (c["complex_star"].fillna(0) >= 1).astype(int)
    # Full-time community workers: the community's reported numbers; person records only
    # where the numbers are missing (never both, which would double count).
    reported = c["fulltime_workers"].notna()
    c["ft"] = np.where(reported, c["fulltime_workers"], c["community_worker_nodes"])
    c["ft_cert"] = np.where(reported, c["certified_workers"].fillna(0),
                            c["certified_community_worker_nodes"])
    # Certified social workers: the larger of the reported certified community workers and
    # certified person records working at the community, plus certified staff of the
    # organizations based there.
    c["cert_sw"] = (np.maximum(c["certified_workers"].fillna(0), c["certified_worker_nodes"])
                    + c["org_certified_workers"])
    c["pop"] = c["population"].fillna(0)
    c["org_threshold"] = np.nan
    for spec in target_specs():
        if spec.key == "community_orgs":
            c["org_threshold"] = np.where(c["urban"] == 1, spec.value_urban, spec.value_rural)
        elif spec.key == "volunteer_service_org":
            c["vol_ok"] = (c["volunteer_service_orgs"] >= spec.value).astype(int)
        elif spec.key == "active_orgs":
            c["active_ok"] = (c["highly_active_orgs"] >= spec.value).astype(int)
    return c


def _township_base(facts: Facts) -> pd.DataFrame:
    t = facts.townships.copy()
    t["province_id"] = PROVINCE_ID
    t["has_station"] = (t["work_stations"] > 0).astype(int)
    t["cert"] = t["station_certified"] + t["org_certified_workers"]
    return t


def _aggregate(level: str, comm: pd.DataFrame, town: pd.DataFrame) -> pd.DataFrame:
    key = _KEY[level]
    cols = ["urban", "rural", "star", "ft", "ft_cert", "community_orgs", "vol_ok", "active_ok",
            "orgs_4a", "community_foundations", "cert_sw", "pop", "volunteer_service_orgs",
            "highly_active_orgs"]
    g = comm.groupby(key)[cols].sum()
    g["n_comm"] = comm.groupby(key).size()
    g["name"] = comm.groupby(key)[_NAME[level]].first()
    if level == "community":
        g["org_threshold"] = comm.set_index(key)["org_threshold"]
        return g
    tcols = ["has_station", "service_centers", "evaluated_centers", "cert", "orgs_4a",
             "community_foundations"]
    tg = town.groupby(key)[tcols].sum().add_prefix("t_")
    tg["n_town"] = town.groupby(key).size()
    g = g.join(tg, how="outer").fillna({c: 0 for c in (*cols, *tg.columns, "n_comm")})
    if level == "township":
        names = town.set_index("township_id")["township"]
        g["name"] = g["name"].fillna(names.reindex(g.index))
    return g


def _values(spec: TargetSpec, level: str, g: pd.DataFrame,
            n_province: float) -> tuple[pd.Series, pd.Series, str]:
    """(value, target, note) of one target for every region of one level."""
    share = g["n_comm"] / n_province if n_province else g["n_comm"] * 0.0
    prorate = level != "province"
    note_pr = "按社区数比例分解 pro-rated by communities" if prorate else ""

    def div(a: pd.Series, b: pd.Series) -> pd.Series:
        return a / b.where(b > 0)

    if spec.key == "star_complexes":
        return g["star"], spec.value * (share if prorate else 1.0), note_pr
    if spec.key == "orgs_4a":
        return (g["orgs_4a"] + g["t_orgs_4a"], spec.value * (share if prorate else 1.0),
                note_pr)
    if spec.key == "foundations":
        return (g["community_foundations"] + g["t_community_foundations"],
                spec.value * (share if prorate else 1.0), note_pr)
    if spec.key == "certified_share":
        return div(g["ft_cert"], g["ft"]), pd.Series(spec.value, g.index), ""
    if spec.key == "community_orgs":
        if level == "community":
            return g["community_orgs"], g["org_threshold"], "本社区 this community"
        target = div(spec.value_urban * g["urban"] + spec.value_rural * g["rural"], g["n_comm"])
        return (div(g["community_orgs"], g["n_comm"]), target,
                "城乡加权 weighted by urban/rural mix")
    if spec.key in ("volunteer_service_org", "active_orgs"):
        col = "vol_ok" if spec.key == "volunteer_service_org" else "active_ok"
        if level == "community":
            raw = "volunteer_service_orgs" if col == "vol_ok" else "highly_active_orgs"
            return g[raw], pd.Series(spec.value, g.index), "本社区 this community"
        return (div(g[col], g["n_comm"]), pd.Series(1.0, g.index),
                "达标社区占比 share of communities meeting it")
    if spec.key == "center_evaluation":
        return div(g["t_evaluated_centers"], g["t_service_centers"]), \
            pd.Series(spec.value, g.index), ""
    if spec.key == "certified_per_10k":
        return (div((g["cert_sw"] + g["t_cert"]) * 10_000, g["pop"]),
                pd.Series(spec.value, g.index), "")
    if spec.key == "station_coverage":
        return (div(g["t_has_station"], g["n_town"]), pd.Series(spec.value, g.index),
                "有社工站的乡镇占比 share of townships with a station")
    raise WusheError(f"Target '{spec.key}' in targets.csv has no rule.",
                     f"targets.csv 中的指标「{spec.key}」没有计算规则。")


def targets_from_facts(facts: Facts, level: str = "county",
                       region_id: str | None = None) -> pd.DataFrame:
    """Targets at ``level`` from already-fetched :class:`Facts` (see :func:`targets`)."""
    if level not in REGION_LEVELS:
        raise WusheError(f"Unknown level '{level}'; use one of {', '.join(REGION_LEVELS)}.",
                         f"未知层级「{level}」;可选:{'、'.join(REGION_LEVELS)}。")
    comm = community_base(facts)
    town = _township_base(facts)
    g = _aggregate(level, comm, town)
    if region_id is not None:
        if region_id not in g.index:
            raise WusheError(f"No {level} with id '{region_id}'.",
                             f"没有编号为「{region_id}」的{level}。")
        g = g.loc[[region_id]]
    n_province = float(len(comm))
    frames = []
    for spec in target_specs():
        if level not in spec.levels:
            continue
        value, target, note = _values(spec, level, g, n_province)
        value = value.astype(float)
        target = pd.Series(target, index=g.index).astype(float)
        met = value > target if spec.op == ">" else value >= target - 1e-12
        frames.append(pd.DataFrame({
            "level": level, "region_id": g.index, "region": g["name"].to_numpy(),
            "target": spec.key, "zh": spec.zh, "en": spec.en, "binding": spec.binding,
            "value": value.to_numpy(), "target_value": target.to_numpy(),
            "attainment": (value / target.where(target > 0)).to_numpy(),
            "met": (met & value.notna()).to_numpy(), "unit": spec.unit, "note": note,
            "policy": spec.policy,
        }))
    out = pd.concat(frames, ignore_index=True)
    order = {s.key: i for i, s in enumerate(target_specs())}
    out["_o"] = out["target"].map(order)
    return out.sort_values(["region_id", "_o"]).drop(columns="_o").reset_index(drop=True)


def targets(backend: GraphBackend, level: str = "county", region_id: str | None = None, *,
            years: Years = None) -> pd.DataFrame:
    """The ten 2025 targets of the policy for every region of ``level``.

    Parameters
    ----------
    backend : GraphBackend
    level : {"community", "township", "county", "city", "province"}
    region_id : str, optional
        Only this region of ``level``.
    years : (int, int), optional
        Project window (targets themselves do not depend on it).

    Returns
    -------
    DataFrame
        One row per (region, target): ``value``, ``target_value``, ``attainment`` (value
        / target), ``met``, ``binding`` ("binding" 约束性 / "expected" 预期性), ``note`` (how
        the target is applied at this level) and the ``policy`` sentence.
    """
    return targets_from_facts(load_facts(backend, years=years), level, region_id)
