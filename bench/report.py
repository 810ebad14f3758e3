"""Render a benchmark run (results.json) as RESULTS.md, with the targets checked.

``python -m bench.report bench/results.json`` re-renders the Markdown from the JSON.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["TARGETS", "check_targets", "render"]

GiB = 2**30

#: (key, text, limit, unit) of each target of issue #6; checked by :func:`check_targets`
TARGETS: tuple[tuple[str, str, float, str], ...] = (
    ("load_time", "2M province: embedded load (read + validate + write)", 120.0, "s"),
    ("load_rss", "2M province: embedded load peak RSS", 6.0, "GiB"),
    ("analysis", "2M province: all-community analysis (warm)", 10.0, "s"),
    ("pages", "2M province: every page's data (warm)", 2.0, "s"),
    ("map_html", "township map HTML at the node cap", 1.0, "s"),
    ("vs_neo4j", "2M province: embedded load vs Neo4j Bolt load (speed-up)", 10.0, "×"),
    ("neo4j_bulk", "2M province: Neo4j bulk import vs Bolt load (speed-up)", 5.0, "×"),
    ("full_load", "full province (15M): loads", float("nan"), ""),
    ("full_analysis", "full province (15M): analyses", float("nan"), ""),
)


def _find(rows: Iterable[dict[str, Any]], **kw: Any) -> dict[str, Any] | None:
    for r in rows:
        if all(r.get(k) == v for k, v in kw.items()):
            return r
    return None


def _med(stat: dict[str, Any] | None) -> float | None:
    return None if not stat else stat.get("median")


def check_targets(res: dict[str, Any], ref: str = "2m", full: str = "full",
                  ) -> list[dict[str, Any]]:
    """Each target with its figure and whether it is met (None: not measured)."""
    out = []
    lb = _find(res.get("load", []), size=ref, store="ladybug")
    neo = _find(res.get("load", []), size=ref, store="neo4j")
    bulk = _find(res.get("load", []), size=ref, store="neo4j-bulk")
    an = _find(res.get("analysis", []), size=ref, store="ladybug")
    pages = [p for p in res.get("app", []) if p.get("size") == ref and p.get("store") == "ladybug"]
    html_at_cap = None
    for p in pages:
        if p.get("page", "").startswith("network map") and "warm_s" in p:
            html_at_cap = p
    for key, text, limit, unit in TARGETS:
        fig: float | None = None
        detail = ""
        if key == "load_time" and lb:
            fig = _med(lb.get("total_s"))
        elif key == "load_rss" and lb:
            fig = (_med(lb.get("peak_rss")) or 0) / GiB
        elif key == "analysis" and an:
            fig = _med(an.get("warm_s"))
            detail = f"cold {an['cold_s']:.1f} s"
        elif key == "pages" and pages:
            ok = [p for p in pages if p.get("warm_s")]
            if ok:
                worst = max(ok, key=lambda p: p["warm_s"]["median"])
                fig = worst["warm_s"]["median"]
                detail = f"slowest: {worst['page']}"
            if any("error" in p for p in pages):
                detail += "; some pages failed"
        elif key == "map_html" and html_at_cap:
            fig = _med(html_at_cap.get("html_s"))
            detail = (f"busiest township: {html_at_cap.get('drawn')} nodes drawn of "
                      f"{html_at_cap.get('subgraph_nodes')} (cap {html_at_cap.get('cap')})")
            at_cap = [p for p in res.get("pyvis", [])
                      if p["nodes"] <= (html_at_cap.get("cap") or 0)]
            if at_cap:
                p = max(at_cap, key=lambda p: p["nodes"])
                detail += f"; synthetic {p['nodes']} nodes: {_med(p['seconds']):.2f} s"
        elif key == "vs_neo4j" and lb and neo and neo.get("timed_out_s"):
            a = _med(lb.get("total_s"))
            if a:
                fig = neo["timed_out_s"] / a
                detail = (f"lower bound: the Neo4j load did not finish in "
                          f"{neo['timed_out_s']:.0f} s, embedded {a:.0f} s")
        elif key == "vs_neo4j" and lb and neo:
            a, b = _med(lb.get("total_s")), _med(neo.get("total_s"))
            if a and b:
                fig = b / a
                wa, wb = _med(lb.get("write_s")), _med(neo.get("write_s"))
                detail = (f"{a:.0f} s vs {b:.0f} s end to end; store writes only: "
                          f"{wa:.0f} s vs {wb:.0f} s = {wb / wa:.1f}×" if wa and wb else "")
        elif key == "neo4j_bulk" and neo and bulk and not neo.get("timed_out_s"):
            a, b = _med(neo.get("total_s")), _med(bulk.get("total_s"))
            if a and b:
                fig = a / b
                wa, wb = _med(neo.get("write_s")), _med(bulk.get("write_s"))
                detail = (f"{a:.0f} s vs {b:.0f} s end to end; writes only: {wa:.0f} s vs "
                          f"{wb:.0f} s = {wa / wb:.1f}×; importer peak "
                          f"{(_med(bulk.get('importer_peak_rss')) or 0) / GiB:.2f} GiB; "
                          + ", ".join(f"{k} {v:.0f} s" for k, v in
                                      (bulk.get("stages") or {}).items()))
        elif key == "full_load":
            f = _find(res.get("load", []), size=full, store="ladybug")
            if f:
                fig = _med(f.get("total_s"))
                detail = (f"{fig:.0f} s, {(_med(f.get('peak_rss')) or 0) / GiB:.1f} GiB peak, "
                          f"{(_med(f.get('disk_bytes')) or 0) / GiB:.2f} GiB on disk")
        elif key == "full_analysis":
            f = _find(res.get("analysis", []), size=full, store="ladybug")
            if f and f.get("warm_s"):
                fig = _med(f.get("warm_s"))
                detail = f"warm {fig:.1f} s, cold {f['cold_s']:.1f} s, " \
                         f"{f['peak_rss'] / GiB:.1f} GiB peak"
        if fig is None:
            met = None
        elif key.startswith("full_"):
            met = True
        elif key in ("vs_neo4j", "neo4j_bulk"):
            met = fig >= limit
        else:
            met = fig <= limit
        out.append({"key": key, "target": text, "limit": limit, "unit": unit, "figure": fig,
                    "met": met, "detail": detail})
    return out


# -- formatting ------------------------------------------------------------------------

def _s(x: float | None) -> str:
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 0.1:
        return f"{x:.2f}"
    return f"{x * 1000:.1f} ms" if x < 0.01 else f"{x:.3f}"


def _stat(st: dict[str, Any] | None, scale: float = 1.0, fmt: Any = _s) -> str:
    """``median (min–max)`` of a summary."""
    if not st:
        return "—"
    m = fmt(st["median"] / scale)
    if st["n"] == 1:
        return f"{m} (n=1)"
    return f"{m} ({fmt(st['min'] / scale)}–{fmt(st['max'] / scale)})"


def _gib(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _int(x: Any) -> str:
    return "—" if x is None else f"{int(x):,}"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def render(res: dict[str, Any], speed: dict[str, Any] | None = None) -> str:
    """The Markdown report of one run; ``speed`` (``bench/speed.json``, issue 15's run of
    the user's paths) comes first when given."""
    m, v = res["machine"], res["versions"]
    ref = res.get("scaling_ref") or "2m"
    L: list[str] = ["# wushe benchmark results", ""]
    if speed:
        from bench.speed import render as render_speed

        part = render_speed(speed).replace("# Speed of what users run (issue 15)",
                                           "## Speed of what users run (issue 15)", 1)
        L += [part.replace("\n## Stages", "\n### Stages"), "",
              "The sections below are the library-level run (issue 6's targets) of "
              f"{res['started']}.", ""]
    if res.get("quick"):
        L += ["**Quick run** (tiny sizes, CI smoke test): figures are not representative.", ""]
    L += [
        f"Run {res['started']} → {res.get('finished', '…')}"
        + (f" ({res['elapsed_s'] / 60:.0f} min)" if res.get("elapsed_s") else ""),
        "",
        f"- Command: `{res['command']}`",
        f"- Commit: `{res.get('git')}`",
        f"- Machine: {m['cpu']}, {m['cores_logical']} logical cores, "
        f"{m['ram_bytes'] / GiB:.0f} GiB RAM, {m['os_pretty']} ({m['os']}), "
        f"Python {m['python']}",
        f"- Load average at start / end: {res.get('loadavg_start', '—')} / "
        f"{res.get('loadavg_end', '—')} (other work shared this machine when above ~2)",
        f"- Versions: ladybug {v.get('ladybug')}, Neo4j server {v.get('neo4j_server_jar')} "
        f"(Community, embedded launcher, heap {res['settings']['neo4j_heap']}, page cache "
        f"{res['settings']['neo4j_pagecache']}, {v.get('java')}), neo4j driver "
        f"{v.get('neo4j_driver')}, networkx {v.get('networkx')}, pandas {v.get('pandas')}, "
        f"pyarrow {v.get('pyarrow')}, pyvis {v.get('pyvis')}, streamlit {v.get('streamlit')}",
        "- Figures: median (min–max) over n repeats; each load in a fresh subprocess (peak RSS "
        "= the kernel's high-water mark of that process; Neo4j's server RSS sampled "
        "separately every 50 ms); Neo4j loads go into a freshly started empty server.",
        "",
        "## Targets", "",
    ]
    rows = []
    for t in check_targets(res, ref if ref in ("2m", "tiny") else "2m"):
        verdict = {True: "**met**", False: "**missed**", None: "not measured"}[t["met"]]
        limit = "" if t["key"].startswith("full_") else (
            f"≥ {t['limit']:g}{t['unit']}" if t["key"] in ("vs_neo4j", "neo4j_bulk")
            else f"≤ {t['limit']:g} {t['unit']}")
        fig = "—" if t["figure"] is None else (
            f"{t['figure']:.1f}{t['unit']}" if t["unit"] == "×" else
            f"{t['figure']:.2f} {t['unit']}")
        rows.append([t["target"], limit, fig, verdict, t["detail"]])
    L += _table(["target", "limit", "figure", "verdict", "detail"], rows)
    if res.get("notes"):
        L += ["### Notes", "", *res["notes"], ""]

    L += ["## Datasets", ""]
    rows = []
    for name, d in res.get("datasets", {}).items():
        r = d.get("rows", {})
        from wushe.graph.schema import SCHEMA

        nodes = sum(v for k, v in r.items() if k in SCHEMA.node_names)
        rels = sum(v for k, v in r.items() if k in SCHEMA.rel_names)
        rows.append([name, d.get("title", ""), _int(r.get("Community")),
                     _int(r.get("Organization")), _int(r.get("Volunteer")), _int(nodes),
                     _int(rels), f"{d.get('csv_bytes', 0) / 2**20:.0f}",
                     _s(d.get("seconds")) if d.get("seconds") else "—"])
    L += _table(["size", "what", "communities", "organizations", "volunteers", "nodes",
                 "relationships", "CSV MiB", "generate s"], rows)

    L += ["## 1. Load", "",
          "Embedded and Neo4j: `loaders.read_import` (read + validate + normalise) then "
          "`store.load(tables, replace=True)`. networkx: the hand-written baseline "
          "(`pandas.read_csv` every file, `nx.MultiDiGraph.add_nodes_from/add_edges_from`, "
          "no validation, in memory only).", ""]
    rows = []
    for r in res.get("load", []):
        if r["size"] not in res.get("datasets", {}) or r["size"].startswith(("s0", "q")):
            continue
        rows.append([r["size"], r["store"], _stat(r.get("total_s")), _stat(r.get("read_s")),
                     _stat(r.get("write_s")), _stat(r.get("peak_rss"), GiB, _gib),
                     _stat(r.get("server_peak_rss"), GiB, _gib),
                     _stat(r.get("disk_bytes"), GiB, _gib), str(r["n"])])
    L += _table(["size", "store", "total s", "read+validate s", "write s", "peak RSS GiB",
                 "Neo4j server RSS GiB", "on disk GiB", "n"], rows)

    L += ["## 2. Analysis", "",
          "`graph.analytics.analyze(store, with_matches=False)`: every community's targets, "
          "coverage + density, modes, index and gaps (the issue's all-community analysis). "
          "Cold = first call in a fresh process (store just opened); warm = later calls in "
          "the same process. *with matches* = one more call that also ranks nearby resources "
          "for every gap (the gaps page computes matches only when it is opened).", ""]
    rows = []
    for r in res.get("analysis", []):
        if r["size"].startswith(("s0", "q")):
            continue
        rows.append([r["size"], r["store"], _s(r.get("cold_s")), _stat(r.get("warm_s")),
                     _s(r.get("with_matches_s")), _gib((r.get("peak_rss") or 0) / GiB),
                     _gib(r["server_peak_rss"] / GiB) if r.get("server_peak_rss") else "—"])
    L += _table(["size", "store", "cold s", "warm s", "with matches s", "peak RSS GiB",
                 "Neo4j server RSS GiB"], rows)

    L += ["## 3. Queries", "",
          "Every named query in queries/, one warm-up run then n timed runs (seconds). "
          "Parameters: see *Parameters* below.", ""]
    qrows: dict[str, dict[str, str]] = {}
    cols: list[str] = []
    for q in res.get("queries", []):
        col = f"{q['size']} {q['store']}"
        if col not in cols:
            cols.append(col)
        cell = (f"err: {q['error'][:60]}" if "error" in q
                else f"{_s(q['p50'])} / {_s(q['p95'])}")
        qrows.setdefault(q["query"], {})[col] = cell
    L += ["p50 / p95 seconds:", ""]
    L += _table(["query", *cols], [[name, *(r.get(c, "—") for c in cols)]
                                   for name, r in sorted(qrows.items())])
    if res.get("picks"):
        L += ["Parameters (chosen from the data, the same for every store):", ""]
        for size, p in res["picks"].items():
            shown = {k: (f"[{len(x)} ids]" if isinstance(x, list) else x)
                     for k, x in p.items()}
            L.append(f"- {size}: " + ", ".join(f"`{k}`={x}" for k, x in shown.items()))
        L.append("")

    L += ["## 4. App", "",
          "Each page's data through `app/views/_data.py`, the calls the page modules make. "
          "*first* = first visit in a fresh process, pages in the order listed (the first page "
          "needing the analysis computes it, once per store version); *warm* = a new "
          "selection later in the session (other median-size counties; the province has no "
          "other selection, so a revisit); *cached* = revisiting the same selection. The "
          "network map is the busiest township (most projects): `township_linkage` → "
          "`subgraph` → `netmap.build_map` (node cap) → `to_pyvis_html`, nothing cached.", ""]
    rows = []
    for p in res.get("app", []):
        if "error" in p:
            rows.append([p["size"], p["store"], p["page"], "error", p["error"][:80], "", ""])
            continue
        extra = (f"{p.get('drawn')} drawn of {p.get('subgraph_nodes')} (cap {p.get('cap')}); "
                 f"HTML {_stat(p.get('html_s'))} s" if p.get("drawn") is not None else "")
        rows.append([p["size"], p["store"], p["page"], _s(p.get("first_s")),
                     _stat(p.get("warm_s")), _s(p.get("cached_s")), extra])
    L += _table(["size", "store", "page", "first s", "warm s", "cached s", "map"], rows)
    L += ["pyvis HTML generation (`netmap.to_pyvis_html`, server-side layout included) vs "
          "drawn nodes:", ""]
    L += _table(["drawn nodes", "edges", "seconds", "HTML MiB"],
                [[_int(p["nodes"]), _int(p["edges"]), _stat(p["seconds"]),
                  f"{p['html_bytes'] / 2**20:.1f}"] for p in res.get("pyvis", [])])

    L += ["Briefing (`wushe report --format docx|pdf` on the whole province, the CLI in a "
          "subprocess, analysis included):", ""]
    L += _table(["size", "store", "docx s", "pdf s", "PDF pages", "docx KiB", "peak RSS"],
                [[b["size"], b["store"], _s(b["docx_s"]), _s(b["pdf_s"]), _int(b["pdf_pages"]),
                  _int(b["docx_bytes"] // 1024), _gib((b.get("peak_rss") or 0) / GiB)]
                 for b in res.get("briefing", [])])

    L += ["## 5. Scaling (embedded store)", "",
          f"Load and analysis from 0.1× to 1× the province (1× = `{ref}`; volunteers scaled "
          "proportionally).", ""]
    rows = []
    sc_names = [s for s in res.get("datasets", {}) if s.startswith(("s0", "q"))] + [ref]
    for name in sc_names:
        ld = _find(res.get("load", []), size=name, store="ladybug")
        an = _find(res.get("analysis", []), size=name, store="ladybug")
        d = res.get("datasets", {}).get(name, {})
        if not ld:
            continue
        rows.append([name, f"{d.get('generator_args', {}).get('scale', '—')}",
                     _int(ld.get("nodes")), _int(ld.get("rels")), _stat(ld.get("total_s")),
                     _stat(ld.get("peak_rss"), GiB, _gib),
                     _stat(an.get("warm_s")) if an else "—", _s(an.get("cold_s")) if an else "—"])
    L += _table(["size", "scale", "nodes", "relationships", "load s", "load peak GiB",
                 "analysis warm s", "analysis cold s"], rows)

    if res.get("profiles"):
        L += ["## Profiles", ""]
        for p in res["profiles"]:
            L += [f"### {p['what']} ({p['size']}) — `{p.get('html')}`", "", "```",
                  *_top_lines(p.get("text", "")), "```", ""]
    if res.get("errors"):
        L += ["## Errors", ""]
        for e in res["errors"]:
            L += [f"- **{e['where']}**:", "", "```", e["error"][-1500:], "```", ""]
    return "\n".join(L) + "\n"


def _top_lines(text: str, n: int = 45) -> list[str]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[:n]


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json")
    res = json.loads(path.read_text())
    speed_file = path.parent / "speed.json"
    speed = json.loads(speed_file.read_text()) if speed_file.exists() else None
    (path.parent / "RESULTS.md").write_text(render(res, speed))
