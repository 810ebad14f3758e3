"""Compare two versions from their kept analysis: what changed between two data dates.

Nothing here queries a store: both sides come from the Parquet kept with each version
(:mod:`graph.analytics.kept`), so two versions compare on either engine, and a version
whose graph is gone (pruned, or Neo4j's) still compares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wushe.graph.analytics.kept import KeptVersion, read_kept
from wushe.graph.backends.base import GraphBackend
from wushe.graph.backends.versions import Version
from wushe.graph.errors import StoreError
from wushe.graph.schema import ELEMENT_ORDER, SCHEMA

__all__ = ["VersionDiff", "diff_versions", "kept_version", "REGION_LEVELS"]

REGION_LEVELS: tuple[str, ...] = ("province", "city", "county", "township", "community")
_SCORES = [f"score_{e}" for e in ELEMENT_ORDER]
_GAP_KEY = ["community_id", "kind", "item"]


@dataclass(frozen=True)
class VersionDiff:
    """What changed from version ``a`` to version ``b`` at one region.

    targets : one row per (region, target) at the region's level: unit, values, change, direction
        ("up", "down", "same") and status ("newly_met", "newly_missed", "met", "not_met")
    modes : communities whose linkage mode changed, with both score vectors
    gaps_opened, gaps_closed : gap rows present only in ``b`` / only in ``a``
    index : communities' linkage index and rank (within the region) in both versions;
        ``movement`` = rank_a − rank_b (positive: moved up)
    entities : per node label, added / removed / changed / unchanged
    entity_items : the added, removed and changed entities themselves
    counts : per label and relationship type, the count in each version (whole store)
    """

    a: Version
    b: Version
    level: str
    region_id: str | None
    targets: pd.DataFrame
    modes: pd.DataFrame
    gaps_opened: pd.DataFrame
    gaps_closed: pd.DataFrame
    index: pd.DataFrame
    entities: pd.DataFrame
    entity_items: pd.DataFrame
    counts: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name (summary first), as the XLSX/Markdown writers want them."""
        return {"summary": self.summary(), "targets": self.targets, "modes": self.modes,
                "gaps_opened": self.gaps_opened, "gaps_closed": self.gaps_closed,
                "index": self.index, "entities": self.entities,
                "entity_items": self.entity_items, "counts": self.counts}

    def summary(self) -> pd.DataFrame:
        """Two columns (what, value): the two versions and the headline numbers."""
        t = self.targets
        rows = [
            ("version_a", f"{self.a.id} ({self.a.data_date or '-'})"),
            ("version_b", f"{self.b.id} ({self.b.data_date or '-'})"),
            ("level", self.level), ("region_id", self.region_id or ""),
            ("targets_newly_met", int((t["status"] == "newly_met").sum())),
            ("targets_newly_missed", int((t["status"] == "newly_missed").sum())),
            ("modes_changed", len(self.modes)),
            ("gaps_opened", len(self.gaps_opened)), ("gaps_closed", len(self.gaps_closed)),
            ("entities_added", int(self.entities["added"].sum())),
            ("entities_removed", int(self.entities["removed"].sum())),
            ("entities_changed", int(self.entities["changed"].sum())),
        ]
        return pd.DataFrame(rows, columns=["what", "value"]).astype({"value": str})


def kept_version(backend: GraphBackend, ref: str | int) -> KeptVersion:
    """A version's kept tables by id; a clear error when the version kept none.

    Raises
    ------
    StoreError
        for an unknown version, or one whose analysis was not kept.
    """
    version = backend.version_store.get(ref)
    kept = read_kept(backend.version_store, version)
    if kept is None:
        why = ("it was undone" if version.state == "dropped"
               else "it was loaded with --no-keep-analysis or before analyses were kept")
        why_zh = "该版本已撤销" if version.state == "dropped" else "导入时未保存分析结果"
        raise StoreError(f"Version {version.id} has no kept analysis ({why}); only versions "
                         "with a kept analysis can be compared.",
                         f"版本 {version.id} 没有保存的分析结果({why_zh}),无法比较。")
    return kept


def _communities_in(a: KeptVersion, b: KeptVersion, level: str,
                    region_id: str | None) -> set[str]:
    """Ids of the communities inside the region in either version."""
    cov = pd.concat([a.analysis.coverage, b.analysis.coverage], ignore_index=True)
    if level == "province" or not region_id:
        return set(cov["community_id"].astype(str))
    col = f"{level}_id"
    return set(cov.loc[cov[col].astype(str) == region_id, "community_id"].astype(str))


def _targets(a: KeptVersion, b: KeptVersion, level: str, region_id: str | None) -> pd.DataFrame:
    keys = ["level", "region_id", "target"]
    ta, tb = (k.analysis.targets for k in (a, b))
    ta, tb = ta[ta["level"] == level], tb[tb["level"] == level]
    if region_id and level != "province":
        ta, tb = ta[ta["region_id"] == region_id], tb[tb["region_id"] == region_id]
    cols = ["value", "target_value", "attainment", "met"]
    named = ["region", "zh", "en", "binding", "unit"]
    out = tb[[*keys, *named, *cols]].merge(ta[[*keys, *named, *cols]], on=keys, how="outer",
                                           suffixes=("_b", "_a"))
    for c in named:
        out[c] = out[f"{c}_b"].fillna(out[f"{c}_a"])
    out["change"] = out["value_b"] - out["value_a"]
    out["direction"] = np.select([out["change"] > 1e-12, out["change"] < -1e-12,
                                  out["change"].notna()], ["up", "down", "same"], "")
    met_a = out["met_a"].astype("boolean").fillna(False)
    met_b = out["met_b"].astype("boolean").fillna(False)
    out["status"] = np.select([met_b & ~met_a, met_a & ~met_b, met_b],
                              ["newly_met", "newly_missed", "met"], "not_met")
    cols_out = ["level", "region_id", "region", "target", "zh", "en", "binding", "unit",
                "value_a", "value_b", "change", "direction", "target_value_a", "target_value_b",
                "attainment_a", "attainment_b", "met_a", "met_b", "status"]
    order = {k: i for i, k in enumerate(dict.fromkeys(tb["target"]))}
    out["_o"] = out["target"].map(order)
    return (out.sort_values(["region_id", "_o"]).drop(columns="_o")[cols_out]
            .reset_index(drop=True))


def _modes(a: KeptVersion, b: KeptVersion, ids: set[str]) -> pd.DataFrame:
    cols = ["community_id", "mode", "mode_zh", *_SCORES]
    ma, mb = (k.analysis.modes[cols].assign(community_id=lambda d: d["community_id"]
                                             .astype(str)) for k in (a, b))
    out = ma.merge(mb, on="community_id", suffixes=("_a", "_b"))
    out = out[out["community_id"].isin(ids) & (out["mode_a"] != out["mode_b"])]
    names = b.analysis.coverage.set_index(b.analysis.coverage["community_id"].astype(str))
    out.insert(1, "community", out["community_id"].map(names["community"]))
    return out.sort_values("community_id").reset_index(drop=True)


def _gaps(a: KeptVersion, b: KeptVersion, ids: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    ga, gb = (k.analysis.gaps.assign(community_id=lambda d: d["community_id"].astype(str))
              for k in (a, b))
    ga, gb = ga[ga["community_id"].isin(ids)], gb[gb["community_id"].isin(ids)]
    cols = [*_GAP_KEY, "item_name", "community", "kind_zh", "severity", "value", "reason_zh",
            "reason_en"]
    # a version kept before gaps named their broker has no item_name
    ga, gb = (g if "item_name" in g else g.assign(item_name=None) for g in (ga, gb))
    ka = set(map(tuple, ga[_GAP_KEY].astype(str).to_numpy()))
    kb = set(map(tuple, gb[_GAP_KEY].astype(str).to_numpy()))

    def only(df: pd.DataFrame, keys: set[tuple[str, ...]]) -> pd.DataFrame:
        mask = [tuple(r) in keys for r in df[_GAP_KEY].astype(str).to_numpy()]
        return df.loc[mask, cols].sort_values(_GAP_KEY).reset_index(drop=True)

    return only(gb, kb - ka), only(ga, ka - kb)


def _index(a: KeptVersion, b: KeptVersion, ids: set[str]) -> pd.DataFrame:
    def ranked(k: KeptVersion) -> pd.DataFrame:
        df = k.analysis.index[["community_id", "community", "linkage_index", "vitality_index"]]
        df = df.assign(community_id=df["community_id"].astype(str))
        df = df[df["community_id"].isin(ids)].copy()
        df["rank"] = df["linkage_index"].rank(method="min", ascending=False)
        return df

    out = ranked(a).merge(ranked(b), on="community_id", how="outer", suffixes=("_a", "_b"))
    out["community"] = out["community_b"].fillna(out["community_a"])
    out["change"] = out["linkage_index_b"] - out["linkage_index_a"]
    out["movement"] = out["rank_a"] - out["rank_b"]
    cols = ["community_id", "community", "linkage_index_a", "linkage_index_b", "change",
            "rank_a", "rank_b", "movement", "vitality_index_a", "vitality_index_b"]
    for c in ("rank_a", "rank_b", "movement"):
        out[c] = out[c].astype("Int64")
    return out[cols].sort_values(["movement", "community_id"], ascending=[False, True],
                                 key=lambda s: s.abs() if s.name == "movement" else s,
                                 na_position="last").reset_index(drop=True)


def _entities(a: KeptVersion, b: KeptVersion) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, items = [], []
    for label in SCHEMA.node_names:
        ea = a.entities.get(label, pd.DataFrame(columns=["id", "name", "hash"]))
        eb = b.entities.get(label, pd.DataFrame(columns=["id", "name", "hash"]))
        m = ea.merge(eb, on="id", how="outer", suffixes=("_a", "_b"), indicator=True)
        added = m[m["_merge"] == "right_only"]
        removed = m[m["_merge"] == "left_only"]
        both = m[m["_merge"] == "both"]
        changed = both[both["hash_a"] != both["hash_b"]]
        rows.append({"kind": label, "zh": SCHEMA.node(label).zh, "count_a": len(ea),
                     "count_b": len(eb), "added": len(added), "removed": len(removed),
                     "changed": len(changed), "unchanged": len(both) - len(changed)})
        for change, part in (("added", added), ("removed", removed), ("changed", changed)):
            for r in part.itertuples(index=False):
                name = r.name_b if change != "removed" else r.name_a
                items.append({"kind": label, "id": r.id, "name": name, "change": change})
    ents = pd.DataFrame(rows)
    item_df = pd.DataFrame(items, columns=["kind", "id", "name", "change"])
    return ents, item_df.sort_values(["kind", "change", "id"]).reset_index(drop=True)


def _counts(a: Version, b: Version) -> pd.DataFrame:
    keys = [*SCHEMA.node_names, *SCHEMA.rel_names]
    df = pd.DataFrame({"kind": keys, "count_a": [a.counts.get(k, 0) for k in keys],
                       "count_b": [b.counts.get(k, 0) for k in keys]})
    df["change"] = df["count_b"] - df["count_a"]
    return df


def diff_versions(a: KeptVersion, b: KeptVersion, *, level: str = "province",
                  region_id: str | None = None) -> VersionDiff:
    """Compare version ``a`` (earlier) with ``b`` at one region.

    Parameters
    ----------
    a, b : KeptVersion
        From :func:`kept_version`.
    level : {"province", "city", "county", "township", "community"}
        The region's level; targets are compared at this level.
    region_id : str, optional
        The region (every region of ``level`` when omitted; ignored for the province).
        Modes, gaps and index ranks cover the communities inside it.

    Returns
    -------
    VersionDiff
    """
    if level not in REGION_LEVELS:
        raise StoreError(f"Unknown level '{level}'; use one of {', '.join(REGION_LEVELS)}.",
                         f"未知层级「{level}」;可选:{'、'.join(REGION_LEVELS)}。")
    ids = _communities_in(a, b, level, region_id)
    opened, closed = _gaps(a, b, ids)
    ents, items = _entities(a, b)
    return VersionDiff(a.version, b.version, level, region_id,
                       _targets(a, b, level, region_id), _modes(a, b, ids), opened, closed,
                       _index(a, b, ids), ents, items, _counts(a.version, b.version))
