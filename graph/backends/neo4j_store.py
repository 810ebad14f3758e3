"""The Neo4j store: the same interface as the embedded store, on a Neo4j 5 server.

Loads are batched ``UNWIND $rows`` writes. Every node and relationship a load creates is
stamped with a load id (the ``_load`` property); on success the stamps are removed, on any
failure everything carrying this load's stamp is deleted, so the graph is exactly as it
was (see docs/neo4j.md for the approach and its cost). Console queries run in read
transactions, so the server refuses writes whatever the query text says.

Credentials never travel in the URI: they come from ``WUSHE_NEO4J_USER`` /
``WUSHE_NEO4J_PASSWORD`` (or the CLI's hidden prompt) and are never printed, logged or put in an
error message.

Versions: Neo4j keeps one graph, so a load's manifest and its kept analysis go to a local
folder (:func:`graph.backends.versions.neo4j_versions_dir`); comparing and progress work
from there, and undo is the database's own backup and restore (docs/versions.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path as PathlibPath
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import neo4j
import neo4j.exceptions as nx_err
import pandas as pd
from neo4j.graph import Node, Path, Relationship

from wushe.graph.backends.base import (
    DEFAULT_TIMEOUT_S,
    GraphBackend,
    LoadSummary,
    Progress,
    described_ids,
)
from wushe.graph.backends.plan_guard import check_neo4j_function, check_neo4j_plan
from wushe.graph.backends.versions import (
    Version,
    VersionMeta,
    VersionStore,
    keep_count,
    neo4j_versions_dir,
)
from wushe.graph.errors import (
    Neo4jConnectionError,
    QueryError,
    QueryRefused,
    ReadOnlyViolation,
    StoreError,
)
from wushe.graph.readonly import check_single_read_statement, normalize_statement
from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables
from wushe.graph.values import normalize

__all__ = ["Neo4jStore", "DEFAULT_BATCH_SIZE", "LOAD_STAMP", "check_unique_ids"]

#: Rows per UNWIND transaction. Measured on the local 5.26 server with 200k volunteers +
#: 200k LIVES_IN (docs/neo4j.md): 5,000 was fastest; 1,000-2,000 pay for round trips and
#: 20,000+ for bigger transactions on a small heap.
DEFAULT_BATCH_SIZE = 5_000

#: The property that marks what an unfinished load has created.
LOAD_STAMP = "_load"

# Rows per inner transaction when a whole label is scanned once to unstamp or delete
# (CALL { … } IN TRANSACTIONS: one scan, many small commits).
_SWEEP_ROWS = 10_000

# Queries the columnar path leaves alone: planner options, USE, and anything not starting
# like a query that a CALL { } subquery may hold.
_UNWRAPPABLE = re.compile(r"\s*(CYPHER|EXPLAIN|PROFILE|USE|SHOW|CALL\s+[\w.]+\s*\()", re.I)

_ACCESS_MODE_CODES = ("Neo.ClientError.Statement.AccessMode",)
_TIMEOUT_CODES = ("Neo.ClientError.Transaction.TransactionTimedOut",
                  "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")


class Neo4jStore(GraphBackend):
    """A Neo4j 5 (or newer) database reached with the official driver.

    Parameters
    ----------
    uri : str
        ``neo4j://``, ``neo4j+s://``, ``bolt://``, ``bolt+s://`` … without credentials.
    auth : tuple of (str, str) or None
        User and password; ``None`` for a server with auth off (the local test server).
    database : str, optional
        Database name; the server's default database when omitted.
    batch_size : int, optional (default=DEFAULT_BATCH_SIZE)
        Rows per ``UNWIND`` transaction when loading.
    timeout_s : float, optional (default=30)
        Default timeout of read queries.
    versions_dir : str or Path, optional
        Local folder for the versions' manifests and kept analysis (default:
        :func:`graph.backends.versions.neo4j_versions_dir`).
    keep_versions : int, optional
        How many versions' kept analysis to keep (default ``$WUSHE_KEEP_VERSIONS`` or 5).

    Raises
    ------
    Neo4jConnectionError
        When the server is unreachable, refuses the credentials or is older than 5.0.
    StoreError
        When the URI carries credentials.
    """

    engine = "Neo4j"

    def __init__(self, uri: str, auth: tuple[str, str] | None = None,
                 database: str | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 timeout_s: float = DEFAULT_TIMEOUT_S,
                 versions_dir: str | os.PathLike[str] | None = None,
                 keep_versions: int | None = None) -> None:
        self.uri = _clean_uri(uri)
        self.database = database or None
        self.keep_versions = keep_count(keep_versions)
        self._versions = VersionStore(
            PathlibPath(versions_dir) if versions_dir else neo4j_versions_dir(self.backend_id))
        self.batch_size = max(1, int(batch_size))
        self.timeout_s = timeout_s
        self._user = auth[0] if auth else None
        #: result columns of the queries run so far, and those the columnar path refuses
        self._columns: dict[str, list[str]] = {}
        self._not_columnar: set[str] = set()
        try:
            self._driver = neo4j.GraphDatabase.driver(self.uri, auth=auth)
        except (ValueError, nx_err.ConfigurationError) as e:
            raise StoreError(f"Not a usable Neo4j URI '{self.uri}': {e}",
                             f"无法使用的 Neo4j 地址「{self.uri}」:{e}") from None
        try:
            try:
                self._driver.verify_connectivity()
            except (nx_err.DriverError, nx_err.Neo4jError) as e:
                raise _connection_error(self.uri, e) from None
            self._check_version()
            self._ensure_schema()
        except BaseException:
            self._driver.close()
            raise

    @classmethod
    def from_env(cls, uri: str, database: str | None = None, *, password: str | None = None,
                 **kwargs: Any) -> Neo4jStore:
        """Connect with the user and password from the environment.

        ``WUSHE_NEO4J_USER`` / ``WUSHE_NEO4J_PASSWORD``; ``password`` (asked for by the
        CLI, which owns the terminal) overrides the environment's. With neither user nor
        password the store connects without auth (a server with auth off). A password
        without a user means the user ``neo4j``. The store never prompts.

        Raises
        ------
        Neo4jConnectionError
            When a user is set and no password is.
        """
        _clean_uri(uri)  # refuse credentials in the URI before using any
        user = os.environ.get("WUSHE_NEO4J_USER") or None
        password = password or os.environ.get("WUSHE_NEO4J_PASSWORD") or None
        if password and not user:
            user = "neo4j"
        if user and not password:
            raise Neo4jConnectionError(
                f"WUSHE_NEO4J_USER is set to '{user}' but WUSHE_NEO4J_PASSWORD is not. "
                "Set WUSHE_NEO4J_PASSWORD (the wushe command asks for it in a terminal).",
                f"已设置 WUSHE_NEO4J_USER(「{user}」)但未设置 WUSHE_NEO4J_PASSWORD。"
                "请设置环境变量 WUSHE_NEO4J_PASSWORD(在终端中运行 wushe 命令时会询问密码)。",
            )
        auth = (user, password) if user else None
        return cls(uri, auth, database, **kwargs)

    # -- GraphBackend ------------------------------------------------------------------

    @property
    def backend_id(self) -> str:
        return f"{self.uri}/{self.database or '(default)'}"

    def version(self) -> str:
        """The bookmark of the last committed transaction, hashed.

        A read transaction in a fresh session returns the bookmark of the newest
        transaction the server has committed, so the token changes with every write
        (by this process or any other client) and no marker node is needed in the graph.
        """
        with self._session(neo4j.READ_ACCESS) as s:
            s.execute_read(lambda tx: tx.run("RETURN 1").consume())
            marks = sorted(s.last_bookmarks().raw_values)
        return hashlib.sha1("|".join(marks).encode()).hexdigest()[:16]

    @property
    def version_store(self) -> VersionStore:
        return self._versions

    def load(self, tables: GraphTables | Callable[[], GraphTables], *, replace: bool = False,
             update: bool = False,
             progress: Progress | None = None, meta: VersionMeta | None = None) -> LoadSummary:
        """Write ``tables`` all-or-nothing (see the module docstring and docs/neo4j.md).

        Append: nodes and relationships are created stamped with ``_load``; a failure
        deletes everything with this load's stamp, success removes the stamps. Replace: the
        new graph is written under staging labels (``_Staging_<Label>``) that no query
        matches; a failure deletes the staged nodes, success deletes the old graph and then
        relabels the staged nodes.
        """
        t0 = time.perf_counter()
        if callable(tables):  # no load lock on a server: the id constraints guard the write
            tables = tables()
        check_unique_ids(tables)
        if update and not replace:
            updated, removed = self._update(tables, progress)
            self._record(meta or VersionMeta(), tables.counts(), False,
                         time.perf_counter() - t0)
            return LoadSummary(tables.counts(), time.perf_counter() - t0, False,
                               updated=updated, removed=removed)
        load_id = uuid.uuid4().hex
        plan = list(_plan(tables, self.batch_size, staged=replace))
        labels = [x for x in SCHEMA.node_names if len(tables.nodes.get(x, ()))]
        rtypes = [x for x in SCHEMA.rel_names if len(tables.rels.get(x, ()))]
        finish = (len(SCHEMA.node_names) + len(labels)) if replace else len(labels) + len(rtypes)
        total = len(plan) + finish
        done = 0

        def tick(msg: str) -> None:
            nonlocal done
            if progress:
                progress(done, total, msg)
            done += 1

        try:
            if replace:  # staged nodes of a load that was killed earlier
                self._sweep_staging(SCHEMA.node_names)
            with self._session(neo4j.WRITE_ACCESS) as s:
                for step in plan:
                    tick(step.message)
                    s.execute_write(step.write, load_id)
        except BaseException as e:
            if replace:
                self._sweep_staging(labels)
            else:
                self._sweep_load(load_id, labels, rtypes)
            if isinstance(e, nx_err.ConstraintError):
                raise StoreError(
                    f"An id of this import is already in the store: {e.message} Nothing was "
                    "loaded; use replace to load a new version of the same data.",
                    f"本次导入的编号已存在于库中:{e.message}。未写入任何数据;如需载入同一数据的"
                    "新版本,请使用替换导入。",
                ) from None
            raise
        try:
            if replace:
                for label in SCHEMA.node_names:
                    tick(f"delete old {label}")
                    self._sweep(f"MATCH (n:{label})", "DETACH DELETE n", {})
                for label in labels:
                    tick(f"commit {label}")
                    self._sweep(f"MATCH (n:{_staging(label)})",
                                f"SET n:{label} REMOVE n:{_staging(label)}", {})
            else:
                for label in labels:
                    tick(f"commit {label}")
                    self._sweep(f"MATCH (n:{label}) WHERE n.{LOAD_STAMP} = $load",
                                f"REMOVE n.{LOAD_STAMP}", {"load": load_id})
                for rtype in rtypes:
                    tick(f"commit {rtype}")
                    self._sweep(f"MATCH ()-[n:{rtype}]->() WHERE n.{LOAD_STAMP} = $load",
                                f"REMOVE n.{LOAD_STAMP}", {"load": load_id})
        except BaseException as e:
            # Past the point of no return: the data is all written, but finishing (deleting
            # the old graph, relabelling, unstamping) stopped half-way.
            raise StoreError(
                f"The data was written but finishing the load failed ({type(e).__name__}); "
                "the store may mix old and new data: load again with replace.",
                f"数据已写入但导入收尾失败({type(e).__name__});库中可能新旧数据混杂,"
                "请以替换方式重新导入。",
            ) from e
        if progress:
            progress(total, total, "done")
        self._record(meta or VersionMeta(), tables.counts(), replace,
                     time.perf_counter() - t0)
        return LoadSummary(tables.counts(), time.perf_counter() - t0, replace)

    def record_load(self, meta: VersionMeta, load_counts: dict[str, int], *,
                    replace: bool, seconds: float) -> Version:
        """Record a load written by other means as a version.

        For the offline importer's load into an empty database: what it loaded is all the
        database holds, so ``load_counts`` are the stored counts too.
        """
        return self._record(meta, load_counts, replace, seconds, stored=load_counts)

    def _record(self, meta: VersionMeta, load_counts: dict[str, int], replace: bool,
                seconds: float, stored: dict[str, int] | None = None) -> Version:
        """Write the manifest of the load just committed (token: the server's bookmark)."""
        if stored is not None:
            counts = {k: int(stored.get(k, 0)) for k in (*SCHEMA.node_names,
                                                         *SCHEMA.rel_names)}
        else:
            counts = dict(self.count_by_label())
            for rtype in SCHEMA.rel_names:
                counts[rtype] = int(self.run(
                    f"MATCH ()-[r:{rtype}]->() RETURN count(r) AS n")["n"].iloc[0])
        version = Version(
            id=self._versions.next_id(), token=self.version(),
            data_date=meta.data_date.isoformat() if meta.data_date else None,
            loaded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            user=meta.who(), engine=self.engine, replace=replace, sources=meta.sources,
            load_counts={k: int(v) for k, v in load_counts.items()}, counts=counts,
            seconds=round(seconds, 3), note=meta.note, state="analysis")
        self._versions.write(version)
        self._versions.prune(self.keep_versions, version.token)
        return version

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *,
            read_only: bool = True, timeout_s: float | None = None,
            row_limit: int | None = None) -> pd.DataFrame:
        if read_only:
            check_single_read_statement(cypher)
        timeout = timeout_s or self.timeout_s
        if read_only and row_limit is None and cypher not in self._not_columnar:
            got = self._run_columnar(cypher, dict(params or {}), timeout)
            if got is not None:
                return _frame(*got, None)
        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        try:
            with self._session(mode) as s, s.begin_transaction(timeout=timeout) as tx:
                result = tx.run(cypher, dict(params or {}))
                names = list(result.keys())
                rows, truncated = [], False
                for record in result:
                    if row_limit is not None and len(rows) >= row_limit:
                        truncated = True
                        break
                    rows.append(list(record.values()))
                if read_only:
                    tx.rollback()  # nothing to commit; also discards unread records
                else:
                    tx.commit()
        except nx_err.Neo4jError as e:
            raise _query_error(e, timeout) from None
        except nx_err.DriverError as e:
            raise _connection_error(self.uri, e) from None
        return _frame(names, rows, truncated if row_limit is not None else None)

    def _run_columnar(self, cypher: str, params: dict[str, Any], timeout: float
                      ) -> tuple[list[str], list[list[Any]]] | None:
        """All rows of a read query as one record: ``collect([col, …])`` on the server.

        The driver spends tens of microseconds on each record it receives; one record
        holding every row as a list comes through about ten times faster (100k rows of
        the analysis: 0.3 s instead of 2.6 s). The query runs unchanged inside
        ``CALL { … }``, so rows keep their order. None when the query cannot be wrapped so
        (the caller then streams records as usual), also when the collected rows do not fit
        in the server's transaction memory.
        """
        if _UNWRAPPABLE.match(normalize_statement(cypher)):
            self._not_columnar.add(cypher)
            return None
        try:
            with self._session(neo4j.READ_ACCESS) as s, \
                    s.begin_transaction(timeout=timeout) as tx:
                names = self._columns.get(cypher)
                if names is None:
                    explained = tx.run("EXPLAIN " + cypher, params)
                    names = list(explained.keys())
                    explained.consume()
                    self._columns[cypher] = names
                if not names:
                    self._not_columnar.add(cypher)
                    return None
                cols = ", ".join("`" + n.replace("`", "``") + "`" for n in names)
                scope = "CALL () {" if self._scoped_call else "CALL {"
                record = tx.run(f"{scope}\n{cypher.rstrip().rstrip(';')}\n}}\n"
                                f"RETURN collect([{cols}]) AS rows", params).single()
                tx.rollback()
        except nx_err.Neo4jError as e:
            code = e.code or ""
            if code.startswith("Neo.ClientError.Statement.Syntax"):
                self._not_columnar.add(cypher)  # e.g. a clause a subquery may not hold
                return None
            if "OutOfMemory" in code:
                # the whole result does not fit in the server's transaction memory
                # (db.memory.transaction.max): streamed records need none of it
                self._not_columnar.add(cypher)
                return None
            raise _query_error(e, timeout) from None
        except nx_err.DriverError as e:
            raise _connection_error(self.uri, e) from None
        return names, record["rows"] if record is not None else []

    def _run_guarded(self, cypher: str, params: dict[str, Any], *, timeout_s: float,
                     row_limit: int | None) -> pd.DataFrame:
        """EXPLAIN and check the plan, then run in a read transaction.

        The transaction carries a random tag in its metadata, so that a Ctrl-C (or any
        interruption) terminates it on the server instead of leaving it running there.
        """
        for name in _dotted_calls(cypher):
            check_neo4j_function(name)
        tag = uuid.uuid4().hex
        try:
            with self._session(neo4j.READ_ACCESS) as s:
                summary = s.run("EXPLAIN " + cypher, params).consume()
                if summary.plan is None:
                    raise QueryRefused("plan", "(no plan / 无执行计划)")
                check_neo4j_plan(summary.plan)
                tx = s.begin_transaction(timeout=timeout_s, metadata={"wushe": tag})
                try:
                    result = tx.run(cypher, params)
                    names = list(result.keys())
                    rows, truncated = [], False
                    for record in result:
                        if row_limit is not None and len(rows) >= row_limit:
                            truncated = True
                            break
                        rows.append(list(record.values()))
                except BaseException as e:
                    # Ctrl-C: a rollback would first wait for the query to finish, so stop
                    # it on the server first.
                    if not isinstance(e, nx_err.Neo4jError | nx_err.DriverError):
                        self._terminate(tag)
                    with contextlib.suppress(Exception):
                        tx.close()
                    raise
                tx.rollback()
        except nx_err.Neo4jError as e:
            raise _query_error(e, timeout_s) from None
        except nx_err.DriverError as e:
            raise _connection_error(self.uri, e) from None
        return _frame(names, rows, truncated if row_limit is not None else None)

    def _terminate(self, tag: str) -> None:
        """Terminate this client's transaction tagged ``tag`` on the server (best effort)."""
        with contextlib.suppress(Exception), self._session(neo4j.WRITE_ACCESS) as s:
            ids = [r["id"] for r in s.run(
                "SHOW TRANSACTIONS YIELD transactionId AS id, metaData "
                "WHERE metaData.wushe = $tag RETURN id", tag=tag)]
            if ids:
                s.run("TERMINATE TRANSACTIONS $ids", ids=ids).consume()

    def close(self) -> None:
        self._driver.close()

    def clear(self) -> None:
        """Delete every node and relationship (tests and admin; schema stays)."""
        self._sweep("MATCH (n)", "DETACH DELETE n", {})

    # -- internals ---------------------------------------------------------------------

    def _session(self, mode: str) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=mode)

    def _check_version(self) -> None:
        try:
            with self._session(neo4j.READ_ACCESS) as s:
                rows = s.run("CALL dbms.components() YIELD name, versions, edition "
                             "RETURN name, versions, edition").data()
        except nx_err.Neo4jError as e:
            raise Neo4jConnectionError(
                f"Could not ask the server at {self.uri} for its version: {e.message}",
                f"无法查询 {self.uri} 的服务器版本:{e.message}",
            ) from None
        except nx_err.DriverError as e:
            raise _connection_error(self.uri, e) from None
        kernel = next((r for r in rows if r["name"] == "Neo4j Kernel"), rows[0] if rows else None)
        found = str(((kernel or {}).get("versions") or ["unknown"])[0])
        major, minor = _require_version(found, self.uri)
        self.server_version = found
        # CALL (n) {…} is the 5.23+ form; older 5.x servers only know CALL { WITH n … }
        self._scoped_call = (major, minor) >= (5, 23)

    def _ensure_schema(self) -> None:
        """Uniqueness constraints on ``id`` for every label (they also index ``id``)."""
        try:
            with self._session(neo4j.WRITE_ACCESS) as s:
                for label in SCHEMA.node_names:
                    s.run(f"CREATE CONSTRAINT wushe_{label.lower()}_id IF NOT EXISTS "
                          f"FOR (n:{label}) REQUIRE n.id IS UNIQUE").consume()
                    # replace loads match relationship ends among the staged nodes by id
                    s.run(f"CREATE INDEX wushe_staging_{label.lower()}_id IF NOT EXISTS "
                          f"FOR (n:{_staging(label)}) ON (n.id)").consume()
        except nx_err.Neo4jError as e:
            raise StoreError(
                f"Could not create the wushe constraints on {self.backend_id}: {e.message}",
                f"无法在 {self.backend_id} 上创建 wushe 约束:{e.message}",
            ) from None

    def _update(self, tables: GraphTables, progress: Progress | None
                ) -> tuple[dict[str, int], dict[str, int]]:
        """An update load (see :meth:`GraphBackend.load`) in one write transaction.

        Corrections are small files; one transaction makes the update all-or-nothing on
        the server itself (a failure rolls back every SET, DELETE and CREATE), at the cost
        of holding the whole import in the server's transaction memory.
        """
        updated: dict[str, int] = {}
        removed: dict[str, int] = {}
        total = len(tables.nodes) + len(tables.rels)

        def work(tx: neo4j.ManagedTransaction) -> None:
            updated.clear()
            removed.clear()
            done = 0
            for label, df in tables.nodes.items():
                if progress:
                    progress(done, total, label)
                done += 1
                if not len(df):
                    continue
                props = [p.name for p in SCHEMA.node(label).all_props]
                dates = {p.name for p in SCHEMA.node(label).all_props if p.type == "DATE"}
                given = [g for g in tables.given_props(label) if g != "id"]
                # A given property left blank is removed: SET += with a null drops it.
                rows = [{"all": r, "p": {g: r.get(g) for g in given}}
                        for r in _records(df, props, dates)]
                # Label spliced from the schema only, never from the input.
                n = tx.run(f"UNWIND $rows AS r MATCH (x:{label} {{id: r.all.id}}) "
                           "SET x += r.p RETURN count(x) AS n", rows=rows).single()["n"]
                tx.run(f"UNWIND $rows AS r WITH r WHERE NOT EXISTS {{ MATCH (:{label} "
                       f"{{id: r.all.id}}) }} CREATE (x:{label}) SET x = r.all",
                       rows=rows).consume()
                if n:
                    updated[label] = n
            for rtype, df in tables.rels.items():
                if progress:
                    progress(done, total, rtype)
                done += 1
                if not len(df):
                    continue
                rel = SCHEMA.rel(rtype)
                props = [p.name for p in rel.props]
                dates = {p.name for p in rel.props if p.type == "DATE"}
                gone = 0
                for (a, b), part in df.groupby(["from_label", "to_label"], sort=True):
                    if (a, b) not in rel.pairs:
                        raise StoreError(f"{rtype} cannot join {a} to {b}.",
                                         f"关系 {rtype} 不能从 {a} 指向 {b}。")
                    ids = described_ids(tables, a)
                    rows = [{"f": f, "t": t, "p": p} for f, t, p in zip(
                        part["from"].astype(object), part["to"].astype(object),
                        _records(part, props, dates), strict=True)]
                    gone += tx.run(f"UNWIND $ids AS i MATCH (x:{a} {{id: i}})-[r:{rtype}]->"
                                   f"(:{b}) DELETE r RETURN count(*) AS n",
                                   ids=ids).single()["n"]
                    gone += tx.run(f"UNWIND $rows AS r MATCH (x:{a} {{id: r.f}})-[e:{rtype}]->"
                                   f"(:{b} {{id: r.t}}) DELETE e RETURN count(*) AS n",
                                   rows=rows).single()["n"]
                    made = tx.run(f"UNWIND $rows AS r MATCH (x:{a} {{id: r.f}}) "
                                  f"MATCH (y:{b} {{id: r.t}}) CREATE (x)-[e:{rtype}]->(y) "
                                  "SET e = r.p RETURN count(e) AS n", rows=rows).single()["n"]
                    if made != len(rows):
                        raise StoreError(
                            f"{len(rows) - made} {rtype} relationship(s) from {a} to {b} name "
                            "a node that is neither in the import nor in the store. Nothing "
                            "was loaded.",
                            f"{len(rows) - made} 条 {rtype} 关系({a}→{b})引用的节点既不在本次"
                            "导入中也不在库中。未写入任何数据。")
                if gone:
                    removed[rtype] = gone

        with self._session(neo4j.WRITE_ACCESS) as s:
            s.execute_write(work)
        if progress:
            progress(total, total, "done")
        return updated, removed

    def _sweep(self, match: str, action: str, params: Mapping[str, Any]) -> None:
        """Apply ``action`` to every ``n`` that ``match`` finds, committing in batches.

        One scan and many small commits (``CALL { … } IN TRANSACTIONS``), so a sweep over
        a million nodes neither rescans per batch nor needs a huge transaction.
        """
        scope = ("(n) {", "") if self._scoped_call else ("{", "WITH n ")
        with self._session(neo4j.WRITE_ACCESS) as s:
            s.run(f"{match} CALL {scope[0]} {scope[1]}{action} }} "
                  f"IN TRANSACTIONS OF {_SWEEP_ROWS} ROWS", dict(params)).consume()

    def _sweep_staging(self, labels: tuple[str, ...] | list[str]) -> None:
        """Delete the staged nodes (and their relationships) of ``labels``."""
        for label in labels:
            self._sweep(f"MATCH (n:{_staging(label)})", "DETACH DELETE n", {})

    def _sweep_load(self, load_id: str, labels: list[str], rtypes: list[str]) -> None:
        """Delete everything stamped with ``load_id`` (the failed load's writes)."""
        for rtype in rtypes:
            self._sweep(f"MATCH ()-[n:{rtype}]->() WHERE n.{LOAD_STAMP} = $load",
                        "DELETE n", {"load": load_id})
        for label in labels:
            self._sweep(f"MATCH (n:{label}) WHERE n.{LOAD_STAMP} = $load",
                        "DETACH DELETE n", {"load": load_id})


# -- loading ------------------------------------------------------------------------


class _Step:
    """One batch of a load: a write function for ``session.execute_write``."""

    def __init__(self, message: str, write: Callable[[neo4j.ManagedTransaction, str], None]
                 ) -> None:
        self.message = message
        self.write = write


def _staging(label: str) -> str:
    """The label a replace load writes ``label`` nodes under until it succeeds."""
    return f"_Staging_{label}"


def check_unique_ids(tables: GraphTables) -> None:
    """Refuse an import that repeats an id within a label (before anything is written)."""
    for label, df in tables.nodes.items():
        if "id" in df.columns and df["id"].duplicated().any():
            dups = sorted(map(str, df.loc[df["id"].duplicated(), "id"].unique()))[:5]
            raise StoreError(
                f"{label} ids repeat within the import: {', '.join(dups)}. Nothing was loaded.",
                f"导入数据中 {label} 的编号重复:{'、'.join(dups)}。未写入任何数据。",
            )


def _plan(tables: GraphTables, batch_size: int, *, staged: bool) -> Iterator[_Step]:
    """The batches of a load: nodes of every label first, then relationships.

    ``staged`` (replace loads) writes nodes under staging labels and leaves the load stamp
    off: the staging label marks them, and their relationships go with them.
    """
    stamp = "" if staged else f", x.{LOAD_STAMP} = $load"
    for label in SCHEMA.node_names:
        df = tables.nodes.get(label)
        if df is None or not len(df):
            continue
        props = [p.name for p in SCHEMA.node(label).all_props]
        dates = {p.name for p in SCHEMA.node(label).all_props if p.type == "DATE"}
        # Label spliced from the schema only, never from the input.
        target = _staging(label) if staged else label
        cypher = (f"UNWIND $rows AS r CREATE (x:{target}) SET x = r{stamp} "
                  "RETURN count(x) AS n")
        records = _records(df, props, dates)
        for i in range(0, len(records), batch_size):
            chunk = records[i:i + batch_size]
            yield _Step(f"{label} {i + len(chunk):,}/{len(records):,}",
                        _node_writer(cypher, chunk))
    for rtype in SCHEMA.rel_names:
        df = tables.rels.get(rtype)
        if df is None or not len(df):
            continue
        rel = SCHEMA.rel(rtype)
        props = [p.name for p in rel.props]
        dates = {p.name for p in rel.props if p.type == "DATE"}
        for (a, b), part in df.groupby(["from_label", "to_label"], sort=True):
            if (a, b) not in rel.pairs:
                raise StoreError(f"{rtype} cannot join {a} to {b} (see graph/schema.py).",
                                 f"关系 {rtype} 不能从 {a} 指向 {b}(见 graph/schema.py)。")
            # Labels and type come from the schema (checked just above); two MATCH clauses
            # use the id index of each end (a cartesian MATCH (a), (b) is far slower).
            la, lb_ = (_staging(a), _staging(b)) if staged else (a, b)
            cypher = (f"UNWIND $rows AS r MATCH (a:{la} {{id: r.f}}) "
                      f"MATCH (b:{lb_} {{id: r.t}}) "
                      f"CREATE (a)-[x:{rtype}]->(b) SET x = r.p{stamp} RETURN count(x) AS n")
            ends = part["from"].astype(object).tolist(), part["to"].astype(object).tolist()
            ps = _records(part, props, dates)
            rows = [{"f": f, "t": t, "p": p} for f, t, p in zip(*ends, ps, strict=True)]
            for i in range(0, len(rows), batch_size):
                chunk = rows[i:i + batch_size]
                yield _Step(f"{rtype} {a}→{b} {i + len(chunk):,}/{len(rows):,}",
                            _rel_writer(cypher, chunk, rtype, (a, b), (la, lb_)))


def _node_writer(cypher: str, rows: list[dict[str, Any]]
                 ) -> Callable[[neo4j.ManagedTransaction, str], None]:
    def write(tx: neo4j.ManagedTransaction, load_id: str) -> None:
        tx.run(cypher, rows=rows, load=load_id).consume()
    return write


def _rel_writer(cypher: str, rows: list[dict[str, Any]], rtype: str, ends: tuple[str, str],
                match: tuple[str, str]) -> Callable[[neo4j.ManagedTransaction, str], None]:
    a, b = ends
    def write(tx: neo4j.ManagedTransaction, load_id: str) -> None:
        made = tx.run(cypher, rows=rows, load=load_id).single()["n"]
        if made != len(rows):
            # MATCH silently drops rows whose ends are missing: find them and fail the load.
            missing = tx.run(
                f"UNWIND $rows AS r OPTIONAL MATCH (a:{match[0]} {{id: r.f}}) "
                f"OPTIONAL MATCH (b:{match[1]} {{id: r.t}}) WITH r, a, b "
                "WHERE a IS NULL OR b IS NULL RETURN r.f AS f, r.t AS t LIMIT 5",
                rows=rows).data()
            shown = ", ".join(f"{m['f']}→{m['t']}" for m in missing)
            raise StoreError(
                f"{len(rows) - made} {rtype} relationship(s) from {a} to {b} name a node that "
                f"is not in the import (nor, when appending, in the store), e.g. {shown}. "
                "Nothing was loaded.",
                f"{len(rows) - made} 条 {rtype} 关系({a}→{b})引用的节点不在本次导入中(追加导入"
                f"时也不在库中),例如 {shown}。未写入任何数据。",
            )
    return write


def _records(df: pd.DataFrame, props: list[str], dates: set[str]) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, nulls left out (Neo4j stores no nulls)."""
    cols = [c for c in props if c in df.columns]
    if not cols:
        return [{} for _ in range(len(df))]
    values = [[_plain_cell(v, c in dates) for v in df[c].astype(object).tolist()]
              for c in cols]
    return [{c: v for c, v in zip(cols, row, strict=True) if v is not None}
            for row in zip(*values, strict=True)]


def _plain_cell(v: Any, is_date: bool) -> Any:
    """A pandas/numpy cell as a value the driver maps to the right Neo4j type."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item") and not isinstance(v, dt.date):  # numpy scalar
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    if is_date:
        if isinstance(v, pd.Timestamp | dt.datetime):
            return v.date()
        if isinstance(v, str):
            return dt.date.fromisoformat(v)
    return v


# -- results ------------------------------------------------------------------------


def _frame(names: list[str], rows: list[list[Any]], truncated: bool | None) -> pd.DataFrame:
    """Rows → DataFrame with the same values and dtypes as the Ladybug store gives."""
    cols = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in names]
    # A column of plain scalars needs no conversion (normalize returns them unchanged);
    # only columns holding other values are walked, value by value.
    mixed = [i for i, c in enumerate(cols) if not set(map(type, c)) <= _PLAIN]
    ids: dict[str, Any] = {}
    for i in mixed:
        for v in cols[i]:
            _collect_ids(v, ids)
    graphy = False
    for i in mixed:
        graphy = graphy or any(isinstance(v, Node | Relationship | Path | dict)
                               for v in cols[i])
        cols[i] = [_plain(v, ids) for v in cols[i]]
    if graphy:
        df = pd.DataFrame([list(r) for r in zip(*cols, strict=True)] if rows else [],
                          columns=names, dtype=object)
    else:
        # Column by column, as Ladybug's Arrow path does: an int column with a null becomes
        # float64 there, but a row-wise build would turn every numeric column to float.
        df = pd.DataFrame({i: pd.Series(c, dtype=None if c else object)
                           for i, c in enumerate(cols)})
        df.columns = names
    if truncated is not None:
        df.attrs["truncated"] = truncated
    return df


_PLAIN = {str, int, float, bool, type(None)}


def _collect_ids(v: Any, into: dict[str, Any]) -> None:
    """element id → our ``id`` for every node in the result (names relationship ends)."""
    if isinstance(v, Node):
        if "id" in v:
            into[v.element_id] = v["id"]
    elif isinstance(v, Path):
        for n in v.nodes:
            _collect_ids(n, into)
    elif isinstance(v, list):
        for x in v:
            _collect_ids(x, into)
    elif isinstance(v, dict):
        for x in v.values():
            _collect_ids(x, into)


def _plain(v: Any, ids: Mapping[str, Any]) -> Any:
    if isinstance(v, Node):
        out = {"id": v.get("id"), "label": _label(v)}
        out.update({k: _plain(x, ids) for k, x in v.items() if k != "id"})
        return out
    if isinstance(v, Relationship):
        out = {"type": v.type,
               "from": ids.get(v.start_node.element_id) if v.start_node else None,
               "to": ids.get(v.end_node.element_id) if v.end_node else None}
        out.update({k: _plain(x, ids) for k, x in v.items()})
        return out
    if isinstance(v, Path):
        return {"nodes": [_plain(n, ids) for n in v.nodes],
                "rels": [_plain(r, ids) for r in v.relationships]}
    if isinstance(v, dict):
        return {k: _plain(x, ids) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x, ids) for x in v]
    return normalize(v)


def _label(node: Node) -> str | None:
    """The node's one schema label (wushe nodes carry exactly one)."""
    labels = sorted(node.labels)
    schema = [lb for lb in labels if lb in SCHEMA.node_names]
    return (schema or labels or [None])[0]


# -- errors and URIs ----------------------------------------------------------------


def _clean_uri(uri: str) -> str:
    """``uri`` unchanged, after refusing one with credentials in it."""
    parts = urlsplit(uri.strip())
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        safe = urlunsplit((parts.scheme, host + port, parts.path, parts.query, ""))
        raise StoreError(
            f"Put Neo4j credentials in the environment, not in the URI: use {safe} with "
            "WUSHE_NEO4J_USER and WUSHE_NEO4J_PASSWORD.",
            f"请勿在地址中写入 Neo4j 用户名或密码:请使用 {safe},并通过环境变量 "
            "WUSHE_NEO4J_USER 和 WUSHE_NEO4J_PASSWORD 提供凭据。",
        )
    return uri.strip()


def _require_version(found: str, uri: str) -> tuple[int, int]:
    """(major, minor) of a Neo4j version string; refuse anything before 5.0."""
    nums = []
    for part in found.split(".")[:2]:
        digits = "".join(ch for ch in part if ch.isdigit())
        nums.append(int(digits) if digits else 0)
    major, minor = (nums + [0, 0])[:2]
    if major < 5:
        raise Neo4jConnectionError(
            f"The server at {uri} runs Neo4j {found}; wushe needs Neo4j 5 or newer.",
            f"{uri} 上运行的是 Neo4j {found};wushe 需要 Neo4j 5 或更新版本。",
        )
    return major, minor


def _connection_error(uri: str, e: Exception) -> Neo4jConnectionError:
    if isinstance(e, nx_err.AuthError):
        return Neo4jConnectionError(
            f"The Neo4j server at {uri} refused the credentials. Check WUSHE_NEO4J_USER and "
            "WUSHE_NEO4J_PASSWORD.",
            f"Neo4j 服务器 {uri} 拒绝了登录凭据。请检查 WUSHE_NEO4J_USER 和 "
            "WUSHE_NEO4J_PASSWORD。",
        )
    # The driver's own text names the address and the cause; it never holds the password.
    detail = str(e).splitlines()[0] if str(e) else type(e).__name__
    return Neo4jConnectionError(
        f"Cannot reach the Neo4j server at {uri} ({detail}). Is it running, and are the "
        "host, port and scheme (neo4j://, bolt://, neo4j+s://) right?",
        f"无法连接 Neo4j 服务器 {uri}({detail})。请确认服务器已启动,且主机、端口和协议"
        "(neo4j://、bolt://、neo4j+s://)正确。",
    )


def _dotted_calls(cypher: str) -> list[str]:
    """Dotted function names called in ``cypher`` (outside strings and comments)."""
    bare = normalize_statement(cypher)
    calls = re.findall(r"([^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)+)\s*\(", bare)
    # CALL proc.name(…) is a procedure: the plan's ProcedureCall check covers it.
    procs = {re.sub(r"\s+", "", m) for m in
             re.findall(r"\bCALL\s+([^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*)", bare, re.I)}
    return [n for n in (re.sub(r"\s+", "", c) for c in calls) if n not in procs]


def _query_error(e: nx_err.Neo4jError, timeout: float) -> Exception:
    code = e.code or ""
    if code in _ACCESS_MODE_CODES or "access mode" in (e.message or "").lower():
        return ReadOnlyViolation(e.message or code)
    if code in _TIMEOUT_CODES or "TransactionTimedOut" in code:
        return QueryError(
            f"stopped at the timeout of {timeout:g} s (已在 {timeout:g} 秒超时处停止)", "Neo4j")
    if isinstance(e, nx_err.AuthError):
        return Neo4jConnectionError("The Neo4j server refused the credentials.",
                                    "Neo4j 服务器拒绝了登录凭据。")
    return QueryError(e.message or code, "Neo4j")

