"""Network measures on projections returned by queries (docs/metrics.md §6).

Every function takes a networkx graph first, keyword-only options, and returns a dict keyed
by node (networkx style). Use them on a community's co-participation graph, a township's
linkage graph or the community-to-community graph of one county — never the province.

References
----------
Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math. Sociol. 25(2),
163–177. https://doi.org/10.1080/0022250X.2001.9990249
Burt, R. S. (2004). Structural holes and good ideas. Am. J. Sociol. 110(2), 349–399.
https://doi.org/10.1086/421787
Blondel, V. D. et al. (2008). Fast unfolding of communities in large networks. J. Stat.
Mech. P10008. https://doi.org/10.1088/1742-5468/2008/10/P10008
Adamic, L. A., Adar, E. (2003). Friends and neighbors on the Web. Social Networks 25(3),
211–230. https://doi.org/10.1016/S0378-8733(03)00009-1
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable

import networkx as nx
import pandas as pd

from wushe.graph.analytics.config import threshold

__all__ = ["degree", "betweenness", "constraint", "brokers", "bridges", "bridge_count",
           "components", "louvain", "coparticipation_graph", "linkage_graph",
           "community_graph", "adamic_adar"]


def _check(G: nx.Graph) -> None:
    if not isinstance(G, nx.Graph):
        raise TypeError("G must be a networkx graph")


def degree(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Degree (or weighted degree) of every node.

    Examples
    --------
    >>> degree(nx.path_graph(3))
    {0: 1, 1: 2, 2: 1}
    """
    _check(G)
    return dict(G.degree(weight=weight))


def betweenness(G: nx.Graph, *, k: int | None = None, seed: int = 0,
                exact_max_nodes: int | None = None,
                normalized: bool = True) -> dict[Hashable, float]:
    """Betweenness centrality (Brandes); sampled with ``k`` pivots above a size.

    Parameters
    ----------
    k : int, optional
        Pivots to sample; default ``betweenness_k`` (200) when the graph has more than
        ``exact_max_nodes`` (default ``betweenness_exact_max_nodes`` = 500) nodes, exact
        otherwise.
    seed : int, optional (default=0)
        Seed of the pivot sample, so results repeat.

    Examples
    --------
    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    _check(G)
    limit = int(threshold("betweenness_exact_max_nodes")) if exact_max_nodes is None \
        else exact_max_nodes
    if k is None and G.number_of_nodes() > limit:
        k = int(threshold("betweenness_k"))
    if k is not None and k >= G.number_of_nodes():
        k = None
    return nx.betweenness_centrality(G, k=k, seed=seed if k else None, normalized=normalized)


def constraint(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's constraint (low = spans structural holes); isolated nodes get NaN.

    Examples
    --------
    >>> round(constraint(nx.star_graph(2))[0], 3)
    0.5
    """
    _check(G)
    return nx.constraint(G, weight=weight)


def brokers(G: nx.Graph, *, seed: int = 0) -> dict[Hashable, float]:
    """Articulation points (removal disconnects their component), with their betweenness.

    Examples
    --------
    >>> brokers(nx.path_graph(3))
    {1: 1.0}
    """
    _check(G)
    g = G.to_undirected(as_view=True) if G.is_directed() else G
    cut = set(nx.articulation_points(g))
    if not cut:
        return {}
    bc = betweenness(g, seed=seed)
    return {n: bc[n] for n in sorted(cut, key=lambda n: (-bc[n], str(n)))}


def bridges(G: nx.Graph) -> list[tuple[Hashable, Hashable]]:
    """Edges whose removal disconnects their component (sorted).

    Examples
    --------
    >>> bridges(nx.path_graph(3))
    [(0, 1), (1, 2)]
    """
    _check(G)
    g = nx.Graph(G) if G.is_directed() or G.is_multigraph() else G
    return sorted(tuple(sorted(e, key=str)) for e in nx.bridges(g))


def bridge_count(G: nx.Graph) -> dict[Hashable, int]:
    """How many bridges touch each node.

    Examples
    --------
    >>> bridge_count(nx.path_graph(3))
    {0: 1, 1: 2, 2: 1}
    """
    out = dict.fromkeys(G.nodes, 0)
    for a, b in bridges(G):
        out[a] += 1
        out[b] += 1
    return out


def components(G: nx.Graph) -> dict[Hashable, int]:
    """Connected component of each node, numbered 0.. from the largest.

    Examples
    --------
    >>> components(nx.Graph([(1, 2), (3, 4), (4, 5)]))
    {3: 0, 4: 0, 5: 0, 1: 1, 2: 1}
    """
    _check(G)
    g = G.to_undirected(as_view=True) if G.is_directed() else G
    comps = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(map(str, c))))
    return {n: i for i, comp in enumerate(comps) for n in sorted(comp, key=str)}


def louvain(G: nx.Graph, *, seed: int = 0, resolution: float = 1.0,
            weight: str | None = "weight") -> dict[Hashable, int]:
    """Louvain community of each node (seeded), numbered 0.. from the largest.

    Examples
    --------
    >>> two = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    >>> louvain(two)
    {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    """
    _check(G)
    parts = nx.community.louvain_communities(G, seed=seed, resolution=resolution,
                                             weight=weight)
    parts = sorted(parts, key=lambda c: (-len(c), min(map(str, c))))
    return {n: i for i, comp in enumerate(parts) for n in sorted(comp, key=str)}


def adamic_adar(G: nx.Graph, pairs: Iterable[tuple[Hashable, Hashable]]) -> dict[
        tuple[Hashable, Hashable], float]:
    """Adamic–Adar index of each pair (0 when either end is not in ``G``).

    Examples
    --------
    >>> round(adamic_adar(nx.path_graph(3), [(0, 2)])[(0, 2)], 3)
    1.443
    """
    pairs = list(pairs)
    ok = [(a, b) for a, b in pairs if a in G and b in G and a != b]
    out = dict.fromkeys(pairs, 0.0)
    for a, b, s in nx.adamic_adar_index(G, ok):
        out[(a, b)] = float(s)
    return out


def coparticipation_graph(rows: pd.DataFrame) -> nx.Graph:
    """Actors linked when they share a project; ``rows`` has project_id, actor_id[, label].

    Edge attribute ``weight`` counts shared projects.
    """
    g = nx.Graph()
    if "label" in rows:
        g.add_nodes_from((a, {"label": lab}) for a, lab in
                         rows[["actor_id", "label"]].drop_duplicates("actor_id").itertuples(
                             index=False))
    else:
        g.add_nodes_from(rows["actor_id"].unique())
    for _, actors in rows.groupby("project_id")["actor_id"]:
        for a, b in itertools.combinations(sorted(set(actors)), 2):
            w = g.get_edge_data(a, b, {"weight": 0})["weight"]
            g.add_edge(a, b, weight=w + 1)
    return g


def linkage_graph(rows: pd.DataFrame, homes: pd.DataFrame | None = None) -> nx.Graph:
    """A township/county linkage graph: co-participation edges plus actor–community edges.

    ``rows``: community_id, project_id, actor_id (the township_participants query);
    ``homes``: optional resource_id, community_id pairs (where resources are based).
    """
    g = coparticipation_graph(rows)
    g.add_edges_from(rows[["actor_id", "community_id"]].drop_duplicates().itertuples(
        index=False, name=None))
    if homes is not None:
        h = homes.dropna()
        g.add_edges_from(h.itertuples(index=False, name=None))
    # A community that funds or initiates its own project would link to itself.
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    return g


def community_graph(rows: pd.DataFrame) -> nx.Graph:
    """Community-to-community graph from the community_links_via_orgs query rows."""
    g = nx.Graph()
    for s, t, w in rows[["source", "target", "shared_orgs"]].itertuples(index=False):
        g.add_edge(s, t, weight=int(w))
    return g
