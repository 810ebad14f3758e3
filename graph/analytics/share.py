"""Province-wide targets of a partial dataset, pro-rated to the share of the province it holds.

Three targets are province totals (1000 star complexes, 3800 organizations rated 4A+, 200
community development foundations). A dataset that holds part of the province — the
shipped sample is one county and a half — measured against the whole total reads 11 of
1000 (1.1 %) however well it does. :func:`prorate_to_share` scales those totals by the
dataset's share of the province's communities, so the sample is measured against its own
part. Regions below the top are already pro-rated by their share of the dataset
(graph/analytics/targets.py), so scaling every row by one factor keeps them consistent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wushe.graph.analytics.config import target_specs

__all__ = ["PROVINCE_COMMUNITIES", "province_share", "prorate_to_share"]

#: Communities in Zhejiang: ≈5,300 urban communities and ≈18,000 villages (estimates from
#: the province's statistics, see /work/shared/data/README.md and loaders/generator).
PROVINCE_COMMUNITIES = 23_300


def province_share(n_communities: int, province: int = PROVINCE_COMMUNITIES) -> float:
    """The share of the province's communities a dataset holds (at most 1).

    Examples
    --------
    >>> round(province_share(233), 4), province_share(30_000)
    (0.01, 1.0)
    """
    return min(1.0, n_communities / province) if province > 0 else 1.0


def prorate_to_share(targets: pd.DataFrame, share: float) -> pd.DataFrame:
    """``targets`` with every province-total target scaled by ``share``.

    Parameters
    ----------
    targets : pandas.DataFrame
        Rows of ``graph.analytics.targets.targets`` (any levels).
    share : float
        The dataset's share of the province (:func:`province_share`).

    Returns
    -------
    pandas.DataFrame
        A copy: ``target_value`` scaled, ``attainment`` and ``met`` recomputed, and the
        ``note`` saying so (按数据覆盖比例折算).

    Examples
    --------
    >>> t = pd.DataFrame({"target": ["star_complexes", "certified_share"], "value": [11.0, 0.7],
    ...                   "target_value": [1000.0, 0.6], "attainment": [0.011, 7 / 6],
    ...                   "met": [False, True], "note": ["", ""]})
    >>> out = prorate_to_share(t, 0.01)
    >>> out["target_value"].tolist(), out["met"].tolist()
    ([10.0, 0.6], [True, True])
    """
    totals = {s.key for s in target_specs() if s.scope == "province_total"}
    out = targets.copy()
    rows = out["target"].isin(totals)
    if not rows.any() or share >= 1.0:
        return out
    out.loc[rows, "target_value"] = out.loc[rows, "target_value"] * share
    tv = out.loc[rows, "target_value"]
    out.loc[rows, "attainment"] = out.loc[rows, "value"] / tv.where(tv > 0)
    out.loc[rows, "met"] = (out.loc[rows, "value"] >= tv - 1e-12).to_numpy()
    if "status" in out.columns:  # a count with blanks: short only if they cannot close it
        value, missing = out.loc[rows, "value"], out.loc[rows, "missing"]
        status = np.select([value >= tv - 1e-12, value + missing < tv - 1e-12],
                           ["met", "not_met"], "unknown")
        keep = out.loc[rows, "status"] == "not_applicable"
        out.loc[rows, "status"] = np.where(keep, "not_applicable", status)
    zh = f"按数据覆盖全省比例({share:.1%})折算"
    en = f"pro-rated to the data's {share:.1%} of the province"
    out.loc[rows, "note"] = [_join(n, zh, en) for n in out.loc[rows, "note"]]
    return out


def _join(note: str, zh: str, en: str) -> str:
    """Add to a ``"中文 English"`` note, keeping one Chinese part and one English part."""
    if not note:
        return f"{zh} {en}"
    zh0, _, en0 = str(note).partition(" ")
    return f"{zh0};{zh} {en0}; {en}" if en0 else f"{zh0};{zh} {en}"
