"""What keeping a version costs at province scale: time and disk per version, undo, diff.

    python bench/versions.py                 # the 2M-volunteer province (≈5 min, ≈3 GiB RAM)
    python bench/versions.py --size sample   # the sample data (seconds)

Writes ``bench/VERSIONS.md`` and ``bench/versions.json`` (``--out DIR`` elsewhere). One
process, one store: version 1 is a replace load of the province, version 2 a replace load
of the same data with a new data date, version 3 an append of a one-community import (the
case where stage-and-swap copies the whole database file). Each load is followed by keeping
its analysis (facts, analysis tables, entity snapshot as Parquet).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/versions.py` from a checkout
    sys.path.insert(0, str(ROOT))

from bench.datasets import SIZES, divisions_file  # noqa: E402


def _mib(n: float) -> float:
    return round(n / 2**20, 1)


def _timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return round(time.perf_counter() - t, 2), out


def _dataset(size: str, work: Path) -> Path:
    from wushe.loaders.generator import generate_to
    from wushe.sample_data import SAMPLE_DIR

    if size == "sample":
        return Path(SAMPLE_DIR)
    out = work / f"{size}-csv"
    if not (out / "Volunteer.csv").exists():
        div, _ = divisions_file()
        args = SIZES[size].generator_args(div)
        generate_to(out, **{k: (Path(v) if k == "divisions" else v) for k, v in args.items()})
    return out


def _one_community(csv_dir: Path, out: Path) -> Path:
    """A one-community append: a new community in the first township of the data."""
    import pandas as pd

    town = pd.read_csv(csv_dir / "Township.csv", nrows=1)["id"].iloc[0]
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"id": "comm-bench-0001", "name": "基准测试社区", "kind": "urban",
                   "population": 3000}]).to_csv(out / "Community.csv", index=False)
    pd.DataFrame([{"from": "comm-bench-0001", "to": town}]).to_csv(out / "PART_OF.csv",
                                                                    index=False)
    return out


def run(size: str, work: Path) -> dict[str, Any]:
    from wushe.graph.analytics.analysis import analyze
    from wushe.graph.analytics.kept import entity_snapshot, keep_analysis, kept_analysis
    from wushe.graph.analytics.versions_diff import diff_versions, kept_version
    from wushe.graph.backends.ladybug_store import LadybugStore
    from wushe.graph.backends.versions import VersionMeta, hash_sources
    from wushe.graph.schema import SCHEMA
    from wushe.loaders import read_import, salt_for_store

    csv_dir = _dataset(size, work)
    folder = work / f"{size}-store"
    shutil.rmtree(folder, ignore_errors=True)
    store = LadybugStore(folder, keep_versions=5)
    salt = salt_for_store(store)
    res: dict[str, Any] = {"size": size, "csv_dir": str(csv_dir), "versions": []}
    res["hash_sources_s"], sources = _timed(lambda: hash_sources(csv_dir))
    res["read_s"], tables = _timed(lambda: read_import(csv_dir, salt=salt))
    small = _one_community(csv_dir, work / f"{size}-append")
    steps = [("replace load, data date 2024-12-31", tables, True, dt.date(2024, 12, 31)),
             ("replace load, data date 2025-12-31", tables, True, dt.date(2025, 12, 31)),
             ("append one community", None, False, dt.date(2026, 6, 30))]
    for what, t, replace, date in steps:
        if t is None:
            t = read_import(small, salt=salt, existing_labels=store.existing_labels)
        load_s, _ = _timed(lambda t=t, replace=replace, date=date: store.load(
            t, replace=replace, meta=VersionMeta(date, "bench", sources)))
        keep_s, v = _timed(lambda: keep_analysis(store))
        v = store.versions()[-1]
        graph = store.version_disk(v) - store.version_store.size(v.id)
        res["versions"].append({
            "version": v.id, "what": what, "load_s": load_s, "keep_analysis_s": keep_s,
            "graph_mib": _mib(graph), "kept_tables_mib": _mib(store.version_store.size(v.id)),
            "nodes": sum(n for k, n in v.counts.items() if k in SCHEMA.node_names),
        })
    del tables
    res["entity_snapshot_s"], _ = _timed(lambda: entity_snapshot(store))
    res["analysis_from_store_s"], _ = _timed(lambda: analyze(store, with_matches=False))
    res["analysis_from_kept_s"], _ = _timed(lambda: kept_analysis(store))
    ids = [v["version"] for v in res["versions"]]
    res["diff_s"], d = _timed(lambda: diff_versions(kept_version(store, ids[0]),
                                                    kept_version(store, ids[1])))
    res["diff_entities_changed"] = int(d.entities["changed"].sum())
    res["undo_s"], u = _timed(store.undo)
    res["undo_dropped"] = u.dropped.id
    res["store_mib_total"] = _mib(sum(f.stat().st_size for f in folder.rglob("*")
                                      if f.is_file()))
    res["peak_rss_gib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)
    store.close()
    return res


def _markdown(res: dict[str, Any], meta: dict[str, Any]) -> str:
    lines = [
        "# What keeping a version costs",
        "",
        f"Run {meta['when']} on {meta['machine']} (load average at start / end: "
        f"{meta['load_start']} / {meta['load_end']}; other work shared the machine).",
        f"Command: `{meta['command']}`; commit `{meta['commit']}`; size `{res['size']}`. "
        "One run (no repeats): compare the load average with a quiet machine's.",
        "",
        "| version | what | load s | keep analysis s | graph file MiB | kept tables MiB | nodes |",
        "|---|---|---|---|---|---|---|",
    ]
    for v in res["versions"]:
        lines.append(f"| {v['version']} | {v['what']} | {v['load_s']} | "
                     f"{v['keep_analysis_s']} | {v['graph_mib']} | {v['kept_tables_mib']} | "
                     f"{v['nodes']:,} |")
    lines += [
        "",
        "| step | seconds |",
        "|---|---|",
        f"| hash the source files (SHA-256) | {res['hash_sources_s']} |",
        f"| read + validate the import | {res['read_s']} |",
        f"| entity snapshot alone (part of keeping) | {res['entity_snapshot_s']} |",
        f"| analysis computed from the store | {res['analysis_from_store_s']} |",
        f"| analysis read from the kept Parquet | {res['analysis_from_kept_s']} |",
        f"| diff of two versions from kept tables | {res['diff_s']} |",
        f"| undo (swap back, delete the undone file) | {res['undo_s']} |",
        "",
        f"Store folder after the undo (kept versions + tables): {res['store_mib_total']} MiB; "
        f"peak RSS of the process: {res['peak_rss_gib']} GiB.",
        "",
    ]
    return "\n".join(lines)


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="2m", choices=["sample", "2m"])
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "versions")
    ap.add_argument("--out", type=Path, default=ROOT / "bench")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    start = _loadavg()
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    res = run(args.size, args.work)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    meta = {"when": when, "machine": f"{platform.machine()}, {platform.system()}",
            "load_start": start, "load_end": _loadavg(), "commit": commit,
            "command": "python bench/versions.py " + " ".join(argv or sys.argv[1:])}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "versions.json").write_text(json.dumps({**meta, **res}, indent=1))
    (args.out / "VERSIONS.md").write_text(_markdown(res, meta), encoding="utf-8")
    print(_markdown(res, meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
