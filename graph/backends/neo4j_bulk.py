"""The initial load of a local Neo4j through Neo4j's offline importer.

``neo4j-admin database import full`` writes a database's store files directly, without
transactions, and is the fastest way to fill an empty Neo4j. Its classes
(``org.neo4j.importer.ImportCommand``, run by ``org.neo4j.cli.AdminTool``) come with the
embedded Community edition from Maven Central, so the local server's build
(:mod:`graph.backends.neo4j_local`) already holds them.

The rule (docs/neo4j.md): the bulk path is an **initial** load of the **local** server's
database (the folder given to ``wushe neo4j start --data``), and that database must be
**empty**. The server is stopped while the importer writes, then started again. Anything
else — a remote server, a database holding even one node — is refused, and ``wushe load``
through Bolt is the way to add to it.

The tables are the same validated :class:`GraphTables` the Bolt load writes, and the
result is the same graph: one label per node, every schema property with its Neo4j type
(nulls left out), relationships between the same ends with the same properties, and the
same ``id`` constraints (created by :class:`Neo4jStore` when it connects afterwards).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from wushe.graph.backends.base import LoadSummary, Progress
from wushe.graph.backends.neo4j_local import (
    JVM_FLAGS,
    LocalNeo4j,
    classpath,
    java,
    running_server,
    stop_pid,
)
from wushe.graph.backends.neo4j_store import Neo4jStore, check_unique_ids
from wushe.graph.backends.versions import VersionMeta
from wushe.graph.errors import StoreError
from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables

__all__ = ["BulkResult", "bulk_load", "import_args", "write_import_files"]

#: Neo4j import header type of each schema type (STRING is the importer's default)
_HEADER_TYPE = {"STRING": "", "INT64": ":long", "DOUBLE": ":double", "DATE": ":date",
                "BOOL": ":boolean"}
_DATABASE = "neo4j"  # Community edition: the one user database


@dataclass(frozen=True)
class BulkResult:
    """What a bulk load did; ``server`` is the local server, running again on the new graph.

    ``seconds`` maps each stage (check, files, import, start, constraints, record) to its
    wall time; ``importer_peak_rss`` is the importer JVM's peak resident memory in bytes.
    """

    summary: LoadSummary
    server: LocalNeo4j
    seconds: dict[str, float] = field(default_factory=dict)
    importer_peak_rss: int = 0


# -- files -------------------------------------------------------------------------------


def _header(names: list[str], types: list[str]) -> str:
    return ",".join(f"{n}{_HEADER_TYPE[t]}" for n, t in zip(names, types, strict=True))


def _write(table: pa.Table, header: str, stem: Path) -> tuple[Path, Path, bool]:
    """Header and data file of one table; whether any string value spans lines."""
    head, data = stem.with_suffix(".header.csv"), stem.with_suffix(".csv")
    head.write_text(header + "\n", encoding="utf-8")
    # Arrow quotes every string and leaves nulls unquoted and empty: the importer reads
    # "" as an empty string and an empty field as no property, exactly what Bolt stores.
    pacsv.write_csv(table, data, pacsv.WriteOptions(include_header=False))
    multiline = any(
        pc.any(pc.match_substring_regex(col, r"[\r\n]")).as_py()
        for col in table.columns if pa.types.is_string(col.type))
    return head, data, bool(multiline)


def write_import_files(tables: GraphTables, folder: Path) -> list[str]:
    """Write ``tables`` as the importer's CSV files into ``folder``; return its arguments.

    One header file and one data file per node label and per (relationship type, start
    label, end label). Node ids are an ID space per label (``id:ID(Community)``), as the Bolt
    load's constraints are per label, and relationship ends name the space of their label.

    Returns
    -------
    list of str
        ``--nodes=…``/``--relationships=…`` options (and ``--multiline-fields=true`` when a
        value holds a line break).

    Raises
    ------
    StoreError
        When a relationship joins labels that the schema does not allow for its type.
    """
    folder.mkdir(parents=True, exist_ok=True)
    args: list[str] = []
    multiline = False
    for label in SCHEMA.node_names:
        df = tables.nodes.get(label)
        if df is None or not len(df):
            continue
        table = tables.node_arrow(label)
        props = SCHEMA.node(label).all_props
        names = [f"id:ID({label})" if p.name == "id" else p.name for p in props]
        # the header names the property "id" and its ID space; its type is always string
        header = _header(names, ["STRING" for _ in props[:1]] + [p.type for p in props[1:]])
        head, data, ml = _write(table, header, folder / f"n-{label}")
        multiline |= ml
        args.append(f"--nodes={label}={head},{data}")
    for rtype in SCHEMA.rel_names:
        df = tables.rels.get(rtype)
        if df is None or not len(df):
            continue
        rel = SCHEMA.rel(rtype)
        for a, b, table in tables.rel_arrow_by_pair(rtype):
            if (a, b) not in rel.pairs:
                raise StoreError(f"{rtype} cannot join {a} to {b} (see graph/schema.py).",
                                 f"关系 {rtype} 不能从 {a} 指向 {b}(见 graph/schema.py)。")
            names = [f":START_ID({a})", f":END_ID({b})", *(p.name for p in rel.props)]
            header = _header(names, ["STRING", "STRING", *(p.type for p in rel.props)])
            head, data, ml = _write(table, header, folder / f"r-{rtype}-{a}-{b}")
            multiline |= ml
            args.append(f"--relationships={rtype}={head},{data}")
    if multiline:
        args.append("--multiline-fields=true")
    return args


def import_args(files: list[str], *, threads: int | None = None,
                max_off_heap: str = "1g", overwrite: bool = False) -> list[str]:
    """The ``database import full`` arguments after ``org.neo4j.cli.AdminTool``."""
    args = ["database", "import", "full", _DATABASE, *files, "--id-type=string",
            # a bad row here is a bug (the tables are validated): stop at the first one
            "--bad-tolerance=0", f"--max-off-heap-memory={max_off_heap}"]
    if threads:
        args.append(f"--threads={threads}")
    if overwrite:
        args.append("--overwrite-destination=true")
    return args


# -- the load ----------------------------------------------------------------------------


def _refuse_not_empty(where: str, nodes: int) -> StoreError:
    return StoreError(
        f"The bulk import is an initial load: the Neo4j database at {where} holds {nodes:,} "
        "node(s). Nothing was changed. Use 'wushe load' (through Bolt) to add to it or to "
        "replace it, or start a new server folder for the bulk import.",
        f"批量导入只用于首次导入:{where} 的 Neo4j 数据库中已有 {nodes:,} 个节点。未做任何改动。"
        "如需追加或替换,请使用 'wushe load'(经 Bolt 写入);或为批量导入另建一个服务器文件夹。",
    )


def _node_count(uri: str) -> int:
    store = Neo4jStore(uri, None)
    try:
        return int(store.run("MATCH (n) RETURN count(n) AS n")["n"].iloc[0])
    finally:
        store.close()


def _run_importer(home: Path, args: list[str], heap: str, log: Path) -> int:
    """Run the importer JVM on ``home``; return its peak RSS in bytes."""
    (home / "conf").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    cmd = [java(), f"-Xmx{heap}", *JVM_FLAGS, "-cp", classpath(), "org.neo4j.cli.AdminTool",
           *args]
    with open(log, "ab") as out:
        out.write(f"\n== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
        out.flush()
        proc = subprocess.Popen(cmd, cwd=home, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT)
        # The JVM's own high-water mark (VmHWM): wait4's figure would be the larger of it
        # and this Python process's size at the fork.
        peak = 0
        try:
            while proc.poll() is None:
                peak = max(peak, _vm_hwm(proc.pid))
                time.sleep(0.2)
        except BaseException:  # Ctrl-C: the importer must not write on by itself
            proc.kill()
            proc.wait()
            raise
    if proc.returncode != 0:
        tail = "\n".join(log.read_text("utf-8", "replace").splitlines()[-25:])
        raise StoreError(
            f"Neo4j's importer failed (exit {proc.returncode}); the database is left empty. "
            f"Its log: {log}\n{tail}",
            f"Neo4j 导入程序失败(退出码 {proc.returncode});数据库保持为空。日志:{log}\n{tail}")
    return peak


def _vm_hwm(pid: int) -> int:
    """Peak resident memory of a running process in bytes (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _clear_database(home: Path) -> None:
    """Remove the (empty, checked) database's files: the importer then writes it anew."""
    for sub in ("databases", "transactions"):
        shutil.rmtree(home / "data" / sub / _DATABASE, ignore_errors=True)


def bulk_load(tables: GraphTables, home: str | os.PathLike[str], *,
              progress: Progress | None = None, meta: VersionMeta | None = None,
              heap: str = "1g", max_off_heap: str = "1g", threads: int | None = None,
              server_heap: str = "512m", server_pagecache: str = "256m") -> BulkResult:
    """Load ``tables`` into the empty database of the local server at ``home``.

    The server's folder is the one ``wushe neo4j start --data`` uses. A running server is
    asked (through Bolt) whether its database is empty, then stopped; a stopped one with a
    database is started briefly to ask. The importer writes the database, the server starts
    again (with the port, heap and page cache it had), :class:`Neo4jStore` creates the id
    constraints, and the load is recorded as a version.

    Parameters
    ----------
    tables : GraphTables
        Validated tables (``loaders.read_import``), the same the Bolt load takes.
    home : path
        The local server's folder.
    progress : callable, optional
        ``progress(done, total, stage)``.
    meta : VersionMeta, optional
        Recorded with the version.
    heap, max_off_heap : str
        The importer JVM's heap and its off-heap cap (keep both modest on a shared machine).
    threads : int, optional
        Importer threads (default: one per core).
    server_heap, server_pagecache : str
        Used when no server was running before.

    Returns
    -------
    BulkResult
        The summary, the running server (the caller stops or detaches it), stage times.

    Raises
    ------
    StoreError
        The database is not empty (nothing is changed), or the importer failed.
    """
    t0 = time.perf_counter()
    home = Path(home).resolve()
    stages = ["check", "files", "import", "start", "constraints", "record"]
    seconds: dict[str, float] = {}
    mark = [time.perf_counter()]

    def stage(i: int) -> None:
        now = time.perf_counter()
        if i:
            seconds[stages[i - 1]] = now - mark[0]
        mark[0] = now
        if progress:
            progress(i, len(stages), stages[i] if i < len(stages) else "done")

    stage(0)
    check_unique_ids(tables)
    settings = {"heap": server_heap, "pagecache": server_pagecache, "port": None}
    running = running_server(home)
    if running is not None:
        settings = running.settings
        nodes = _node_count(running.uri)
        if nodes:
            raise _refuse_not_empty(running.uri, nodes)
        stop_pid(running.pid, timeout=120)
        running.forget()
    elif (home / "data" / "databases" / _DATABASE).exists():
        probe = LocalNeo4j(home, heap=server_heap, pagecache=server_pagecache).start()
        try:
            nodes = _node_count(probe.uri)
        finally:
            probe.stop(timeout=120)
        if nodes:
            raise _refuse_not_empty(str(home), nodes)
    stage(1)
    work = home / f"import-{uuid.uuid4().hex[:8]}"
    try:
        files = write_import_files(tables, work)
        stage(2)
        _clear_database(home)
        try:
            peak = _run_importer(home, import_args(files, threads=threads,
                                                   max_off_heap=max_off_heap),
                                 heap, home / "neo4j-import.log")
        except BaseException:
            _clear_database(home)  # the server starts an empty database again
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
        (home / "import.report").unlink(missing_ok=True)
    stage(3)
    server = LocalNeo4j(home, port=settings["port"], heap=settings["heap"],
                        pagecache=settings["pagecache"])
    try:
        server.start(timeout=600)
        stage(4)
        store = Neo4jStore(server.uri, None)  # creates the id constraints: indexes filled
        stage(5)
        try:
            store.record_load(meta or VersionMeta(), tables.counts(), replace=True,
                              seconds=time.perf_counter() - t0)
        finally:
            store.close()
    except BaseException:
        server.stop()
        raise
    stage(6)
    summary = LoadSummary(tables.counts(), time.perf_counter() - t0, True)
    return BulkResult(summary, server, seconds, peak)

