"""Exports for other tools: GEXF and GraphML for Gephi, CSV/JSON/XLSX for tables.

Both graph writers keep every node property, plus its schema label, ``element`` (node
kind), ``name`` and ``color``; GEXF also gets Gephi's ``viz`` colour, size and position, so
a map opens in Gephi looking as it did in the app. Attribute values that GEXF/GraphML
cannot hold (lists, dicts, dates) are written as text; missing values are left out.

Tables: CSV writes dates as ISO-8601, booleans as ``true``/``false`` and lists and maps as
JSON; JSON output is strict (NaN and infinities become ``null``), so other tools read both.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from wushe.app.netmap import ELEMENT_COLOURS, element_of
from wushe.app.textsafe import defuse_formulas

__all__ = ["to_gexf", "to_graphml", "frame_to_xlsx", "frames_to_xlsx", "frame_to_csv",
           "frame_to_json",
           "json_value", "hex_to_rgb", "region_subgraph"]

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


def json_value(v: Any) -> Any:
    """``v`` as strict JSON data: dates ISO-8601, NaN/±inf None, numpy as Python.

    Examples
    --------
    >>> json_value({"d": dt.date(2024, 1, 2), "x": float("nan"), "l": (1, 2.5)})
    {'d': '2024-01-02', 'x': None, 'l': [1, 2.5]}
    """
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, bool | int | str):
        return v
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) and v.tzinfo is None \
            else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set):
        return [json_value(x) for x in v]
    return str(v)


def _csv_cell(v: Any) -> Any:
    """One CSV cell: booleans true/false, nested values JSON, missing empty."""
    v = json_value(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    return v


def frame_to_csv(df: pd.DataFrame) -> str:
    """``df`` as CSV text that other tools read back with the same values.

    Examples
    --------
    >>> print(frame_to_csv(pd.DataFrame({"d": [dt.date(2024, 1, 2)], "ok": [True],
    ...                                  "l": [[1, "a"]]})), end="")
    d,ok,l
    2024-01-02,true,"[1, ""a""]"
    """
    out = pd.DataFrame({c: [_csv_cell(v) for v in df[c].tolist()] for c in df.columns},
                       columns=list(df.columns), dtype=object)
    return out.to_csv(index=False)


def frame_to_json(df: pd.DataFrame, *, indent: int | None = 1) -> str:
    """``df`` as a strict JSON array of row objects (no NaN/Infinity tokens)."""
    rows = [{str(c): json_value(v) for c, v in zip(df.columns, row, strict=True)}
            for row in df.itertuples(index=False, name=None)]
    return json.dumps(rows, ensure_ascii=False, indent=indent, allow_nan=False)


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
    schema label is written as the ``schema_label`` attribute (a node's own properties,
    ``kind`` among them, are kept as they are).
    """
    H = _plain_graph(G, viz=True)
    for _, a in H.nodes(data=True):
        # GEXF uses "label" for the node's display text
        a["schema_label"] = a.pop("label")
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


def region_subgraph(backend: Any, region: str) -> nx.MultiDiGraph:
    """A region's communities and every node directly linked to them (for Gephi).

    Parameters
    ----------
    backend : GraphBackend
    region : str
        A city, county, township or community, by id or by (unique) name.

    Raises
    ------
    WusheError
        when no region has that id or name, or the name is not unique.
    """
    from wushe.app.report import resolve_region
    from wushe.queries import registry

    place = resolve_region(registry.run(backend, "regions"), region)
    return registry.subgraph(backend, ["region_subgraph"], region_id=place.region_id)


def frame_to_xlsx(df: pd.DataFrame, *, sheet: str = "result") -> bytes:
    """``df`` as an XLSX workbook (one sheet); nested values are written as JSON text."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = [
                json.dumps(json_value(v), ensure_ascii=False) if isinstance(v, dict | list)
                else v for v in out[col]
            ]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        out.to_excel(xl, sheet_name=sheet[:31], index=False)
        defuse_formulas(xl.book)
    return buf.getvalue()


def frames_to_xlsx(frames: Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per frame (sheet names cut to Excel's 31 characters);
    cells that Excel would run as formulas are defused."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in frames.items():
            df.to_excel(xw, sheet_name=name[:31], index=False)
        defuse_formulas(xw.book)
    return buf.getvalue()
