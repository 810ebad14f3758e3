"""20 reader threads and a reader process run console and dashboard queries while a large
load runs: no errors, a consistent graph in every answer, p50/p95 latency measured, and a
second writer is told that a load is in progress."""

from __future__ import annotations

import fcntl
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.test_crash_safety import LOADER, ROOT, SAMPLE, graph_counts, start_load
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import LoadInProgress
from wushe.loaders import read_import
from wushe.loaders.generator import generate_to
from wushe.queries import registry

pytestmark = pytest.mark.slow
THREADS = 20
# One statement reads communities and their PART_OF links together: in a consistent graph
# the pair is exactly the old one or the new one.
CONSISTENCY = ("MATCH (c:Community) OPTIONAL MATCH (c)-[r:PART_OF]->(:Township) "
               "RETURN count(DISTINCT c) AS c, count(r) AS r")
READER = """
import json, sys, time
from wushe.graph.backends.ladybug_store import LadybugStore
store = LadybugStore(sys.argv[1])
seen, errors, lat = set(), [], []
end = time.time() + float(sys.argv[2])
while time.time() < end:
    t = time.perf_counter()
    try:
        row = store.run(sys.argv[3]).iloc[0]
        seen.add((int(row["c"]), int(row["r"])))
    except Exception as e:
        errors.append(repr(e))
    lat.append(time.perf_counter() - t)
print(json.dumps({"seen": sorted(seen), "errors": errors, "n": len(lat)}))
"""


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("province")
    generate_to(out, seed=3, scale=0.05, volunteers=100_000)
    return out


def _pair(folder: Path) -> tuple[int, int]:
    store = LadybugStore(folder)
    try:
        row = store.run(CONSISTENCY).iloc[0]
        return int(row["c"]), int(row["r"])
    finally:
        store.close()


def _lock_held(folder: Path) -> bool:
    with open(folder / ".load.lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def test_readers_see_a_consistent_graph_while_a_load_runs(province, tmp_path):
    folder = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", LOADER, str(folder), str(SAMPLE)], cwd=ROOT,
                   check=True, capture_output=True, env=env)
    old = _pair(folder)
    scratch = tmp_path / "scratch"
    subprocess.run([sys.executable, "-c", LOADER, str(scratch), str(province)], cwd=ROOT,
                   check=True, capture_output=True, env=env)
    new = _pair(scratch)
    new_total = graph_counts(scratch)
    assert old != new

    store = LadybugStore(folder)  # one store object shared by the threads, as the app does
    stop = threading.Event()
    seen: set[tuple[int, int]] = set()
    errors: list[str] = []
    lat: dict[str, list[float]] = {"console": [], "dashboard": []}
    lock = threading.Lock()

    def reader(k: int) -> None:
        while not stop.is_set():
            kind = "console" if k % 2 else "dashboard"
            t = time.perf_counter()
            try:
                if kind == "console":
                    row = store.run(CONSISTENCY, row_limit=1000).iloc[0]
                    pair = (int(row["c"]), int(row["r"]))
                else:
                    registry.run(store, "community_counts")
                    registry.run(store, "count_by_label")
                    pair = None
            except Exception as e:  # noqa: BLE001 - every failure is a test failure
                with lock:
                    errors.append(repr(e))
                continue
            dt_ = time.perf_counter() - t
            with lock:
                lat[kind].append(dt_)
                if pair:
                    seen.add(pair)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(THREADS)]
    for th in threads:
        th.start()
    time.sleep(1.0)  # latency before the load starts too
    proc = start_load(folder, province)
    other = subprocess.Popen([sys.executable, "-c", READER, str(folder), "25", CONSISTENCY],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    # a second writer while the first holds the lock
    deadline = time.time() + 120
    while not _lock_held(folder) and time.time() < deadline:
        time.sleep(0.05)
    small = read_import(SAMPLE, salt=b"s")
    with pytest.raises(LoadInProgress) as info:
        LadybugStore(folder).load(small, replace=True)
    assert "load is in progress" in info.value.en and "正在导入数据" in info.value.zh
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    time.sleep(1.0)  # readers must also see the new graph
    stop.set()
    for th in threads:
        th.join(timeout=60)
    ro_out, ro_err = other.communicate(timeout=120)
    store.close()

    assert errors == []
    assert seen <= {old, new} and new in seen, seen
    report = json.loads(ro_out)
    assert report["errors"] == [] and report["n"] > 0, ro_err
    assert {tuple(p) for p in report["seen"]} <= {old, new}
    assert graph_counts(folder) == new_total
    all_lat = sorted(lat["console"] + lat["dashboard"])
    p50 = statistics.median(all_lat) * 1000
    p95 = all_lat[int(0.95 * (len(all_lat) - 1))] * 1000
    print(f"\nreads during load: {len(all_lat)} (console {len(lat['console'])}, dashboard "
          f"{len(lat['dashboard'])}); p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
          f"process reader: {report['n']} reads")
    assert p95 < 10_000
