"""Linkage index (联动指数) and vitality index (活力指数), 0–100 (docs/metrics.md §4).

Dimension scores are 0–100 means of indicator attainments, each capped at 100%; the two
indices are weighted sums of their dimensions with the weights of graph/data/weights.csv,
overridable by a ``{component: weight}`` dict (the app's sliders) or a CSV file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wushe.graph.analytics.config import WeightsSource, target_specs, weights
from wushe.graph.analytics.coverage import coverage, density
from wushe.graph.analytics.facts import Facts
from wushe.graph.analytics.targets import community_base

__all__ = ["dimension_scores", "linkage_index", "DIMENSIONS"]

DIMENSIONS: tuple[str, ...] = (
    "party_leadership", "element_coverage", "element_density", "multi_element_projects",
    "community_building", "organization_cultivation", "social_work_capacity",
    "volunteer_vitality", "charity_integration",
)


def _cap(x: pd.Series) -> pd.Series:
    return x.clip(lower=0, upper=1).fillna(0.0)


def dimension_scores(facts: Facts, *, cov: pd.DataFrame | None = None,
                     dens: pd.DataFrame | None = None) -> pd.DataFrame:
    """The nine 0–100 component scores per community (see docs/metrics.md §4)."""
    spec = {s.key: s for s in target_specs()}
    c = community_base(facts).set_index("community_id")
    cov = (coverage(facts) if cov is None else cov).set_index("community_id")
    dens = (density(facts) if dens is None else dens).set_index("community_id")
    town = facts.townships.set_index("township_id")
    has_station = c["township_id"].map(town["work_stations"]).fillna(0) > 0
    town_found = c["township_id"].map(town["foundations"]).fillna(0) > 0
    p = facts.participants
    charity_funded = set(p.loc[(p["role"] == "FUNDS") & (p["element"] == "charity")
                               & (p["channel"] != "government_purchase"), "community_id"])
    out = pd.DataFrame(index=c.index)
    out["party_leadership"] = 100 * (0.5 * (c["party_committees"] > 0)
                                     + 0.5 * (c["big_committees"] > 0))
    out["element_coverage"] = 100 * cov["n_present"] / 5
    out["element_density"] = 100 * dens["element_density"]
    out["multi_element_projects"] = 100 * (dens["multi_element_projects"] >= 1)
    # Unknown is not zero: a part whose figure is blank is left out of its component's
    # mean, and a component with no known part is left out of the index.
    cert_share = c["ft_cert"] / c["ft"].where(c["ft"] > 0)
    out["community_building"] = 100 * pd.concat([
        (c["star"] >= 1).astype(float).where(c["star_known"] == 1),
        _cap(cert_share / spec["certified_share"].value).where(c["ft_known"] == 1),
    ], axis=1).mean(axis=1)
    out["organization_cultivation"] = 100 * (
        _cap(c["community_orgs"] / c["org_threshold"])
        + _cap(c["volunteer_service_orgs"] / spec["volunteer_service_org"].value)
        + _cap(c["highly_active_orgs"] / spec["active_orgs"].value)) / 3
    per_10k = c["cert_sw"] * 10_000 / c["pop"].where(c["pop"] > 0)
    out["social_work_capacity"] = 100 * pd.concat([
        has_station.astype(float),
        _cap(per_10k / spec["certified_per_10k"].value).where(c["per10k_known"] == 1),
    ], axis=1).mean(axis=1)
    active_share = (c["volunteers"] - c["inactive_volunteers"]) / c["volunteers"].where(
        c["volunteers"] > 0)
    active_org = (c["active_volunteer_orgs"] + c["active_volunteer_orgs_serving"]) > 0
    out["volunteer_vitality"] = 100 * (_cap(active_share) + active_org.astype(float)) / 2
    out["charity_integration"] = 100 * (
        ((c["foundations"] > 0) | town_found).astype(float)
        + c.index.isin(charity_funded).astype(float)) / 2
    return out.astype(float)


def _rank(df: pd.DataFrame, col: str, by: str) -> tuple[pd.Series, pd.Series]:
    g = df.groupby(by)[col]
    rank = g.rank(method="min", ascending=False).astype("Int64")
    pct = g.rank(method="max", ascending=True, pct=True) * 100
    return rank, pct


def linkage_index(facts: Facts, *, weights_source: WeightsSource = None,
                  cov: pd.DataFrame | None = None,
                  dens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Linkage and vitality index per community, with rankings and percentiles.

    Parameters
    ----------
    facts : Facts
    weights_source : dict, str or Path, optional
        ``{component: weight}`` overrides (weights are renormalised within each index),
        or a CSV with ``component,weight`` columns; defaults from graph/data/weights.csv.

    Returns
    -------
    DataFrame
        One row per community: the nine component scores, ``linkage_index`` and
        ``vitality_index`` (0–100), and for each index and each of township, county and
        city its ``rank`` (1 = best) and ``pct`` (percentile, 100 = best).
    """
    dims = dimension_scores(facts, cov=cov, dens=dens)
    w = weights(weights_source)
    out = facts.communities[["community_id", "community", "township_id", "county_id",
                             "city_id"]].set_index("community_id").join(dims)
    for idx_name, col in (("linkage", "linkage_index"), ("vitality", "vitality_index")):
        part = w[w["index"] == idx_name]
        x = out[list(part["component"])]
        wt = x.notna() * part["weight"].to_numpy()  # weights of the known components
        out[col] = np.round((x.fillna(0) * wt).sum(axis=1)
                            / wt.sum(axis=1).where(wt.sum(axis=1) > 0), 6)
    out = out.reset_index()
    for col in ("linkage_index", "vitality_index"):
        for level in ("township", "county", "city"):
            rank, pct = _rank(out, col, f"{level}_id")
            out[f"{col}_rank_{level}"] = rank
            out[f"{col}_pct_{level}"] = pct
    return out
