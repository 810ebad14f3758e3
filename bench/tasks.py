"""What each benchmark subprocess does: ``python -m bench.tasks TASK ARGS.json OUT.json``.

One function per measurement; :func:`bench.measure.run_task` starts it in a fresh
interpreter and records its peak RSS. Every function returns a JSON-serialisable dict.
Times are ``time.perf_counter`` seconds around the library calls a user's code would make.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "analysis",
    "app",
    "app_upload",
    "cli_load",
    "first_page",
    "generate",
    "load_ladybug",
    "load_neo4j",
    "load_neo4j_bulk",
    "load_registers_ladybug",
    "load_networkx",
    "picks",
    "pyvis",
    "queries",
    "write_registers",
]


def _open(store: dict[str, Any]) -> Any:
    """Open the store described by ``{"kind": "ladybug"|"neo4j", "path"|"uri": …}``."""
    if store["kind"] == "ladybug":
        from wushe.graph.backends.ladybug_store import LadybugStore

        return LadybugStore(store["path"])
    from wushe.graph.backends.neo4j_store import Neo4jStore

    return Neo4jStore(store["uri"], None, timeout_s=600)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


# -- datasets ----------------------------------------------------------------------------

def generate(*, out_dir: str, **kwargs: Any) -> dict[str, Any]:
    """Generate one dataset as import CSVs into ``out_dir``; rows and bytes per file."""
    from wushe.loaders.generator import generate_to

    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    seconds, _ = _timed(lambda: generate_to(out, **kwargs))
    return {"seconds": seconds, **_csv_stats(out)}


def _csv_stats(folder: Path) -> dict[str, Any]:
    rows: dict[str, int] = {}
    total = 0
    for f in sorted(folder.glob("*.csv")):
        total += f.stat().st_size
        with open(f, "rb") as fh:
            rows[f.stem] = max(0, sum(buf.count(b"\n") for buf in iter(
                lambda fh=fh: fh.read(1 << 24), b"")) - 1)
    return {"csv_bytes": total, "rows": rows}


def csv_stats(*, folder: str) -> dict[str, Any]:
    """Rows per CSV file and total bytes of an import folder (the sample data)."""
    return _csv_stats(Path(folder))


# -- loads -------------------------------------------------------------------------------

def load_ladybug(*, csv_dir: str, store_dir: str) -> dict[str, Any]:
    """Read + validate the import, then bulk-load it into a new embedded store."""
    from bench.measure import dir_bytes
    from wushe.graph.backends.ladybug_store import LadybugStore
    from wushe.loaders import read_import

    if Path(store_dir).exists():
        shutil.rmtree(store_dir)
    read_s, tables = _timed(lambda: read_import(csv_dir))
    counts = tables.counts()
    nodes, rels = tables.total_nodes, tables.total_rels

    def write() -> None:
        store = LadybugStore(store_dir)
        store.load(tables, replace=True)
        store.close()

    write_s, _ = _timed(write)
    return {"read_s": read_s, "write_s": write_s, "total_s": read_s + write_s,
            "nodes": nodes, "rels": rels, "counts": counts, "disk_bytes": dir_bytes(store_dir)}


def _wushe(args: list[str], **kw: Any) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run ``wushe ARGS`` as a user does (its own process); wall seconds, the command's own
    peak RSS in bytes (``wait4``: that process alone) and its result."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "wushe.app", *args], stdout=out,
                                stderr=err, stdin=subprocess.DEVNULL, **kw)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(proc.args, os.waitstatus_to_exitcode(status),
                                           out.read().decode(errors="replace"),
                                           err.read().decode(errors="replace"))
    if done.returncode != 0:
        raise RuntimeError(f"wushe {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return seconds, usage.ru_maxrss * 1024, done


_STAGE_LINE = re.compile(r"^\[(\d)/4\]\s+(\S+)\s.*?([\d.]+) s\s*$")


def cli_load(*, csv_dir: str, store_dir: str, keep: bool = False) -> dict[str, Any]:
    """``wushe load CSV --store S`` (the README's command, adding to the store), end to end.

    ``keep``: add to the store as it is (populated by earlier tasks); otherwise the store
    is removed first. Times the whole command (read, validate, write, kept analysis) and
    its own peak RSS; ``stages`` are the seconds of each stage as the command's progress
    display printed them.
    """
    from bench.measure import dir_bytes

    if not keep and Path(store_dir).exists():
        shutil.rmtree(store_dir)
    seconds, rss, done = _wushe(["load", csv_dir, "--store", store_dir])
    stages = {m.group(2): float(m.group(3)) for line in done.stderr.splitlines()
              if (m := _STAGE_LINE.match(line.strip().split("\r")[-1]))}
    return {"total_s": seconds, "cmd_rss": rss, "stages": stages, "kept_store": keep,
            "disk_bytes": dir_bytes(store_dir), "tail": done.stderr.splitlines()[-3:]}


_CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


@contextlib.contextmanager
def _app_server(store_dir: str, *args: str) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """``wushe app ARGS`` on a free port and ``store_dir``; yields its URL, its process and
    the seconds until its health check answered. The server is stopped on exit."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "WUSHE_STORE": store_dir, "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "2000"}
    t0 = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "wushe.app", "app", "--port", str(port),
                               *args], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.1)
            if server.poll() is not None or time.perf_counter() - t0 > 120:
                raise RuntimeError("the app did not start")
        yield url, server, time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=60)


def first_page(*, store_dir: str, chromium: str = "/usr/bin/chromium") -> dict[str, Any]:
    """The app's first page on a loaded store, cold: a new ``wushe app`` server, a new
    headless Chromium; seconds from navigation until the overview shows its figures.

    ``server_s`` is the server's start (until its health check answers); ``figures_s``
    until the page's first figures show, ``page_s`` until its script has finished (the
    whole page drawn); ``second_s`` (``second_figures_s``) a reload of the same page in the
    same browser (the server's caches and the browser's warm).
    """
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    done = '[data-testid="stApp"][data-test-script-state="notRunning"] [data-testid="stMetric"]'
    with _app_server(store_dir) as (url, _server, started):
        out["server_s"] = started
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=_CHROMIUM_ARGS)
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(600_000)
            for figures, whole in (("figures_s", "page_s"), ("second_figures_s", "second_s")):
                t1 = time.perf_counter()
                page.goto(url)
                page.wait_for_selector('[data-testid="stMetric"]')
                out[figures] = time.perf_counter() - t1
                page.wait_for_selector(done)
                out[whole] = time.perf_counter() - t1
            browser.close()
    return out


def app_upload(*, csv_dir: str, store_dir: str,
               chromium: str = "/usr/bin/chromium") -> dict[str, Any]:
    """The data page's upload, as an official does it: a new ``wushe app`` on an empty store,
    headless Chromium uploads every file of ``csv_dir``, waits for the validation's verdict,
    clicks 追加到现有数据 and waits for the loaded message (the kept analysis included).

    ``validate_s`` runs from handing over the files to the verdict; ``load_s`` from the
    click to the message; ``server_peak_rss`` is the server's highest sampled RSS.
    """
    import threading

    import psutil
    from playwright.sync_api import sync_playwright

    if Path(store_dir).exists():
        shutil.rmtree(store_dir)
    files = sorted(str(f) for f in Path(csv_dir).glob("*.csv"))
    out: dict[str, Any] = {"files": len(files),
                           "bytes": sum(Path(f).stat().st_size for f in files)}
    peak, stop = [0], threading.Event()

    def sample(pid: int) -> None:
        proc = psutil.Process(pid)
        while not stop.wait(0.1):
            try:
                peak[0] = max(peak[0], proc.memory_info().rss + sum(
                    c.memory_info().rss for c in proc.children(recursive=True)))
            except psutil.Error:
                return

    with _app_server(store_dir, "--no-sample") as (url, server, _started):
        threading.Thread(target=sample, args=(server.pid,), daemon=True).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=_CHROMIUM_ARGS)
                page = browser.new_page(locale="zh-CN")
                page.set_default_timeout(3_600_000)
                page.goto(f"{url}/data")
                box = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
                box.wait_for(state="attached")
                t1 = time.perf_counter()
                box.set_input_files(files)
                page.get_by_text("校验通过").first.wait_for()
                out["validate_s"] = time.perf_counter() - t1
                t2 = time.perf_counter()
                page.get_by_role("button", name="追加到现有数据").click()
                page.get_by_text("已导入").first.wait_for()
                out["load_s"] = time.perf_counter() - t2
                out["total_s"] = time.perf_counter() - t1
                out["message"] = page.get_by_text("已导入").first.inner_text()[:200]
                browser.close()
        finally:
            stop.set()
    out["server_peak_rss"] = peak[0]
    return out

def write_registers(*, out_dir: str, **kwargs: Any) -> dict[str, Any]:
    """Generate a dataset (same arguments, same tables as ``generate``) and write it as
    register CSVs into ``out_dir`` (the registers twin of the graph-format folder)."""
    from wushe.loaders.generator import generate as make
    from wushe.loaders.registers import write_registers as write

    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    tables = make(**kwargs)
    seconds, _ = _timed(lambda: write(tables, out, fmt="csv"))
    return {"seconds": seconds, **_csv_stats(out)}


def load_registers_ladybug(*, reg_dir: str, store_dir: str) -> dict[str, Any]:
    """Read registers (header, mapping, resolution, validation), then bulk-load them."""
    from bench.measure import dir_bytes
    from wushe.graph.backends.ladybug_store import LadybugStore
    from wushe.loaders.registers import read_registers

    if Path(store_dir).exists():
        shutil.rmtree(store_dir)
    steps: dict[str, float] = {}
    t0 = time.perf_counter()

    def step(name: str) -> None:
        steps[name] = time.perf_counter() - t0

    read_s, imp = _timed(lambda: read_registers(reg_dir, on_step=step))
    tables = imp.tables

    def write() -> None:
        store = LadybugStore(store_dir)
        store.load(tables, replace=True)
        store.close()

    write_s, _ = _timed(write)
    return {"read_s": read_s, "write_s": write_s, "total_s": read_s + write_s,
            "steps": steps, "nodes": tables.total_nodes, "rels": tables.total_rels,
            "counts": tables.counts(), "disk_bytes": dir_bytes(store_dir)}


def load_neo4j(*, csv_dir: str, uri: str) -> dict[str, Any]:
    """Read + validate the import, then load it through Bolt into an empty Neo4j."""
    from wushe.graph.backends.neo4j_store import Neo4jStore
    from wushe.loaders import read_import

    read_s, tables = _timed(lambda: read_import(csv_dir))
    nodes, rels = tables.total_nodes, tables.total_rels

    def write() -> None:
        store = Neo4jStore(uri, None)
        store.load(tables, replace=True)
        store.close()

    write_s, _ = _timed(write)
    return {"read_s": read_s, "write_s": write_s, "total_s": read_s + write_s,
            "nodes": nodes, "rels": rels}


def load_neo4j_bulk(*, csv_dir: str, home: str, heap: str, pagecache: str) -> dict[str, Any]:
    """Read + validate the import, then Neo4j's offline importer into a new server folder.

    ``write_s`` runs from the tables to a server answering on the new graph with its id
    constraints built (``neo4j_bulk.bulk_load``). The server is left running (detached);
    its pid and URI are returned for the caller to measure and stop.
    """
    import resource

    from wushe.graph.backends.neo4j_bulk import bulk_load
    from wushe.graph.backends.neo4j_local import detach
    from wushe.loaders import read_import

    if Path(home).exists():
        shutil.rmtree(home)
    read_s, tables = _timed(lambda: read_import(csv_dir))
    nodes, rels = tables.total_nodes, tables.total_rels
    write_s, result = _timed(lambda: bulk_load(tables, home, server_heap=heap,
                                               server_pagecache=pagecache))
    uri, start_s = result.server.uri, result.server.start_seconds
    pid = detach(result.server)
    status = Path(f"/proc/{pid}/status").read_text()
    hwm = next((int(ln.split()[1]) * 1024 for ln in status.splitlines()
                if ln.startswith("VmHWM:")), None)
    return {"read_s": read_s, "write_s": write_s, "total_s": read_s + write_s,
            "nodes": nodes, "rels": rels, "stages": result.seconds,
            # this process alone (wait4's figure also covers the importer, its child)
            "python_peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "importer_peak_rss": result.importer_peak_rss, "server_peak_rss": hwm,
            "server_start_s": start_s, "pid": pid, "uri": uri}


def load_networkx(*, csv_dir: str) -> dict[str, Any]:
    """The hand-written baseline: pandas reads the CSVs, networkx holds the graph.

    What a user without wushe would write: every node file becomes nodes with their
    columns as attributes, every relationship file becomes keyed edges. No validation.
    """
    import networkx as nx
    import pandas as pd

    from wushe.graph.schema import SCHEMA

    t0 = time.perf_counter()
    frames = {f.stem: pd.read_csv(f, dtype=str, keep_default_na=False)
              for f in sorted(Path(csv_dir).glob("*.csv"))}
    read_s = time.perf_counter() - t0
    G = nx.MultiDiGraph()
    for name, df in frames.items():
        if name in SCHEMA.node_names:
            attrs = [c for c in df.columns if c != "id"]
            G.add_nodes_from(
                (row[0], {"label": name, **dict(zip(attrs, row[1:], strict=True))})
                for row in df[["id", *attrs]].itertuples(index=False, name=None))
    for name, df in frames.items():
        if name in SCHEMA.rel_names:
            attrs = [c for c in df.columns if c not in ("from", "to")]
            G.add_edges_from(
                (row[0], row[1], name, dict(zip(attrs, row[2:], strict=True)))
                for row in df[["from", "to", *attrs]].itertuples(index=False, name=None))
    del frames
    gc.collect()
    total = time.perf_counter() - t0
    return {"read_s": read_s, "write_s": total - read_s, "total_s": total,
            "nodes": G.number_of_nodes(), "rels": G.number_of_edges()}


# -- analysis ----------------------------------------------------------------------------

def analysis(*, store: dict[str, Any], repeat: int = 3) -> dict[str, Any]:
    """``graph.analytics.analyze`` over all communities: cold (first) then warm runs.

    The timed runs are the issue's "targets + density + modes + index + gaps"
    (``with_matches=False``, as the app's dashboards compute it); matching every gap to
    nearby resources is timed once more on its own as ``with_matches_s``.
    """
    from wushe.graph.analytics import analyze

    open_s, backend = _timed(lambda: _open(store))
    cold, result = _timed(lambda: analyze(backend, with_matches=False))
    warm = []
    for _ in range(repeat):
        del result
        gc.collect()
        s, result = _timed(lambda: analyze(backend, with_matches=False))
        warm.append(s)
    summary = _analysis_summary(result)
    del result
    gc.collect()
    with_matches, full = _timed(lambda: analyze(backend))
    summary["matches_rows"] = len(full.matches)
    summary["steps_with_matches"] = dict(full.seconds)
    backend.close()
    return {"open_s": open_s, "cold_s": cold, "warm_s": warm,
            "with_matches_s": with_matches, **summary}


def _analysis_summary(result: Any) -> dict[str, Any]:
    """A few sizes of what the analysis produced (to show it covered every community)."""
    out: dict[str, Any] = {"steps": dict(getattr(result, "seconds", {}) or {})}
    for name in ("communities", "targets", "density", "modes", "index", "gaps"):
        v = getattr(result, name, None)
        if hasattr(v, "__len__"):
            out[f"{name}_rows"] = len(v)
    return out


def profile_analysis(*, store: dict[str, Any], out_html: str) -> dict[str, Any]:
    """One warm ``analyze`` under pyinstrument; writes the HTML profile."""
    from pyinstrument import Profiler

    from wushe.graph.analytics import analyze

    backend = _open(store)
    analyze(backend)
    prof = Profiler(interval=0.005)
    prof.start()
    s, _ = _timed(lambda: analyze(backend))
    prof.stop()
    Path(out_html).write_text(prof.output_html())
    return {"seconds": s, "text": prof.output_text(unicode=False, color=False)[:20000]}


def profile_load(*, csv_dir: str, store_dir: str, out_html: str) -> dict[str, Any]:
    """An embedded load under pyinstrument; writes the HTML profile."""
    from pyinstrument import Profiler

    from wushe.graph.backends.ladybug_store import LadybugStore
    from wushe.loaders import read_import

    if Path(store_dir).exists():
        shutil.rmtree(store_dir)
    prof = Profiler(interval=0.01)
    prof.start()
    tables = read_import(csv_dir)
    LadybugStore(store_dir).load(tables, replace=True)
    prof.stop()
    Path(out_html).write_text(prof.output_html())
    return {"text": prof.output_text(unicode=False, color=False)[:20000]}


# -- representative parameters -----------------------------------------------------------

def picks(*, store: dict[str, Any]) -> dict[str, Any]:
    """Representative ids for parameterised queries and pages, chosen from the data.

    - ``township_id``: the township with the most projects (the worst case for the
      township map, so the node cap is reached when the data allow);
    - ``township_typical``: the township at the median project count;
    - ``county_id``: the county of the median township by community count;
    - ``community_id``: the community at the median project count (of those with projects);
    - ``organization_id``: the organization with the most project roles in that community;
    - ``communities``: the communities of ``township_typical`` (for list parameters).
    """
    b = _open(store)
    tp = b.run("MATCH (p:Project)-[:RUNS_IN]->(c:Community)-[:PART_OF]->(t:Township) "
               "RETURN t.id AS id, count(p) AS n ORDER BY n DESC, id")
    cp = b.run("MATCH (p:Project)-[:RUNS_IN]->(c:Community) "
               "RETURN c.id AS id, count(p) AS n ORDER BY n, id")
    tc = b.run("MATCH (c:Community)-[:PART_OF]->(t:Township)-[:PART_OF]->(co:County) "
               "RETURN t.id AS id, co.id AS county, count(c) AS n ORDER BY n, id")
    out: dict[str, Any] = {}
    if len(tp):
        out["township_id"] = str(tp["id"].iloc[0])
        out["township_projects"] = int(tp["n"].iloc[0])
        out["township_typical"] = str(tp["id"].iloc[len(tp) // 2])
    if len(tc):
        out["county_id"] = str(tc["county"].iloc[len(tc) // 2])
        out.setdefault("township_id", str(tc["id"].iloc[-1]))
        out.setdefault("township_typical", str(tc["id"].iloc[len(tc) // 2]))
    if len(cp):
        out["community_id"] = str(cp["id"].iloc[len(cp) // 2])
    else:
        c = b.run("MATCH (c:Community) RETURN c.id AS id ORDER BY id LIMIT 1")
        out["community_id"] = str(c["id"].iloc[0])
    org = b.run("MATCH (o:Organization)-[r]->(p:Project)-[:RUNS_IN]->(c:Community {id: $c}) "
                "RETURN o.id AS id, count(r) AS n ORDER BY n DESC, id LIMIT 1",
                {"c": out["community_id"]})
    if org.empty:
        org = b.run("MATCH (o:Organization) RETURN o.id AS id ORDER BY id LIMIT 1")
    out["organization_id"] = str(org["id"].iloc[0]) if len(org) else ""
    comm = b.run("MATCH (c:Community)-[:PART_OF]->(t:Township {id: $t}) RETURN c.id AS id",
                 {"t": out.get("township_typical", "")})
    out["communities"] = sorted(str(x) for x in comm["id"])
    # region_subgraph takes any region id, names_by_id a list of ids
    out["region_id"] = out.get("township_typical", out["community_id"])
    out["ids"] = out["communities"][:20]
    co = b.run("MATCH (c:Community)-[:PART_OF]->(:Township)-[:PART_OF]->(co:County) "
               "RETURN co.id AS id, count(c) AS n ORDER BY n, id")
    mid = len(co) // 2
    # the median county and its neighbours by size: new selections of a typical size
    out["counties"] = [str(x) for x in co["id"].iloc[max(0, mid - 2): mid + 3]]
    b.close()
    return out


# -- queries -----------------------------------------------------------------------------

def _params_for(q: Any, pk: dict[str, Any]) -> dict[str, Any]:
    """Bind each required parameter of ``q`` from the picks (defaults stay defaults)."""
    out = {}
    for p in q.params:
        if p.default is not None:
            continue
        if p.name in pk:
            out[p.name] = pk[p.name]
    return out


def queries(*, store: dict[str, Any], picks: dict[str, Any], runs: int = 20,
            max_seconds: float = 60.0) -> dict[str, Any]:
    """p50/p95 latency of every named query (one warm-up run first, then ``runs``)."""
    from bench.measure import percentile
    from wushe.queries import registry

    b = _open(store)
    out = []
    for q in registry.list_queries():
        params = _params_for(q, picks)
        rec: dict[str, Any] = {"query": q.name, "params": {k: v if not isinstance(v, list)
                                                           else f"[{len(v)} ids]"
                                                           for k, v in params.items()}}
        try:
            first, df = _timed(lambda q=q, params=params: registry.run(
                b, q.name, timeout_s=600, **params))
            rec["rows"] = len(df)
            times = []
            budget = time.perf_counter() + max_seconds
            for _ in range(runs):
                s, _ = _timed(lambda q=q, params=params: registry.run(
                    b, q.name, timeout_s=600, **params))
                times.append(s)
                if time.perf_counter() > budget and len(times) >= 3:
                    break
            rec.update(first_s=first, n=len(times), p50=percentile(times, 50),
                       p95=percentile(times, 95), min=min(times), max=max(times))
        except Exception as e:  # noqa: BLE001 - a failing query is a result to report
            rec["error"] = f"{type(e).__name__}: {str(e)[:300]}"
        out.append(rec)
    b.close()
    return {"queries": out}


# -- app pages ---------------------------------------------------------------------------

class _PageData:
    """What the app's pages compute, without the UI: the same library calls, memoised as
    the app's data cache keeps them (facts, analysis, region tree once per store; each
    selection's rankings once per selection)."""

    def __init__(self, backend: Any) -> None:
        import functools

        from wushe.graph.analytics import rankings
        from wushe.graph.analytics import regions as tree
        from wushe.graph.analytics.analysis import analyze_facts
        from wushe.graph.analytics.facts import load_facts
        from wushe.queries import registry

        self.b = backend
        self.tree, self.rankings, self.registry = tree, rankings, registry
        self.facts = functools.cache(lambda: load_facts(backend))
        self.analysis = functools.cache(lambda: analyze_facts(self.facts(),
                                                              with_matches=False))
        self.regions = functools.cache(lambda: registry.run(backend, "regions"))
        self.memo: dict[tuple[Any, ...], Any] = {}

    def cached(self, key: tuple[Any, ...], fn: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = fn()
        return self.memo[key]

    def in_region(self, df: Any, level: str, rid: str | None) -> Any:
        return self.tree.in_region(df, self.regions(), level, rid)

    def targets(self, level: str, rid: str | None = None) -> Any:
        df = self.analysis().targets
        df = df[df["level"] == level]
        return df[df["region_id"] == rid] if rid and level != "province" else df


def _page_steps(d: _PageData) -> list[tuple[str, Callable[[Any], Any], str]]:
    """Each page's data calls, as the app's data module makes them.

    Returns (page, function of the selection, which selection it takes).
    """
    from wushe.app import netmap
    from wushe.graph.schema import ELEMENT_ORDER

    tree, rankings, registry = d.tree, d.rankings, d.registry

    def overview(sel: tuple[str, str | None]) -> Any:
        def compute() -> Any:
            level, rid = sel
            ids = tree.communities_in(d.regions(), level, rid)
            registry.run(d.b, "element_counts", communities=ids).set_index("element")[
                "n"].reindex(list(ELEMENT_ORDER), fill_value=0)
            d.targets(level, rid)
            sub = tree.child_level(level)
            kids = {i for i, _ in tree.children(d.regions(), sub,
                                                rid if level != "province" else None)}
            d.targets(sub)[lambda df: df["region_id"].isin(kids)]
            return rankings.worst_communities(d.targets("community"), ids)
        return d.cached(("overview", sel), compute)

    def modes(sel: tuple[str, str | None]) -> Any:
        return d.cached(("modes", sel), lambda: d.in_region(d.analysis().modes, *sel))

    def index(sel: tuple[str, str | None]) -> Any:
        def compute() -> Any:
            scores = d.in_region(d.analysis().index, *sel)
            return rankings.index_ranking(scores, scores, "linkage")
        return d.cached(("index", sel), compute)

    def gaps(sel: tuple[str, str | None]) -> Any:
        return d.cached(("gaps", sel), lambda: rankings.gap_ranking(
            d.in_region(d.analysis().gaps, *sel)))

    def township_map(township: str) -> Any:
        G = registry.subgraph(d.b, ("township_linkage",), township_id=township)
        view = netmap.build_map(G, netmap.MapOptions(cap=netmap.DEFAULT_CAP))
        html_s, html = _timed(lambda: netmap.to_pyvis_html(view.graph, notes=view.notes))
        return {"subgraph_nodes": G.number_of_nodes(), "drawn": view.graph.number_of_nodes(),
                "html_bytes": len(html), "html_s": html_s, "cap": netmap.DEFAULT_CAP}

    return [("overview (province)", overview, "province"),
            ("overview (county)", overview, "county"),
            ("modes (county)", modes, "county"),
            ("index (county)", index, "county"),
            ("gaps (county)", gaps, "county"),
            ("network map (township)", township_map, "township")]


def app(*, store_spec: str, picks: dict[str, Any], repeat: int = 3) -> dict[str, Any]:
    """Time each page's data as a user meets it (the library calls, no UI module).

    - ``first_s``: the first visit in a fresh process, pages in the listed order (the first
      page that needs the analysis pays for computing it once per store version);
    - ``warm_s``: a *new* selection later in the session (other counties; shared results
      such as the analysis are kept, this selection's are not). The province overview has
      no other selection, so its warm figure is a revisit; the township map keeps
      nothing, so its warm figure re-runs query, map and HTML;
    - ``cached_s``: revisiting the same selection (what the app's cache returns).
    """
    from wushe.graph.backends import open_store

    open_s, b = _timed(lambda: open_store(store_spec))
    d = _PageData(b)
    counties = [c for c in picks.get("counties", []) if c != picks.get("county_id")]
    sels: dict[str, list[Any]] = {
        "province": [("province", None)] * (repeat + 1),
        "county": [("county", picks.get("county_id"))]
        + [("county", c) for c in (counties * repeat)[:repeat]],
        "township": [picks.get("township_id")] * (repeat + 1),
    }
    out = []
    for name, fn, kind in _page_steps(d):
        rec: dict[str, Any] = {"page": name, "selection": str(sels[kind][0])}
        try:
            rec["first_s"], info = _timed(lambda fn=fn, kind=kind: fn(sels[kind][0]))
            if isinstance(info, dict):
                rec.update(info)
            warm, html = [], []
            for sel in sels[kind][1:]:
                s, info = _timed(lambda fn=fn, sel=sel: fn(sel))
                warm.append(s)
                if isinstance(info, dict):
                    html.append(info["html_s"])
            rec["warm_s"] = warm
            if html:
                rec["html_s"] = html
            rec["cached_s"], _ = _timed(lambda fn=fn, kind=kind: fn(sels[kind][0]))
        except Exception as e:  # noqa: BLE001 - reported, the other pages still run
            rec["error"] = f"{type(e).__name__}: {str(e)[:300]}"
        out.append(rec)
    b.close()
    return {"open_s": open_s, "pages": out}


def briefing(*, store_spec: str) -> dict[str, Any]:
    """``wushe report --format docx|pdf`` for the province, run as a user runs it (the CLI).

    Times the whole command (analysis included) and reports the file size and PDF pages.
    """
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="wushe-bench-briefing-") as tmp:
        for fmt in ("docx", "pdf"):
            path = Path(tmp) / f"briefing.{fmt}"
            cmd = [sys.executable, "-m", "wushe.app", "report", "--store", store_spec,
                   "--format", fmt, "--out", str(path)]
            s, done = _timed(lambda cmd=cmd: subprocess.run(cmd, capture_output=True, text=True))
            if done.returncode != 0:
                raise RuntimeError(done.stderr[-2000:])
            out[f"{fmt}_s"] = s
            out[f"{fmt}_bytes"] = path.stat().st_size
        info = subprocess.run(["pdfinfo", str(Path(tmp) / "briefing.pdf")],
                              capture_output=True, text=True).stdout
        out["pdf_pages"] = int(next((ln.split()[-1] for ln in info.splitlines()
                                     if ln.startswith("Pages:")), 0))
    return out


def pyvis(*, sizes: list[int], repeat: int = 3, seed: int = 7) -> dict[str, Any]:
    """``netmap.to_pyvis_html`` time (layout included) against drawn nodes.

    The graphs are preferential-attachment graphs (2 edges per new node, the degree
    spread of a linkage map) with the five elements, projects and needs mixed as labels.
    """
    import networkx as nx

    from wushe.app import netmap

    labels = ["Community", "Organization", "Organization", "SocialWorker", "Volunteer",
              "Volunteer", "Volunteer", "Foundation", "Project", "Need"]
    # untimed warm-up: the first call pays imports and template compilation
    netmap.to_pyvis_html(nx.path_graph(["w0", "w1", "w2"]))
    out = []
    for n in sizes:
        base = nx.barabasi_albert_graph(n, 2, seed=seed)
        times, html_bytes = [], 0
        for _ in range(repeat):
            H = nx.Graph()
            for i in base.nodes:
                label = labels[i % len(labels)]
                H.add_node(f"n{i}", label=label, name=f"{label}{i}",
                           element=netmap.element_of(label))
            H.add_edges_from((f"n{u}", f"n{v}", {"weight": 1}) for u, v in base.edges)
            s, page = _timed(lambda H=H: netmap.to_pyvis_html(H))
            times.append(s)
            html_bytes = len(page)
        out.append({"nodes": n, "edges": base.number_of_edges(), "seconds": times,
                    "html_bytes": html_bytes})
    return {"pyvis": out}


def main(argv: list[str]) -> int:
    """Entry point of the subprocess: run one task with JSON arguments, write JSON out."""
    task, arg_file, out_file = argv
    args = json.loads(Path(arg_file).read_text())
    fn = globals()[task]
    result = fn(**args)
    Path(out_file).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
