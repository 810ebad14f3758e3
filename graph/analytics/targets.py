"""The 2025 targets of the policy at every level where each applies (docs/metrics.md §1).

Values come from per-community and per-township counts (queries/analysis); this module
sums them up the region tree (community → township → county → city → province) with
pandas and compares them to the thresholds in graph/data/targets.csv.

Three rules run through every target:

- **Unknown is not zero.** A blank figure leaves its community (or centre) out of the
  ratio; every row says how many units the figure covers (``known`` of ``units``,
  ``coverage``) and how many lack it (``missing``). A count with blanks is met when the
  known part meets it, not met when even counting every blank would not, else unknown.
- **Status** is one of met 达标, not_met 未达标, unknown 数据不足 and not_applicable 不适用
  (a region with no registered service centre, no urban or no rural community).
- Province-wide counts (1000 star complexes, 3800 4A+ organizations, 200 community
  foundations) are shown below the province as the region's contribution, against a
  target pro-rated by the region's share of the province's communities (a dataset holding
  part of the province is scaled once more by graph/analytics/share.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from wushe.graph.analytics.config import TargetSpec, target_specs
from wushe.graph.analytics.facts import Facts, Years, load_facts
from wushe.graph.backends.base import GraphBackend
from wushe.graph.errors import WusheError
from wushe.graph.schema import REGION_LEVELS, REGISTRATION_LEVELS

__all__ = ["STATUS", "targets", "targets_from_facts", "community_base"]

_KEY = {"community": "community_id", "township": "township_id", "county": "county_id",
        "city": "city_id", "province": "province_id"}
PROVINCE_ID = "province"
PROVINCE_NAME = "全省 Province"
#: status → (中文, English)
STATUS: dict[str, tuple[str, str]] = {
    "met": ("达标", "met"), "not_met": ("未达标", "not met"),
    "unknown": ("数据不足", "unknown"), "not_applicable": ("不适用", "not applicable"),
}
#: what a target's ``units`` count → (中文量词, English singular, English plural)
_UNITS = {"communities": ("个社区", "community", "communities"),
          "townships": ("个乡镇(街道)", "township", "townships"),
          "centres": ("个服务中心", "service centre", "service centres"),
          "organizations": ("家4A级及以上组织", "4A+ organization", "4A+ organizations")}
# registration level → rank (township lowest); an organization counts at its rank and above
_REG_RANK = {lv: len(REGISTRATION_LEVELS) - i for i, lv in enumerate(REGISTRATION_LEVELS)}
_LEVEL_RANK = {"township": 1, "county": 2, "city": 3, "province": 4}


def community_base(facts: Facts) -> pd.DataFrame:
    """Per-community inputs of the targets (one row per community).

    ``*_known`` columns say whether the community has the figure; unknown figures enter
    the sums as 0 and are left out of every ratio by their ``*_known`` flag.
    """
    c = facts.communities.copy()
    c["province_id"] = PROVINCE_ID
    c["province"] = PROVINCE_NAME
    c["urban"] = (c["kind"] == "urban").astype(int)
    c["rural"] = 1 - c["urban"]
    c["star_known"] = c["complex_star"].notna().astype(int)
    c["star"] = (c["complex_star"] >= 1).astype(int)
    # Full-time community workers: the community's reported pair of numbers; person records
    # only where both numbers are blank (never both, which would double count). One blank
    # of the pair makes the community's share unknown, not 0.
    both = c["fulltime_workers"].notna() & c["certified_workers"].notna()
    records = (c["fulltime_workers"].isna() & c["certified_workers"].isna()
               & (c["community_worker_nodes"] > 0))
    c["ft_known"] = (both | records).astype(int)
    c["ft"] = np.select([both, records], [c["fulltime_workers"], c["community_worker_nodes"]],
                        0.0)
    c["ft_cert"] = np.select([both, records],
                             [c["certified_workers"], c["certified_community_worker_nodes"]],
                             0.0)
    # Certified social workers: the larger of the reported certified community workers and
    # certified person records working at the community, plus certified staff of the
    # organizations based there. Known where the workers' figure and population are.
    c["per10k_known"] = (c["ft_known"].astype(bool) & c["population"].notna()).astype(int)
    cert_sw = (np.maximum(c["certified_workers"].fillna(0), c["certified_worker_nodes"])
               + c["org_certified_workers"])
    c["cert_sw"] = cert_sw.where(c["per10k_known"] == 1, 0.0)
    c["pop"] = c["population"].where(c["per10k_known"] == 1, 0.0)
    spec = {s.key: s for s in target_specs()}
    c["org_threshold"] = np.where(c["urban"] == 1, spec["community_orgs_urban"].value,
                                  spec["community_orgs_rural"].value)
    c["urban_orgs"] = c["community_orgs"] * c["urban"]
    c["rural_orgs"] = c["community_orgs"] * c["rural"]
    c["vol_ok"] = (c["volunteer_service_orgs"] >= spec["volunteer_service_org"].value).astype(int)
    c["active_ok"] = (c["highly_active_orgs"] >= spec["active_orgs"].value).astype(int)
    return c


def _township_base(facts: Facts, comm: pd.DataFrame) -> pd.DataFrame:
    t = facts.townships.copy()
    t["province_id"] = PROVINCE_ID
    t["has_station"] = (t["work_stations"] > 0).astype(int)
    # Station and township-organization workers serve the whole township: they enter the
    # per-10 000 ratio only where every community's population and workers are known.
    all_known = comm.groupby("township_id")["per10k_known"].min().astype(bool)
    t["cert"] = (t["station_certified"] + t["org_certified_workers"]).where(
        t["township_id"].map(all_known).fillna(True).astype(bool), 0)
    t["centres_known"] = (t["service_centers"] - t["centers_registration_unknown"]
                          - t["centers_evaluation_unknown"])
    t["centres_eligible"] = t["registered_centers"] - t["centers_evaluation_unknown"]
    return t


def _aggregate(level: str, comm: pd.DataFrame, town: pd.DataFrame) -> pd.DataFrame:
    key = _KEY[level]
    cols = ["urban", "rural", "star", "star_known", "ft", "ft_cert", "ft_known",
            "community_orgs", "urban_orgs", "rural_orgs", "vol_ok", "active_ok",
            "community_foundations", "cert_sw", "pop", "per10k_known",
            "volunteer_service_orgs", "highly_active_orgs"]
    g = comm.groupby(key)[cols].sum()
    g["n_comm"] = comm.groupby(key).size()
    g["name"] = comm.groupby(key)[level].first()
    if level == "community":
        g["org_threshold"] = comm.set_index(key)["org_threshold"]
        return g
    tcols = ["has_station", "service_centers", "registered_centers", "evaluated_centers",
             "centers_registration_unknown", "centres_known", "centres_eligible", "cert",
             "community_foundations"]
    tg = town.groupby(key)[tcols].sum().add_prefix("t_")
    tg["n_town"] = town.groupby(key).size()
    g = g.join(tg, how="outer").fillna({c: 0 for c in (*cols, *tg.columns, "n_comm")})
    if level == "township":
        names = town.set_index("township_id")["township"]
        g["name"] = g["name"].fillna(names.reindex(g.index))
    return g


def _rated_orgs(facts: Facts, level: str, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """(counted, lacking a registration level) 4A+ organizations per region of ``level``.

    An organization counts in the region whose authority registered it and in every
    region above: at ``level``, those registered at that level or below, placed by the
    community or township they are based in. At the province every one counts.
    """
    r = facts.rated_orgs
    zero = pd.Series(0, index=index, dtype="int64")
    if r.empty:
        return zero, zero
    if level == "province":
        return pd.Series(len(r), index=index, dtype="int64"), zero
    town = facts.townships.set_index("township_id")
    region = (r["township_id"].where(r["township_id"].isin(town.index)) if level == "township"
              else r["township_id"].map(town[_KEY[level]]))
    rank = r["registration_level"].map(_REG_RANK)
    counted = rank.notna() & (rank <= _LEVEL_RANK[level]) & region.notna()
    lacking = rank.isna() & region.notna()
    return (region[counted].value_counts().reindex(index, fill_value=0),
            region[lacking].value_counts().reindex(index, fill_value=0))


def _values(spec: TargetSpec, level: str, g: pd.DataFrame, facts: Facts,
            share: pd.Series) -> dict[str, object]:
    """value, target, units, known, what the units are, kind (count/ratio), applicable, note
    and the unit the value is read in (比例 for a share)."""
    one = pd.Series(1.0, index=g.index)
    n_comm = g["n_comm"]
    prorated = "按社区数比例分解 pro-rated by communities" if level != "province" else ""

    def div(a: pd.Series, b: pd.Series) -> pd.Series:
        return a / b.where(b > 0)

    def out(value: pd.Series, target: pd.Series | float, kind: str = "ratio",
            units: pd.Series | None = None, known: pd.Series | None = None,
            of: str = "communities", applicable: pd.Series | None = None,
            note: str = "", unit: str = spec.unit) -> dict[str, object]:
        return {"value": value, "target": target * one, "kind": kind, "unit": unit,
                "units": n_comm if units is None else units,
                "known": (n_comm if units is None else units) if known is None else known,
                "of": of, "applicable": one.astype(bool) if applicable is None else applicable,
                "note": note}

    v = spec.value or 0.0
    if spec.key == "star_complexes":
        return out(g["star"], v * share, "count", known=g["star_known"], note=prorated)
    if spec.key == "orgs_4a":
        counted, lacking = _rated_orgs(facts, level, g.index)
        return out(counted, v * share, "count", units=counted + lacking, known=counted,
                   of="organizations", note=prorated + (
                       ";按登记管理机关层级 by registration level" if prorated
                       else "按登记管理机关层级 by registration level"))
    if spec.key == "foundations":
        return out(g["community_foundations"] + g.get("t_community_foundations", 0),
                   v * share, "count", note=prorated)
    if spec.key == "certified_share":
        return out(div(g["ft_cert"], g["ft"]), v, known=g["ft_known"])
    if spec.key in ("community_orgs_urban", "community_orgs_rural"):
        kind = spec.key.rsplit("_", 1)[1]
        n = g[kind]
        if level == "community":
            return out(g["community_orgs"], v, "count", units=n, known=n, applicable=n > 0,
                       note="本社区 this community")
        return out(div(g[f"{kind}_orgs"], n), v, units=n, known=n, applicable=n > 0,
                   note="城市社区平均 mean over urban communities" if kind == "urban"
                   else "农村社区平均 mean over rural communities")
    if spec.key in ("volunteer_service_org", "active_orgs"):
        col = "vol_ok" if spec.key == "volunteer_service_org" else "active_ok"
        if level == "community":
            raw = "volunteer_service_orgs" if col == "vol_ok" else "highly_active_orgs"
            return out(g[raw], v, "count", note="本社区 this community")
        # above a community the figure is the share of communities meeting it: a ratio
        return out(div(g[col], n_comm), 1.0, note="达标社区占比 share of communities meeting it",
                   unit="比例")
    if spec.key == "center_evaluation":
        eligible = g["t_centres_eligible"]
        applicable = (g["t_registered_centers"] + g["t_centers_registration_unknown"]) > 0
        return out(div(g["t_evaluated_centers"], eligible), v, units=g["t_service_centers"],
                   known=g["t_centres_known"], of="centres", applicable=applicable,
                   note="已登记的服务中心 registered centres only")
    if spec.key == "certified_per_10k":
        return out(div((g["cert_sw"] + g["t_cert"]) * 10_000, g["pop"]), v,
                   known=g["per10k_known"])
    if spec.key == "station_coverage":
        return out(div(g["t_has_station"], g["n_town"]), v, units=g["n_town"], of="townships",
                   note="有社工站的乡镇占比 share of townships with a station")
    raise WusheError(f"Target '{spec.key}' in targets.csv has no rule.",
                     f"targets.csv 中的指标「{spec.key}」没有计算规则。")


def _status(spec: TargetSpec, r: dict[str, object]) -> tuple[pd.Series, pd.Series]:
    """(status, met) of one target for every region."""
    value = pd.Series(r["value"]).astype(float)
    target = pd.Series(r["target"]).astype(float)
    missing = (pd.Series(r["units"]) - pd.Series(r["known"])).astype(float)

    def reaches(x: pd.Series) -> pd.Series:
        return x > target if spec.op == ">" else x >= target - 1e-12

    met = reaches(value) & value.notna()
    # a count with blanks is surely short only if counting every blank would not reach it
    short = ~reaches(value + missing) if r["kind"] == "count" else value.notna()
    status = pd.Series(np.select([met, short], ["met", "not_met"], "unknown"),
                       index=value.index)
    status = status.where(pd.Series(r["applicable"]).astype(bool), "not_applicable")
    return status, status == "met"


def targets_from_facts(facts: Facts, level: str = "county",
                       region_id: str | None = None) -> pd.DataFrame:
    """Targets at ``level`` from already-fetched :class:`Facts` (see :func:`targets`)."""
    if level not in REGION_LEVELS:
        raise WusheError(f"Unknown level '{level}'; use one of {', '.join(REGION_LEVELS)}.",
                         f"未知层级「{level}」;可选:{'、'.join(REGION_LEVELS)}。")
    comm = community_base(facts)
    town = _township_base(facts, comm)
    g = _aggregate(level, comm, town)
    if region_id is not None:
        if region_id not in g.index:
            raise WusheError(f"No {level} with id '{region_id}'.",
                             f"没有编号为「{region_id}」的{level}。")
        g = g.loc[[region_id]]
    share = g["n_comm"] / len(comm) if len(comm) else g["n_comm"] * 0.0
    frames = []
    for spec in target_specs():
        if level not in spec.levels:
            continue
        r = _values(spec, level, g, facts, share)
        status, met = _status(spec, r)
        value = pd.Series(r["value"]).astype(float)
        target = pd.Series(r["target"]).astype(float)
        units = pd.Series(r["units"]).astype(float)
        known = pd.Series(r["known"]).astype(float)
        applicable = status != "not_applicable"
        missing = (units - known).where(applicable, 0).astype(int)
        zh_unit, en_one, en_many = _UNITS[str(r["of"])]
        frame = pd.DataFrame({
            "level": level, "region_id": g.index, "region": g["name"].to_numpy(),
            "target": spec.key, "zh": spec.zh, "en": spec.en, "binding": spec.binding,
            "value": value.where(applicable).to_numpy(),
            "target_value": target.to_numpy(),
            "attainment": (value / target.where(target > 0)).where(applicable).to_numpy(),
            "met": met.to_numpy(), "status": status.to_numpy(), "unit": r["unit"],
            "units": units.to_numpy(), "known": known.to_numpy(),
            "coverage": (known / units.where(units > 0)).where(applicable).to_numpy(),
            "missing": missing.to_numpy(),
            "missing_zh": np.where(missing > 0, missing.astype(str) + zh_unit + "缺少此数据",
                                   ""),
            "missing_en": np.select(
                [missing == 1, missing > 1],
                [f"1 {en_one} lacks this figure",
                 missing.astype(str) + f" {en_many} lack this figure"], ""),
            "note": r["note"], "policy": spec.policy, "as_of": facts.as_of.isoformat(),
        })
        if level == "community":  # a community shows only the targets that apply to it
            frame = frame[applicable.to_numpy()]
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    order = {s.key: i for i, s in enumerate(target_specs())}
    out["_o"] = out["target"].map(order)
    return out.sort_values(["region_id", "_o"]).drop(columns="_o").reset_index(drop=True)


def targets(backend: GraphBackend, level: str = "county", region_id: str | None = None, *,
            years: Years = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """The 2025 targets of the policy for every region of ``level``.

    Parameters
    ----------
    backend : GraphBackend
    level : {"community", "township", "county", "city", "province"}
    region_id : str, optional
        Only this region of ``level``.
    years : (int, int), optional
        Project window (targets themselves do not depend on it).
    as_of : datetime.date, optional (default=targets.csv ``as_of``, 2025-12-31)
        The date targets are judged at; ratings expired before it do not count.

    Returns
    -------
    DataFrame
        One row per (region, target): ``value``, ``target_value``, ``attainment`` (value
        / target), ``status`` (met / not_met / unknown / not_applicable) and ``met``,
        ``binding`` ("binding" 约束性 / "expected" 预期性), the data coverage (``units``,
        ``known``, ``coverage``, ``missing`` with ``missing_zh``/``missing_en``: "n
        communities lack this figure"), ``note`` (how the target is applied at this
        level), the ``policy`` sentence and ``as_of``.
    """
    facts = load_facts(backend, years=years, as_of=as_of)
    return targets_from_facts(facts, level, region_id)
