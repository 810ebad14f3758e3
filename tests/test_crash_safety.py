"""kill -9 a loader at random points of a large load: the store then shows the previous
graph or the new one, complete, and the next load works."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.loaders.generator import generate_to

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
LOADER = """
import sys
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.loaders import read_import, salt_for_store
store = LadybugStore(sys.argv[1])
tables = read_import(sys.argv[2], salt=salt_for_store(store))
print("validated", flush=True)
store.load(tables, replace=True)
print("loaded", flush=True)
"""

pytestmark = pytest.mark.slow


def graph_counts(folder: Path) -> tuple[int, int]:
    """(nodes, relationships) as a fresh reader sees them."""
    store = LadybugStore(folder)
    try:
        nodes = int(store.run("MATCH (n) RETURN count(n) AS n")["n"][0])
        rels = int(store.run("MATCH ()-[r]->() RETURN count(r) AS n")["n"][0])
        return nodes, rels
    finally:
        store.close()


def start_load(folder: Path, source: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", LOADER, str(folder), str(source)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    """A synthetic province of ~370k rows (100k volunteers)."""
    out = tmp_path_factory.mktemp("province")
    generate_to(out, seed=3, scale=0.05, volunteers=100_000)
    return out


def test_kill_9_during_a_large_load_leaves_old_or_new_graph_complete(province, tmp_path):
    folder = tmp_path / "store"
    subprocess.run([sys.executable, "-c", LOADER, str(folder), str(SAMPLE)], cwd=ROOT,
                   check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    old = graph_counts(folder)
    # the new graph's counts, from a complete load into a scratch store
    scratch = tmp_path / "scratch"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", LOADER, str(scratch), str(province)], cwd=ROOT,
                   check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    full = time.perf_counter() - t0
    new = graph_counts(scratch)
    assert new != old
    rng = random.Random(7)
    seen = []
    for attempt in range(5):
        proc = start_load(folder, province)
        if attempt % 2 == 0:  # kill while writing the database (after validation)
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "validated"
            time.sleep(rng.uniform(0.0, full / 2))
        else:  # anywhere, validation included
            time.sleep(rng.uniform(0.2, full))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        counts = graph_counts(folder)
        assert counts in (old, new), (attempt, counts)
        seen.append("new" if counts == new else "old")
    # the next load works and gives exactly the new graph; no stale files are left
    proc = start_load(folder, province)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert graph_counts(folder) == new
    live = (folder / "CURRENT").read_text().strip()
    dbs = sorted(p.name for p in folder.iterdir() if p.name.startswith("graph-"))
    # the live graph and the earlier versions kept for undo, and nothing a killed load left
    kept = {v.file for v in LadybugStore(folder).versions() if v.state != "dropped"}
    assert live in dbs and set(dbs) == kept | {live}, dbs
    print(f"states seen after kill -9: {seen}")
