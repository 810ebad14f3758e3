"""wushe benchmarks: load, analysis, queries, app pages and scaling, on every store.

Usage::

    python bench/run.py                      # full run → bench/RESULTS.md + bench/results.json
    python bench/run.py --quick              # tiny sizes, < 5 minutes (CI) → bench/out/
    python bench/run.py --sizes sample,2m --stores ladybug,neo4j --repeat 3 --out DIR

Every measurement runs in its own subprocess (bench/tasks.py) so that its peak RSS is its
own and only one dataset is in memory at a time. Generated datasets are cached under
``WORK/data/<size>`` and reused while their generator arguments are unchanged.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/run.py`: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report  # noqa: E402
from bench.datasets import (  # noqa: E402
    SAMPLE_DIR,
    SIZES,
    Size,
    divisions_file,
    quick_sizes,
    scaling_sizes,
)
from bench.measure import (  # noqa: E402
    ROOT,
    TaskFailed,
    dir_bytes,
    git_commit,
    machine_info,
    run_task,
    summarize,
    versions,
)

__all__ = ["main"]

ALL_STORES = ("ladybug", "neo4j", "networkx")
PYVIS_NODES = (500, 1000, 3000, 10000)
NEO4J_HEAP = "4g"
NEO4J_PAGECACHE = "2g"


def _say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _loadavg() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


class Bench:
    """One benchmark run: options, the results collected so far, and where they go."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out = Path(args.out).resolve()
        self.work = Path(args.work).resolve() if args.work else self.out / "work"
        self.work.mkdir(parents=True, exist_ok=True)
        # logs and profiles beside the work folder: not part of the committed results
        self.log = self.work.parent / "bench.log"
        self.stores = [s for s in args.stores.split(",") if s]
        self.repeat = args.repeat
        self.results: dict[str, Any] = {
            "command": "python bench/run.py " + " ".join(shlex.quote(a) for a in args.argv),
            "quick": args.quick,
            "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "loadavg_start": _loadavg(),
            "machine": machine_info(),
            "versions": versions(),
            "git": git_commit(),
            "settings": {"repeat": args.repeat, "neo4j_heap": NEO4J_HEAP,
                         "neo4j_pagecache": NEO4J_PAGECACHE, "stores": self.stores},
            "datasets": {}, "load": [], "analysis": [], "queries": [], "app": [],
            "briefing": [], "pyvis": [], "scaling": [], "errors": [], "profiles": [],
        }

    # -- plumbing ----------------------------------------------------------------------

    def task(self, name: str, args: dict[str, Any], **kw: Any) -> Any:
        return run_task(name, args, log=self.log, **kw)

    def error(self, where: str, e: BaseException) -> None:
        msg = str(e) if isinstance(e, TaskFailed) else traceback.format_exc()
        _say(f"FAILED {where}: {msg.splitlines()[0] if msg else e!r}")
        self.results["errors"].append({"where": where, "error": msg[-3000:]})

    def save(self) -> None:
        self.results["loadavg_end"] = _loadavg()
        self.results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %z")
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "results.json").write_text(
            json.dumps(self.results, indent=1, ensure_ascii=False, default=str))
        speed = self.out / "speed.json"  # issue 15's run (bench/speed.py), shown first
        (self.out / "RESULTS.md").write_text(report.render(
            self.results, json.loads(speed.read_text()) if speed.exists() else None))

    def repeats(self, size: Size, store: str = "ladybug") -> int:
        """Repeats of one measurement: ``--repeat`` for big ones, at least 5 for the sample.

        ``--quick`` loads Neo4j once (a fresh server costs ~30 s) and the rest 3 times.
        """
        if self.args.quick:
            return 1 if store == "neo4j" else min(self.repeat, 3)
        if size.sample and store != "neo4j":
            return max(self.repeat, 5)
        return self.repeat

    def over_budget(self, runs: list[dict[str, Any]]) -> bool:
        """Stop repeating a measurement once its runs took ``--budget`` seconds (n is
        reported, so a figure with fewer repeats says so)."""
        return bool(runs) and sum(r["wall_s"] for r in runs) > self.args.budget

    # -- datasets ----------------------------------------------------------------------

    def dataset(self, size: Size) -> Path:
        """The CSV folder of ``size`` (generated into the work folder unless cached)."""
        if size.sample:
            # only the CSVs: sample_data/ also holds the XLSX template, which an import of
            # the whole folder would read as a second copy of every table
            folder = self.work / "data" / "sample"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for f in SAMPLE_DIR.glob("*.csv"):
                shutil.copy2(f, folder / f.name)
            info = self.task("csv_stats", {"folder": str(folder)}).result
            self.results["datasets"][size.name] = {"title": size.title, "source": "sample_data/",
                                                   **info}
            return folder
        folder = self.work / "data" / size.name
        if self.args.quick:
            gen_args = {"seed": 7, "cities": 2, "counties_per_city": 3,
                        "townships_per_county": 5, "scale": size.scale}
            if size.volunteers is not None:
                gen_args["volunteers"] = size.volunteers
            real = False
        else:
            divisions, real = divisions_file()
            gen_args = size.generator_args(divisions)
        marker = folder / ".bench-args.json"
        cached = marker.exists() and json.loads(marker.read_text()) == gen_args
        rec: dict[str, Any] = {"title": size.title, "generator_args": gen_args,
                               "real_divisions": real}
        if cached:
            _say(f"dataset {size.name}: cached in {folder}")
            rec.update(json.loads((folder / ".bench-stats.json").read_text()))
            rec["cached"] = True
        else:
            _say(f"dataset {size.name}: generating {gen_args}")
            r = self.task("generate", {"out_dir": str(folder), **gen_args})
            stats = {**r.result, "generate_peak_rss": r.peak_rss}
            (folder / ".bench-stats.json").write_text(json.dumps(stats))
            marker.write_text(json.dumps(gen_args))
            rec.update(stats)
            _say(f"dataset {size.name}: {r.result['seconds']:.1f} s, "
                 f"{r.result['csv_bytes'] / 2**20:.0f} MiB CSV")
        self.results["datasets"][size.name] = rec
        return folder

    # -- measurements ------------------------------------------------------------------

    def load_ladybug(self, size: Size, csv_dir: Path, n: int) -> dict[str, Any] | None:
        store_dir = self.work / "stores" / f"{size.name}-ladybug"
        runs: list[dict[str, Any]] = []
        for i in range(n):
            if self.over_budget(runs):
                break
            _say(f"load {size.name} → ladybug ({i + 1}/{n})")
            r = self.task("load_ladybug", {"csv_dir": str(csv_dir), "store_dir": str(store_dir)})
            runs.append({**r.result, "peak_rss": r.peak_rss, "wall_s": r.wall_s})
        rec = _load_record(size, "ladybug", runs)
        self.results["load"].append(rec)
        _say(f"  ladybug: {rec['total_s']['median']:.1f} s, "
             f"{rec['peak_rss']['median'] / 2**30:.2f} GiB")
        return {"kind": "ladybug", "path": str(store_dir)}

    def load_networkx(self, size: Size, csv_dir: Path, n: int) -> None:
        runs: list[dict[str, Any]] = []
        for i in range(n):
            if self.over_budget(runs):
                break
            _say(f"load {size.name} → networkx ({i + 1}/{n})")
            r = self.task("load_networkx", {"csv_dir": str(csv_dir)})
            runs.append({**r.result, "peak_rss": r.peak_rss, "wall_s": r.wall_s})
        rec = _load_record(size, "networkx", runs)
        self.results["load"].append(rec)
        _say(f"  networkx: {rec['total_s']['median']:.1f} s, "
             f"{rec['peak_rss']['median'] / 2**30:.2f} GiB")

    def neo4j_server(self, size: Size, fresh: bool = True) -> Any:
        from wushe.graph.backends.neo4j_local import LocalNeo4j

        data = self.work / "neo4j" / size.name
        if fresh and data.exists():
            shutil.rmtree(data)
        server = LocalNeo4j(data, heap=NEO4J_HEAP, pagecache=NEO4J_PAGECACHE)
        server.start(timeout=300)
        return server

    def load_neo4j(self, size: Size, csv_dir: Path, n: int) -> Any:
        """Load ``n`` times, each into a freshly started empty server; keep the last one."""
        runs: list[dict[str, Any]] = []
        server = None
        for i in range(n):
            if self.over_budget(runs):
                break
            if server is not None:
                server.stop(timeout=120)
            server = self.neo4j_server(size)
            _say(f"load {size.name} → neo4j ({i + 1}/{n}, server pid {server.pid})")
            try:
                r = self.task("load_neo4j", {"csv_dir": str(csv_dir), "uri": server.uri},
                              watch_pid=server.pid, timeout_s=self.args.neo4j_timeout)
            except TaskFailed as e:
                server.stop(timeout=120)
                if "exited with -9" in str(e):
                    # did not finish in time: a lower bound is still a figure
                    self.results["load"].append({
                        "size": size.name, "store": "neo4j", "n": 0,
                        "timed_out_s": self.args.neo4j_timeout})
                    _say(f"  neo4j: not finished after {self.args.neo4j_timeout:.0f} s")
                raise
            except BaseException:
                server.stop(timeout=120)
                raise
            runs.append({**r.result, "peak_rss": r.peak_rss, "wall_s": r.wall_s,
                         "server_peak_rss": r.server_peak_rss,
                         "server_start_rss": r.server_start_rss,
                         "disk_bytes": dir_bytes(server.data_dir / "data")})
        rec = _load_record(size, "neo4j", runs)
        rec["server_start_s"] = server.start_seconds
        self.results["load"].append(rec)
        _say(f"  neo4j: {rec['total_s']['median']:.1f} s")
        return server

    def load_neo4j_bulk(self, size: Size, csv_dir: Path, n: int) -> None:
        """The offline importer into a new server folder, ``n`` times (issue 15's ≥ 5×)."""
        from wushe.graph.backends.neo4j_local import stop_pid

        runs: list[dict[str, Any]] = []
        home = self.work / "neo4j-bulk" / size.name
        for i in range(n):
            if self.over_budget(runs):
                break
            _say(f"load {size.name} → neo4j bulk import ({i + 1}/{n})")
            r = self.task("load_neo4j_bulk", {"csv_dir": str(csv_dir), "home": str(home),
                                              "heap": NEO4J_HEAP,
                                              "pagecache": NEO4J_PAGECACHE},
                          timeout_s=self.args.neo4j_timeout)
            stop_pid(r.result["pid"], timeout=120)
            runs.append({**r.result, "peak_rss": r.result["python_peak_rss"],
                         "wall_s": r.wall_s, "disk_bytes": dir_bytes(home / "data")})
            shutil.rmtree(home, ignore_errors=True)
        rec = _load_record(size, "neo4j-bulk", runs)
        for key in ("importer_peak_rss", "server_start_s"):
            rec[key] = summarize([r[key] for r in runs])
        rec["stages"] = runs[-1]["stages"]
        self.results["load"].append(rec)
        _say(f"  neo4j bulk: {rec['total_s']['median']:.1f} s "
             f"(stages {', '.join(f'{k} {v:.1f}' for k, v in rec['stages'].items())})")

    def analysis(self, size: Size, store: dict[str, Any], name: str, n: int,
                 watch_pid: int | None = None) -> None:
        _say(f"analysis {size.name} on {name}")
        r = self.task("analysis", {"store": store, "repeat": 1 if self.args.quick else n},
                      watch_pid=watch_pid)
        rec = {"size": size.name, "store": name, "cold_s": r.result["cold_s"],
               "open_s": r.result["open_s"], "warm_s": summarize(r.result["warm_s"]),
               "peak_rss": r.peak_rss, "server_peak_rss": r.server_peak_rss,
               "steps": r.result.get("steps"),
               "with_matches_s": r.result.get("with_matches_s"),
               "steps_with_matches": r.result.get("steps_with_matches"),
               **{k: v for k, v in r.result.items() if k.endswith("_rows")}}
        self.results["analysis"].append(rec)
        _say(f"  cold {rec['cold_s']:.2f} s, warm {rec['warm_s']['median']:.2f} s")

    def queries(self, size: Size, store: dict[str, Any], name: str, picks: dict[str, Any],
                watch_pid: int | None = None) -> None:
        _say(f"queries {size.name} on {name}")
        runs = 3 if self.args.quick else 20 if size.sample else 10
        r = self.task("queries", {"store": store, "picks": picks, "runs": runs},
                      watch_pid=watch_pid)
        for q in r.result["queries"]:
            self.results["queries"].append({"size": size.name, "store": name, **q})
            if "error" in q:
                _say(f"  {q['query']}: {q['error'][:120]}")

    def app(self, size: Size, spec: str, name: str, picks: dict[str, Any]) -> None:
        _say(f"app pages {size.name} on {name}")
        r = self.task("app", {"store_spec": spec, "picks": picks,
                              "repeat": 2 if self.args.quick else 3})
        for p in r.result["pages"]:
            for key in ("warm_s", "html_s"):
                if key in p:
                    p[key] = summarize(p[key])
            self.results["app"].append({"size": size.name, "store": name, **p})
            if "error" in p:
                _say(f"  {p['page']}: {p['error'][:120]}")

    def briefing(self, size: Size, spec: str, name: str) -> None:
        _say(f"briefing {size.name} on {name}")
        r = self.task("briefing", {"store_spec": spec})
        self.results.setdefault("briefing", []).append(
            {"size": size.name, "store": name, "peak_rss": r.peak_rss, **r.result})
        _say(f"  docx {r.result['docx_s']:.1f} s, pdf {r.result['pdf_s']:.1f} s, "
             f"{r.result['pdf_pages']} pages")

    def pyvis(self) -> None:
        _say("pyvis HTML vs drawn nodes")
        sizes = [500, 1000] if self.args.quick else list(PYVIS_NODES)
        r = self.task("pyvis", {"sizes": sizes, "repeat": max(3, self.repeat)})
        for p in r.result["pyvis"]:
            p["seconds"] = summarize(p["seconds"])
            self.results["pyvis"].append(p)
            _say(f"  {p['nodes']} nodes: {p['seconds']['median']:.2f} s")

    # -- one size ----------------------------------------------------------------------

    def run_size(self, size: Size, only: tuple[str, ...] = ALL_STORES) -> None:
        stores = [s for s in self.stores if s in size.stores and s in only]
        if not stores:
            return
        try:
            csv_dir = self.dataset(size)
        except (TaskFailed, OSError) as e:
            self.error(f"dataset {size.name}", e)
            return
        picks = self.results.get("picks", {}).get(size.name)
        n = self.repeats(size)
        if "ladybug" in stores:
            try:
                store = self.load_ladybug(size, csv_dir, n)
                picks = self.task("picks", {"store": store}).result
                self.results.setdefault("picks", {})[size.name] = picks
                self.analysis(size, store, "ladybug", n)
                self.queries(size, store, "ladybug", picks)
                self.app(size, store["path"], "ladybug", picks)
                self.briefing(size, store["path"], "ladybug")
            except TaskFailed as e:
                self.error(f"{size.name} ladybug", e)
            self.save()
        if "networkx" in stores:
            try:
                self.load_networkx(size, csv_dir, n)
            except TaskFailed as e:
                self.error(f"{size.name} networkx", e)
            self.save()
        if "neo4j" in stores:
            server = None
            try:
                server = self.load_neo4j(size, csv_dir, self.repeats(size, "neo4j"))
                store = {"kind": "neo4j", "uri": server.uri}
                if picks is None:
                    picks = self.task("picks", {"store": store}).result
                self.analysis(size, store, "neo4j", self.repeats(size, "neo4j"),
                              watch_pid=server.pid)
                self.queries(size, store, "neo4j", picks, watch_pid=server.pid)
                self.app(size, server.uri, "neo4j", picks)
            except (TaskFailed, OSError, RuntimeError) as e:
                self.error(f"{size.name} neo4j", e)
            finally:
                if server is not None:
                    server.stop(timeout=120)
                    shutil.rmtree(server.data_dir, ignore_errors=True)
            self.save()
            try:
                self.load_neo4j_bulk(size, csv_dir, self.repeats(size, "neo4j"))
            except (TaskFailed, OSError, RuntimeError) as e:
                self.error(f"{size.name} neo4j bulk", e)
            self.save()
        if not self.args.keep_stores:
            shutil.rmtree(self.work / "stores" / f"{size.name}-ladybug", ignore_errors=True)

    def scaling(self, sizes: list[Size], ref: str | None) -> None:
        """Embedded load + analysis per fraction of the province (1.0× = the ``ref`` size)."""
        for size in sizes:
            try:
                csv_dir = self.dataset(size)
                n = 1 if self.args.quick else self.repeats(size)
                store = self.load_ladybug(size, csv_dir, n)
                self.analysis(size, store, "ladybug", n)
            except TaskFailed as e:
                self.error(f"scaling {size.name}", e)
            shutil.rmtree(self.work / "stores" / f"{size.name}-ladybug", ignore_errors=True)
            self.save()
        self.results["scaling_ref"] = ref

    def profile(self, size: str) -> None:
        """pyinstrument profiles of the embedded load and analysis of one cached size."""
        folder = self.work / "data" / size
        store_dir = self.work / "stores" / f"{size}-profile"
        for what, task, args in (
            ("load", "profile_load", {"csv_dir": str(folder), "store_dir": str(store_dir)}),
            ("analysis", "profile_analysis", {"store": {"kind": "ladybug",
                                                        "path": str(store_dir)}}),
        ):
            html = self.work.parent / f"profile-{size}-{what}.html"
            _say(f"profiling {what} of {size} → {html}")
            try:
                r = self.task(task, {**args, "out_html": str(html)})
                self.results["profiles"].append({"size": size, "what": what,
                                                 "html": str(html.relative_to(ROOT))
                                                 if html.is_relative_to(ROOT) else str(html),
                                                 **r.result})
            except TaskFailed as e:
                self.error(f"profile {what} {size}", e)
        shutil.rmtree(store_dir, ignore_errors=True)
        self.save()


def _load_record(size: Size, store: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    rec: dict[str, Any] = {"size": size.name, "store": store, "n": len(runs),
                           "nodes": runs[-1].get("nodes"), "rels": runs[-1].get("rels")}
    for key in ("total_s", "read_s", "write_s", "peak_rss", "disk_bytes", "server_peak_rss",
                "server_start_rss"):
        vals = [r.get(key) for r in runs]
        if any(v is not None for v in vals):
            rec[key] = summarize(vals)
    return rec


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="tiny generated sizes, every store, < 5 minutes (what CI runs)")
    p.add_argument("--sizes", default=None,
                   help="comma list of sample,2m,full (default: all; --quick: sample,tiny)")
    p.add_argument("--stores", default=",".join(ALL_STORES),
                   help="comma list of ladybug,neo4j,networkx (default: all)")
    p.add_argument("--repeat", type=int, default=3,
                   help="repeats of each big measurement (small ones run at least 5)")
    p.add_argument("--out", default=None,
                   help="where RESULTS.md/results.json go (default bench/ for a full run, "
                        "bench/out/ for --quick or a partial run)")
    p.add_argument("--work", default=None,
                   help="datasets and stores (default OUT/work; datasets are cached there)")
    p.add_argument("--budget", type=float, default=1800.0,
                   help="stop repeating a load once its runs took this many seconds")
    p.add_argument("--neo4j-timeout", type=float, default=3600.0,
                   help="give up one Neo4j load after this many seconds (reported as > S)")
    p.add_argument("--no-scaling", action="store_true", help="skip the scaling table")
    p.add_argument("--no-profile", action="store_true", help="skip the pyinstrument profiles")
    p.add_argument("--keep-stores", action="store_true", help="keep the loaded stores")
    args = p.parse_args(argv)
    args.argv = argv
    partial = args.quick or args.sizes is not None or args.stores != ",".join(ALL_STORES)
    if args.out is None:
        args.out = str(ROOT / "bench" / "out") if partial else str(ROOT / "bench")
    if args.work is None and not args.quick:
        args.work = str(ROOT / "bench" / "out" / "work")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and write RESULTS.md and results.json; 0 on success."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # a SIGTERM (CI timeout, kill) unwinds like Ctrl-C, so `finally` stops the Neo4j server
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    bench = Bench(args)
    if args.quick:
        main_sizes, scale_sizes = quick_sizes()
        if args.sizes:
            main_sizes = [s for s in main_sizes if s.name in args.sizes.split(",")]
    else:
        names = (args.sizes or "sample,2m,full").split(",")
        unknown = [n for n in names if n not in SIZES]
        if unknown:
            raise SystemExit(f"unknown size(s) {unknown}; choose from {list(SIZES)}")
        main_sizes = [SIZES[n] for n in names]
        scale_sizes = scaling_sizes()
    _say(f"wushe bench → {bench.out} (work {bench.work})")
    t0 = time.perf_counter()
    try:
        bench.pyvis()
    except TaskFailed as e:
        bench.error("pyvis", e)
    bench.save()
    ref = next((s.name for s in main_sizes if s.name in ("2m", "tiny")), None)
    # the full province last: the riskiest (memory, time) must not cost the other figures
    # Neo4j loads last too: at province scale one Bolt load takes far longer than all the
    # embedded figures together
    in_process = ("ladybug", "networkx")
    for size in [s for s in main_sizes if s.name != "full"]:
        bench.run_size(size, in_process if not args.quick else ALL_STORES)
    if not args.no_scaling and "ladybug" in bench.stores:
        bench.scaling(scale_sizes, ref)
    if not args.quick and not args.no_profile and ref:
        bench.profile(ref)
    for size in [s for s in main_sizes if s.name == "full"]:
        bench.run_size(size, in_process)
    if not args.quick:
        for size in main_sizes:
            bench.run_size(size, ("neo4j",))
    bench.results["elapsed_s"] = time.perf_counter() - t0
    bench.save()
    _say(f"done in {bench.results['elapsed_s'] / 60:.1f} min → {bench.out / 'RESULTS.md'}")
    return 1 if bench.results["errors"] and args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
