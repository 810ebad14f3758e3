"""The embedded store: Ladybug in a local folder, no server.

Folder layout::

    STORE/CURRENT          name of the live database file (swapped atomically)
    STORE/graph-000007.lbug the live database, opened read-only for queries
    STORE/.load.lock       held by the one process that is loading
    STORE/graph-000005.lbug an earlier version, kept for undo (the last N are kept)
    STORE/versions/000007/ its manifest and kept tables (graph/backends/versions.py)

Every write builds a new database file beside the live one (a copy of it, or an empty one
for ``replace``), bulk-loads into it with ``COPY``, closes it and then swaps ``CURRENT``
with ``os.replace``. A failed or killed load therefore leaves the previous graph exactly as
it was, readers never see a half-written graph, and queries can use Ladybug's read-only
mode, so a console query cannot write whatever its text says.

Every swap is a version: the database files of the last N versions stay beside the live
one, so :meth:`LadybugStore.undo` is one more swap of ``CURRENT``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import ladybug as lb
import pandas as pd
import pyarrow as pa

from wushe.graph.backends.base import (
    DEFAULT_ROW_LIMIT,
    DEFAULT_TIMEOUT_S,
    GraphBackend,
    LoadSummary,
    Progress,
    Undo,
    described_ids,
)
from wushe.graph.backends.dump import read_tables
from wushe.graph.backends.ladybug_worker import MAX_DB_SIZE, WorkerPool, timeout_error
from wushe.graph.backends.versions import Version, VersionMeta, VersionStore, keep_count
from wushe.graph.errors import LoadInProgress, QueryError, ReadOnlyViolation, StoreError
from wushe.graph.merge import merge_update
from wushe.graph.readonly import check_single_read_statement
from wushe.graph.schema import SCHEMA, ladybug_ddl, ladybug_macros
from wushe.graph.tables import GraphTables, text_isin
from wushe.graph.values import collect_ids, normalize, plain_number

__all__ = ["LadybugStore"]

_FILE = re.compile(r"^graph-(\d{6})\.lbug$")
# A database file and the files Ladybug keeps beside it (.wal, .wal.checkpoint, .shadow …).
_FILE_AND_AUX = re.compile(r"^(graph-\d{6}\.lbug)(\..+)?$")
# Ladybug's built-in labels(n) returns a string, so Neo4j's idiom head(labels(n)) would
# give its first character; a macro cannot override a built-in, so rewrite the idiom.
_HEAD_LABELS = re.compile(r"head\(\s*labels\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*\)", re.I)
_ROWWISE_TYPES = ("NODE", "REL", "RECURSIVE_REL", "STRUCT", "MAP", "UNION")


class LadybugStore(GraphBackend):
    """A Ladybug database in ``path`` (created with the wushe schema on first use).

    Parameters
    ----------
    path : str or Path
        The store folder.
    buffer_pool_mb : int, optional (default=2048)
        Cap on Ladybug's buffer pool for queries; its default grows to 80% of RAM.
    load_buffer_pool_mb : int, optional (default=8192)
        Cap while loading: a bulk COPY of a province's relationships needs more room.
    timeout_s : float, optional (default=30)
        Default timeout of read queries.
    create : bool, optional (default=True)
        Make an empty store when ``path`` holds none; with False that is a StoreError
        (a mistyped ``--store`` should not quietly answer from an empty graph).
    keep_versions : int, optional
        How many versions to keep for undo and comparison (default ``$WUSHE_KEEP_VERSIONS``
        or 5); each kept version costs one database file of disk.
    """

    engine = "Ladybug"
    #: An update import giving at least this many nodes per stored node rewrites the
    #: database from the merged tables instead of changing it in place (see ``load``).
    rebuild_share: float = 0.5

    def __init__(self, path: str | Path, *, buffer_pool_mb: int = 2048,
                 load_buffer_pool_mb: int = 8192, timeout_s: float = DEFAULT_TIMEOUT_S,
                 create: bool = True, keep_versions: int | None = None) -> None:
        self.path = Path(path).expanduser().resolve()
        self.keep_versions = keep_count(keep_versions)
        self._versions = VersionStore(self.path / "versions")
        self.buffer_pool = buffer_pool_mb * 1024 * 1024
        self.load_buffer_pool = max(load_buffer_pool_mb, buffer_pool_mb) * 1024 * 1024
        self.timeout_s = timeout_s
        self._db: lb.Database | None = None
        self._db_file: str | None = None
        self._lock = threading.Lock()
        self._pool: WorkerPool | None = None
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"Store path {self.path} is a file, not a folder.",
                             f"存储路径 {self.path} 是文件而不是文件夹。")
        if not create and self._current() is None:
            raise StoreError(
                f"No wushe store in {self.path}. Load data into it first: "
                f"wushe load SOURCE --store {self.path}",
                f"{self.path} 中没有 wushe 数据库。请先导入数据:wushe load 数据目录 --store "
                f"{self.path}")
        self.path.mkdir(parents=True, exist_ok=True)
        if self._current() is None:
            with self._writer():
                if self._current() is None:
                    name, counts = self._build(None, None, replace=True, progress=None)
                    self._swap_in(name)
                    self._record(name, counts, VersionMeta(note="empty store 空库"),
                                 replace=True, load_counts={}, seconds=0.0, data_date=None)

    # -- GraphBackend ------------------------------------------------------------------

    @property
    def backend_id(self) -> str:
        return f"ladybug:{self.path}"

    def version(self) -> str:
        return self._current() or ""

    @property
    def version_store(self) -> VersionStore:
        return self._versions

    def load(self, tables: GraphTables | Callable[[], GraphTables], *, replace: bool = False,
             update: bool = False,
             progress: Progress | None = None, meta: VersionMeta | None = None) -> LoadSummary:
        t0 = time.perf_counter()
        changes: dict[str, dict[str, int]] = {"updated": {}, "removed": {}}
        with self._writer():
            if callable(tables):  # validate under the lock, against the graph written to
                tables = tables()
            new, counts = self._build(tables, self._current(), replace=replace,
                                      progress=progress,
                                      update=changes if update and not replace else None)
            self._swap_in(new)
            meta = meta or VersionMeta()
            self._record(new, counts, meta, replace=replace, load_counts=tables.counts(),
                         seconds=time.perf_counter() - t0, data_date=meta.data_date)
        return LoadSummary(tables.counts(), time.perf_counter() - t0, replace,
                           updated=changes["updated"], removed=changes["removed"])

    def version_disk(self, version: Version) -> int:
        graph = sum(f.stat().st_size for f in self.path.glob(f"{version.file}*")
                    if f.is_file()) if version.file else 0
        return graph + self._versions.size(version.id)

    def undo(self) -> Undo:
        """Make the previous kept version current again and drop the live one.

        The swap of ``CURRENT`` is the one atomic step; the dropped version's manifest
        stays (state "dropped") so the history says what was undone.
        """
        with self._writer():
            live = self._current()
            versions = self._versions.list()
            cur = next((v for v in versions if v.token == live and v.state != "dropped"), None)
            older = [v for v in versions if v.state != "dropped" and v.file
                     and v.token != live and (cur is None or v.id < cur.id)
                     and (self.path / v.file).exists()]
            if cur is None or not older:
                raise StoreError("Nothing to undo: this store keeps no earlier version.",
                                 "无可撤销:本库没有保存更早的版本。")
            back = older[-1]
            self._swap_in(back.file)  # type: ignore[arg-type]
            dropped = self._versions.mark_dropped(cur)
            self._remove_stale()
        return Undo(dropped, back)

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *,
            read_only: bool = True, timeout_s: float | None = None,
            row_limit: int | None = None) -> pd.DataFrame:
        if not read_only:
            return self._write(cypher, params)
        check_single_read_statement(cypher)
        cypher = _HEAD_LABELS.sub(r"label(\1)", cypher)
        conn = lb.Connection(self._database())
        conn.set_query_timeout(int((timeout_s or self.timeout_s) * 1000))
        try:
            result = conn.execute(cypher, dict(params or {}))
        except RuntimeError as e:
            msg = str(e)
            if "read-only" in msg:
                raise ReadOnlyViolation(msg) from None
            if "interrupted" in msg.lower():
                raise timeout_error(timeout_s or self.timeout_s, self.engine) from None
            raise QueryError(msg, self.engine) from None
        if isinstance(result, list):  # several statements slipped through
            raise ReadOnlyViolation("multiple statements")
        try:
            return _frame(result, row_limit)
        finally:
            result.close()

    def _run_guarded(self, cypher: str, params: dict[str, Any], *, timeout_s: float,
                     row_limit: int | None) -> pd.DataFrame:
        """EXPLAIN, plan check and run in a worker process (an engine crash ends only it)."""
        current = self._current()
        if current is None:
            raise StoreError(f"No database in {self.path}.", f"{self.path} 中没有数据库。")
        with self._lock:
            if self._pool is None:
                self._pool = WorkerPool(self.path, buffer_pool_mb=max(
                    64, min(self.buffer_pool // 2**20, 1024)))
            pool = self._pool
        return pool.run(current, _HEAD_LABELS.sub(r"label(\1)", cypher), params,
                        timeout_s=timeout_s, row_limit=row_limit, engine=self.engine)

    def close(self) -> None:
        with self._lock:
            self._db = None
            self._db_file = None
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    # -- internals ---------------------------------------------------------------------

    def _current(self) -> str | None:
        try:
            name = (self.path / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        return name if (self.path / name).exists() else None

    def _database(self) -> lb.Database:
        """The live database, reopened when another process has swapped in a new one."""
        current = self._current()
        if current is None:
            raise StoreError(f"No database in {self.path}.", f"{self.path} 中没有数据库。")
        with self._lock:
            if self._db is None or self._db_file != current:
                self._db = lb.Database(str(self.path / current), read_only=True,
                                       buffer_pool_size=self.buffer_pool,
                                       max_db_size=MAX_DB_SIZE)
                self._db_file = current
            return self._db

    @contextlib.contextmanager
    def _writer(self) -> Iterator[None]:
        """Hold the store's load lock; a second writer fails at once with a clear message."""
        fh = open(self.path / ".load.lock", "a+")  # noqa: SIM115 - held for the block
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise LoadInProgress(str(self.path)) from None
            self._remove_stale()
            yield
        finally:
            fh.close()

    def _remove_stale(self) -> None:
        """Delete database files that are neither live nor a kept version (a killed load's,
        an undone or pruned version's); only under the lock."""
        keep = {self._current()} | {v.file for v in self._versions.list()
                                    if v.state != "dropped"}
        for f in self.path.iterdir():
            m = _FILE_AND_AUX.match(f.name)
            if m and m.group(1) not in keep:
                f.unlink(missing_ok=True)

    def _next_file(self) -> str:
        nums = [int(m.group(1)) for f in self.path.iterdir() if (m := _FILE.match(f.name))]
        # Above every version ever recorded too: an undone version's number is not reused.
        return f"graph-{self._versions.next_id(max(nums, default=0)):06d}.lbug"

    def _record(self, name: str, counts: dict[str, int], meta: VersionMeta, *,
                replace: bool, load_counts: dict[str, int], seconds: float,
                data_date: dt.date | None) -> Version:
        """Write the manifest of the version just swapped in, then prune old versions."""
        m = _FILE.match(name)
        version = Version(
            id=int(m.group(1)) if m else self._versions.next_id(), token=name,
            data_date=data_date.isoformat() if data_date else None,
            loaded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            user=meta.who(), engine=self.engine, replace=replace, sources=meta.sources,
            load_counts={k: int(v) for k, v in load_counts.items()},
            counts=counts, seconds=round(seconds, 3), note=meta.note, file=name)
        self._versions.write(version)
        self._versions.prune(self.keep_versions, name)
        self._remove_stale()
        return version

    def _build(self, tables: GraphTables | None, base: str | None, *, replace: bool,
               progress: Progress | None,
               update: dict[str, dict[str, int]] | None = None) -> tuple[str, dict[str, int]]:
        """Write a complete new database file; its name (not yet live) and counts."""
        name = self._next_file()
        target = self.path / name
        rebuild = (tables is not None and update is not None and bool(base) and not replace
                   and self._restates_most(tables))
        try:
            if base and not replace and not rebuild:
                shutil.copyfile(self.path / base, target)
            db = lb.Database(str(target), buffer_pool_size=self.load_buffer_pool,
                             max_db_size=MAX_DB_SIZE)
            conn = lb.Connection(db)
            if replace or not base or rebuild:
                for stmt in (*ladybug_ddl(), *ladybug_macros()):
                    conn.execute(stmt)
            if rebuild:
                assert tables is not None and update is not None
                merged = merge_update(read_tables(self), tables)
                update["updated"].update(merged.updated)
                update["removed"].update(merged.removed)
                _copy_arrow(conn, merged.nodes, merged.rels, progress)
                tables = None
            elif tables is not None and update is not None and base and not _is_empty(conn):
                tables = _apply_update(conn, tables, update)
            if tables is not None:
                # Auto-checkpoints stay on: without them the dirty pages of a province-size
                # load (15M volunteers) fill the buffer pool and the COPY fails.
                _copy_tables(conn, tables, progress)
            counts = _count_all(conn)
            conn.close()
            db.close()
            with open(target, "rb+") as fh:
                os.fsync(fh.fileno())
        except BaseException:
            _unlink_with_aux(target)
            raise
        return name, counts

    def _restates_most(self, tables: GraphTables) -> bool:
        """Whether an update import gives at least :attr:`rebuild_share` as many nodes as
        are stored: then the database is written anew from the stored tables merged with
        the import (:func:`graph.merge.merge_update`), not changed in place."""
        stored = int(self.run("MATCH (n) RETURN count(n) AS n")["n"].iloc[0])
        return stored > 0 and tables.total_nodes >= self.rebuild_share * stored

    def _swap_in(self, name: str) -> None:
        tmp = self.path / "CURRENT.tmp"
        with open(tmp, "w") as fh:
            fh.write(name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path / "CURRENT")
        dfd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        self._remove_stale()

    def _write(self, cypher: str, params: Mapping[str, Any] | None) -> pd.DataFrame:
        """Run a write statement against a copy, then swap it in (all-or-nothing)."""
        with self._writer():
            current = self._current()
            name = self._next_file()
            target = self.path / name
            try:
                shutil.copyfile(self.path / current, target)  # type: ignore[arg-type]
                db = lb.Database(str(target), buffer_pool_size=self.buffer_pool,
                                 max_db_size=MAX_DB_SIZE)
                conn = lb.Connection(db)
                try:
                    result = conn.execute(_HEAD_LABELS.sub(r"label(\1)", cypher),
                                          dict(params or {}))
                except RuntimeError as e:
                    raise QueryError(str(e), self.engine) from None
                df = _frame(result, None) if not isinstance(result, list) else pd.DataFrame()
                counts = _count_all(conn)
                conn.close()
                db.close()
            except BaseException:
                _unlink_with_aux(target)
                raise
            self._swap_in(name)
            base = self._versions.by_token(current) if current else None
            self._record(name, counts, VersionMeta(note="Cypher write 写语句"), replace=False,
                         load_counts={}, seconds=0.0,
                         data_date=dt.date.fromisoformat(base.data_date)
                         if base and base.data_date else None)
        return df


def _unlink_with_aux(target: Path) -> None:
    """Delete a database file that never went live, and every file Ladybug kept beside it."""
    for f in target.parent.glob(target.name + "*"):
        f.unlink(missing_ok=True)


def _is_empty(conn: lb.Connection) -> bool:
    return int(conn.execute("MATCH (n) RETURN count(n)").get_next()[0]) == 0


def _count_all(conn: lb.Connection) -> dict[str, int]:
    """Nodes per label and relationships per type of an open database (schema order)."""
    out = {}
    for label in SCHEMA.node_names:
        out[label] = int(conn.execute(f"MATCH (n:{label}) RETURN count(n)").get_next()[0])
    for rtype in SCHEMA.rel_names:
        out[rtype] = int(conn.execute(f"MATCH ()-[r:{rtype}]->() RETURN count(r)")
                         .get_next()[0])
    return out


def _apply_update(conn: lb.Connection, tables: GraphTables,
                  changes: dict[str, dict[str, int]]) -> GraphTables:
    """Update stored nodes in place, drop the relationships the import restates, and
    return the tables still to COPY (new nodes, every relationship)."""
    fresh = GraphTables(nodes=dict(tables.nodes), rels=tables.rels, given=tables.given)
    for label, df in tables.nodes.items():
        if not len(df):
            continue
        # Labels and property names come from the schema, never from the input.
        stored = conn.execute(f"MATCH (n:{label}) RETURN n.id").get_as_arrow().column(0)
        # Arrow's hash lookup: Series.isin on millions of ids goes one string at a time
        old = pd.Series(text_isin(df["id"], stored.combine_chunks()), index=df.index)
        if not old.any():
            continue
        changes["updated"][label] = int(old.sum())
        fresh.nodes[label] = df[~old].reset_index(drop=True)
        props = [p for p in tables.given_props(label) if p != "id"]
        if props:
            # read by LOAD FROM through its name
            part = _to_arrow_cols(GraphTables(nodes={label: df[old]}).node_arrow(label),  # noqa: F841
                                  ["id", *props])
            sets = ", ".join(f"n.{p} = c{i + 1}" for i, p in enumerate(props))
            conn.execute(f"LOAD FROM part MATCH (n:{label}) WHERE n.id = c0 SET {sets}")
    by_label: dict[str, pa.Array] = {}
    for rtype, df in tables.rels.items():
        if not len(df):
            continue
        removed = 0
        for a, b, _ in tables.rel_arrow_by_pair(rtype):
            if a not in by_label:  # once per label, not per relationship type and pair
                by_label[a] = pa.array(described_ids(tables, a), type=pa.string())
            described = pa.table({"c0": by_label[a]})  # noqa: F841 - read by LOAD FROM
            # joined through LOAD FROM: `x.id IN $ids` with millions of ids scans per id
            removed += _count(conn.execute(
                f"LOAD FROM described MATCH (x:{a})-[r:{rtype}]->(y:{b}) WHERE x.id = c0 "
                "DELETE r RETURN count(*)"))
            pairs = df[(df["from_label"] == a) & (df["to_label"] == b)
                       & ~text_isin(df["from"], by_label[a])]
            if len(pairs):
                # not "ends": the parser reads ENDS (WITH) as a keyword there
                restated = pa.table({"f": pairs["from"].astype(str).tolist(),  # noqa: F841
                                     "t": pairs["to"].astype(str).tolist()})
                removed += _count(conn.execute(
                    f"LOAD FROM restated MATCH (x:{a})-[r:{rtype}]->(y:{b}) "
                    "WHERE x.id = f AND y.id = t DELETE r RETURN count(*)"))
        if removed:
            changes["removed"][rtype] = removed
    return fresh


def _to_arrow_cols(table: pa.Table, names: list[str]) -> pa.Table:
    """``table``'s columns ``names``, renamed c0, c1, … (safe variable names for LOAD FROM)."""
    return pa.table({f"c{i}": table.column(n) for i, n in enumerate(names)})


def _count(result: lb.QueryResult | list[lb.QueryResult]) -> int:
    r = result[-1] if isinstance(result, list) else result
    return int(r.get_next()[0]) if r.has_next() else 0


def _copy_arrow(conn: lb.Connection, nodes: dict[str, pa.Table],
                rels: dict[str, list[tuple[str, str, pa.Table]]],
                progress: Progress | None) -> None:
    """COPY Arrow tables (nodes by label, relationships by type and label pair)."""
    steps = [n for n in SCHEMA.node_names if n in nodes] + [r for r in SCHEMA.rel_names
                                                              if r in rels]
    for i, name in enumerate(steps):
        if progress:
            progress(i, len(steps), name)
        if name in nodes:
            data = nodes[name]  # noqa: F841 - read by COPY via its name
            if len(data):
                conn.execute(f"COPY {name} FROM data")
            continue
        multi = len(SCHEMA.rel(name).pairs) > 1
        for a, b, data in rels[name]:  # noqa: B007 - read by COPY via its name
            conn.execute(f"COPY {name} FROM data" + (f" (from='{a}', to='{b}')" if multi else ""))
    if progress:
        progress(len(steps), len(steps), "done")


def _copy_tables(conn: lb.Connection, tables: GraphTables, progress: Progress | None) -> None:
    steps = [("node", label) for label in SCHEMA.node_names if label in tables.nodes] + [
        ("rel", rtype) for rtype in SCHEMA.rel_names if rtype in tables.rels
    ]
    for i, (kind, name) in enumerate(steps):
        if progress:
            progress(i, len(steps), name)
        if kind == "node":
            if len(tables.nodes[name]):
                data = tables.node_arrow(name)  # noqa: F841 - read by COPY via its name
                conn.execute(f"COPY {name} FROM data")
        elif len(tables.rels[name]):
            pairs = SCHEMA.rel(name).pairs
            for a, b, data in tables.rel_arrow_by_pair(name):  # noqa: B007
                opts = f" (from='{a}', to='{b}')" if len(pairs) > 1 else ""
                conn.execute(f"COPY {name} FROM data{opts}")
    if progress:
        progress(len(steps), len(steps), "done")


def _frame(result: lb.QueryResult, row_limit: int | None) -> pd.DataFrame:
    """Turn a Ladybug result into a DataFrame of plain values."""
    names = result.get_column_names()
    types = result.get_column_data_types()
    if not names:  # statements with no result columns (e.g. CALL threads=1)
        return pd.DataFrame()
    limit = DEFAULT_ROW_LIMIT if row_limit is None else row_limit
    rowwise = any(t.startswith(_ROWWISE_TYPES) for t in types)
    truncated = False
    if not rowwise and row_limit is None:
        df = result.get_as_arrow().to_pandas()
        df.columns = names
        for col, t in zip(names, types, strict=True):
            if t.startswith(("INT128", "DECIMAL")) or t == "SERIAL":
                df[col] = [None if v is None else plain_number(v) if not isinstance(v, int | float)
                           else v for v in df[col]]
            elif t == "DATE":
                df[col] = [None if pd.isna(v) else v for v in df[col]]
        return df
    rows = []
    while result.has_next():
        if row_limit is not None and len(rows) >= limit:
            truncated = True
            break
        rows.append(result.get_next())
    ids: dict[Any, str] = {}
    if rowwise:
        collect_ids(rows, ids)
    df = pd.DataFrame([[normalize(v, ids) for v in row] for row in rows], columns=names,
                      dtype=object if rowwise else None)
    df.attrs["truncated"] = truncated
    return df
