"""The named Cypher query library: one ``.cypher`` file per query under ``queries/``.

A file starts with a ``//`` header::

    // title: 各标签节点数 | Nodes per label
    // description: 每类节点的数量。 | How many nodes of each label.
    // params: limit:int=25, region:str=
    // backends: ladybug, neo4j

followed by the Cypher body. ``title`` and ``description`` hold Chinese then English,
split by ``|``. A query that has no common form on both stores keeps a per-backend body
in ``NAME.ladybug.cypher`` / ``NAME.neo4j.cypher`` beside the main file.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wushe.graph.errors import QueryNotFound, QueryParamError
from wushe.graph.readonly import strip_comments_and_strings

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from wushe.graph.backends.base import GraphBackend

__all__ = ["NamedQuery", "QueryParam", "get", "list_queries", "run", "subgraph", "QUERY_DIR"]

QUERY_DIR = Path(__file__).parent
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list, "date": str}


@dataclass(frozen=True)
class QueryParam:
    """A declared parameter: name, type name and default (None when required)."""

    name: str
    type: str
    default: Any

    def coerce(self, value: Any) -> Any:
        """Convert a CLI/form string to the declared type."""
        if value is None:
            return None
        if self.type == "list":
            if isinstance(value, str):
                return [v.strip() for v in value.split(",") if v.strip()]
            return list(value)
        if self.type == "bool" and isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "y", "是")
        try:
            if self.type == "date":
                import datetime as dt
                return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            return _TYPES[self.type](value)
        except (TypeError, ValueError):
            raise QueryParamError(
                f"Parameter '{self.name}' expects {self.type}"
                + (" (YYYY-MM-DD)" if self.type == "date" else "") + f", got '{value}'.",
                f"参数「{self.name}」应为 {self.type} 类型,实际为「{value}」。",
            ) from None


@dataclass(frozen=True)
class NamedQuery:
    """One query of the library."""

    name: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    params: tuple[QueryParam, ...]
    backends: tuple[str, ...]
    body: str
    variants: tuple[tuple[str, str], ...] = ()  # (backend, body) overrides
    topic: str = ""

    def title(self, lang: str = "zh") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def description(self, lang: str = "zh") -> str:
        return self.description_zh if lang == "zh" else self.description_en

    def cypher_for(self, engine: str) -> str:
        """The body to run on ``engine`` ("ladybug" or "neo4j")."""
        return dict(self.variants).get(engine.lower(), self.body)

    def bind(self, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Check ``params`` against the declaration and fill defaults."""
        given = dict(params or {})
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryParamError(
                f"Query '{self.name}' has no parameter {', '.join(unknown)}; it takes: "
                f"{', '.join(declared) or 'none'}.",
                f"查询「{self.name}」没有参数 {'、'.join(unknown)};可用参数:"
                f"{'、'.join(declared) or '无'}。",
            )
        out = {}
        for p in self.params:
            if p.name in given:
                out[p.name] = p.coerce(given[p.name])
            elif p.default is not None:
                out[p.name] = p.default
            else:
                raise QueryParamError(
                    f"Query '{self.name}' needs parameter '{p.name}' ({p.type}).",
                    f"查询「{self.name}」需要参数「{p.name}」({p.type})。",
                )
        return out


def _split(text: str) -> tuple[str, str]:
    zh, _, en = text.partition("|")
    return zh.strip(), (en.strip() or zh.strip())


def _parse_default(kind: str, raw: str | None) -> Any:
    if raw is None:
        return None
    raw = raw.strip()
    if kind == "list":
        return [v.strip() for v in raw.split(";") if v.strip()]
    return QueryParam("default", kind, None).coerce(raw)


def parse_file(path: Path) -> NamedQuery:
    """Parse one query file (header + body)."""
    header: dict[str, str] = {}
    body_lines = []
    in_header = True
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^//\s*(\w+)\s*:\s*(.*)$", line)
        if in_header and m:
            header[m.group(1).lower()] = m.group(2).strip()
            continue
        if in_header and not line.strip():
            continue
        in_header = False
        body_lines.append(line)
    body = "\n".join(body_lines).strip()
    params = []
    for spec in filter(None, (s.strip() for s in header.get("params", "").split(","))):
        m = re.match(r"^(\w+)\s*:\s*(\w+)\s*(?:=(.*))?$", spec)
        if not m or m.group(2) not in _TYPES:
            raise ValueError(f"{path.name}: bad params entry '{spec}'")
        params.append(QueryParam(m.group(1), m.group(2), _parse_default(m.group(2), m.group(3))))
    title_zh, title_en = _split(header.get("title", path.stem))
    desc_zh, desc_en = _split(header.get("description", ""))
    variants = tuple(
        (engine, v.read_text(encoding="utf-8").strip())
        for engine in ("ladybug", "neo4j")
        if (v := path.with_name(f"{path.stem}.{engine}.cypher")).exists()
    )
    q = NamedQuery(
        name=path.stem, title_zh=title_zh, title_en=title_en, description_zh=desc_zh,
        description_en=desc_en, params=tuple(params),
        backends=tuple(b.strip() for b in header.get("backends", "ladybug, neo4j").split(",")),
        body=body, variants=variants,
        topic=path.parent.name if path.parent != QUERY_DIR else "",
    )
    _check_params(q, path)
    return q


def body_params(cypher: str) -> set[str]:
    """The ``$names`` a Cypher text uses, ignoring comments and strings."""
    return set(_PARAM.findall(strip_comments_and_strings(cypher)))


def _check_params(q: NamedQuery, path: Path) -> None:
    declared = {p.name for p in q.params}
    for engine in ("ladybug", "neo4j"):
        used = body_params(q.cypher_for(engine))
        if used != declared:
            raise ValueError(
                f"{path.name}: header params {sorted(declared)} differ from the body's "
                f"$names {sorted(used)} ({engine})"
            )


@functools.cache
def _library() -> dict[str, NamedQuery]:
    out: dict[str, NamedQuery] = {}
    for path in sorted(QUERY_DIR.rglob("*.cypher")):
        if path.stem.endswith((".ladybug", ".neo4j")):
            continue
        q = parse_file(path)
        if q.name in out:
            raise ValueError(f"duplicate query name {q.name}")
        out[q.name] = q
    return out


def list_queries(topic: str | None = None) -> list[NamedQuery]:
    """All named queries (optionally of one topic folder), sorted by name."""
    return [q for q in _library().values() if topic is None or q.topic == topic]


def get(name: str) -> NamedQuery:
    """The named query ``name``.

    Raises
    ------
    QueryNotFound
        with the closest name as a suggestion.
    """
    lib = _library()
    if name not in lib:
        close = difflib.get_close_matches(name, list(lib), n=1)
        raise QueryNotFound(name, close[0] if close else None)
    return lib[name]


def run(backend: GraphBackend, name: str, *, row_limit: int | None = None,
        timeout_s: float | None = None, **params: Any) -> pd.DataFrame:
    """Run named query ``name`` on ``backend`` with ``params`` (defaults filled in)."""
    q = get(name)
    return backend.run(q.cypher_for(backend.engine), q.bind(params), row_limit=row_limit,
                       timeout_s=timeout_s)


def subgraph(backend: GraphBackend, names: Sequence[str], **params: Any) -> nx.MultiDiGraph:
    """The graph of the nodes and relationships that named queries ``names`` return, composed.

    Each query gets the parameters of ``params`` it declares (defaults filled in), so
    one call can combine, say, a community's linkage and its idle members.

    Parameters
    ----------
    backend : GraphBackend
    names : sequence of str
        Queries returning nodes and relationships (see ``GraphBackend.subgraph``).
    **params
        Parameters shared by the queries.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by ``id``; a node or edge returned by several queries appears once.
    """
    import networkx as nx

    G = nx.MultiDiGraph()
    for name in names:
        q = get(name)
        wanted = {k: v for k, v in params.items() if k in {p.name for p in q.params}}
        G = nx.compose(G, backend.subgraph(q.cypher_for(backend.engine), q.bind(wanted)))
    return G
