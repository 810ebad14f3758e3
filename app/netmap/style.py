"""How the map looks: node kinds, their colours and names, node sizes and colours."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import networkx as nx

from wushe.graph.analytics.network import betweenness
from wushe.graph.schema import ELEMENTS, SCHEMA

__all__ = ["ELEMENT_COLOURS", "KIND_NAMES", "DIMMED", "element_of", "display_name",
           "size_nodes", "colour_nodes"]


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


_REGION_LABELS = ("City", "County", "Township")


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
        raw = betweenness(H, k=300 if H.number_of_nodes() > 300 else None, seed=7)
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
