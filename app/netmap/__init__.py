"""The network map: from a subgraph a query returned to a drawable graph and pyvis HTML.

The pipeline a page runs (every step is a plain function on networkx graphs, so each is
tested by itself)::

    G = backend.subgraph(...)                    # nx.MultiDiGraph: label + props, edge type
    view = build_map(G, MapOptions(...))         # project, filter, focus, cap, size, colour
    html = to_pyvis_html(view.graph, lang="zh")  # positions computed here, legend injected

The *linkage projection* turns every project into edges between the actors who share it
(weight = number of shared projects), as DESIGN.md §3 defines the linkage graph; the *raw*
mode keeps projects, needs and regions as nodes.

No streamlit here: the page module draws what these functions return. One module per
seam: :mod:`.style` (kinds, colours, sizes), :mod:`.projection` (projections, filters,
focus, cap), :mod:`.view` (the pipeline, layout, graphs from results), :mod:`.page` (node
details, tooltips, the HTML).
"""

from __future__ import annotations

from wushe.app.netmap.page import PHYSICS_MAX_NODES, node_table, to_pyvis_html
from wushe.app.netmap.projection import (
    DEFAULT_CAP,
    MapOptions,
    aggregate_volunteers,
    apply_filters,
    cap_graph,
    focus_graph,
    linkage_projection,
    raw_projection,
)
from wushe.app.netmap.style import (
    DIMMED,
    ELEMENT_COLOURS,
    KIND_NAMES,
    colour_nodes,
    display_name,
    element_of,
    size_nodes,
)
from wushe.app.netmap.view import (
    SPRING_MAX,
    MapView,
    build_map,
    drop_sensitive,
    graph_from_frame,
    graph_from_pairs,
    layout,
)

__all__ = [
    "DIMMED",
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
