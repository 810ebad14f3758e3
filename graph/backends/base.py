"""The store interface: what every graph database behind wushe provides.

Callers see only :class:`GraphBackend`; the embedded Ladybug store and the Neo4j store
implement it. Rows come back as ``pandas.DataFrame`` with plain Python values (see
:mod:`graph.values`).
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import pandas as pd

from wushe.graph.backends.versions import Version, VersionMeta, VersionStore
from wushe.graph.errors import StoreError
from wushe.graph.schema import REGION_LABELS, SCHEMA, SIBLING_SCOPES
from wushe.graph.tables import GraphTables, sorted_unique_text, text_isin

__all__ = [
    "GraphBackend", "LoadSummary", "Progress", "DEFAULT_ROW_LIMIT", "DEFAULT_TIMEOUT_S",
    "graph_from_values", "Undo", "described_ids",
]

# progress(done, total, message)
Progress = Callable[[int, int, str], None]

DEFAULT_ROW_LIMIT = 10_000
DEFAULT_TIMEOUT_S = 30.0
LOOKUP_TIMEOUT_S = 600.0  # load-time lookups scan whole labels on province-size stores
_LOOKUP_CHUNK = 10_000


#: label -> (relationship, region label) that say where a node of it is (messages and
#: names resolved in imports show that place)
_PLACE_OF: dict[str, tuple[tuple[str, str], ...]] = {}
for _rel in ("PART_OF", "BASED_IN", "LOCATED_IN", "LIVES_IN", "WORKS_AT", "RAISED_IN"):
    for _a, _b in SCHEMA.rel(_rel).pairs:
        if _b in REGION_LABELS.values():
            _PLACE_OF[_a] = (*_PLACE_OF.get(_a, ()), (_rel, _b))


def _chunks(items: list, size: int = _LOOKUP_CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass(frozen=True)
class LoadSummary:
    """What a load wrote, and how long it took."""

    counts: dict[str, int]
    seconds: float
    replaced: bool
    #: Stored nodes an update load changed, per label (the rest of ``counts`` was added).
    updated: dict[str, int] = field(default_factory=dict)
    #: Stored relationships an update load removed, per type, because the import restates
    #: the relationships of that type from the nodes it describes (see :meth:`GraphBackend.load`).
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def nodes(self) -> int:
        return sum(v for k, v in self.counts.items() if k in SCHEMA.node_names)

    @property
    def rels(self) -> int:
        return sum(v for k, v in self.counts.items() if k in SCHEMA.rel_names)

    @property
    def added_nodes(self) -> int:
        """Nodes that were new to the store."""
        return self.nodes - sum(self.updated.values())


@dataclass(frozen=True)
class Undo:
    """What an undo did: the version it dropped and the one that is current again."""

    dropped: Version
    current: Version


class GraphBackend(abc.ABC):
    """A graph store that wushe can load into and query with Cypher."""

    #: short engine name shown to users ("Ladybug", "Neo4j")
    engine: str = ""

    @property
    @abc.abstractmethod
    def backend_id(self) -> str:
        """A stable identifier of this store (path or URI without credentials)."""

    @abc.abstractmethod
    def version(self) -> str:
        """An opaque token that changes whenever the stored graph changes (cache key)."""

    @abc.abstractmethod
    def load(self, tables: GraphTables | Callable[[], GraphTables], *, replace: bool = False,
             update: bool = False,
             progress: Progress | None = None, meta: VersionMeta | None = None) -> LoadSummary:
        """Write ``tables`` all-or-nothing.

        ``replace`` empties the store first. ``update`` is the rule for a corrected file
        (the same for every import path): a node whose id is already stored gets the
        properties the import gives (:meth:`GraphTables.given_props`), a new id is added,
        and for each relationship type in the import the stored relationships of that type
        starting at a node the import describes are replaced by the import's (so a moved
        community leaves its old township). Without ``update`` a stored id is an error.

        ``tables`` may be a function returning them: it is called under the store's load
        lock, so that an incremental import is validated against exactly the graph it is
        written to (validate-and-write as one step).

        Every successful load is a new version, recorded with ``meta`` (data date, who,
        sources; defaults: today, the login name, none).
        """

    @abc.abstractmethod
    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *,
            read_only: bool = True, timeout_s: float | None = None,
            row_limit: int | None = None) -> pd.DataFrame:
        """Run one Cypher statement and return its rows.

        With ``row_limit`` the frame holds at most that many rows and
        ``df.attrs["truncated"]`` says whether more were available.
        """

    def query(self, cypher: str, params: Mapping[str, Any] | None = None, *,
              timeout_s: float | None = None, row_limit: int | None = None) -> pd.DataFrame:
        """Run a statement a user typed: read-only, accepted only by its engine's plan.

        The path of the console and ``wushe query`` (see :mod:`graph.backends.adhoc`):
        translation, the lexical check, EXPLAIN and the plan allow-lists, then execution
        (embedded: in a worker process). Salted hashes are hidden in the result.
        """
        from wushe.graph.backends.adhoc import run_adhoc

        return run_adhoc(self, cypher, params, timeout_s=timeout_s, row_limit=row_limit)

    @abc.abstractmethod
    def _run_guarded(self, cypher: str, params: dict[str, Any], *, timeout_s: float,
                     row_limit: int | None) -> pd.DataFrame:
        """EXPLAIN ``cypher``, check its plan (``plan_guard``), then run it read-only."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the database."""

    # -- versions ----------------------------------------------------------------------

    @property
    @abc.abstractmethod
    def version_store(self) -> VersionStore:
        """The manifests and kept tables of this store's versions."""

    def versions(self) -> list[Version]:
        """Every recorded version, oldest first; the live one has ``state == "current"``."""
        live = self.version()
        out = []
        for v in self.version_store.list():
            out.append(replace(v, state="current") if v.token == live and v.state != "dropped"
                       else v)
        return out

    def current_version(self) -> Version | None:
        """The recorded version that is live now (None when the store changed since)."""
        return self.version_store.by_token(self.version())

    def version_disk(self, version: Version) -> int:
        """Bytes on disk of one version (its graph where the store keeps it, its tables)."""
        return self.version_store.size(version.id)

    def undo(self) -> Undo:
        """Make the previous version current again and drop the live one (atomically)."""
        raise StoreError(
            f"{self.engine} keeps no earlier graphs to go back to: undo a load with the "
            "database's own backup and restore (see docs/versions.md).",
            f"{self.engine} 不保存以前的图数据,无法撤销;请用数据库自身的备份与恢复撤销导入"
            "(见 docs/versions.md)。")

    # -- shared helpers built on run() -------------------------------------------------

    def subgraph(self, cypher: str, params: Mapping[str, Any] | None = None) -> nx.MultiDiGraph:
        """Build a networkx graph from every node and relationship a query returns.

        Nodes are keyed by their ``id``; attributes are ``label`` and the properties.
        Edges carry ``type`` (the key) and the relationship properties.
        """
        df = self.run(cypher, params)
        return graph_from_values(df.itertuples(index=False, name=None))

    def count_by_label(self) -> dict[str, int]:
        """Node count per label (schema order)."""
        out = {}
        for label in SCHEMA.node_names:
            out[label] = int(self.run(f"MATCH (n:{label}) RETURN count(n) AS n")["n"].iloc[0])
        return out

    def is_empty(self) -> bool:
        """Whether the store holds no node at all (an add to it is a first load)."""
        return int(self.run("MATCH (n) RETURN count(n) AS n")["n"].iloc[0]) == 0

    # -- lookups for checking an incremental load against the store ----------------------
    # Ids go to the engine in chunks joined on the id index (UNWIND + MATCH {id: i}):
    # one list of millions of ids as a parameter costs minutes and GB, and `n.id IN $ids`
    # scans every node once per listed id on the embedded engine.

    def existing_labels(self, ids: Iterable[str]) -> dict[str, str]:
        """Map each of ``ids`` that is already stored to its label."""
        wanted = pd.Index(list(ids), dtype=object).unique()
        found: dict[str, str] = {}
        for label in SCHEMA.node_names:
            if wanted.empty:
                break
            # Labels come from the schema, never from the user: safe to splice.
            stored = int(self.run(f"MATCH (n:{label}) RETURN count(n) AS n")["n"].iloc[0])
            if stored == 0:
                continue
            if stored <= len(wanted):  # fewer stored than asked about: join here
                mine = self.stored_ids(label)
                hit = wanted[text_isin(wanted, mine)].tolist()
            else:
                hit = []
                for chunk in _chunks(wanted.tolist()):
                    hit += self.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) "
                                    "RETURN n.id AS id", {"ids": chunk},
                                    timeout_s=LOOKUP_TIMEOUT_S)["id"].tolist()
            found.update(dict.fromkeys(hit, label))
            wanted = wanted[~text_isin(wanted, hit)]  # an id has one label
        return found

    def stored_ids(self, label: str) -> pd.Series:
        """Every stored id of ``label`` (for case-insensitive comparison in the loader)."""
        return self.run(f"MATCH (n:{label}) RETURN n.id AS id",
                        timeout_s=LOOKUP_TIMEOUT_S)["id"].astype(str)

    def existing_rels(self, rel_type: str, from_label: str, to_label: str,
                      pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """The ``(from, to)`` id pairs of ``pairs`` already joined by ``rel_type``."""
        rows = [{"f": f, "t": t} for f, t in sorted(set(pairs))]
        found: set[tuple[str, str]] = set()
        for chunk in _chunks(rows):
            df = self.run(
                f"UNWIND $pairs AS p MATCH (a:{from_label} {{id: p.f}}) "
                f"MATCH (a)-[:{rel_type}]->(b:{to_label}) WHERE b.id = p.t "
                "RETURN a.id AS f, b.id AS t", {"pairs": chunk}, timeout_s=LOOKUP_TIMEOUT_S)
            found.update(zip(df["f"], df["t"], strict=True))
        return found

    def existing_parents(self, label: str, ids: Iterable[str]) -> dict[str, str]:
        """Stored ``PART_OF`` parent id of each of ``ids`` (of ``label``) that has one."""
        found: dict[str, str] = {}
        for chunk in _chunks(sorted(set(ids))):
            df = self.run(f"UNWIND $ids AS i MATCH (a:{label} {{id: i}}) "
                          "MATCH (a)-[:PART_OF]->(p) RETURN a.id AS id, p.id AS parent",
                          {"ids": chunk}, timeout_s=LOOKUP_TIMEOUT_S)
            found.update(zip(df["id"], df["parent"], strict=True))
        return found

    def children_named(self, parent_ids: Iterable[str]) -> pd.DataFrame:
        """The stored townships, communities and organizations directly under some parents.

        What "one name per parent" is checked against: townships ``PART_OF`` a county,
        communities ``PART_OF`` a township, organizations ``BASED_IN`` a community or
        township. Columns ``parent``, ``parent_name``, ``label``, ``id``, ``name``.
        """
        wanted = sorted(set(parent_ids))
        cols = ["parent", "parent_name", "label", "id", "name"]
        frames = []
        for child, rel, parent in SIBLING_SCOPES:
            if not wanted:
                break
            # Labels and types come from the schema, never from the user: safe to splice.
            ret = "RETURN p.id AS parent, p.name AS parent_name, c.id AS id, c.name AS name"
            if len(wanted) > _LOOKUP_CHUNK:  # most parents: one scan, filtered here
                df = self.run(f"MATCH (c:{child})-[:{rel}]->(p:{parent}) {ret}",
                              timeout_s=LOOKUP_TIMEOUT_S)
                df = df[df["parent"].isin(wanted)]
            else:  # joined on the id index (`p.id IN $ids` scans once per listed id)
                df = self.run(f"UNWIND $ids AS i MATCH (p:{parent} {{id: i}}) "
                              f"MATCH (c:{child})-[:{rel}]->(p) {ret}", {"ids": wanted},
                              timeout_s=LOOKUP_TIMEOUT_S)
            frames.append(df.assign(label=child)[cols] if len(df) else None)
        frames = [f for f in frames if f is not None]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)

    def nodes_named(self, names: Iterable[str], labels: Iterable[str]) -> pd.DataFrame:
        """The stored nodes of ``labels`` whose name is one of ``names``, with their place.

        What an import's relationship end written as a name (西湖区, not county-330106)
        is resolved against. Columns as :meth:`described`.
        """
        wanted = sorted({n for n in names if n})
        found: dict[str, str] = {}
        for label in labels if wanted else ():
            for chunk in _chunks(wanted):
                # Labels come from the schema, never from the user: safe to splice.
                df = self.run(f"MATCH (n:{label}) WHERE n.name IN $names RETURN n.id AS id",
                              {"names": chunk}, timeout_s=LOOKUP_TIMEOUT_S)
                found.update(dict.fromkeys(df["id"].astype(str), label))
        return self._with_places(found)

    def described(self, ids: Iterable[str]) -> pd.DataFrame:
        """Name and place of each of ``ids`` that is stored, so messages name things.

        Columns ``id``, ``label``, ``name``, ``parents`` (the names of the places above
        it, nearest first: a community's township, county and city; an organization's
        community or township and those above) and ``region`` (``parents`` joined by
        " · ").
        """
        return self._with_places(self.existing_labels(ids))

    def _with_places(self, labels: Mapping[str, str]) -> pd.DataFrame:
        """``described`` of ids whose labels are known."""
        cols = ["id", "label", "name", "parents", "region"]
        if not labels:
            return pd.DataFrame(columns=cols)
        names: dict[str, str] = {}
        up: dict[str, tuple[str, str]] = {}  # id -> (parent id, parent label)
        todo = dict(labels)
        seen: dict[str, str] = {}
        while todo:  # one level up per round: a community's chain is three rounds
            seen.update(todo)
            nxt: dict[str, str] = {}
            for label in set(todo.values()):
                ids = sorted(i for i, lb in todo.items() if lb == label)
                for chunk in _chunks(ids):
                    df = self.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) "
                                  "RETURN n.id AS id, n.name AS name", {"ids": chunk},
                                  timeout_s=LOOKUP_TIMEOUT_S)
                    names.update(zip(df["id"], df["name"].fillna(""), strict=True))
                    for rel, parent in _PLACE_OF.get(label, ()):
                        df = self.run(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}})"
                                      f"-[:{rel}]->(p:{parent}) RETURN n.id AS id, p.id AS p",
                                      {"ids": chunk}, timeout_s=LOOKUP_TIMEOUT_S)
                        for i, p in zip(df["id"], df["p"], strict=True):
                            if i not in up:
                                up[i] = (p, parent)
                                if p not in seen:
                                    nxt[p] = parent
            todo = nxt
        rows = []
        for i, label in labels.items():
            chain, at = [], up.get(i)
            while at is not None and len(chain) < 6:
                chain.append(names.get(at[0], at[0]))
                at = up.get(at[0])
            rows.append((i, label, names.get(i, ""), tuple(chain), " · ".join(chain)))
        return pd.DataFrame(rows, columns=cols)

    def __enter__(self) -> GraphBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def described_ids(tables: GraphTables, label: str) -> list[str]:
    """Ids of the ``label`` nodes an import describes (whose relationships it restates)."""
    df = tables.nodes.get(label)
    return [] if df is None or not len(df) else sorted_unique_text(df["id"])


def graph_from_values(rows: Iterable[tuple[Any, ...]]) -> nx.MultiDiGraph:
    """A networkx graph of every normalised node and relationship found in ``rows``."""
    g = nx.MultiDiGraph()
    edges = []

    def visit(v: Any) -> None:
        if isinstance(v, dict) and "label" in v and "id" in v and "type" not in v:
            g.add_node(v["id"], **{k: x for k, x in v.items() if k != "id"})
        elif isinstance(v, dict) and "type" in v and "from" in v:
            edges.append(v)
        elif isinstance(v, dict) and "nodes" in v and "rels" in v:
            for x in (*v["nodes"], *v["rels"]):
                visit(x)
        elif isinstance(v, list):
            for x in v:
                visit(x)

    for row in rows:
        for v in row:
            visit(v)
    for e in edges:
        if e["from"] is not None and e["to"] is not None:
            attrs = {k: x for k, x in e.items() if k not in ("from", "to")}
            g.add_edge(e["from"], e["to"], key=e["type"], **attrs)
    return g
