"""The network map: from a subgraph a query returned to a drawable graph and pyvis HTML.

The pipeline a page runs (every step is a plain function on networkx graphs, so each is
tested by itself)::

    G = backend.subgraph(...)                    # nx.MultiDiGraph: label + props, edge type
    view = build_map(G, MapOptions(...))         # project, filter, focus, cap, size, colour
    html = to_pyvis_html(view.graph, lang="zh")  # positions computed here, legend injected

The *linkage projection* turns every project into edges between the actors who share it
(weight = number of shared projects), as DESIGN.md §3 defines the linkage graph; the *raw*
mode keeps projects, needs and regions as nodes.

No streamlit here: the page module draws what these functions return.
"""

from __future__ import annotations

import html as _html
import json
import math
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

import networkx as nx
import pandas as pd

from wushe.graph.errors import FocusNotFound, Notice
from wushe.graph.schema import ACTOR_LABELS, ELEMENT_ORDER, ELEMENTS, PROJECT_ROLES, SCHEMA

__all__ = [
    "ELEMENT_COLOURS",
    "KIND_NAMES",
    "SPRING_MAX",
    "PHYSICS_MAX_NODES",
    "DEFAULT_CAP",
    "MapOptions",
    "MapView",
    "element_of",
    "display_name",
    "linkage_projection",
    "raw_projection",
    "aggregate_volunteers",
    "apply_filters",
    "focus_graph",
    "cap_graph",
    "size_nodes",
    "colour_nodes",
    "layout",
    "build_map",
    "drop_sensitive",
    "graph_from_frame",
    "graph_from_pairs",
    "node_table",
    "to_pyvis_html",
]

#: Colour of each kind of node (the five elements, then things and places).
ELEMENT_COLOURS: dict[str, str] = {
    "community": "#e15759",
    "organization": "#4e79a7",
    "worker": "#59a14f",
    "volunteer": "#f28e2b",
    "charity": "#b07aa1",
    "project": "#9c755f",
    "need": "#edc948",
    "region": "#76b7b2",
    "more": "#bab0ac",
}
#: zh/en names of the node kinds that are not one of the five elements.
KIND_NAMES: dict[str, tuple[str, str]] = {
    **ELEMENTS,
    "project": ("项目", "Project"),
    "need": ("居民需求", "Resident need"),
    "region": ("行政区划", "Region"),
    "more": ("已折叠节点", "Collapsed nodes"),
}
DIMMED = "#e6e6e6"

#: The spring layout runs on at most this many (best-connected) nodes: networkx's dense
#: solver is O(n²) per iteration; the others are placed next to their neighbours.
SPRING_MAX = 400
#: Above this many drawn nodes the browser's physics simulation is switched off: the
#: server-side layout is final, so the page stays responsive (see bench numbers in the
#: network page's help text).
PHYSICS_MAX_NODES = 300
#: Default cap on drawn nodes, chosen from the HTML generation and browser rendering times
#: measured for 500/1k/3k/10k nodes (pyvis HTML in well under a second at 1,500 nodes).
DEFAULT_CAP = 1500

_REGION_LABELS = ("City", "County", "Township")
_SENSITIVE = frozenset(p.name for n in SCHEMA.nodes for p in n.all_props
                       if "sensitive" in (p.checks or ()))


@dataclass(frozen=True)
class MapOptions:
    """What to draw. Empty filter sets mean "no filter".

    ``filter_mode`` "hide" removes nodes that fail the filters, "highlight" keeps them dimmed.
    ``metric`` (node → value) replaces degree for sizing when given.
    """

    mode: Literal["linkage", "raw"] = "linkage"
    elements: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    scenarios: frozenset[str] = frozenset()
    years: tuple[int, int] | None = None
    filter_mode: Literal["hide", "highlight"] = "hide"
    focus: str | None = None
    hops: int = 1
    cap: int = DEFAULT_CAP
    size_by: Literal["degree", "weighted_degree", "betweenness", "metric"] = "degree"
    metric: Mapping[str, float] | None = None


@dataclass
class MapView:
    """A drawable graph plus what the page should say about it."""

    graph: nx.Graph
    notes: list[Notice] = field(default_factory=list)
    collapsed: dict[str, int] = field(default_factory=dict)  # kind → nodes collapsed
    aggregated_volunteers: int = 0
    matched: set[str] = field(default_factory=set)


# -- node kinds and names --------------------------------------------------------------


def element_of(label: str | None) -> str:
    """The node kind used for colour and legend: an element, or project/need/region/more.

    Examples
    --------
    >>> element_of("Volunteer"), element_of("Project"), element_of("Township")
    ('volunteer', 'project', 'region')
    """
    if label == "Project":
        return "project"
    if label == "Need":
        return "need"
    if label in _REGION_LABELS:
        return "region"
    if label in ("VolunteerGroup",):
        return "volunteer"
    if label == "More":
        return "more"
    try:
        return SCHEMA.element_of(label or "") or "more"
    except KeyError:
        return "more"


def display_name(node: str, attrs: Mapping[str, Any]) -> str:
    """What to write on a node: its name (already masked for people), else category, else id."""
    for key in ("name", "category"):
        v = attrs.get(key)
        if v:
            return str(v)
    return str(node)


# -- projections -----------------------------------------------------------------------


def _copy_node(H: nx.Graph, G: nx.Graph, n: str) -> None:
    attrs = dict(G.nodes[n])
    attrs.setdefault("element", element_of(attrs.get("label")))
    H.add_node(n, **attrs)


def raw_projection(G: nx.MultiDiGraph) -> nx.Graph:
    """``G`` as an undirected simple graph; parallel relationships merge into one edge.

    Each edge keeps ``types`` (sorted relationship types) and ``weight`` (how many
    relationships it merges).
    """
    H = nx.Graph()
    for n in G.nodes:
        _copy_node(H, G, n)
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        t = data.get("type", "")
        if H.has_edge(u, v):
            e = H.edges[u, v]
            e["weight"] += 1
            e["types"] = sorted(set(e["types"]) | {t})
        else:
            H.add_edge(u, v, weight=1, types=[t])
    return H


def _project_members(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Project id → the actors with a role on it (INITIATED, LEADS, DELIVERS, SERVES_IN, FUNDS)."""
    members: dict[str, set[str]] = defaultdict(set)
    for p, attrs in G.nodes(data=True):
        if attrs.get("label") != "Project":
            continue
        members[p]  # noqa: B018 - a project nobody works on still exists
        # roles only: RUNS_IN names where a project happens, not who takes part
        for nb, _, data in G.in_edges(p, data=True):
            if (data.get("type") in PROJECT_ROLES
                    and G.nodes[nb].get("label") in (*ACTOR_LABELS, "VolunteerGroup")):
                members[p].add(nb)
    return members


def linkage_projection(G: nx.MultiDiGraph) -> nx.Graph:
    """The actor co-participation graph: two actors are linked when they share a project.

    Edge ``weight`` is the number of projects they share, ``projects`` the sorted ids.
    Every actor of ``G`` is kept, so idle actors (no project) appear as isolated nodes;
    projects, needs and regions are dropped.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("o", label="Organization"); G.add_node("w", label="SocialWorker")
    >>> G.add_node("p", label="Project"); G.add_node("q", label="Project")
    >>> G.add_edges_from([("o", "p", {"type": "LEADS"}), ("w", "p", {"type": "DELIVERS"}),
    ...                   ("o", "q", {"type": "LEADS"}), ("w", "q", {"type": "DELIVERS"})])
    [0, 0, 0, 0]
    >>> linkage_projection(G).edges["o", "w"]["weight"]
    2
    """
    H = nx.Graph()
    for n, attrs in G.nodes(data=True):
        if attrs.get("label") in (*ACTOR_LABELS, "VolunteerGroup"):
            _copy_node(H, G, n)
    for p, actors in sorted(_project_members(G).items()):
        for a, b in combinations(sorted(actors), 2):
            if H.has_edge(a, b):
                H.edges[a, b]["weight"] += 1
                H.edges[a, b]["projects"].append(p)
            else:
                H.add_edge(a, b, weight=1, projects=[p])
    return H


def aggregate_volunteers(G: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, int]:
    """Replace the volunteers who belong to a team by one node per team.

    A volunteer with ``MEMBER_OF`` edges in ``G`` joins the group of its first team (by
    id). The group node ``vgroup:<team>`` (label ``VolunteerGroup``, ``count`` members,
    ``hours_12m`` summed) takes over the members' edges to other nodes, one edge per
    (relationship type, other end). Volunteers with no team stay as they are.

    Returns the new graph and how many volunteers were aggregated.
    """
    team_of: dict[str, str] = {}
    for v, attrs in G.nodes(data=True):
        if attrs.get("label") != "Volunteer":
            continue
        teams = sorted(t for _, t, d in G.out_edges(v, data=True) if d.get("type") == "MEMBER_OF")
        if teams:
            team_of[v] = teams[0]
    if not team_of:
        return G, 0
    H = nx.MultiDiGraph()
    for n, attrs in G.nodes(data=True):
        if n not in team_of:
            H.add_node(n, **attrs)
    members: dict[str, list[str]] = defaultdict(list)
    for v, t in team_of.items():
        members[t].append(v)
    for t, vs in members.items():
        team_name = display_name(t, G.nodes[t])
        hours = sum(float(G.nodes[v].get("hours_12m") or 0) for v in vs)
        H.add_node(f"vgroup:{t}", label="VolunteerGroup", element="volunteer",
                   name=f"{team_name} ×{len(vs)}", count=len(vs), team=t,
                   hours_12m=round(hours, 1))
    for u, v, key, data in G.edges(keys=True, data=True):
        uu = f"vgroup:{team_of[u]}" if u in team_of else u
        vv = f"vgroup:{team_of[v]}" if v in team_of else v
        if uu == vv or H.has_edge(uu, vv, key):
            continue
        H.add_edge(uu, vv, key=key, **data)
    return H, len(team_of)


# -- filters and focus -----------------------------------------------------------------


def _project_ok(attrs: Mapping[str, Any], opts: MapOptions) -> bool:
    if opts.scenarios and attrs.get("scenario") not in opts.scenarios:
        return False
    if opts.years is not None:
        y = attrs.get("year")
        if y is None or not opts.years[0] <= int(y) <= opts.years[1]:
            return False
    return True


def _node_ok(attrs: Mapping[str, Any], opts: MapOptions) -> bool:
    kind = attrs.get("element") or element_of(attrs.get("label"))
    if opts.elements and kind in ELEMENT_ORDER and kind not in opts.elements:
        return False
    return not (opts.categories and attrs.get("label") == "Organization"
                and attrs.get("category") not in opts.categories)


def apply_filters(G: nx.MultiDiGraph, opts: MapOptions) -> tuple[nx.MultiDiGraph, set[str]]:
    """Filter the query graph by element, organization category, project scenario and year.

    Returns the graph to project and the set of nodes that pass. In "hide" mode failing
    nodes are removed, together with actors whose only projects were filtered out; in
    "highlight" mode nothing is removed (the page dims the nodes not in the set).
    Element and category filters apply to actors; scenario and year filters apply to
    projects, and an actor passes them when it has a role on a passing project.
    """
    project_filter = bool(opts.scenarios) or opts.years is not None
    bad_projects = {n for n, a in G.nodes(data=True)
                    if a.get("label") == "Project" and not _project_ok(a, opts)}
    passing: set[str] = set()
    for n, a in G.nodes(data=True):
        if n in bad_projects or not _node_ok(a, opts):
            continue
        if project_filter and a.get("label") != "Project":
            # roles only: the community a project runs in does not take part in it
            projects = {p for _, p, d in G.out_edges(n, data=True)
                        if d.get("type") in PROJECT_ROLES and G.nodes[p].get("label") == "Project"}
            if projects and not projects - bad_projects:
                continue
        passing.add(n)
    if opts.filter_mode == "highlight":
        return G, passing
    return G.subgraph(passing).copy(), passing


def focus_graph(H: nx.Graph, focus: str | None, hops: int = 1) -> nx.Graph:
    """The ego graph of ``focus`` within ``hops`` (the whole graph when focus is None).

    Raises
    ------
    FocusNotFound
        when ``focus`` is not drawn.
    """
    if focus is None:
        return H
    if focus not in H:
        raise FocusNotFound(focus)
    return nx.ego_graph(H, focus, radius=max(0, int(hops)))


def cap_graph(H: nx.Graph, cap: int, *,
              keep: Iterable[str] = ()) -> tuple[nx.Graph, dict[str, int]]:
    """Keep the ``cap`` best-connected nodes; fold the rest into one "+N" node per kind.

    The nodes with the lowest weighted degree (ties: by id as text, so the result is
    reproducible) are collapsed first; ``keep`` nodes (a focus) never are. Each kind with
    collapsed nodes gets one node ``more:<kind>`` (label ``More``, ``count``) that takes over
    their edges to kept nodes (weights summed). The result has at most ``cap`` nodes.

    Returns the graph and kind → number of nodes collapsed.
    """
    n = H.number_of_nodes()
    if cap <= 0 or n <= cap:
        return H, {}
    keep = set(keep)
    deg = dict(H.degree(weight="weight"))
    order = sorted(H.nodes, key=lambda x: (x not in keep, -deg[x], str(x)))
    # the "+N" nodes take slots too: one per kind among the collapsed nodes
    kept_n = cap
    while True:
        dropped = order[kept_n:]
        kinds = {H.nodes[x].get("element") or element_of(H.nodes[x].get("label")) for x in dropped}
        if kept_n + len(kinds) <= cap or kept_n <= len(keep):
            break
        kept_n -= 1
    kept, dropped = order[:kept_n], order[kept_n:]
    K = nx.Graph(H.subgraph(kept))
    counts: Counter[str] = Counter()
    kind_of: dict[str, str] = {}
    for x in dropped:
        kind = H.nodes[x].get("element") or element_of(H.nodes[x].get("label"))
        counts[kind] += 1
        kind_of[x] = kind
    for kind, c in counts.items():
        zh, en = KIND_NAMES.get(kind, (kind, kind))
        K.add_node(f"more:{kind}", label="More", element=kind, count=c,
                   name=f"+{c} {zh}", name_en=f"+{c} {en}", collapsed=True)
    kept_set = set(kept)
    for x in dropped:
        for y, data in H[x].items():
            if y in kept_set:
                m = f"more:{kind_of[x]}"
                w = data.get("weight", 1)
                if K.has_edge(m, y):
                    K.edges[m, y]["weight"] += w
                else:
                    K.add_edge(m, y, weight=w, types=["collapsed"])
    return K, dict(counts)


# -- appearance ------------------------------------------------------------------------


def size_nodes(H: nx.Graph, by: str = "degree", metric: Mapping[str, float] | None = None,
               *, smallest: float = 10.0, largest: float = 40.0) -> dict[str, float]:
    """Node sizes from degree, weighted degree, betweenness or ``metric``, scaled to
    [smallest, largest].

    Square-root scaling keeps hubs from dwarfing everything; nodes without a metric value
    get the smallest size. The sizes are also stored as the ``size`` attribute.

    Examples
    --------
    >>> H = nx.star_graph(4)
    >>> size_nodes(H)[0], size_nodes(H)[1]
    (40.0, 10.0)
    """
    if by == "betweenness":
        # sampled above 300 nodes (seeded) so a capped map stays interactive
        k = min(H.number_of_nodes(), 300)
        raw = nx.betweenness_centrality(H, k=k if k < H.number_of_nodes() else None, seed=7)
    elif by == "metric" and metric is not None:
        raw = {n: float(metric.get(n, 0) or 0) for n in H.nodes}
    elif by == "weighted_degree":
        raw = {n: float(d) for n, d in H.degree(weight="weight")}
    else:
        raw = {n: float(d) for n, d in H.degree()}
    vals = {n: math.sqrt(max(v, 0.0)) for n, v in raw.items()}
    lo, hi = (min(vals.values()), max(vals.values())) if vals else (0.0, 0.0)
    out = {}
    for n, v in vals.items():
        s = smallest if hi == lo else smallest + (largest - smallest) * (v - lo) / (hi - lo)
        out[n] = round(s, 2)
    nx.set_node_attributes(H, out, "size")
    return out


def colour_nodes(H: nx.Graph, matched: set[str] | None = None) -> None:
    """Set ``color`` from the node kind; nodes outside ``matched`` are dimmed grey."""
    for n, a in H.nodes(data=True):
        kind = a.get("element") or element_of(a.get("label"))
        a["element"] = kind
        dim = matched is not None and not a.get("collapsed") and n not in matched
        a["color"] = DIMMED if dim else ELEMENT_COLOURS.get(kind, ELEMENT_COLOURS["more"])
        a["dimmed"] = dim


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


# -- the whole pipeline ----------------------------------------------------------------


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


# -- tables and HTML -------------------------------------------------------------------

_HIDDEN_ATTRS = {"x", "y", "size", "color", "dimmed", "element", "collapsed", "name_en"}


def node_table(H: nx.Graph, node: str) -> pd.DataFrame:
    """The properties of ``node`` as a two-column frame (property, value), degree included."""
    a = H.nodes[node]
    rows = [("id", str(node))]
    rows += [(k, _plain(v)) for k, v in sorted(a.items()) if k not in _HIDDEN_ATTRS]
    rows.append(("degree", str(H.degree(node))))
    return pd.DataFrame(rows, columns=["property", "value"])


def _plain(v: Any) -> str:
    if isinstance(v, list | tuple | set):
        return ", ".join(map(str, v))
    return str(v)


def _prop_name(label: str | None, prop: str, lang: str) -> str:
    try:
        p = SCHEMA.node(label or "").prop(prop)
    except KeyError:
        return prop
    return p.zh if lang == "zh" else p.en


def _tooltip(n: str, a: Mapping[str, Any], degree: int, lang: str) -> str:
    kind = a.get("element") or element_of(a.get("label"))
    zh, en = KIND_NAMES.get(kind, (kind, kind))
    lines = [f"{display_name(n, a)} ({zh if lang == 'zh' else en})"]
    for k, v in sorted(a.items()):
        if k in _HIDDEN_ATTRS or k in ("label", "name") or v is None:
            continue
        lines.append(f"{_prop_name(a.get('label'), k, lang)}: {_plain(v)}")
    lines.append(("连接数" if lang == "zh" else "Connections") + f": {degree}")
    return _as_text("\n".join(lines))


def _as_text(text: str) -> str:
    """A tooltip vis-network shows as text (``innerText``), never parsed as HTML.

    pyvis swaps vis-network's tooltip for its own HTML popup (``innerHTML``) as soon as any
    node's title contains ``href``; a word joiner inside each ``href`` (invisible) keeps
    every title on the text path, whatever the names hold.
    """
    return text.replace("href", "hre\u2060f")


def _legend_html(kinds: Iterable[str], lang: str, notes: Iterable[Notice]) -> str:
    title = "图例" if lang == "zh" else "Legend"
    hint = ("点击节点高亮其邻居;滚轮缩放,拖动平移。" if lang == "zh"
            else "Click a node to highlight its neighbours; scroll to zoom, drag to pan.")
    items = "".join(
        f'<div class="wushe-legend-item"><span style="display:inline-block;width:12px;'
        f'height:12px;border-radius:6px;margin-right:6px;background:{ELEMENT_COLOURS[k]}">'
        f"</span>{_html.escape(KIND_NAMES[k][0 if lang == 'zh' else 1])}</div>"
        for k in kinds
    )
    extra = "".join(f"<div style='margin-top:4px;color:#8a4b00'>{_html.escape(n.message(lang))}"
                    "</div>" for n in notes)
    return (
        '<div id="wushe-legend" style="position:absolute;top:8px;left:8px;z-index:10;'
        "background:rgba(255,255,255,0.92);border:1px solid #ccc;border-radius:6px;"
        'padding:6px 10px;font:12px sans-serif;max-width:260px">'
        f"<b>{title}</b>{items}<div style='margin-top:4px;color:#555'>{hint}</div>{extra}</div>"
    )


def to_pyvis_html(H: nx.Graph, *, lang: str = "zh", height: str = "720px",
                  physics: bool | None = None, notes: Iterable[Notice] = (),
                  seed: int = 7) -> str:
    """A self-contained HTML page drawing ``H`` with vis-network (through pyvis).

    Positions come from :func:`layout` unless every node already has ``x``/``y``; physics
    is on only up to :data:`PHYSICS_MAX_NODES` nodes unless ``physics`` says otherwise.
    The legend (every element, plus the other kinds drawn) is injected into the page, and
    the JavaScript highlights a clicked node's neighbours. The vis-network library is
    inlined, so the file works offline.
    """
    from pyvis.network import Network

    if any("x" not in a for _, a in H.nodes(data=True)):
        layout(H, seed=seed)
    if "color" not in next(iter(H.nodes.values()), {"color": 1}):
        colour_nodes(H)
    if any("size" not in a for _, a in H.nodes(data=True)):
        size_nodes(H)
    n = H.number_of_nodes()
    physics = n <= PHYSICS_MAX_NODES if physics is None else physics
    net = Network(height=height, width="100%", directed=False, cdn_resources="in_line",
                  neighborhood_highlight=True)
    deg = dict(H.degree())
    # pyvis' add_node checks membership in a list (quadratic): fill its lists directly.
    for node, a in H.nodes(data=True):
        label = a.get("name_en") if lang == "en" and a.get("name_en") else display_name(node, a)
        net.nodes.append({
            "id": str(node), "label": label, "shape": "dot", "size": a.get("size", 10),
            "color": a.get("color", ELEMENT_COLOURS["more"]), "x": a["x"], "y": a["y"],
            "title": _tooltip(node, a, deg[node], lang),
            "font": {"color": "#bbbbbb" if a.get("dimmed") else "#333333"},
        })
        net.node_ids.append(str(node))
        net.node_map[str(node)] = net.nodes[-1]
    for u, v, a in H.edges(data=True):
        w = a.get("weight", 1)
        types = a.get("types") or []
        title = (f"{'共同项目' if lang == 'zh' else 'Shared projects'}: {w}" if "projects" in a
                 else ", ".join(_rel_name(t, lang) for t in types) or str(w))
        net.edges.append({"from": str(u), "to": str(v), "value": w, "title": title,
                          "color": "#cccccc" if H.nodes[u].get("dimmed")
                          or H.nodes[v].get("dimmed") else "#999999"})
    net.set_options(json.dumps({
        "physics": {"enabled": physics, "stabilization": {"iterations": 100}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n > 500},
        "edges": {"smooth": False, "scaling": {"min": 1, "max": 6}},
        "nodes": {"font": {"size": 12}},
    }))
    page = net.generate_html()
    # The template pulls Bootstrap from a CDN for its card style only: drop it so the
    # exported file does not try the network (the app often runs offline).
    page = _strip_cdn(page)
    kinds = [*ELEMENT_ORDER, *[k for k in ("project", "need", "region", "more")
                               if any(a.get("element") == k for _, a in H.nodes(data=True))]]
    legend = _legend_html(kinds, lang, notes)
    page = page.replace('<div id="mynetwork"', legend + '<div id="mynetwork"', 1)
    return _locked_down(page)


def _locked_down(page: str) -> str:
    """``page`` under a Content-Security-Policy: only its own scripts run, nothing loads.

    The second line behind escaping: were some name ever to reach the page as markup, an
    inline handler (``onerror=…``) or injected ``<script>`` would lack the nonce and not
    run, and no image, frame or request could leave the page.
    """
    nonce = secrets.token_urlsafe(16)
    page = _nonce_inline_scripts(page, nonce)
    csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
           "img-src data: blob:; font-src data:; form-action 'none'; base-uri 'none'")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
    head = page.find("<head>")
    if head < 0:
        return meta + page
    return page[:head + 6] + meta + page[head + 6:]


def _nonce_inline_scripts(page: str, nonce: str) -> str:
    """Give every inline ``<script>`` element of ``page`` the nonce (not ``src`` ones).

    Script bodies may hold the text ``<script`` (the inlined libraries do); an HTML parser
    ends a script only at ``</script``, so each body is skipped whole.
    """
    out, i = [], 0
    low = page.lower()
    while (j := low.find("<script", i)) >= 0:
        end_tag = low.find(">", j)
        close = low.find("</script", end_tag)
        if end_tag < 0 or close < 0:
            break
        tag = page[j:end_tag]
        out.append(page[i:j])
        out.append(tag if " src=" in tag.lower() else f'<script nonce="{nonce}"' + tag[7:])
        out.append(page[end_tag:close])
        i = close
    out.append(page[i:])
    return "".join(out)


def _rel_name(t: str, lang: str) -> str:
    try:
        r = SCHEMA.rel(t)
    except KeyError:
        return t
    return r.zh if lang == "zh" else r.en


def _strip_cdn(page: str) -> str:
    import re

    page = re.sub(r"<link\s+href=\"https://cdn\.jsdelivr\.net/[^>]*/>", "", page)
    return re.sub(r"<script\s+src=\"https://cdn\.jsdelivr\.net/[^>]*></script>", "", page)
