"""The big hostile cases run in a child process under an address-space cap.

A zip bomb, a sheet with a cell at XFD1048576 and 3M relationship rows with unknown ends
must each be refused with a located message, in a few seconds, without the memory the
unchecked reader took (GBs, or an abort trying to allocate 512 GiB). Each child prints
its peak resident memory and time; ``-s`` shows them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

# millions of rows each: the slow layer (still run by scripts/test.sh)
pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parent / "corpus"
CAP_BYTES = 3 * 2**30  # address space (virtual): the engines' and Arrow's reservations fit
RSS_CAP_BYTES = 2 * 2**30  # resident memory, for the case that opens the embedded store

CHILD = textwrap.dedent("""
    import json, os, resource, sys, threading, time
    if {as_cap}:
        resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
    else:
        # The embedded engine reserves terabytes of address space for its buffer pool,
        # so the store case is capped on resident memory instead, by a watchdog.
        def watch():
            page = os.sysconf("SC_PAGE_SIZE")
            while True:
                with open("/proc/self/statm") as fh:
                    if int(fh.read().split()[1]) * page > {cap}:
                        print(json.dumps({{"outcome": "over the memory cap"}}), flush=True)
                        os._exit(3)
                time.sleep(0.05)
        threading.Thread(target=watch, daemon=True).start()
    from pathlib import Path
    from wushe.graph.errors import ValidationError
    from wushe.loaders import read_import
    store = None
    if {with_store}:
        from wushe.graph.backends.ladybug_store import LadybugStore
        store = LadybugStore(Path({store!r}))
    t0 = time.perf_counter()
    try:
        read_import(Path({source!r}), store=store, salt=b"big")
        out = {{"outcome": "loaded"}}
    except ValidationError as e:
        p = e.problems[0]
        out = {{"outcome": "refused", "n": len(e.problems), "file": p.file, "row": p.row,
               "column": p.column, "en": p.en}}
    out["seconds"] = round(time.perf_counter() - t0, 2)
    # VmHWM: this process's peak (ru_maxrss would carry the parent's over exec)
    with open("/proc/self/status") as fh:
        hwm = next(line for line in fh if line.startswith("VmHWM"))
    out["peak_mib"] = int(hwm.split()[1]) // 1024
    print(json.dumps(out))
""")


def run_capped(source: Path, store: Path | None = None) -> dict:
    code = CHILD.format(cap=CAP_BYTES if store is None else RSS_CAP_BYTES,
                        as_cap=store is None, with_store=store is not None, store=str(store),
                        source=str(source))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    print(source.name, out)
    return out


def write_zip_bomb(path: Path, inflated: int = 2**30) -> None:
    """A workbook whose sheet inflates to ``inflated`` bytes of zeros (about 1 MB packed)."""
    with zipfile.ZipFile(CORPUS / "cases" / "merged_data_rows" / "book.xlsx") as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item.filename))
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = bytes(1 << 24)
            for _ in range(inflated >> 24):
                fh.write(block)
    assert path.stat().st_size < 4 * 2**20


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    book = tmp_path / "book.xlsx"
    write_zip_bomb(book)
    out = run_capped(book)
    assert out["outcome"] == "refused" and out["file"] == "book.xlsx"
    assert "unpacks to too much data" in out["en"]
    assert out["seconds"] < 10


def test_a_cell_at_xfd1048576_is_refused_without_allocating_the_sheet():
    out = run_capped(CORPUS / "cases" / "cell_at_xfd1048576" / "book.xlsx")
    assert out["outcome"] == "refused"
    assert (out["file"], out["row"], out["column"]) == ("book.xlsx [Community]", 1048576,
                                                        "XFD1048576")
    assert out["seconds"] < 10


def test_three_million_unknown_ends_are_refused_in_bounded_memory(tmp_path):
    from wushe.graph.backends.ladybug_store import LadybugStore
    from wushe.loaders import read_import

    store = tmp_path / "store"
    s = LadybugStore(store)
    s.load(read_import(CORPUS / "base", salt=b"big"))
    s.close()
    folder = tmp_path / "ends"
    folder.mkdir()
    n = 3_000_000
    with open(folder / "PART_OF.csv", "w", encoding="utf-8") as fh:
        fh.write("from,to\n")
        fh.write("".join(f"X{i:07d},Y{i:07d}\n" for i in range(n)))
    out = run_capped(folder, store)
    assert out["outcome"] == "refused"
    assert (out["file"], out["row"], out["column"]) == ("PART_OF.csv", 2, "from (起点编号)")
    assert "No node has this id" in out["en"]
    assert out["n"] <= 2 * 200 + 2  # capped: 200 per column plus one count line each


DISK_FULL = textwrap.dedent("""
    import resource, signal, sys
    # a file-size limit makes every write past it fail as a full disk would (EFBIG)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
    from wushe.app.cli import main
    sys.argv = ["wushe", "load", {source!r}, "--store", {store!r}]
    main()
""")


def test_a_full_disk_is_a_located_message_and_the_store_is_unchanged(tmp_path):
    from test_corpus import store_hashes

    store = tmp_path / "store"
    first = subprocess.run([sys.executable, "-m", "wushe.app.cli", "load",
                            str(CORPUS / "base"), "--store", str(store)],
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    before = store_hashes(store)
    code = DISK_FULL.format(limit=200_000, source=str(CORPUS / "cases" / "gbk_csv"),
                            store=str(store))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "File too large; nothing was written and the store is unchanged" in done.stderr
    assert "未写入任何数据,数据库保持不变" in done.stderr and str(store) in done.stderr
    assert store_hashes(store) == before
