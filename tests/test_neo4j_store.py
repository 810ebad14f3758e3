"""The Neo4j store against the real local Neo4j 5.26 server (fixture ``neo4j_server``)."""

import socket

import pandas as pd
import pytest

from tests.test_ladybug_store import _tables
from wushe.graph.backends import open_store
from wushe.graph.backends.neo4j_store import LOAD_STAMP, Neo4jStore, _require_version
from wushe.graph.errors import (
    Neo4jConnectionError,
    QueryError,
    ReadOnlyViolation,
    StoreError,
)
from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo(neo4j_server):
    """A store on the session server, emptied, holding the small tables of the Ladybug tests."""
    s = Neo4jStore(neo4j_server.uri)
    s.clear()
    s.load(_tables())
    yield s
    s.close()


def _dump(store: Neo4jStore) -> tuple[list, list]:
    """Every node and relationship with all their properties (internal ones included)."""
    nodes = store.run("MATCH (n) RETURN labels(n) AS l, properties(n) AS p ORDER BY n.id")
    rels = store.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                     "properties(r) AS p ORDER BY a, t, b")
    return nodes.to_dict("records"), rels.to_dict("records")


def test_aggregates_come_back_as_int64_and_float64_columns(neo):
    df = neo.run("MATCH (a)-[r:FUNDS]->(p:Project) RETURN sum(r.amount) AS total, "
                 "count(*) AS n")
    assert str(df["n"].dtype) == "int64" and str(df["total"].dtype) == "float64"


def test_paths_normalise_to_nodes_and_relationships(neo):
    path = neo.run("MATCH x = (p:Project)-[:RUNS_IN]->(c:Community) RETURN x")["x"][0]
    assert [n["id"] for n in path["nodes"]] == ["p1", "c1"]
    assert path["rels"] == [{"type": "RUNS_IN", "from": "p1", "to": "c1"}]


def test_nulls_are_not_stored_and_int_columns_with_nulls_become_float(neo):
    df = neo.run("MATCH (c:Community) RETURN c.id AS id, c.population AS pop ORDER BY id")
    assert df["id"].tolist() == ["c1", "c2"]
    assert df["pop"].iloc[0] == 3000 and pd.isna(df["pop"].iloc[1])
    c2 = neo.run("MATCH (c:Community {id: 'c2'}) RETURN keys(c) AS k")["k"][0]
    assert sorted(c2) == ["id", "kind", "name"]  # no null, no load stamp


def test_schema_has_a_uniqueness_constraint_per_label(neo):
    # SHOW is administration: the guarded query path refuses it, so ask the server directly
    with neo._session("READ") as session:
        rows = list(session.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type"))
    unique = {(r["labelsOrTypes"][0], tuple(r["properties"])) for r in rows
              if r["type"] == "UNIQUENESS"}
    assert unique >= {(label, ("id",)) for label in SCHEMA.node_names}


def test_progress_is_reported_up_to_done(neo4j_server):
    s = Neo4jStore(neo4j_server.uri)
    s.clear()
    calls = []
    summary = s.load(_tables(), progress=lambda d, t, m: calls.append((d, t, m)))
    # 3 node batches + 3 relationship batches (FUNDS split by start label) + 5 unstamp sweeps
    assert calls[-1] == (11, 11, "done")
    assert [d for d, _, _ in calls] == list(range(12))
    assert calls[0][2] == "Community 2/2"
    assert summary.nodes == 4 and summary.rels == 3
    s.close()


def test_failed_load_on_a_stored_id_leaves_the_graph_exactly_as_before(neo4j_server):
    # batch_size=1: the rows before the clash are committed in their own transactions and
    # must be taken back.
    s = Neo4jStore(neo4j_server.uri, batch_size=1)
    s.clear()
    s.load(_tables())
    before = _dump(s)
    bad = GraphTables(nodes={"Community": pd.DataFrame(
        {"id": ["c8", "c9", "c1"], "name": ["x", "y", "z"], "kind": ["urban"] * 3})})
    with pytest.raises(StoreError, match="already in the store") as e:
        s.load(bad)
    assert "c1" in str(e.value) and "未写入任何数据" in e.value.zh
    assert _dump(s) == before
    assert s.count_by_label()["Community"] == 2
    s.close()


def test_an_id_repeated_within_the_import_is_refused_before_writing(neo):
    before, version = _dump(neo), neo.version()
    bad = GraphTables(nodes={"Project": pd.DataFrame(
        {"id": ["p8", "p8"], "name": ["a", "b"], "scenario": ["一老一小"] * 2,
         "year": [2024] * 2})})
    for replace in (False, True):
        with pytest.raises(StoreError, match="Project ids repeat within the import: p8"):
            neo.load(bad, replace=replace)
    assert _dump(neo) == before and neo.version() == version


def test_failed_load_on_a_missing_end_names_it_and_writes_nothing(neo):
    before = _dump(neo)
    bad = GraphTables(
        nodes={"Volunteer": pd.DataFrame({"id": ["v1", "v2"], "hours_12m": [3.5, None]})},
        rels={"LIVES_IN": pd.DataFrame({"from": ["v1", "v2"], "to": ["c1", "c404"],
                                        "from_label": ["Volunteer"] * 2,
                                        "to_label": ["Community"] * 2})},
    )
    with pytest.raises(StoreError, match="v2→c404") as e:
        neo.load(bad)
    assert "c404" in e.value.zh and "未写入任何数据" in e.value.zh
    assert _dump(neo) == before


def test_append_links_new_nodes_to_stored_ones(neo):
    more = GraphTables(
        nodes={"Volunteer": pd.DataFrame({"id": ["v1"], "hours_12m": [3.5]})},
        rels={"LIVES_IN": pd.DataFrame({"from": ["v1"], "to": ["c2"], "from_label": ["Volunteer"],
                                        "to_label": ["Community"]})},
    )
    neo.load(more)
    df = neo.run("MATCH (v:Volunteer)-[:LIVES_IN]->(c:Community) RETURN v.id AS v, c.name AS c")
    assert df.to_dict("records") == [{"v": "v1", "c": "湖滨村"}]
    assert neo.run(f"MATCH (n) WHERE n.{LOAD_STAMP} IS NOT NULL RETURN count(n) AS k")["k"][0] == 0
    assert neo.run(f"MATCH ()-[r]->() WHERE r.{LOAD_STAMP} IS NOT NULL "
                   "RETURN count(r) AS k")["k"][0] == 0


def test_replace_swaps_the_graph_and_a_failed_replace_keeps_the_old_one(neo):
    new = GraphTables(nodes={"Community": pd.DataFrame(
        {"id": ["c1", "c3"], "name": ["新清波", "新村"], "kind": ["urban", "rural"]})})
    # c1 is in the old graph too: staged under another label, the new c1 does not clash
    neo.load(new, replace=True)
    df = neo.run("MATCH (n) RETURN n.id AS id, n.name AS name ORDER BY id")
    assert df.to_dict("records") == [{"id": "c1", "name": "新清波"}, {"id": "c3", "name": "新村"}]
    before = _dump(neo)
    bad = GraphTables(
        nodes={"Project": pd.DataFrame({"id": ["p7"], "name": ["x"], "scenario": ["一老一小"],
                                        "year": [2024]})},
        rels={"RUNS_IN": pd.DataFrame({"from": ["p7"], "to": ["c404"], "from_label": ["Project"],
                                       "to_label": ["Community"]})},
    )
    with pytest.raises(StoreError, match="c404"):
        neo.load(bad, replace=True)
    assert _dump(neo) == before


def test_the_read_transaction_itself_refuses_a_write(neo, monkeypatch):
    # Without the lexical filter (tested for both engines in test_store_contract.py) the
    # read transaction itself is refused by the server.
    monkeypatch.setattr("wushe.graph.backends.neo4j_store.check_single_read_statement", lambda c: c)
    with pytest.raises(ReadOnlyViolation, match="read access mode"):
        neo.run("MATCH (c:Community) SET c.population = 1")
    assert neo.run("MATCH (c:Community {id: 'c1'}) RETURN c.population AS p")["p"][0] == 3000


def test_write_mode_runs_in_a_write_transaction(neo):
    neo.run("MATCH (c:Community {id: 'c2'}) SET c.population = 12", read_only=False)
    assert neo.run("MATCH (c:Community {id: 'c2'}) RETURN c.population AS p")["p"][0] == 12


def test_a_long_query_stops_at_the_timeout(neo):
    with pytest.raises(QueryError, match="stopped at the timeout of 1 s"):
        neo.run("UNWIND range(1, 100000000) AS x WITH x WHERE x = -1 RETURN count(x) AS n",
                timeout_s=1)


def test_credentials_in_the_uri_are_refused_without_echoing_the_password():
    with pytest.raises(StoreError, match="WUSHE_NEO4J_PASSWORD") as e:
        Neo4jStore("neo4j://alice:s3cret@db.example.org:7687")
    assert "s3cret" not in str(e.value) and "s3cret" not in e.value.zh
    assert "neo4j://db.example.org:7687" in str(e.value)


def test_unreachable_server_gets_a_clear_message():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    with pytest.raises(Neo4jConnectionError, match="Cannot reach the Neo4j server") as e:
        Neo4jStore(f"bolt://127.0.0.1:{port}", auth=("neo4j", "s3cret"))
    assert "无法连接" in e.value.zh and "s3cret" not in str(e.value) + e.value.zh


def test_versions_before_5_are_refused_by_name():
    with pytest.raises(Neo4jConnectionError, match="runs Neo4j 4.4.12; wushe needs Neo4j 5"):
        _require_version("4.4.12", "bolt://x")
    assert _require_version("5.26.30", "bolt://x") == (5, 26)
    assert _require_version("2025.01.0", "bolt://x") == (2025, 1)


def test_from_env_without_credentials_connects_without_auth(neo4j_server, monkeypatch):
    monkeypatch.delenv("WUSHE_NEO4J_USER", raising=False)
    monkeypatch.delenv("WUSHE_NEO4J_PASSWORD", raising=False)
    with open_store(neo4j_server.uri) as s:
        assert s.engine == "Neo4j"
        assert s.backend_id == f"{neo4j_server.uri}/(default)"


def test_from_env_with_a_user_but_no_password_and_no_terminal_says_what_to_set(monkeypatch):
    monkeypatch.setenv("WUSHE_NEO4J_USER", "alice")
    monkeypatch.delenv("WUSHE_NEO4J_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    with pytest.raises(Neo4jConnectionError, match="Set WUSHE_NEO4J_PASSWORD"):
        Neo4jStore.from_env("neo4j://127.0.0.1:7687")


def test_backend_id_names_uri_and_database_never_credentials(neo4j_server, monkeypatch):
    monkeypatch.setenv("WUSHE_NEO4J_USER", "neo4j")
    monkeypatch.setenv("WUSHE_NEO4J_PASSWORD", "s3cret")  # the auth-off test server ignores it
    with Neo4jStore.from_env(neo4j_server.uri, database="neo4j") as s:
        assert s.backend_id == f"{neo4j_server.uri}/neo4j"
        assert "s3cret" not in repr(vars(s))


def test_a_uri_that_is_not_bolt_or_neo4j_is_refused():
    with pytest.raises(StoreError, match="URI scheme 'http' is not supported"):
        Neo4jStore("http://127.0.0.1:7474")


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    """A second real Neo4j, this one with auth on (user neo4j, a known password)."""
    from wushe.graph.backends.neo4j_local import LocalNeo4j

    server = LocalNeo4j(tmp_path_factory.mktemp("neo4j-auth"), password="right-Passw0rd")
    server.start()
    yield server
    server.stop()


def test_wrong_password_is_refused_with_a_message_that_never_shows_it(auth_server, monkeypatch):
    monkeypatch.setenv("WUSHE_NEO4J_USER", "neo4j")
    monkeypatch.setenv("WUSHE_NEO4J_PASSWORD", "wrong-Passw0rd")
    with pytest.raises(Neo4jConnectionError, match="refused the credentials") as e:
        Neo4jStore.from_env(auth_server.uri)
    text = str(e.value) + e.value.zh + repr(e.value.__cause__) + repr(e.value.__context__)
    assert "wrong-Passw0rd" not in text and "拒绝了登录凭据" in e.value.zh


def test_right_password_from_the_environment_connects(auth_server, monkeypatch):
    monkeypatch.setenv("WUSHE_NEO4J_USER", "neo4j")
    monkeypatch.setenv("WUSHE_NEO4J_PASSWORD", "right-Passw0rd")
    with Neo4jStore.from_env(auth_server.uri) as s:
        assert s.run("RETURN 1 AS x")["x"].tolist() == [1]
        assert "right-Passw0rd" not in s.backend_id


def test_an_incremental_import_is_checked_against_the_server_store(neo):
    """The store-wide rules of an adding import (case twins, relationships already stored)
    run on Neo4j as on the embedded store, validated inside load (issue #11)."""
    from wushe.graph.errors import ValidationError
    from wushe.loaders import read_upload, validate

    def check(name: str, text: str) -> list:
        with pytest.raises(ValidationError) as e:
            neo.load(lambda: validate(read_upload(name, text.encode()), store=neo, salt=b"s"))
        return [(p.file, p.row, p.column) for p in e.value.problems]

    before = _dump(neo)
    assert check("Community.csv", "id,name,kind\nC1,新社区,urban\n") == [
        ("Community.csv", 2, "id (编号)")]
    assert check("RUNS_IN.csv", "from,to\np1,c1\n") == [("RUNS_IN.csv", 2, "from (起点编号)")]
    assert _dump(neo) == before
    neo.load(lambda: validate(read_upload("RUNS_IN.csv", b"from,to\np1,c2\n"), store=neo,
                              salt=b"s"))
    assert neo.existing_labels(["c1", "p1", "zz"]) == {"c1": "Community", "p1": "Project"}
    assert neo.existing_rels("RUNS_IN", "Project", "Community", [("p1", "c1"), ("p1", "c2"),
                                                                 ("p1", "c9")]) \
        == {("p1", "c1"), ("p1", "c2")}


def test_whole_results_come_as_one_record_of_rows_in_order(neo):
    # the analysis's transport: the query inside CALL { } collecting its rows; a trailing
    # comment must not swallow the closing brace, and ORDER BY must hold
    q = "MATCH (c:Community) RETURN c.id AS id, c.population AS pop ORDER BY id DESC // x"
    df = neo.run(q)
    assert df["id"].tolist() == ["c2", "c1"] and neo._columns[q] == ["id", "pop"]
    assert df["pop"].iloc[1] == 3000 and pd.isna(df["pop"].iloc[0])
    # a query a subquery cannot hold streams its records as before
    q = "CALL db.labels() YIELD label RETURN label ORDER BY label"
    assert "Community" in neo.run(q)["label"].tolist() and q in neo._not_columnar
    # a row limit (the console's) streams records too, and says when it cut
    limited = neo.run("MATCH (n) RETURN n.id AS id ORDER BY id", row_limit=1)
    assert limited["id"].tolist() == ["c1"] and limited.attrs["truncated"] is True

