"""Network measures the analysis runs, vectorised over edge tables (docs/metrics.md §6).

A province has ~23,000 communities and ~0.5M (community, project, actor) incidences; a
networkx graph per community costs tens of seconds there. These functions work on integer
codes and matrices instead; the tests check each against networkx, which stays the oracle.

- :func:`coparticipation_pairs` / :func:`pair_counts`: who shares a project with whom;
- :func:`adamic_adar`: shared-neighbour score of node pairs over an edge table;
- :func:`clique_betweenness`: exact betweenness of a graph of diameter ≤ 2 (a union of
  project cliques nearly always is) from its adjacency matrix;
- :func:`betweenness`: Brandes (networkx), sampled above a size, for the other graphs.

References
----------
Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math. Sociol. 25(2),
163–177. https://doi.org/10.1080/0022250X.2001.9990249
Adamic, L. A., Adar, E. (2003). Friends and neighbors on the Web. Social Networks 25(3),
211–230. https://doi.org/10.1016/S0378-8733(03)00009-1
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
import pandas as pd

from wushe.graph.analytics.config import threshold

__all__ = ["adamic_adar", "betweenness", "clique_betweenness", "coparticipation_pairs",
           "pair_counts"]


def _coded_pairs(rows: pd.DataFrame, key: str
                 ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Unique (c, k_a, k_b) integer pairs, k_a < k_b, of ``key`` items sharing a project.

    Joins on integer codes: on a province's ~0.5M participant rows, string keys make the
    self-join several times slower. Returns the pairs and the community and key uniques.
    """
    rows = rows[["community_id", "project_id", key]].drop_duplicates()
    c_codes, c_uniq = pd.factorize(rows["community_id"])
    p_codes, _ = pd.factorize(rows["project_id"])
    k_codes, k_uniq = pd.factorize(rows[key], sort=True)
    df = pd.DataFrame({"c": c_codes, "p": p_codes, "k": k_codes})
    m = df.merge(df, on=["c", "p"], suffixes=("_a", "_b"))
    m = m.loc[m["k_a"] < m["k_b"], ["c", "k_a", "k_b"]].drop_duplicates()
    return m, np.asarray(c_uniq), np.asarray(k_uniq)


def coparticipation_pairs(rows: pd.DataFrame, key: str = "actor_id") -> pd.DataFrame:
    """Unique pairs of ``key`` items that share a project, per community.

    Parameters
    ----------
    rows : pandas.DataFrame
        ``community_id``, ``project_id`` and ``key`` (one row per participation).
    key : str, optional (default="actor_id")
        What to pair: actors, or e.g. their element.

    Returns
    -------
    pandas.DataFrame
        ``community_id``, ``a``, ``b`` with ``a < b``, each pair once per community.

    Examples
    --------
    >>> rows = pd.DataFrame({"community_id": ["c1"] * 5, "project_id": [1, 1, 1, 2, 2],
    ...                      "actor_id": ["x", "y", "z", "x", "y"]})
    >>> coparticipation_pairs(rows).sort_values(["a", "b"]).values.tolist()
    [['c1', 'x', 'y'], ['c1', 'x', 'z'], ['c1', 'y', 'z']]
    """
    m, c_uniq, k_uniq = _coded_pairs(rows, key)
    return pd.DataFrame({
        "community_id": pd.Index(c_uniq).take(m["c"].to_numpy()),
        "a": pd.Index(k_uniq).take(m["k_a"].to_numpy()),
        "b": pd.Index(k_uniq).take(m["k_b"].to_numpy()),
    })


def pair_counts(rows: pd.DataFrame, key: str = "actor_id") -> pd.Series:
    """How many pairs of :func:`coparticipation_pairs` each community has.

    Communities without a pair are absent.

    Examples
    --------
    >>> rows = pd.DataFrame({"community_id": ["c1", "c1", "c1", "c2"],
    ...                      "project_id": [1, 1, 1, 2], "actor_id": ["x", "y", "z", "x"]})
    >>> pair_counts(rows).to_dict()
    {'c1': 3}
    """
    m, c_uniq, _ = _coded_pairs(rows, key)
    counts = m.groupby("c").size()
    return pd.Series(counts.to_numpy(), index=pd.Index(c_uniq).take(counts.index.to_numpy()))


def adamic_adar(edges: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray:
    """Adamic–Adar index of node pairs on an undirected graph given as an edge table.

    AA(a, b) = Σ over common neighbours z of 1 / log(degree z), computed by two joins on
    integer codes (no graph object).

    Parameters
    ----------
    edges : pandas.DataFrame
        Columns ``u``, ``v``: the edges, in either direction, repeats and self-loops
        ignored.
    pairs : pandas.DataFrame
        Columns ``a``, ``b``: the pairs to score.

    Returns
    -------
    numpy.ndarray
        One score per row of ``pairs`` (0 when either end is not in the graph).

    Examples
    --------
    On the path 0–1–2, 0 and 2 share 1, of degree 2: AA = 1 / log 2.

    >>> e = pd.DataFrame({"u": [0, 1], "v": [1, 2]})
    >>> adamic_adar(e, pd.DataFrame({"a": [0, 0], "b": [2, 9]})).round(3).tolist()
    [1.443, 0.0]
    """
    codes, uniq = pd.factorize(pd.concat([edges["u"], edges["v"]], ignore_index=True))
    n = len(edges)
    ei = pd.DataFrame({"u": codes[:n], "v": codes[n:]})
    ei = ei[ei["u"] != ei["v"]]
    ei = pd.concat([ei, ei.rename(columns={"u": "v", "v": "u"})], ignore_index=True)
    ei = ei.drop_duplicates()
    deg = ei.groupby("u").size()
    index = pd.Index(uniq)
    a = index.get_indexer(pairs["a"])
    b = index.get_indexer(pairs["b"])
    pc = pd.DataFrame({"c": a, "r": b})
    pc = pc[(pc["c"] >= 0) & (pc["r"] >= 0)].drop_duplicates()
    z1 = pc.merge(ei, left_on="c", right_on="u")[["c", "r", "v"]]
    both = z1.merge(ei, left_on=["r", "v"], right_on=["u", "v"])
    both["w"] = 1.0 / np.log(deg.reindex(both["v"]).to_numpy().astype(float))
    aa = both.groupby(["c", "r"])["w"].sum()
    return aa.reindex(pd.MultiIndex.from_arrays([a, b])).fillna(0.0).to_numpy()


def clique_betweenness(adjacency: np.ndarray) -> np.ndarray | None:
    """Exact (unnormalised) betweenness of every node of a graph of diameter ≤ 2.

    With diameter ≤ 2 every shortest path between non-adjacent s, t is s–v–t, so
    betweenness(v) = Σ over non-adjacent pairs {s, t} of [v ∈ N(s) ∩ N(t)] / |N(s) ∩ N(t)|:
    one matrix product. A co-participation graph (a union of project cliques) nearly
    always qualifies.

    Parameters
    ----------
    adjacency : numpy.ndarray
        Symmetric 0/1 adjacency matrix, zero diagonal.

    Returns
    -------
    numpy.ndarray or None
        Betweenness per node (networkx's ``normalized=False`` values), or None when two
        nodes are more than two steps apart (use :func:`betweenness` then).

    Examples
    --------
    The star 0–{1, 2, 3}: three leaf pairs, each through 0 alone.

    >>> star = np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]])
    >>> clique_betweenness(star).tolist()
    [3.0, 0.0, 0.0, 0.0]
    >>> clique_betweenness(np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]]))
    """
    a = np.asarray(adjacency, dtype=float)
    common = a @ a
    nonadj = a == 0
    np.fill_diagonal(nonadj, False)
    if (nonadj & (common == 0)).any():
        return None
    m = np.where(nonadj, 1.0 / np.where(common > 0, common, 1.0), 0.0)
    return np.einsum("sv,st,tv->v", a, m, a) / 2


def betweenness(G: nx.Graph, *, k: int | None = None, seed: int = 0,
                exact_max_nodes: int | None = None,
                normalized: bool = True) -> dict[Hashable, float]:
    """Betweenness centrality (Brandes); sampled with ``k`` pivots above a size.

    Parameters
    ----------
    G : networkx.Graph
    k : int, optional
        Pivots to sample; default ``betweenness_k`` (200) when the graph has more than
        ``exact_max_nodes`` (default ``betweenness_exact_max_nodes`` = 500) nodes, exact
        otherwise.
    seed : int, optional (default=0)
        Seed of the pivot sample, so results repeat.
    exact_max_nodes : int, optional
    normalized : bool, optional (default=True)

    Returns
    -------
    dict
        Node → betweenness.

    Examples
    --------
    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    limit = int(threshold("betweenness_exact_max_nodes")) if exact_max_nodes is None \
        else exact_max_nodes
    if k is None and G.number_of_nodes() > limit:
        k = int(threshold("betweenness_k"))
    if k is not None and k >= G.number_of_nodes():
        k = None
    return nx.betweenness_centrality(G, k=k, seed=seed if k else None, normalized=normalized)
