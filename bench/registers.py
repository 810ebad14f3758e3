"""Registers against the graph format: the same province loaded both ways.

``python -m bench.registers [--size 2m|tiny] [--work DIR]`` generates a province, writes it
in the graph format and as registers (same seed, same graph), then loads each into a fresh
embedded store in its own subprocess and compares wall time and peak memory (kernel
``ru_maxrss`` of that subprocess). Results go to ``bench/registers.json`` and
``bench/REGISTERS.md``. Target (issue 12): registers within 1.5× of the graph format.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from bench.datasets import SIZES, divisions_file, quick_sizes, scaling_sizes
from bench.measure import ROOT, machine_info, run_task

__all__ = ["main"]


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; print and write the figures."""
    ap = argparse.ArgumentParser(prog="python -m bench.registers")
    ap.add_argument("--size", default="2m", choices=["2m", "s0.1", "tiny"])
    ap.add_argument("--work", default="/tmp/wushe-bench-registers")
    a = ap.parse_args(argv)
    size = {"2m": SIZES["2m"], "s0.1": scaling_sizes()[0],
            "tiny": quick_sizes()[0][0]}[a.size]
    divisions, _real = divisions_file()
    args = size.generator_args(divisions)
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    log = work / "log.txt"
    t0 = time.perf_counter()
    gen = run_task("generate", {"out_dir": str(work / "graph"), **args}, log=log)
    regs = run_task("write_registers", {"out_dir": str(work / "registers"), **args}, log=log)
    graph = run_task("load_ladybug", {"csv_dir": str(work / "graph"),
                                      "store_dir": str(work / "store-graph")}, log=log)
    reg = run_task("load_registers_ladybug", {"reg_dir": str(work / "registers"),
                                              "store_dir": str(work / "store-registers")},
                   log=log)
    same = graph.result["counts"] == reg.result["counts"]
    out = {
        "size": size.name, "title": size.title, "machine": machine_info(),
        "generate_s": gen.result["seconds"], "write_registers_s": regs.result["seconds"],
        "graph": {**graph.result, "peak_rss": graph.peak_rss, "wall_s": graph.wall_s},
        "registers": {**reg.result, "peak_rss": reg.peak_rss, "wall_s": reg.wall_s},
        "same_counts": same,
        "time_ratio": reg.result["total_s"] / graph.result["total_s"],
        "memory_ratio": reg.peak_rss / graph.peak_rss,
        "bench_s": time.perf_counter() - t0,
    }
    for k in ("graph", "registers"):
        out[k].pop("counts", None)
    (ROOT / "bench" / "registers.json").write_text(json.dumps(out, indent=1, default=str))
    g, r = out["graph"], out["registers"]
    md = [
        "# Registers against the graph format",
        "",
        f"{size.title}; `python -m bench.registers --size {size.name}` (one run). Each load "
        "reads and validates its files, then bulk-loads a fresh embedded store, in its own "
        "subprocess; memory is that subprocess's peak RSS.",
        "",
        "| load | read + validate (s) | store write (s) | total (s) | peak memory |",
        "|---|---:|---:|---:|---:|",
        f"| graph format | {g['read_s']:.1f} | {g['write_s']:.1f} | {g['total_s']:.1f} | "
        f"{_gib(g['peak_rss'])} |",
        f"| registers | {r['read_s']:.1f} | {r['write_s']:.1f} | {r['total_s']:.1f} | "
        f"{_gib(r['peak_rss'])} |",
        f"| **ratio** | | | **{out['time_ratio']:.2f}×** | **{out['memory_ratio']:.2f}×** |",
        "",
        f"Same node and relationship counts: {same}. Registers read stages (cumulative s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in r.get("steps", {}).items()) + ".",
        "Target: within 1.5× of the graph format in time and memory.",
        "",
    ]
    (ROOT / "bench" / "REGISTERS.md").write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
