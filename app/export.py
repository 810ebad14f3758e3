"""Exports for other tools: GEXF and GraphML for Gephi, XLSX for spreadsheets.

Both graph writers keep every node's ``label`` (schema label), ``element`` (node kind),
``name`` and ``color``; GEXF also gets Gephi's ``viz`` colour, size and position, so a map
opens in Gephi looking as it did in the app. Attribute values that GEXF/GraphML cannot
hold (lists, dicts, dates) are written as text; missing values are left out.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import networkx as nx
import pandas as pd

from wushe.app.netmap import ELEMENT_COLOURS, element_of

__all__ = ["to_gexf", "to_graphml", "frame_to_xlsx", "hex_to_rgb"]

# attributes the page adds for drawing only (positions and sizes go to GEXF's viz instead)
_DRAWING = {"x", "y", "size", "dimmed"}


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """``"#4e79a7"`` → ``(78, 121, 167)``.

    Examples
    --------
    >>> hex_to_rgb("#ff8000")
    (255, 128, 0)
    """
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _scalar(v: Any) -> Any:
    """A value GEXF/GraphML can store: str/int/float/bool, or text for everything else."""
    if isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    if isinstance(v, list | tuple | set):
        return ", ".join(map(str, v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def _plain_graph(G: nx.Graph, *, viz: bool) -> nx.Graph:
    """A simple copy of ``G`` with writer-safe attributes (multi-edges merged)."""
    H: nx.Graph = nx.DiGraph() if G.is_directed() else nx.Graph()
    for n, a in G.nodes(data=True):
        kind = a.get("element") or element_of(a.get("label"))
        colour = a.get("color") or ELEMENT_COLOURS.get(kind, ELEMENT_COLOURS["more"])
        attrs = {k: _scalar(v) for k, v in a.items() if v is not None and k not in _DRAWING}
        attrs.update(label=str(a.get("label", "")), element=kind, color=colour,
                     name=str(a.get("name") or n))
        if viz:
            r, g, b = hex_to_rgb(colour)
            attrs["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0},
                            "size": float(a.get("size", 10.0))}
            if "x" in a and "y" in a:
                # vis-network's y axis points down, Gephi's up
                attrs["viz"]["position"] = {"x": float(a["x"]), "y": -float(a["y"]), "z": 0.0}
        H.add_node(str(n), **attrs)
    for u, v, a in G.edges(data=True):
        attrs = {k: _scalar(x) for k, x in a.items() if x is not None}
        if "type" in attrs and "types" not in attrs:
            attrs["types"] = attrs["type"]
        w = float(a.get("weight", 1))
        if H.has_edge(str(u), str(v)):
            e = H.edges[str(u), str(v)]
            e["weight"] = e.get("weight", 1.0) + w
            e["types"] = ", ".join(sorted({*str(e.get("types", "")).split(", "),
                                           str(attrs.get("types", ""))} - {""}))
        else:
            attrs["weight"] = w
            H.add_edge(str(u), str(v), **attrs)
    return H


def to_gexf(G: nx.Graph) -> bytes:
    """``G`` as GEXF 1.2 (UTF-8), with Gephi ``viz`` colour, size and position.

    GEXF reserves ``label`` for the text Gephi shows, so that is the display name and the
    schema label is written as the ``kind`` attribute.
    """
    H = _plain_graph(G, viz=True)
    for _, a in H.nodes(data=True):
        # GEXF uses "label" for the node's display text
        a["kind"] = a.pop("label")
        a["label"] = a["name"]
    buf = io.BytesIO()
    nx.write_gexf(H, buf, encoding="utf-8", version="1.2draft")
    return buf.getvalue()


def to_graphml(G: nx.Graph) -> bytes:
    """``G`` as GraphML (UTF-8) with ``label``, ``element``, ``name`` and ``color`` keys."""
    H = _plain_graph(G, viz=False)
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8")
    return buf.getvalue()


def frame_to_xlsx(df: pd.DataFrame, *, sheet: str = "result") -> bytes:
    """``df`` as an XLSX workbook (one sheet); nested values are written as JSON text."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = [
                json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, dict | list)
                else v for v in out[col]
            ]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        out.to_excel(xl, sheet_name=sheet[:31], index=False)
    return buf.getvalue()
