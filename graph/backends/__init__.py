"""Graph stores behind one interface; :func:`open_store` picks one from a path or URI."""

from __future__ import annotations

import os
from pathlib import Path

from wushe.graph.backends.base import GraphBackend, LoadSummary

__all__ = ["GraphBackend", "LoadSummary", "open_store", "DEFAULT_STORE", "is_neo4j_uri"]

#: Where the embedded store lives unless --store / WUSHE_STORE say otherwise.
DEFAULT_STORE = Path(".wushe") / "store"

_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://",
                  "bolt+ssc://")


def is_neo4j_uri(spec: str) -> bool:
    return spec.lower().startswith(_NEO4J_SCHEMES)


def open_store(spec: str | os.PathLike[str] | None = None, *, database: str | None = None,
               create: bool = True, password: str | None = None) -> GraphBackend:
    """Open the store named by ``spec``: a folder (embedded Ladybug) or a Neo4j URI.

    ``None`` means ``$WUSHE_STORE`` or :data:`DEFAULT_STORE`. Neo4j credentials come from
    ``WUSHE_NEO4J_USER`` / ``WUSHE_NEO4J_PASSWORD`` (``password`` overrides the latter),
    never from the URI. With
    ``create=False`` a folder that holds no store is an error instead of a new empty store.
    """
    spec = str(spec or os.environ.get("WUSHE_STORE") or DEFAULT_STORE)
    if is_neo4j_uri(spec):
        from wushe.graph.backends.neo4j_store import Neo4jStore

        return Neo4jStore.from_env(spec, database=database, password=password)
    from wushe.graph.backends.ladybug_store import LadybugStore

    return LadybugStore(spec, create=create)
