"""From a subgraph to the graph to draw: projections, filters, focus and the node cap.

The *linkage projection* turns every project into edges between the actors who share it
(weight = number of shared projects), as DESIGN.md §3 defines the linkage graph; the *raw*
projection keeps projects, needs and regions as nodes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

import networkx as nx

from wushe.app.netmap.style import KIND_NAMES, display_name, element_of
from wushe.graph.errors import FocusNotFound
from wushe.graph.schema import ACTOR_LABELS, ELEMENT_ORDER, PROJECT_ROLES

__all__ = ["DEFAULT_CAP", "MapOptions", "raw_projection", "linkage_projection",
           "aggregate_volunteers", "apply_filters", "focus_graph", "cap_graph"]


#: Default cap on drawn nodes, chosen from the HTML generation and browser rendering times
#: measured for 500/1k/3k/10k nodes (pyvis HTML in well under a second at 1,500 nodes).
DEFAULT_CAP = 1500


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
