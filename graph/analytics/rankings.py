"""Rankings of communities: furthest from the targets, by index, by gap severity.

Each function takes rows already computed by the analysis (targets, index scores, gaps)
and orders communities; the app's pages show them as they come.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["gap_ranking", "index_ranking", "worst_communities"]


def worst_communities(community_targets: pd.DataFrame, community_ids: Iterable[str],
                      n: int = 10) -> pd.DataFrame:
    """The ``n`` communities furthest from the policy targets.

    Parameters
    ----------
    community_targets : pandas.DataFrame
        Community-level rows of :func:`wushe.graph.analytics.targets.targets`
        (``region_id``, ``region``, ``met``, ``attainment``).
    community_ids : iterable of str
        The communities to rank (those of the selected region).
    n : int, optional (default=10)

    Returns
    -------
    pandas.DataFrame
        ``region_id``, ``region``, ``met`` (targets met), ``targets`` (targets applying),
        ``attainment`` (mean attainment, each capped at 100%, missing as 0): fewest met
        first, then lowest attainment, then id.

    Examples
    --------
    A meets 1 of 2 (attainment 1.0 capped, 0.5 → 0.75); B meets 1 of 2 (1.0, 0.2 → 0.6);
    C meets 0 of 1:

    >>> t = pd.DataFrame({"region_id": ["A", "A", "B", "B", "C"],
    ...                   "region": ["a", "a", "b", "b", "c"],
    ...                   "met": [True, False, True, False, False],
    ...                   "attainment": [1.4, 0.5, 1.0, 0.2, None]})
    >>> worst_communities(t, ["A", "B", "C"])
      region_id region  met  targets  attainment
    0         C      c    0        1        0.00
    1         B      b    1        2        0.60
    2         A      a    1        2        0.75
    """
    df = community_targets[community_targets["region_id"].isin(list(community_ids))]
    if "status" in df.columns:  # a target whose figure is blank is unknown, not missed
        df = df[df["status"] != "unknown"]
    score = (df.assign(capped=df["attainment"].clip(upper=1.0).fillna(0.0))
             .groupby(["region_id", "region"], as_index=False)
             .agg(met=("met", "sum"), targets=("met", "size"), attainment=("capped", "mean")))
    return score.sort_values(["met", "attainment", "region_id"]).head(n).reset_index(drop=True)


def index_ranking(scores: pd.DataFrame, default_scores: pd.DataFrame,
                  kind: str = "linkage") -> pd.DataFrame:
    """Communities ranked by an index, with their rank under the default weights.

    Parameters
    ----------
    scores, default_scores : pandas.DataFrame
        Index rows (``community_id``, ``community``, ``township``, ``<kind>_index``) under
        the chosen and under the default weights.
    kind : {"linkage", "vitality"}

    Returns
    -------
    pandas.DataFrame
        ``community_id``, ``community``, ``township``, ``score``, ``default_score``,
        ``rank`` and ``default_rank`` (1 = highest; ties share the lower rank) and
        ``change`` (default rank − rank: positive = moved up), best first.

    Examples
    --------
    >>> new = pd.DataFrame({"community_id": ["a", "b", "c"], "community": ["A", "B", "C"],
    ...                     "township": ["T"] * 3, "linkage_index": [50.0, 70.0, 50.0]})
    >>> old = new.assign(linkage_index=[80.0, 60.0, 40.0])
    >>> index_ranking(new, old)[["community_id", "rank", "default_rank", "change"]]
      community_id  rank  default_rank  change
    0            b     1             2       1
    1            a     2             1      -1
    2            c     2             3       1
    """
    col = f"{kind}_index"
    out = scores[["community_id", "community", "township", col]].rename(columns={col: "score"})
    out["default_score"] = out["community_id"].map(default_scores.set_index("community_id")[col])
    out["rank"] = out["score"].rank(method="min", ascending=False).astype(int)
    out["default_rank"] = out["default_score"].rank(method="min", ascending=False).astype(int)
    out["change"] = out["default_rank"] - out["rank"]
    return out.sort_values(["rank", "community_id"]).reset_index(drop=True)


def gap_ranking(gap_rows: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Under-connected communities ranked by total gap severity, with every reason.

    Parameters
    ----------
    gap_rows : pandas.DataFrame
        Gap rows (``community_id``, ``community``, ``township``, ``kind``, ``severity``,
        ``reason_zh``, ``reason_en``) of the communities to rank.
    lang : {"zh", "en"}, optional (default="zh")
        Language of the joined reasons.

    Returns
    -------
    pandas.DataFrame
        ``community_id``, ``community``, ``township``, ``severity`` (sum), ``high``
        (gaps of severity 3), ``gaps`` (count) and ``reasons`` (most severe first),
        highest severity first.

    Examples
    --------
    >>> g = pd.DataFrame({"community_id": ["a", "a", "b"], "community": ["A", "A", "B"],
    ...                   "township": ["T"] * 3, "kind": ["no_orgs", "idle", "no_orgs"],
    ...                   "severity": [1, 3, 3], "reason_zh": ["甲", "乙", "丙"],
    ...                   "reason_en": ["x", "y", "z"]})
    >>> gap_ranking(g, "en")[["community_id", "severity", "high", "gaps", "reasons"]]
      community_id  severity  high  gaps reasons
    0            a         4     1     2    y; x
    1            b         3     1     1       z
    """
    reason = "reason_zh" if lang == "zh" else "reason_en"
    sep = ";" if lang == "zh" else "; "
    g = gap_rows.sort_values(["severity", "kind"], ascending=[False, True])
    out = g.groupby(["community_id", "community", "township"], as_index=False).agg(
        severity=("severity", "sum"), high=("severity", lambda s: int((s == 3).sum())),
        gaps=("kind", "size"), reasons=(reason, sep.join))
    return out.sort_values(["severity", "high", "community_id"],
                           ascending=[False, False, True]).reset_index(drop=True)
