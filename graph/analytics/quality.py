"""Data-quality summary of a stored graph: counts, missing fields, orphans.

The counting runs in the database (named queries in ``queries/quality/``); this module
turns the counts into shares.
"""

from __future__ import annotations

import pandas as pd

from wushe.graph.backends.base import GraphBackend
from wushe.graph.schema import SCHEMA
from wushe.queries import registry

__all__ = ["data_quality", "missing_shares"]


def missing_shares(fill: pd.DataFrame) -> pd.DataFrame:
    """Share of nodes lacking each property, from ``property_fill`` rows.

    Only properties the label defines and at least one node lacks are listed, most
    missing first.

    Examples
    --------
    >>> fill = pd.DataFrame([{"label": "City", "total": 4, "name": 4, "code": 1}])
    >>> missing_shares(fill)[["label", "property", "missing"]].to_dict("records")
    [{'label': 'City', 'property': 'code', 'missing': 0.75}]
    """
    rows = []
    for _, r in fill.iterrows():
        for p in SCHEMA.node(r["label"]).props:
            share = 1 - r[p.name] / r["total"] if r["total"] else 0.0
            if share > 0:
                rows.append({"label": r["label"], "property": p.name, "zh": p.zh, "en": p.en,
                             "required": p.required, "missing": share})
    out = pd.DataFrame(rows, columns=["label", "property", "zh", "en", "required", "missing"])
    return out.sort_values("missing", ascending=False, ignore_index=True)


def data_quality(backend: GraphBackend) -> dict[str, pd.DataFrame]:
    """Counts per label, missing-field shares per property and orphan nodes.

    Returns
    -------
    dict
        ``counts`` (label, nodes, orphans), ``missing`` (see :func:`missing_shares`) and
        ``orphans`` (the orphan nodes themselves, up to 200).
    """
    fill = registry.run(backend, "property_fill")
    orphans = registry.run(backend, "orphans")
    counts = (fill[["label", "total"]].rename(columns={"total": "nodes"})
              .merge(orphans, on="label", how="left").fillna({"orphans": 0}))
    counts["orphans"] = counts["orphans"].astype(int)
    return {"counts": counts, "missing": missing_shares(fill),
            "orphans": registry.run(backend, "orphan_nodes")}
