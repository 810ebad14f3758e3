"""The store interface's contract, run on both engines (embedded Ladybug and Neo4j).

What one engine must do the other must do with the same rows; each engine's own file
(test_ladybug_store.py, test_neo4j_store.py) keeps only what is particular to it.
"""

import datetime as dt

import pandas as pd
import pytest

from tests.test_ladybug_store import _tables
from wushe.graph.errors import QueryError, ReadOnlyViolation, WusheError
from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables

pytestmark = pytest.mark.store

#: each engine's own words for a parse error (the message is passed on, not rewritten)
PARSE_ERROR = {"ladybug": "Parser exception", "neo4j": "Invalid input 'RETURN'"}


@pytest.fixture(params=["ladybug", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def engine(request) -> str:
    return request.param


@pytest.fixture
def store(engine, tmp_path, request):
    """A store of ``engine`` holding only the small tables of :func:`_tables`."""
    if engine == "ladybug":
        from wushe.graph.backends.ladybug_store import LadybugStore

        s = LadybugStore(tmp_path / "store")
    else:
        from wushe.graph.backends.neo4j_store import Neo4jStore

        s = Neo4jStore(request.getfixturevalue("neo4j_server").uri)
        s.clear()
    s.load(_tables())
    yield s
    s.close()


def test_load_then_aggregate_returns_plain_python_values(store):
    df = store.run("MATCH (a)-[r:FUNDS]->(p:Project) RETURN p.id AS p, sum(r.amount) AS total, "
                   "count(*) AS n, p.start_date AS d")
    assert df.to_dict("records") == [{"p": "p1", "total": 50000.0, "n": 2,
                                      "d": dt.date(2024, 3, 1)}]
    # Ladybug's Decimal sum becomes an integer, as Neo4j's does
    assert store.run("MATCH (c:Community) RETURN sum(c.population) AS s")["s"].tolist() == [3000]


def test_nodes_and_relationships_normalise_to_dicts_with_our_ids(store):
    df = store.run("MATCH (f:Foundation)-[r:FUNDS]->(p:Project) RETURN f, r")
    f, r = df.iloc[0]["f"], df.iloc[0]["r"]
    assert f == {"id": "f1", "label": "Foundation", "name": "清波社区发展基金会",
                 "kind": "community_foundation"}
    # p is not in the result, so the relationship's end is unnamed
    assert r == {"type": "FUNDS", "from": "f1", "to": None, "amount": 10000.0,
                 "channel": "foundation_grant"}


def test_subgraph_builds_networkx_with_directed_typed_edges(store):
    g = store.subgraph("MATCH (a)-[r:FUNDS|RUNS_IN]->(b) RETURN a, r, b")
    assert sorted(g.nodes) == ["c1", "f1", "p1"]
    assert sorted(g.edges(keys=True)) == [("c1", "p1", "FUNDS"), ("f1", "p1", "FUNDS"),
                                          ("p1", "c1", "RUNS_IN")]
    assert g.nodes["c1"]["label"] == "Community"


def test_count_by_label_and_existing_labels(store):
    assert store.count_by_label() == {
        n: {"Community": 2, "Foundation": 1, "Project": 1}.get(n, 0) for n in SCHEMA.node_names}
    assert store.existing_labels(["c2", "p1", "zz"]) == {"c2": "Community", "p1": "Project"}


def test_write_statements_are_refused(store):
    with pytest.raises(ReadOnlyViolation):
        store.run("CREATE (:Community {id: 'x', name: 'x', kind: 'urban'})")
    assert store.count_by_label()["Community"] == 2


def test_two_statements_are_refused(store):
    with pytest.raises(WusheError, match="one statement"):
        store.run("MATCH (c:Community) RETURN c.id; MATCH (p:Project) RETURN p.id")


def test_engine_errors_carry_the_engines_own_message(store, engine):
    with pytest.raises(QueryError, match=PARSE_ERROR[engine]):
        store.run("MATCH (c:Community RETURN c")


@pytest.mark.parametrize("cypher, zh", [
    ("MATCH (c:Community RETURN c", "语句不符合 Cypher 语法"),
    ("MATCH (c:Community) RETURN m", "变量「m」未定义(须先在 MATCH 等子句中出现)"),
    ("RETURN nofunc(1) AS x", "没有名为「nofunc」的函数"),
])
def test_engine_errors_say_what_they_mean_in_chinese_first(store, engine, cypher, zh):
    with pytest.raises(QueryError) as info:
        store.run(cypher)
    want = f"{info.value.backend} 引擎无法执行该查询:{zh}。"
    # Ladybug names functions in capitals (NOFUNC)
    assert info.value.summary("zh").casefold() == want.casefold()
    assert engine in info.value.backend.lower()
    assert info.value.engine_message in info.value.message("zh")  # kept as the detail


def test_row_limit_truncates_and_says_so(store):
    df = store.run("MATCH (c:Community) RETURN c.id AS id ORDER BY id", row_limit=1)
    assert df["id"].tolist() == ["c1"] and df.attrs["truncated"] is True
    df = store.run("MATCH (c:Community) RETURN c.id AS id ORDER BY id", row_limit=2)
    assert df["id"].tolist() == ["c1", "c2"] and df.attrs["truncated"] is False


def test_append_adds_to_the_graph_and_replace_empties_it_first(store):
    more = GraphTables(nodes={"Community": pd.DataFrame({"id": ["c3"], "name": ["新村"],
                                                         "kind": ["rural"]})})
    store.load(more)
    assert store.count_by_label()["Community"] == 3
    store.load(more, replace=True)
    counts = store.count_by_label()
    assert counts["Community"] == 1 and counts["Project"] == 0


def test_version_changes_with_a_load_and_only_then(store):
    v = store.version()
    store.run("MATCH (n) RETURN count(n) AS n")
    assert store.version() == v
    store.load(GraphTables(nodes={"Community": pd.DataFrame(
        {"id": ["c3"], "name": ["新村"], "kind": ["rural"]})}))
    assert store.version() != v


def test_described_and_nodes_named_give_each_place_above(store):
    """What import messages and names in relationship ends use: c1 清波社区 lies in
    T1 清波街道 of K1 上城区 of C1 杭州市; f1 is based in c1; c2 has no parent."""
    def rels(rows):
        return pd.DataFrame(rows, columns=["from", "to", "from_label", "to_label"])

    store.load(GraphTables(
        nodes={"City": pd.DataFrame({"id": ["C1"], "name": ["杭州市"]}),
               "County": pd.DataFrame({"id": ["K1"], "name": ["上城区"]}),
               "Township": pd.DataFrame({"id": ["T1"], "name": ["清波街道"]})},
        rels={"PART_OF": rels([("K1", "C1", "County", "City"),
                               ("T1", "K1", "Township", "County"),
                               ("c1", "T1", "Community", "Township")]),
              "BASED_IN": rels([("f1", "c1", "Foundation", "Community")])}))
    got = store.described(["c1", "f1", "c2", "nope"]).set_index("id")
    assert got.loc["c1", "region"] == "清波街道 · 上城区 · 杭州市"
    assert tuple(got.loc["f1", "parents"]) == ("清波社区", "清波街道", "上城区", "杭州市")
    assert (got.loc["c2", "name"], got.loc["c2", "region"]) == ("湖滨村", "")
    assert "nope" not in got.index
    named = store.nodes_named(["清波街道", "湖滨村", "无此名"], ["Township", "Community"])
    assert sorted(zip(named["id"], named["label"], named["region"], strict=True)) == [
        ("T1", "Township", "上城区 · 杭州市"), ("c2", "Community", "")]
