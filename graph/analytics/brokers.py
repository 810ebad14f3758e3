"""Single brokers of each community's co-participation network (docs/metrics.md §5).

An actor is a single broker when removing it disconnects the community's network (an
articulation point), or when it holds at least ``broker_betweenness_share`` of all
betweenness. Everything runs on integer codes of the (community, project, actor)
incidences, so a province's ~23,000 communities cost seconds, not a graph each.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from wushe.graph.analytics.config import threshold
from wushe.graph.analytics.facts import Facts
from wushe.graph.analytics.network import betweenness, clique_betweenness

__all__ = ["single_brokers", "BROKER_COLS"]

BROKER_COLS = ["community_id", "item", "item_name", "severity", "value", "reason_zh", "reason_en"]


def _row(cid: str, who: str, sev: int, value: float, zh: str, en: str,
         name: str | None = None) -> dict:
    return {"community_id": cid, "item": who, "item_name": name, "severity": sev, "value": value,
            "reason_zh": zh, "reason_en": en}


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=BROKER_COLS)


def _separations(indptr: list[int], indices: list[int], weight: list[int],
                 roots: range) -> tuple[list[int], list[int], list[int], list[int]]:
    """One iterative Tarjan DFS over a node-weighted graph, started only from ``roots``.

    Returns per node: the root of its DFS tree (``comp``); the total and the largest
    weight of the child subtrees its removal separates from the rest (``cut``, ``piece``;
    0 for non-cut vertices — roots are never asked about); and per root the weight of its
    tree. A child subtree u of v is separated when no back edge from it climbs above v
    (low[u] ≥ disc[v]). Plain lists, not numpy: single-element access dominates here.
    """
    n = len(weight)
    disc = [-1] * n
    low = [0] * n
    sub = list(weight)
    comp = [0] * n
    cut = [0] * n
    piece = [0] * n
    tree_weight = [0] * n
    t = 0
    for root in roots:
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = t
        t += 1
        stack, parents, nexts = [root], [-1], [indptr[root]]
        while stack:
            v = stack[-1]
            i = nexts[-1]
            if i < indptr[v + 1]:
                nexts[-1] = i + 1
                u = indices[i]
                if disc[u] < 0:
                    disc[u] = low[u] = t
                    t += 1
                    stack.append(u)
                    parents.append(v)
                    nexts.append(indptr[u])
                elif u != parents[-1] and disc[u] < low[v]:
                    low[v] = disc[u]
                continue
            stack.pop()
            parents.pop()
            nexts.pop()
            comp[v] = root
            if stack:
                p = stack[-1]
                sub[p] += sub[v]
                if low[v] < low[p]:
                    low[p] = low[v]
                if low[v] >= disc[p]:
                    cut[p] += sub[v]
                    if sub[v] > piece[p]:
                        piece[p] = sub[v]
        tree_weight[root] = sub[root]
    return comp, cut, piece, tree_weight


def _cut_offs(c: np.ndarray, cp: np.ndarray, ca: np.ndarray) -> dict[int, tuple[int, int]]:
    """Per community, its articulation point leaving the smallest largest remainder.

    The co-participation graph G is a union of project cliques, so G − v falls apart
    exactly like the bipartite project–actor graph minus v: the DFS runs on that graph
    (~0.5M incidences) instead of G (~1.5M edges), and yields every cut vertex's
    separated pieces in one pass — no subgraph per articulation point. An actor in a
    single project is never a cut vertex (the rest of its clique stays joined), so such
    actors are folded into their project as its weight; roots are always projects, so
    every actor is a non-root DFS node. Removing v leaves as largest part the largest of:
    another component of G, a subtree v separates, or the rest of v's own component.

    Parameters
    ----------
    c, cp, ca : ndarray
        Per unique (community, project, actor) row with ≥ 2 actors in the project:
        community code, (community, project) node code 0..P-1 and (community, actor) code
        0..A-1, both numbered community by community.

    Returns
    -------
    dict
        community code → ((community, actor) code, largest remainder), ties to the
        smallest actor code (codes follow the actor ids' sort order).
    """
    n_proj = int(cp.max()) + 1
    n_ca = int(ca.max()) + 1
    multi_ca = np.bincount(ca, minlength=n_ca) > 1
    multi = multi_ca[ca]
    # Actor nodes: only actors in several projects, numbered after the projects.
    node_of_ca = np.full(n_ca, -1, dtype=np.int64)
    node_of_ca[multi_ca] = n_proj + np.arange(int(multi_ca.sum()))
    n = n_proj + int(multi_ca.sum())
    weight = np.ones(n, dtype=np.int64)
    weight[:n_proj] = np.bincount(cp[~multi], minlength=n_proj)
    u = np.concatenate([cp[multi], node_of_ca[ca[multi]]])
    v = np.concatenate([node_of_ca[ca[multi]], cp[multi]])
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(u, minlength=n), out=indptr[1:])
    indices = v[np.argsort(u, kind="stable")]
    comp, cut, piece, tree_weight = (np.asarray(x) for x in _separations(
        indptr.tolist(), indices.tolist(), weight.tolist(), range(n_proj)))
    proj_comm = np.zeros(n_proj, dtype=np.int64)
    proj_comm[cp] = c
    # The two heaviest components of each community (second = 0 if there is one).
    roots = np.flatnonzero(tree_weight[:n_proj] > 0)
    w = pd.DataFrame({"c": proj_comm[roots], "w": tree_weight[roots]}).sort_values(
        ["c", "w"], ascending=[True, False])
    rank = w.groupby("c").cumcount().to_numpy()
    top1 = pd.Series(w["w"].to_numpy()[rank == 0], index=w["c"].to_numpy()[rank == 0])
    top2 = pd.Series(w["w"].to_numpy()[rank == 1], index=w["c"].to_numpy()[rank == 1])
    ap_ca = np.flatnonzero(node_of_ca >= 0)
    ap_node = node_of_ca[ap_ca]
    is_ap = cut[ap_node] > 0
    ap_ca, ap_node = ap_ca[is_ap], ap_node[is_ap]
    ca_comm = np.zeros(n_ca, dtype=np.int64)
    ca_comm[ca] = c
    comm = ca_comm[ap_ca]
    own = tree_weight[comp[ap_node]]
    t1 = top1.reindex(comm).to_numpy()
    t2 = top2.reindex(comm, fill_value=0).to_numpy()
    other = np.where(own == t1, t2, t1)
    largest = np.maximum.reduce([piece[ap_node], own - 1 - cut[ap_node], other])
    best = pd.DataFrame({"c": comm, "largest": largest, "ca": ap_ca}).sort_values(
        ["c", "largest", "ca"]).drop_duplicates("c")
    return {int(r.c): (int(r.ca), int(r.largest)) for r in best.itertuples(index=False)}


def _top_betweenness(a: np.ndarray, nodes: list[str]) -> tuple[str, float] | None:
    """The actor with most betweenness and its share of the total (None if all zero).

    ``a`` is the 0/1 adjacency matrix over ``nodes`` (sorted by id). Co-participation
    graphs are unions of project cliques, nearly always of diameter 2, where
    :func:`~wushe.graph.analytics.network.clique_betweenness` is exact.
    Other graphs fall back to Brandes (sampled above ``broker_exact_max_nodes``, from the
    nodes in id order so the sample does not depend on how the edges were sorted).
    """
    bc = clique_betweenness(a)
    if bc is None:
        g = nx.Graph()
        g.add_nodes_from(nodes)
        i, j = np.nonzero(np.triu(a))
        g.add_edges_from(zip([nodes[x] for x in i], [nodes[x] for x in j], strict=True))
        big = len(nodes) > int(threshold("broker_exact_max_nodes"))
        bc_map = betweenness(g, k=int(threshold("broker_sample_k")) if big else None,
                             seed=0, normalized=False)
        bc = np.array([bc_map[v] for v in nodes])
    total = bc.sum()
    if total <= 1e-12:
        return None
    i = int(np.argmax(bc))
    return nodes[i], float(bc[i] / total)


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes that follow the values' sort order, and the sorted unique values.

    Factorising first and sorting only the uniques is several times faster than
    ``factorize(sort=True)`` on ~0.5M ids; object arrays sort like ``sorted``.
    """
    codes, uniq = pd.factorize(values.to_numpy(dtype=object))
    order = np.argsort(uniq)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes], uniq[order]


def single_brokers(facts: Facts) -> pd.DataFrame:
    """Single-broker gaps per community (docs/metrics.md §5), one row per community.

    Returns
    -------
    DataFrame
        ``community_id``, ``item`` (the broker's id), ``item_name`` (its name),
        ``severity`` (2 for an articulation point, 1 when one actor holds ≥
        ``broker_betweenness_share`` of betweenness),
        ``value`` (share cut off, or betweenness share) and the bilingual reasons.
    """
    # Everything runs on integer codes of the (community, project, actor) incidences:
    # a province has ~23,000 communities, and a networkx graph, subgraphs and matrices
    # per community cost ~15-30 s there; this costs a few seconds.
    share_min = threshold("broker_betweenness_share")
    rows: list[dict] = []
    part = facts.participants
    if part.empty:
        return _frame(rows)
    c, c_uniq = _sorted_codes(part["community_id"])
    k, k_uniq = _sorted_codes(part["actor_id"])
    p = pd.factorize(part["project_id"].to_numpy(dtype=object))[0].astype(np.int64)
    n_k, n_p = len(k_uniq), int(p.max()) + 1
    # Unique incidences, sorted by community, then actor (id order), then project.
    key = np.unique((c.astype(np.int64) * n_k + k) * n_p + p)
    c, k, p = key // n_p // n_k, key // n_p % n_k, key % n_p
    new_ca = np.r_[True, (c[1:] != c[:-1]) | (k[1:] != k[:-1])]
    # Only communities with ≥ 3 actors (lone-actor projects included) are looked at ...
    keep = np.bincount(c[new_ca], minlength=len(c_uniq))[c] >= 3
    # ... and only projects with ≥ 2 actors make edges: the graph's nodes are their actors.
    cp = np.unique(c * n_p + p, return_inverse=True)[1]
    keep &= np.bincount(cp)[cp] >= 2
    if not keep.any():
        return _frame(rows)
    c, k = c[keep], k[keep]
    cp = np.unique(cp[keep], return_inverse=True)[1]   # 0..P-1, grouped by community
    new_ca = np.r_[True, (c[1:] != c[:-1]) | (k[1:] != k[:-1])]
    ca = np.cumsum(new_ca) - 1                   # (community, actor) code 0..A-1
    actor_of_ca = k_uniq[k[new_ca]]
    cuts = _cut_offs(c, cp, ca)
    # reasons name the broker; the id stays in ``item`` (the gap's key)
    names = part.drop_duplicates("actor_id").set_index("actor_id")["actor_name"] \
        if "actor_name" in part else pd.Series(dtype=object)

    def name(actor: object) -> str:
        n = names.get(actor)
        return str(n) if isinstance(n, str) and n else str(actor)

    bounds = np.flatnonzero(np.r_[True, c[1:] != c[:-1], True])
    starts = bounds[:-1]
    for lo, hi, cc, a0, a1, p0 in zip(
            starts.tolist(), bounds[1:].tolist(), c[starts].tolist(), ca[starts].tolist(),
            ca[bounds[1:] - 1].tolist(), np.minimum.reduceat(cp, starts).tolist(),
            strict=True):
        cid = c_uniq[cc]
        n = a1 - a0 + 1
        if cc in cuts:
            actor = actor_of_ca[cuts[cc][0]]
            who = name(actor)
            share = (n - 1 - cuts[cc][1]) / (n - 1)
            rows.append(_row(cid, str(actor), 2, share,
                             f"移除{who}会使本社区协作网络断开,{share:.0%}的其他主体失去联系"
                             "(关节点)",
                             f"removing {who} disconnects the community's co-participation "
                             f"network, cutting off {share:.0%} of the other actors "
                             "(articulation point)", who))
            continue
        # adjacency = "shares a project": incidence(projects × actors)ᵀ · incidence > 0
        lp = cp[lo:hi] - p0
        inc = np.zeros((int(lp.max()) + 1, n))
        inc[lp, ca[lo:hi] - a0] = 1.0
        a = (inc.T @ inc > 0).astype(float)
        np.fill_diagonal(a, 0.0)
        if a.sum() == n * (n - 1):  # complete graph: nobody brokers
            continue
        top = _top_betweenness(a, actor_of_ca[a0:a1 + 1].tolist())
        if top is not None and top[1] >= share_min:
            actor, share = top
            who = name(actor)
            rows.append(_row(cid, str(actor), 1, share,
                             f"{who}占本社区协作网络介数的{share:.0%}",
                             f"{who} holds {share:.0%} of the network's betweenness", who))
    return _frame(rows)
