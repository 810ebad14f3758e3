"""Issue 15's targets, measured on the paths users run: ``wushe load``, the app's first page.

    python -m bench.speed                     # the 2M-volunteer province (≈15–30 min)
    python -m bench.speed --csv DIR           # an import folder already generated
    python -m bench.speed --size tiny         # a small invented province (CI-sized)

Writes ``bench/SPEED.md`` and ``bench/speed.json`` (``--out DIR`` elsewhere). Every
measurement is its own subprocess (:func:`bench.measure.run_task`); the loads run the real
``wushe`` command in a further process and report that process's own peak RSS:

1. ``wushe load CSV --store S`` into a new store (read, validate, write, keep the analysis);
2. the app's first page on that store, cold: a new server and a new headless Chromium;
3. the full analysis, cold and warm, in one process (``graph.analytics.analyze``);
4. the data page's upload of the same files through headless Chromium into a new store
   (``--no-upload`` skips it);
5. ``wushe load`` of a one-community import onto the populated store (a typical add);
6. ``wushe load`` of the same province again onto it (every node updated, every
   relationship restated: the heaviest add), unless ``--no-reload``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/speed.py` from a checkout
    sys.path.insert(0, str(ROOT))

from bench.measure import git_commit, machine_info, run_task, versions  # noqa: E402
from bench.versions import _dataset, _one_community  # noqa: E402

GIB = 2**30
#: (key, target, limit, unit) — issue 15's figures for the 2M province on this machine
TARGETS = (
    ("load_empty_s", "`wushe load` 2M into an empty store, end to end", 25.0, "s"),
    ("load_empty_gib", "… its peak memory", 3.0, "GiB"),
    ("load_add_s", "`wushe load` adding to the populated store (one community)", 25.0, "s"),
    ("load_add_gib", "… its peak memory", 3.0, "GiB"),
    ("load_reload_s", "`wushe load` adding the province again (every node updated)", 25.0, "s"),
    ("load_reload_gib", "… its peak memory", 3.0, "GiB"),
    ("first_page_s", "app's first page, cold (new server, new browser)", 2.0, "s"),
    ("analysis_warm_s", "full analysis, warm", 5.0, "s"),
    ("full_load_gib", "`wushe load` of the full 15M province, peak memory", 6.0, "GiB"),
    ("neo4j_bulk_x", "Neo4j: offline bulk import vs Bolt load, end to end", 5.0, "× (≥)"),
    ("neo4j_analysis_x", "Neo4j: warm analysis vs the embedded store's", 2.0, "×"),
)


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(csv_dir: Path, work: Path, *, reload: bool = True,
        upload: bool = True) -> dict[str, Any]:
    store = work / "speed-store"
    shutil.rmtree(store, ignore_errors=True)
    res: dict[str, Any] = {"csv_dir": str(csv_dir), "load_avg_start": _loadavg()}

    def task(name: str, args: dict[str, Any]) -> Any:
        print(f"{time.strftime('%H:%M:%S')} {name} {args}", flush=True)
        return run_task(name, args, log=work / "speed.log")

    r = task("cli_load", {"csv_dir": str(csv_dir), "store_dir": str(store)})
    res["load_empty"] = r.result
    r = task("first_page", {"store_dir": str(store)})
    res["first_page"] = r.result
    r = task("analysis", {"store": {"kind": "ladybug", "path": str(store)}, "repeat": 2})
    res["analysis"] = {k: r.result[k] for k in ("cold_s", "warm_s", "steps")}
    if upload:
        up = work / "speed-upload-store"
        try:
            r = task("app_upload", {"csv_dir": str(csv_dir), "store_dir": str(up)})
            res["app_upload"] = {**r.result, "peak_rss": r.peak_rss}
        except Exception as e:  # noqa: BLE001 - recorded; the other figures still count
            res["app_upload"] = {"error": f"{type(e).__name__}: {str(e)[-500:]}"}
        shutil.rmtree(up, ignore_errors=True)
    small = _one_community(csv_dir, work / "speed-append")
    r = task("cli_load", {"csv_dir": str(small), "store_dir": str(store), "keep": True})
    res["load_add"] = r.result
    if reload:
        r = task("cli_load", {"csv_dir": str(csv_dir), "store_dir": str(store), "keep": True})
        res["load_reload"] = r.result
    res["load_avg_end"] = _loadavg()
    return res


def neo4j_figures(results: dict[str, Any], size: str = "2m") -> dict[str, Any]:
    """Issue 15's Neo4j figures from a ``bench/run.py --stores neo4j`` results.json: the
    Bolt and bulk loads end to end and Neo4j's warm analysis."""
    def med(rec: dict[str, Any] | None, key: str) -> float | None:
        v = (rec or {}).get(key)
        return v.get("median") if isinstance(v, dict) else v

    load = {r["store"]: r for r in results.get("load", []) if r.get("size") == size}
    an = next((r for r in results.get("analysis", [])
               if r.get("size") == size and r.get("store") == "neo4j"), None)
    return {"command": results.get("command"), "started": results.get("started"),
            "loadavg": f"{results.get('loadavg_start', '—')} / {results.get('loadavg_end', '—')}",
            "bolt_s": med(load.get("neo4j"), "total_s"),
            "bulk_s": med(load.get("neo4j-bulk"), "total_s"),
            "bolt_write_s": med(load.get("neo4j"), "write_s"),
            "bulk_write_s": med(load.get("neo4j-bulk"), "write_s"),
            "analysis_warm_s": med(an, "warm_s"), "analysis_cold_s": med(an, "cold_s")}


def figures(res: dict[str, Any]) -> dict[str, float | None]:
    """Each target's figure (None where not measured)."""
    def get(*path: str) -> Any:
        v: Any = res
        for p in path:
            v = v.get(p) if isinstance(v, dict) else None
        return v

    warm = get("analysis", "warm_s")
    out: dict[str, float | None] = {"first_page_s": get("first_page", "page_s"),
                                    "analysis_warm_s": min(warm) if warm else None}
    neo = res.get("neo4j") or {}
    if neo.get("bolt_s") and neo.get("bulk_s"):
        out["neo4j_bulk_x"] = neo["bolt_s"] / neo["bulk_s"]
    if neo.get("analysis_warm_s") and out["analysis_warm_s"]:
        out["neo4j_analysis_x"] = neo["analysis_warm_s"] / out["analysis_warm_s"]
    for key in ("empty", "add", "reload"):
        out[f"load_{key}_s"] = get(f"load_{key}", "total_s")
        rss = get(f"load_{key}", "cmd_rss")
        out[f"load_{key}_gib"] = rss / GIB if rss else None
    return out


def render(res: dict[str, Any]) -> str:
    m = res["machine"]
    fig = figures(res)
    lines = [
        "# Speed of what users run (issue 15)",
        "",
        f"Run {res['date']} on {m['cpu']}, {m['cores_logical']} cores, "
        f"{m['ram_bytes'] / GIB:.0f} GiB, {m['os_pretty']}, Python {m['python']}; "
        f"commit `{res['commit']}`; load average {res['load_avg_start']} at the start, "
        f"{res['load_avg_end']} at the end (other work on the machine inflates wall times).",
        "",
        f"Command: `{res['command']}` on `{res['csv_dir']}`.",
        "",
        "| target | limit | figure | verdict |",
        "|---|---|---|---|",
    ]
    for key, text, limit, unit in TARGETS:
        v = fig.get(key)
        at_least = unit.endswith("(≥)")
        unit = unit.replace(" (≥)", "")
        shown = "not measured" if v is None else f"{v:.2f} {unit}"
        met = v is not None and (v >= limit if at_least else v <= limit)
        short = v and (limit / v if at_least else v / limit)
        verdict = "—" if v is None else ("met" if met else f"missed ({short:.2f}× off)")
        lines.append(f"| {text} | {'≥' if at_least else '≤'} {limit:g} {unit} | {shown} "
                     f"| {verdict} |")
    lines += ["", "## Stages of each load (as `wushe load` printed them, seconds)", "",
              "| load | read | validate | write | analyse | total |", "|---|---|---|---|---|---|"]
    for key in ("empty", "add", "reload"):
        rec = res.get(f"load_{key}")
        if not rec:
            continue
        st = rec.get("stages", {})
        cells = [f"{st[k]:.1f}" if k in st else "—" for k in ("读取", "校验", "写入", "分析")]
        lines.append(f"| {key} | {' | '.join(cells)} | {rec['total_s']:.1f} |")
    fp = res.get("first_page", {})
    if fp:
        lines += ["", f"First page: server start {fp.get('server_s', 0):.1f} s; first figures "
                      f"shown after {fp.get('figures_s', 0):.1f} s, whole page drawn after "
                      f"{fp.get('page_s', 0):.1f} s; the same page again, same browser: "
                      f"{fp.get('second_figures_s', 0):.1f} s / {fp.get('second_s', 0):.1f} s "
                      "(the round trip of Streamlit and headless Chromium on this machine)."]
    up = res.get("app_upload", {})
    if up.get("error"):
        lines += ["", f"App upload (data page, Chromium): failed — {up['error']}"]
    elif up:
        lines += ["", f"App upload (data page, Chromium, {up['files']} files, "
                      f"{up['bytes'] / 2**20:.0f} MiB, to an empty store): validation shown after "
                      f"{up['validate_s']:.1f} s, loaded (kept analysis included) "
                      f"{up['load_s']:.1f} s after the click; {up['total_s']:.1f} s in all; "
                      f"server peak RSS {up['server_peak_rss'] / GIB:.2f} GiB."]
    neo = res.get("neo4j")
    if neo:
        def sec(key: str) -> str:
            return "—" if neo.get(key) is None else f"{neo[key]:.1f} s"

        lines += ["", f"Neo4j figures: `{neo['command']}` ({neo['started']}, load average "
                      f"{neo['loadavg']}; server heap 4g, page cache 2g): Bolt load "
                      f"{sec('bolt_s')} (write {sec('bolt_write_s')}), bulk import "
                      f"{sec('bulk_s')} (write {sec('bulk_write_s')}); analysis warm "
                      f"{sec('analysis_warm_s')}, cold {sec('analysis_cold_s')}."]
    an = res.get("analysis", {})
    if an:
        lines += ["", f"Analysis: cold {an['cold_s']:.1f} s, warm "
                      f"{', '.join(f'{s:.1f}' for s in an['warm_s'])} s; steps of the last run: "
                      + ", ".join(f"{k} {v:.1f}" for k, v in an.get("steps", {}).items())]
    if res.get("notes"):
        lines += ["", "### Where the time goes", "", res["notes"].strip()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="2m", help="dataset size of bench.datasets (2m, tiny …)")
    ap.add_argument("--csv", type=Path, default=None, help="an import folder to use instead")
    ap.add_argument("--work", type=Path, default=Path("/tmp/wushe-bench-speed"))
    ap.add_argument("--out", type=Path, default=ROOT / "bench")
    ap.add_argument("--no-reload", dest="reload", action="store_false")
    ap.add_argument("--neo4j", type=Path, default=None, metavar="RESULTS_JSON",
                    help="a `bench/run.py --stores neo4j` results.json for the Neo4j rows")
    ap.add_argument("--notes", type=Path, default=None, metavar="MD",
                    help="with --render: Markdown explaining the figures (profiles)")
    ap.add_argument("--render", action="store_true",
                    help="no measurement: re-render OUT/speed.json (with --neo4j added)")
    ap.add_argument("--no-upload", dest="upload", action="store_false",
                    help="skip the app's upload through Chromium")
    args = ap.parse_args(argv)
    if args.render:
        res = json.loads((args.out / "speed.json").read_text())
        if args.neo4j:
            res["neo4j"] = neo4j_figures(json.loads(args.neo4j.read_text()))
        if args.notes:
            res["notes"] = args.notes.read_text()
        res["figures"] = figures(res)
        (args.out / "speed.json").write_text(json.dumps(res, indent=1, default=str))
        (args.out / "SPEED.md").write_text(render(res))
        print(render(res))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    csv_dir = args.csv or _dataset(args.size, args.work)
    res = run(csv_dir, args.work, reload=args.reload, upload=args.upload)
    res.update(date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), commit=git_commit(),
               machine=machine_info(), versions=versions(),
               command="python -m bench.speed " + " ".join(argv or sys.argv[1:]))
    res["figures"] = figures(res)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "speed.json").write_text(json.dumps(res, indent=1, default=str))
    (args.out / "SPEED.md").write_text(render(res))
    print(render(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
