"""The whole pipeline (:func:`build_map`), positions, and graphs from query results."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from wushe.app.netmap.projection import (
    MapOptions,
    aggregate_volunteers,
    apply_filters,
    cap_graph,
    focus_graph,
    linkage_projection,
    raw_projection,
)
from wushe.app.netmap.style import KIND_NAMES, colour_nodes, element_of, size_nodes
from wushe.graph.errors import Notice
from wushe.graph.schema import SCHEMA

__all__ = ["SPRING_MAX", "MapView", "layout", "build_map", "drop_sensitive",
           "graph_from_frame", "graph_from_pairs"]


#: The spring layout runs on at most this many (best-connected) nodes: networkx's dense
#: solver is O(n²) per iteration; the others are placed next to their neighbours.
SPRING_MAX = 400


_SENSITIVE = frozenset(p.name for n in SCHEMA.nodes for p in n.all_props
                       if "sensitive" in (p.checks or ()))


@dataclass
class MapView:
    """A drawable graph plus what the page should say about it."""

    graph: nx.Graph
    notes: list[Notice] = field(default_factory=list)
    collapsed: dict[str, int] = field(default_factory=dict)  # kind → nodes collapsed
    aggregated_volunteers: int = 0
    matched: set[str] = field(default_factory=set)


def layout(H: nx.Graph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Server-side positions in pixels, reproducible for a given ``seed``.

    Up to :data:`SPRING_MAX` nodes: networkx's seeded Fruchterman-Reingold (its dense
    numpy solver; the sparse one needs scipy, which wushe does not depend on). Above that,
    the :data:`SPRING_MAX` best-connected nodes get the spring layout and every other node
    is placed next to its best-placed neighbour (breadth first), isolated ones on a grid
    below: linear time, so a 10,000-node map is laid out in well under a second. The
    canvas grows with the square root of the node count so dense maps stay legible.
    Positions are stored as ``x``/``y`` attributes.
    """
    import numpy as np

    n = H.number_of_nodes()
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    deg = dict(H.degree())
    core = sorted(H.nodes, key=lambda x: (-deg[x], str(x)))[:SPRING_MAX]
    if len(core) == 1:
        pos = {core[0]: np.zeros(2)}
    else:
        sub = H.subgraph(core)
        pos = {k: np.asarray(v) for k, v in nx.spring_layout(
            sub, seed=seed, iterations=50 if len(core) <= 200 else 30, weight=None,
            method="force").items()}
    if n > len(pos):
        # spread the rest around their placed neighbours, hub-first
        step = 1.5 / math.sqrt(len(pos) + 1)
        frontier = list(core)
        while frontier:
            nxt = []
            for u in frontier:
                for v in sorted(H[u], key=str):
                    if v not in pos:
                        angle = rng.uniform(0, 2 * math.pi)
                        r = step * rng.uniform(0.6, 1.4)
                        pos[v] = pos[u] + r * np.array([math.cos(angle), math.sin(angle)])
                        nxt.append(v)
            frontier = nxt
        rest = sorted((x for x in H.nodes if x not in pos), key=str)
        cols = max(1, int(math.sqrt(len(rest))) or 1)
        for i, x in enumerate(rest):
            pos[x] = np.array([-1.0 + 2.0 * (i % cols) / cols, 1.2 + 2.0 * (i // cols) / cols])
    scale = 400.0 * max(1.0, math.sqrt(n / 50.0))
    out = {k: (round(float(v[0]) * scale, 1), round(float(v[1]) * scale, 1))
           for k, v in pos.items()}
    for k, (x, y) in out.items():
        H.nodes[k]["x"], H.nodes[k]["y"] = x, y
    return out


def build_map(G: nx.MultiDiGraph, opts: MapOptions | None = None) -> MapView:
    """Filter, project, focus, cap, size and colour ``G`` for drawing.

    Volunteers are aggregated into their teams only when the map would exceed the cap;
    what remains above the cap is collapsed into "+N" nodes (see :func:`cap_graph`), and
    :attr:`MapView.notes` says both on screen.

    Raises
    ------
    FocusNotFound
        when ``opts.focus`` is not on the map.
    """
    opts = opts or MapOptions()
    notes: list[Notice] = []
    project = linkage_projection if opts.mode == "linkage" else raw_projection
    filtered, matched = apply_filters(G, opts)
    H = focus_graph(project(filtered), opts.focus, opts.hops)
    aggregated = 0
    if opts.cap > 0 and H.number_of_nodes() > opts.cap:
        agg, aggregated = aggregate_volunteers(filtered)
        if aggregated:
            matched = {m for m in matched if m in agg} | {
                n for n in agg if str(n).startswith("vgroup:")}
            H = focus_graph(project(agg), opts.focus, opts.hops)
            notes.append(Notice(
                f"为控制节点数,{aggregated} 名志愿者已按所属队伍合并显示。",
                f"{aggregated} volunteers are shown merged into their teams to stay under "
                "the node cap.",
            ))
    H, collapsed = cap_graph(H, opts.cap, keep=[opts.focus] if opts.focus else [])
    if collapsed:
        total = sum(collapsed.values())
        notes.append(Notice(
            f"图中节点超过上限 {opts.cap}:连接最少的 {total} 个节点已折叠为「+N」节点"
            f"({'、'.join(f'{KIND_NAMES[k][0]} {c}' for k, c in sorted(collapsed.items()))})。",
            f"The map exceeds the cap of {opts.cap} nodes: the {total} least-connected nodes "
            "are collapsed into '+N' nodes ("
            f"{', '.join(f'{KIND_NAMES[k][1]} {c}' for k, c in sorted(collapsed.items()))}).",
        ))
    size_nodes(H, opts.size_by, opts.metric)
    colour_nodes(H, matched if opts.filter_mode == "highlight" else None)
    drop_sensitive(H)
    return MapView(H, notes, collapsed, aggregated, matched)


def drop_sensitive(H: nx.Graph) -> nx.Graph:
    """Remove phone and ID numbers (salted hashes) from every node, in place.

    What the map holds reaches tooltips, node details and every download, and a viewer
    never needs a hash: the schema's ``sensitive`` properties and any value that is a
    hash go.
    """
    for _, a in H.nodes(data=True):
        for k in [k for k, v in a.items() if k in _SENSITIVE
                  or (isinstance(v, str) and v.startswith("sha256:"))]:
            del a[k]
    return H


def graph_from_frame(df: pd.DataFrame) -> nx.MultiDiGraph:
    """Every node and relationship in a query result (as :meth:`GraphBackend.subgraph` builds).

    Cells holding node dicts (``id`` + ``label``), relationship dicts (``type``, ``from``,
    ``to``), paths or lists of them are collected; other cells are ignored, so a plain table
    gives an empty graph.
    """
    from wushe.graph.backends.base import graph_from_values

    return graph_from_values(df.itertuples(index=False, name=None))


def graph_from_pairs(df: pd.DataFrame, *, source: str = "source", target: str = "target",
                     weight: str | None = None, label: str = "Community",
                     names: tuple[str, str] | None = None) -> nx.Graph:
    """An undirected graph from aggregated rows (one row per pair), e.g. community links.

    ``names`` gives the columns holding the source and target display names.
    """
    H = nx.Graph()
    for row in df.to_dict("records"):
        a, b = row[source], row[target]
        for node, col in ((a, names[0] if names else None), (b, names[1] if names else None)):
            if node not in H:
                H.add_node(node, label=label, element=element_of(label),
                           **({"name": row[col]} if col else {}))
        H.add_edge(a, b, weight=int(row[weight]) if weight else 1)
    return H
