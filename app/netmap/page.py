"""The map as a page: node details, tooltips, legend and the self-contained pyvis HTML.

Every name in the page comes from imported files: tooltips stay on vis-network's text path
and the page runs under a nonce Content-Security-Policy (docs/security.md §7).
"""

from __future__ import annotations

import html as _html
import json
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import pandas as pd

from wushe.app.netmap.style import (
    ELEMENT_COLOURS,
    KIND_NAMES,
    colour_nodes,
    display_name,
    element_of,
    size_nodes,
)
from wushe.app.netmap.view import layout
from wushe.graph.choices import choice_name
from wushe.graph.errors import Notice
from wushe.graph.schema import ELEMENT_ORDER, SCHEMA

__all__ = ["PHYSICS_MAX_NODES", "node_table", "to_pyvis_html"]


#: Above this many drawn nodes the browser's physics simulation is switched off: the
#: server-side layout is final, so the page stays responsive (see bench numbers in the
#: network page's help text).
PHYSICS_MAX_NODES = 300


_HIDDEN_ATTRS = {"x", "y", "size", "color", "dimmed", "element", "collapsed", "name_en"}


def node_table(H: nx.Graph, node: str, lang: str | None = None) -> pd.DataFrame:
    """The properties of ``node`` as a two-column frame (property, value), degree included.

    With ``lang`` ("zh"/"en") it is the table a reader sees: headers, property names, kind
    and enumerated values in that language, the name first and the id last, as a detail.
    """
    a = H.nodes[node]
    if lang is None:
        rows = [("id", str(node))]
        rows += [(k, _plain(v)) for k, v in sorted(a.items()) if k not in _HIDDEN_ATTRS]
        rows.append(("degree", str(H.degree(node))))
        return pd.DataFrame(rows, columns=["property", "value"])
    zh = lang == "zh"
    label = a.get("label")
    kind = SCHEMA.node(label) if label in SCHEMA.node_names else None
    rows = [("名称" if zh else "Name", display_name(node, a)),
            ("类型" if zh else "Kind", (kind.zh if zh else kind.en) if kind else str(label))]
    rows += [(_prop_name(label, k, lang), _plain(choice_name(k, v, lang), lang))
             for k, v in sorted(a.items())
             if k not in _HIDDEN_ATTRS and k not in ("label", "name") and v is not None]
    rows.append(("连接数" if zh else "Connections", str(H.degree(node))))
    rows.append(("编号" if zh else "Id", str(node)))
    return pd.DataFrame(rows, columns=["属性", "值"] if zh else ["Property", "Value"])


def _plain(v: Any, lang: str | None = None) -> str:
    """A value as text; with ``lang``, yes/no in that language (是/否)."""
    if isinstance(v, list | tuple | set):
        return ", ".join(map(str, v))
    if lang is not None and isinstance(v, bool):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
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
        value = _plain(choice_name(k, v, lang), lang)
        lines.append(f"{_prop_name(a.get('label'), k, lang)}: {value}")
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
