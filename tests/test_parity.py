"""Every named query returns the same rows on the embedded store and on Neo4j.

sample_data/ is loaded once into each store; each query of the library runs on both with
its defaults (required parameters get a value picked from the data below) and the rows must
match: in order when the query ends with ORDER BY, as multisets otherwise; floats to a
relative 1e-9. A new query file is covered as soon as it exists; a new required parameter
name needs an entry in ``_EXAMPLES``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

from wushe.graph.backends.neo4j_store import Neo4jStore
from wushe.graph.readonly import strip_comments_and_strings
from wushe.queries import registry

pytestmark = pytest.mark.neo4j

# How to pick a value for each required parameter from the sample graph (run on Ladybug):
# the busiest entity, so that the query has rows to compare.
_EXAMPLES: dict[str, str] = {
    "community_id": "MATCH (p:Project)-[:RUNS_IN]->(c:Community) "
                    "RETURN c.id AS v, count(p) AS k ORDER BY k DESC, v LIMIT 1",
    "township_id": "MATCH (p:Project)-[:RUNS_IN]->(:Community)-[:PART_OF]->(t:Township) "
                   "RETURN t.id AS v, count(p) AS k ORDER BY k DESC, v LIMIT 1",
    "county_id": "MATCH (:Community)-[:PART_OF]->(:Township)-[:PART_OF]->(k:County) "
                 "RETURN k.id AS v, count(*) AS n ORDER BY n DESC, v LIMIT 1",
    "organization_id": "MATCH (o:Organization)-[r]-() "
                       "RETURN o.id AS v, count(r) AS k ORDER BY k DESC, v LIMIT 1",
    "communities": "MATCH (c:Community) RETURN c.id AS v ORDER BY v LIMIT 5",
    "ids": "MATCH (n:Township) RETURN n.id AS v ORDER BY v LIMIT 3",
    "region_id": "MATCH (:Community)-[:PART_OF]->(t:Township) "
                 "RETURN t.id AS v, count(*) AS n ORDER BY n, v LIMIT 1",
}
_LIST_PARAMS = {"communities", "ids"}
_QUERIES = registry.list_queries()


@pytest.fixture(scope="module")
def stores(sample_ladybug, neo4j_server, sample_tables):
    """(Ladybug, Neo4j), both holding sample_data/ (Neo4j emptied first)."""
    neo = Neo4jStore(neo4j_server.uri)
    neo.clear()
    neo.load(sample_tables, replace=True)
    yield sample_ladybug, neo
    neo.close()


@pytest.fixture(scope="module")
def examples(stores) -> dict[str, Any]:
    lb = stores[0]
    out: dict[str, Any] = {}
    for name, cypher in _EXAMPLES.items():
        values = lb.run(cypher)["v"].tolist()
        assert values, f"sample_data has nothing to pick '{name}' from"
        out[name] = values if name in _LIST_PARAMS else values[0]
    return out


def _params(q: registry.NamedQuery, examples: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for p in q.params:
        if p.default is None:
            assert p.name in examples, (
                f"query {q.name}: add an example value for required parameter '{p.name}' "
                "to _EXAMPLES in tests/test_parity.py")
            out[p.name] = examples[p.name]
    return out


def _ordered(cypher: str) -> bool:
    """True when the final RETURN is followed by ORDER BY (row order is then defined)."""
    bare = strip_comments_and_strings(cypher).upper()
    last_return = [m.start() for m in re.finditer(r"\bRETURN\b", bare)][-1]
    return re.search(r"\bORDER\s+BY\b", bare[last_return:]) is not None


def _canon(v: Any) -> Any:
    """Plain, comparable form: NaN/NA → None, numpy → Python."""
    if isinstance(v, np.ndarray):
        return [_canon(x) for x in v.tolist()]
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, dict):
        return {k: _canon(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_canon(x) for x in v]
    return v


def _same(a: Any, b: Any) -> bool:
    """Equal, floats to rel 1e-9."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b and type(a) is type(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _sort_key(row: list[Any]) -> str:
    def key(v: Any) -> Any:
        if isinstance(v, float):
            return float(f"{v:.9g}")
        return v
    return json.dumps([key(v) for v in row], sort_keys=True, default=str, ensure_ascii=False)


def _rows(df: pd.DataFrame) -> list[list[Any]]:
    return [[_canon(v) for v in row] for row in df.itertuples(index=False, name=None)]


def _diff(lb_rows: list, neo_rows: list) -> str:
    for i, (a, b) in enumerate(zip(lb_rows, neo_rows, strict=False)):
        if not all(_same(x, y) for x, y in zip(a, b, strict=True)):
            return f"first difference at row {i}:\n  ladybug {a}\n  neo4j   {b}"
    return f"row counts differ: ladybug {len(lb_rows)}, neo4j {len(neo_rows)}"


@pytest.mark.parametrize("name", [q.name for q in _QUERIES])
def test_query_returns_the_same_rows_on_both_stores(name, stores, examples):
    lb, neo = stores
    q = registry.get(name)
    params = _params(q, examples)
    lb_df = registry.run(lb, name, **params)
    neo_df = registry.run(neo, name, **params)
    assert list(lb_df.columns) == list(neo_df.columns)
    lb_rows, neo_rows = _rows(lb_df), _rows(neo_df)
    if not _ordered(q.cypher_for("neo4j")) or not _ordered(q.cypher_for("ladybug")):
        lb_rows.sort(key=_sort_key)
        neo_rows.sort(key=_sort_key)
    same = len(lb_rows) == len(neo_rows) and all(
        _same(a, b) for ra, rb in zip(lb_rows, neo_rows, strict=True)
        for a, b in zip(ra, rb, strict=True))
    assert same, f"{name} {params}: {_diff(lb_rows, neo_rows)}"


def test_sample_queries_are_not_vacuous(stores, examples):
    """Most queries have rows on the sample, so the parity above compares something."""
    lb = stores[0]
    empty = [q.name for q in _QUERIES if registry.run(lb, q.name, **_params(q, examples)).empty]
    assert len(empty) <= len(_QUERIES) // 4, f"queries with no rows on sample_data: {empty}"


def test_count_by_label_is_the_same_on_both_stores(stores):
    lb, neo = stores
    counts = lb.count_by_label()
    assert neo.count_by_label() == counts
    assert sum(counts.values()) > 0


@pytest.mark.parametrize("name", [q.name for q in registry.list_queries("network")])
def test_subgraph_is_the_same_on_both_stores(name, stores, examples):
    lb, neo = stores
    q = registry.get(name)
    params = q.bind(_params(q, examples))
    g_lb = lb.subgraph(q.cypher_for("ladybug"), params)
    g_neo = neo.subgraph(q.cypher_for("neo4j"), params)
    assert sorted(g_lb.nodes) == sorted(g_neo.nodes)
    assert sorted(g_lb.edges(keys=True)) == sorted(g_neo.edges(keys=True))
    for n in g_lb.nodes:
        assert _same(_canon(dict(g_lb.nodes[n])), _canon(dict(g_neo.nodes[n]))), n
